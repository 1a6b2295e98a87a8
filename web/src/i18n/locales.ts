import { locales, type Locale } from '@modules/accounts/roles.ts';

export { locales, type Locale };

export const defaultLocale: Locale = 'en';

/** Languages written right to left. */
const rtl: ReadonlySet<Locale> = new Set<Locale>(['ar']);
export const directionOf = (locale: Locale): 'rtl' | 'ltr' => (rtl.has(locale) ? 'rtl' : 'ltr');

/** Each language named in itself: a switcher must be readable by someone who does not read the current language. */
export const nativeNames: Record<Locale, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  ar: 'العربية',
};

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (locales as readonly string[]).includes(value);

const storageKey = 'cybercap.locale';

export function storedLocale(): Locale | null {
  try {
    const v = window.localStorage.getItem(storageKey);
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

export function storeLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(storageKey, locale);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

/** The first of the browser's preferred languages we support, by primary subtag. */
export function browserLocale(preferred: readonly string[] = navigator.languages ?? [navigator.language]): Locale | null {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return null;
}

export const initialLocale = (): Locale => storedLocale() ?? browserLocale() ?? defaultLocale;

// Dates and numbers follow the browser's regional variant of the chosen
// language when it has one (en-US, es-MX, ar-EG…); otherwise these.
const regionalDefaults: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR', es: 'es-ES', ar: 'ar' };

/** The locale for formatting dates and numbers in `locale` (a language, not a region). */
export function formattingLocale(locale: Locale, preferred: readonly string[] = navigator.languages ?? [navigator.language]): string {
  const match = preferred.find((tag) => tag.toLowerCase().split('-')[0] === locale && tag.includes('-'));
  try {
    if (match) return Intl.getCanonicalLocales(match)[0] ?? regionalDefaults[locale];
  } catch {
    // A malformed tag from the browser: ignore it.
  }
  return regionalDefaults[locale];
}
