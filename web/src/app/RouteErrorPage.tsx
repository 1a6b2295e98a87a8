import { Button, Container, Group, Stack, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { ErrorState } from '../components/ErrorState.tsx';
import { useT } from '../i18n/useT.ts';
import NotFoundPage from './NotFoundPage.tsx';

/**
 * The error boundary of the router: a page that crashed or failed to load
 * (e.g. a chunk missing after a deployment) shows this instead of a blank screen.
 */
export function RouteErrorPage() {
  const t = useT();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  if (import.meta.env.DEV) console.error(error);
  const chunkFailed = error instanceof TypeError && /dynamically imported module|Importing a module script/i.test(error.message);
  return (
    <Container size="sm" py={60}>
      <Stack gap="md">
        <Title order={1} fz={24} tabIndex={-1} data-page-title>
          {t('common.crash.title')}
        </Title>
        <Text c="dimmed">{chunkFailed ? t('common.crash.newVersion') : t('common.crash.description')}</Text>
        {!chunkFailed && error && typeof error === 'object' && 'code' in error ? <ErrorState error={error} /> : null}
        <Group>
          <Button leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => window.location.reload()}>
            {t('common.action.reload')}
          </Button>
          <Button component={Link} to="/" variant="default" reloadDocument>
            {t('common.action.backHome')}
          </Button>
        </Group>
      </Stack>
    </Container>
  );
}
