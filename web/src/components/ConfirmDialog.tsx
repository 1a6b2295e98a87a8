import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../i18n/useT.ts';

type Props = {
  opened: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** A destructive action: red confirm button. */
  danger?: boolean;
  loading?: boolean;
};

/** Asks before an action that cannot be undone. Focus starts on Cancel. */
export function ConfirmDialog({ opened, title, message, confirmLabel, onConfirm, onCancel, danger, loading }: Props) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onCancel} title={title} centered radius="md" closeButtonProps={{ 'aria-label': t('common.action.close') }}>
      <Stack gap="lg">
        <Text size="sm">{message}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} data-autofocus disabled={loading}>
            <FormattedMessage id="common.action.cancel" />
          </Button>
          <Button color={danger ? 'red' : undefined} onClick={onConfirm} loading={loading}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
