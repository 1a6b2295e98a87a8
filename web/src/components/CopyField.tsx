import { ActionIcon, CopyButton, Group, Paper, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useT } from '../i18n/useT.ts';
import { Ltr } from './Ltr.tsx';

type Props = {
  value: string;
  label: string;
  /** What the copy button puts on the clipboard, when it differs from what is shown. */
  copyValue?: string;
};

/** A secret or identifier shown for copying: left-to-right, monospace, with a copy button. */
export function CopyField({ value, label, copyValue }: Props) {
  const t = useT();
  return (
    <Paper withBorder radius="md" px="sm" py={8} bg="var(--mantine-color-gray-0)" role="group" aria-label={label}>
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Ltr mono block fz="sm" style={{ wordBreak: 'break-all', userSelect: 'all', flex: 1 }} data-copy-value>
          {value}
        </Ltr>
        <CopyButton value={copyValue ?? value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('common.action.copied') : t('common.action.copy')} withArrow>
              <ActionIcon
                variant={copied ? 'filled' : 'default'}
                color={copied ? 'teal' : undefined}
                size="lg"
                onClick={copy}
                aria-label={copied ? t('common.action.copied') : t('common.action.copyLabel', { what: label })}
              >
                {copied ? <IconCheck size={18} aria-hidden /> : <IconCopy size={18} aria-hidden />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Paper>
  );
}
