/**
 * Text written by scenario authors in one or more of the four languages
 * (`{ en: '…', fr: '…' }`): shown in the user's language, else English, else
 * whatever language the author wrote. When the text shown is not in the page's
 * language, it carries its own `lang` and direction, so that an English
 * briefing inside an Arabic page reads left to right and is pronounced right.
 */
import { useCallback } from 'react';
import { Box, type BoxProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import { directionOf, isLocale, type Locale } from '../../i18n/locales.ts';

export type LocalizedText = Partial<Record<Locale, string>>;

const fallbackOrder: Locale[] = ['en', 'fr', 'es', 'ar'];

/** The text to show in `locale`, and the language it is written in; null when there is none. */
export function pickLocalized(text: LocalizedText | null | undefined, locale: Locale): { text: string; lang: Locale } | null {
  if (!text) return null;
  for (const l of [locale, ...fallbackOrder]) {
    const value = text[l];
    if (typeof value === 'string' && value.trim() !== '') return { text: value, lang: l };
  }
  for (const [l, value] of Object.entries(text)) {
    if (isLocale(l) && typeof value === 'string' && value.trim() !== '') return { text: value, lang: l };
  }
  return null;
}

/** `(text) => string` in the user's language, for props that need plain text (titles, labels, options). */
export function useLocalized(): (text: LocalizedText | null | undefined, fallback?: string) => string {
  const { locale } = useLocale();
  return useCallback((text, fallback = '') => pickLocalized(text, locale)?.text ?? fallback, [locale]);
}

type Props = BoxProps & {
  text: LocalizedText | null | undefined;
  /** Shown when the text exists in no language. */
  fallback?: ReactNode;
  component?: 'span' | 'div' | 'p';
  /** Renders the picked text (e.g. with RichText); plain text by default. */
  render?: (text: string) => ReactNode;
};

/** Author text in the user's language, marked with its own language when it falls back. */
export function Localized({ text, fallback = null, component = 'span', render, ...rest }: Props) {
  const { locale } = useLocale();
  const picked = pickLocalized(text, locale);
  if (!picked) return <>{fallback}</>;
  const foreign = picked.lang !== locale;
  return (
    <Box component={component} lang={foreign ? picked.lang : undefined} dir={foreign ? directionOf(picked.lang) : undefined} {...rest}>
      {render ? render(picked.text) : picked.text}
    </Box>
  );
}
