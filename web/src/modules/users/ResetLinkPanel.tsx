import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { FormattedMessage } from 'react-intl';
import { CopyField } from '../../components/CopyField.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { useT } from '../../i18n/useT.ts';
import { absoluteUrl } from './admin-ui.tsx';
import type { PasswordResetIssued } from './api.ts';

/** A one-time password link, shown once, to hand over to the user. */
export function ResetLinkPanel({ reset, name }: { reset: PasswordResetIssued; name: string }) {
  const t = useT();
  return (
    <Stack gap="sm">
      <Text size="sm">{t('users.resetLink.explain', { name })}</Text>
      <CopyField value={absoluteUrl(reset.url)} label={t('users.resetLink.label', { name })} />
      <Text size="sm" c="dimmed">
        <FormattedMessage id="users.resetLink.expires" values={{ date: <DateTime value={reset.expiresAt} /> }} />
      </Text>
      <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />}>
        {t('users.resetLink.shownOnce')}
      </Alert>
    </Stack>
  );
}
