import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { useDirection } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { z } from 'zod';
import dayjs from 'dayjs';
import 'dayjs/locale/fr';
import 'dayjs/locale/es';
import 'dayjs/locale/ar';
import { setRequestLocale } from '../core/api.ts';
import { defaultLocale, directionOf, formattingLocale, storeLocale, type Locale } from './locales.ts';
import { loadMessages, type Messages } from './catalogues.ts';

const zodLocales: Record<Locale, () => z.core.$ZodConfig> = {
  en: z.locales.en,
  fr: z.locales.fr,
  es: z.locales.es,
  ar: z.locales.ar,
};

/** Everything that follows the language outside React: the <html> element, zod, dayjs, the API client. */
export function applyLocale(locale: Locale): void {
  const root = document.documentElement;
  root.lang = locale;
  root.dir = directionOf(locale);
  z.config(zodLocales[locale]());
  dayjs.locale(locale);
  setRequestLocale(locale);
}

type LocaleContextValue = {
  locale: Locale;
  /** Switches the interface language (loads the catalogues first); does not save it to the profile. */
  setLocale: (locale: Locale) => Promise<void>;
  switching: boolean;
};

const LocaleContext = createContext<LocaleContextValue | null>(null);

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale outside I18nProvider');
  return value;
}

type Props = { initialLocale: Locale; initialMessages: Messages; children: ReactNode };

export function I18nProvider({ initialLocale, initialMessages, children }: Props) {
  const [current, setCurrent] = useState({ locale: initialLocale, messages: initialMessages });
  const [switching, setSwitching] = useState(false);
  const { setDirection } = useDirection();

  const setLocale = useCallback(async (locale: Locale) => {
    storeLocale(locale);
    setSwitching(true);
    try {
      const messages = await loadMessages(locale);
      applyLocale(locale);
      setCurrent({ locale, messages });
    } finally {
      setSwitching(false);
    }
  }, []);

  useEffect(() => {
    setDirection(directionOf(current.locale));
  }, [current.locale, setDirection]);

  const value = useMemo(() => ({ locale: current.locale, setLocale, switching }), [current.locale, setLocale, switching]);

  return (
    <LocaleContext.Provider value={value}>
      <IntlProvider
        locale={formattingLocale(current.locale)}
        defaultLocale={defaultLocale}
        messages={current.messages}
        onError={(error) => {
          if (import.meta.env.DEV) console.warn(error.message);
        }}
      >
        <DatesProvider settings={{ locale: current.locale, firstDayOfWeek: current.locale === 'en' ? 0 : current.locale === 'ar' ? 6 : 1 }}>
          {children}
        </DatesProvider>
      </IntlProvider>
    </LocaleContext.Provider>
  );
}
