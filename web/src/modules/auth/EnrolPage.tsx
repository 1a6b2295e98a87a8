import { Alert, Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconShieldLock } from '@tabler/icons-react';
import { useNotify } from '../../core/notify.tsx';
import { useSession, useSignOut } from '../../core/session.ts';
import { useT } from '../../i18n/useT.ts';
import { AuthLayout } from './AuthLayout.tsx';
import { TotpEnrolment } from './TotpEnrolment.tsx';

/**
 * Session stage `enrol`: a role of the user requires two-factor authentication
 * and none is set up. Nothing else is reachable until it is; once enabled, the
 * stored session turns `active` and the guard shows the app at the same address.
 */
export default function EnrolPage() {
  const t = useT();
  const notify = useNotify();
  const signOut = useSignOut();
  const session = useSession();
  useDocumentTitle(`${t('auth.enrol.title')} · Cybercap`);

  return (
    <AuthLayout wide>
      <Stack gap="lg">
        <Stack gap={6}>
          <Title order={1} fz={26} tabIndex={-1} data-page-title>
            {t('auth.enrol.title')}
          </Title>
          {session ? (
            <Text c="dimmed" size="sm">
              {t('auth.enrol.signedInAs', { name: session.user.displayName })}
            </Text>
          ) : null}
        </Stack>
        <Alert variant="light" color="navy" icon={<IconShieldLock aria-hidden />}>
          {t('auth.enrol.required')}
        </Alert>
        <TotpEnrolment autoStart onEnabled={() => notify.success(t('auth.totp.enabled'))} />
        <Group>
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={() => void signOut()}>
            {t('auth.enrol.signOut')}
          </Anchor>
        </Group>
      </Stack>
    </AuthLayout>
  );
}
