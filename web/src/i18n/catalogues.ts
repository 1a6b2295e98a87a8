/**
 * Message catalogues, one set per web module:
 *   web/src/modules/<module>/messages/{en,fr,es,ar}.json
 * Flat JSON, key → ICU message, keys prefixed by the module (`auth.signIn.title`).
 * The `common` module also owns the shared `errors.*` and `validation.*` keys.
 * A locale's catalogues are loaded on demand and merged into one map.
 */
import type { Locale } from './locales.ts';
import type { MessageId } from './message-ids.ts';

export type Catalogue = Record<string, string>;
export type Messages = Record<MessageId, string>;

/** Lazy loaders for every catalogue file, keyed by path. */
export const catalogueLoaders = import.meta.glob<Catalogue>('../modules/*/messages/*.json', { import: 'default' });

/** `../modules/auth/messages/fr.json` → { module: 'auth', locale: 'fr' } */
export function describeCataloguePath(path: string): { module: string; locale: string } | null {
  const m = /\/modules\/([^/]+)\/messages\/([^/]+)\.json$/.exec(path);
  return m && m[1] && m[2] ? { module: m[1], locale: m[2] } : null;
}

/** Prefixes a module may use for its keys: its own name, plus the shared ones owned by `common`. */
export function allowedPrefixes(module: string): string[] {
  return module === 'common' ? ['common', 'errors', 'validation'] : [module];
}

const cache = new Map<Locale, Promise<Messages>>();

export function loadMessages(locale: Locale): Promise<Messages> {
  let pending = cache.get(locale);
  if (!pending) {
    const loads = Object.entries(catalogueLoaders)
      .filter(([path]) => describeCataloguePath(path)?.locale === locale)
      .map(([, load]) => load());
    pending = Promise.all(loads).then((parts) => Object.assign({}, ...parts) as Messages);
    pending.catch(() => cache.delete(locale));
    cache.set(locale, pending);
  }
  return pending;
}
