import { Center, Loader, Stack } from '@mantine/core';
import { useT } from '../i18n/useT.ts';

/** While the session is being checked: a quiet loader, announced once. */
export function FullPageLoader() {
  const t = useT();
  return (
    <Center h="100dvh" role="status" aria-live="polite">
      <Stack align="center" gap="sm">
        <Loader color="navy" type="dots" size="lg" />
        <span className="visually-hidden">{t('common.state.loading')}</span>
      </Stack>
    </Center>
  );
}
