import type { ComponentType } from 'react';
import { Button, Container, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconLock } from '@tabler/icons-react';
import { Link, Navigate, useLocation } from 'react-router';
import { hasPermission, signInPath, useSessionQuery, type Permission } from '../core/session.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorState } from '../components/ErrorState.tsx';
import { FullPageLoader } from '../components/FullPageLoader.tsx';
import { useT } from '../i18n/useT.ts';
import { AppLayout } from './layout/AppLayout.tsx';
import EnrolPage from '../modules/auth/EnrolPage.tsx';

/**
 * The gate of the signed-in app. Signed out (or the session ended): to the
 * sign-in page, keeping the way back. Second factor pending: the sign-in page
 * asks for the code. A role requires 2FA and none is set: only the enrolment
 * screen. Otherwise the shell.
 */
export function RequireSession() {
  const { data: session, isPending, error, refetch } = useSessionQuery();
  const location = useLocation();
  const here = location.pathname + location.search + location.hash;

  if (isPending) return <FullPageLoader />;
  if (error) {
    return (
      <Container size="sm" py={80}>
        <ErrorState error={error} onRetry={() => void refetch()} />
      </Container>
    );
  }
  if (!session || session.stage === 'totp') return <Navigate to={signInPath(here)} replace />;
  if (session.stage === 'enrol') return <EnrolPage />;
  return <AppLayout />;
}

/** "You do not have access": shown in place of a page the user's roles do not open. */
export function Forbidden() {
  const t = useT();
  useDocumentTitle(`${t('common.forbidden.title')} · Cybercap`);
  return (
    <Container size="sm" py={60}>
      <EmptyState
        icon={<IconLock aria-hidden />}
        title={
          <Title order={1} fz="h3">
            {t('common.forbidden.title')}
          </Title>
        }
        description={t('common.forbidden.description')}
        action={
          <Button component={Link} to="/" variant="light">
            {t('common.action.backHome')}
          </Button>
        }
      />
    </Container>
  );
}

/** Wraps a page so that only users with the permission see it. */
export function withPermission(Page: ComponentType, permission: Permission | undefined): ComponentType {
  if (!permission) return Page;
  function Guarded() {
    const { data: session } = useSessionQuery();
    return hasPermission(session ?? null, permission) ? <Page /> : <Forbidden />;
  }
  Guarded.displayName = `withPermission(${permission})`;
  return Guarded;
}
