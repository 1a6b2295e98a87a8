import { Badge } from '@mantine/core';
import { IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useT } from '../../i18n/useT.ts';

/** The two-factor state of a user, as an icon and a word. */
export function TwoFactorBadge({ enabled }: { enabled: boolean }) {
  const t = useT();
  return enabled ? (
    <Badge color="teal" leftSection={<IconShieldCheck size={14} aria-hidden />}>
      {t('users.twoFactor.enabled')}
    </Badge>
  ) : (
    <Badge color="gray" leftSection={<IconShieldOff size={14} aria-hidden />}>
      {t('users.twoFactor.disabled')}
    </Badge>
  );
}
