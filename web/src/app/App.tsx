import { useEffect, useState } from 'react';
import { DirectionProvider, MantineProvider, useDirection } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { onSecondFactorRequired, onUnauthenticated } from '../core/api.ts';
import { SessionLocaleSync } from '../core/language.ts';
import { createQueryClient } from '../core/query-client.ts';
import { clearSession, sessionKey } from '../core/session.ts';
import { I18nProvider } from '../i18n/I18nProvider.tsx';
import { directionOf, type Locale } from '../i18n/locales.ts';
import type { Messages } from '../i18n/catalogues.ts';
import { router } from './router.tsx';
import { theme } from './theme.ts';

function Toasts() {
  const { dir } = useDirection();
  return <Notifications position={dir === 'rtl' ? 'bottom-left' : 'bottom-right'} zIndex={1000} limit={4} />;
}

type Props = { locale: Locale; messages: Messages };

export function App({ locale, messages }: Props) {
  const [queryClient] = useState(createQueryClient);

  useEffect(() => {
    // Any call answering 401 `unauthenticated` ends the session on this side too;
    // the route guard then sends the user to sign in, with the way back.
    onUnauthenticated(() => clearSession(queryClient));
    onSecondFactorRequired(() => void queryClient.invalidateQueries({ queryKey: sessionKey }));
    return () => {
      onUnauthenticated(null);
      onSecondFactorRequired(null);
    };
  }, [queryClient]);

  return (
    <DirectionProvider initialDirection={directionOf(locale)} detectDirection={false}>
      <MantineProvider theme={theme} defaultColorScheme="light">
        <QueryClientProvider client={queryClient}>
          <I18nProvider initialLocale={locale} initialMessages={messages}>
            <Toasts />
            <SessionLocaleSync />
            <RouterProvider router={router} />
          </I18nProvider>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
