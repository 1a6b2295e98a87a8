import { useCallback, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Me } from '@modules/accounts/schemas.ts';
import { useLocale } from '../i18n/I18nProvider.tsx';
import type { Locale } from '../i18n/locales.ts';
import { api } from './api.ts';
import { storeMe, useSession } from './session.ts';
import { useNotify } from './notify.tsx';

/**
 * Switches the interface language. Signed out, the choice is kept in
 * localStorage only; signed in, it is saved to the profile (PATCH /api/me).
 */
export function useChangeLanguage(): (locale: Locale) => Promise<void> {
  const { setLocale } = useLocale();
  const client = useQueryClient();
  const session = useSession();
  const notify = useNotify();

  return useCallback(
    async (locale: Locale) => {
      if (session?.stage !== 'active') {
        await setLocale(locale);
        return;
      }
      const before = session.user;
      // The stored session drives the language (SessionLocaleSync), so update it first.
      storeMe(client, { ...before, locale });
      try {
        storeMe(client, await api.patch<Me>('/api/me', { locale }));
      } catch (error) {
        storeMe(client, before);
        notify.error(error);
      }
    },
    [client, notify, session, setLocale],
  );
}

/** On sign-in (and whenever the profile's language changes), the profile's language wins. */
export function SessionLocaleSync() {
  const session = useSession();
  const { locale, setLocale } = useLocale();
  const wanted = session?.user.locale;
  useEffect(() => {
    if (wanted && wanted !== locale) void setLocale(wanted);
    // Only react to the profile's language changing, not to local switches while signed out.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wanted]);
  return null;
}
