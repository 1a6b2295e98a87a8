/**
 * Guards the message catalogues (web/src/modules/<module>/messages/<locale>.json):
 * every module has all four languages, with the same keys, every message is
 * valid ICU MessageFormat, plural branches exist in the language, and each
 * translation uses the same placeholders and tags as the English one.
 */
import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
// Relative rather than through the @modules alias, so the test needs no bundler setup.
import { locales } from '../../../src/modules/accounts/roles.ts';
import { allowedPrefixes, describeCataloguePath, type Catalogue } from './catalogues.ts';

const files = import.meta.glob<Catalogue>('../modules/*/messages/*.json', { eager: true, import: 'default' });

type ModuleCatalogues = Map<string, Catalogue>;
const modules = new Map<string, ModuleCatalogues>();
const strayFiles: string[] = [];
for (const [path, catalogue] of Object.entries(files)) {
  const where = describeCataloguePath(path);
  if (!where) {
    strayFiles.push(path);
    continue;
  }
  let byLocale = modules.get(where.module);
  if (!byLocale) modules.set(where.module, (byLocale = new Map()));
  byLocale.set(where.locale, catalogue);
}
const reference = 'en';

/** Placeholder names and tag names used by a message, e.g. ["arg:seconds", "tag:b"]. */
function signature(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    switch (el.type) {
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        into.add(`arg:${el.value}`);
        break;
      case TYPE.select:
      case TYPE.plural:
        into.add(`arg:${el.value}`);
        for (const option of Object.values(el.options)) signature(option.value, into);
        break;
      case TYPE.tag:
        into.add(`tag:${el.value}`);
        signature(el.children, into);
        break;
      default:
        break;
    }
  }
  return into;
}

/** Plural categories used by a message, outside exact matches like `=0`. */
function pluralCategories(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.plural) {
      for (const [key, option] of Object.entries(el.options)) {
        if (!key.startsWith('=')) into.add(el.pluralType === 'ordinal' ? `ordinal:${key}` : key);
        pluralCategories(option.value, into);
      }
    } else if (el.type === TYPE.select) {
      for (const option of Object.values(el.options)) pluralCategories(option.value, into);
    } else if (el.type === TYPE.tag) {
      pluralCategories(el.children, into);
    }
  }
  return into;
}

function parseMessage(message: string): MessageFormatElement[] {
  return parse(message, { requiresOtherClause: true, shouldParseSkeletons: true });
}

describe('message catalogues', () => {
  it('are all named web/src/modules/<module>/messages/<locale>.json', () => {
    expect(strayFiles).toEqual([]);
    expect(modules.size).toBeGreaterThan(0);
  });

  it('have no key defined by two modules', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [module, byLocale] of modules) {
      for (const key of Object.keys(byLocale.get(reference) ?? {})) {
        const other = seen.get(key);
        if (other) clashes.push(`${key} (${other}, ${module})`);
        seen.set(key, module);
      }
    }
    expect(clashes).toEqual([]);
  });

  for (const [module, byLocale] of modules) {
    describe(`module "${module}"`, () => {
      it('has exactly the four languages', () => {
        expect([...byLocale.keys()].sort()).toEqual([...locales].sort());
      });

      const english = byLocale.get(reference) ?? {};
      const englishKeys = Object.keys(english).sort();

      it('prefixes every key with the module name', () => {
        const prefixes = allowedPrefixes(module);
        const wrong = englishKeys.filter((k) => !prefixes.some((p) => k.startsWith(`${p}.`)));
        expect(wrong, `keys of ${module} must start with ${prefixes.map((p) => `"${p}."`).join(' or ')}`).toEqual([]);
      });

      for (const locale of locales) {
        describe(locale, () => {
          const catalogue = byLocale.get(locale) ?? {};

          it('has the same keys as English', () => {
            const keys = Object.keys(catalogue);
            const missing = englishKeys.filter((k) => !(k in catalogue));
            const extra = keys.filter((k) => !(k in english));
            expect({ missing, extra }).toEqual({ missing: [], extra: [] });
          });

          it('has a non-empty string for every key', () => {
            const bad = Object.entries(catalogue)
              .filter(([, v]) => typeof v !== 'string' || v.trim() === '')
              .map(([k]) => k);
            expect(bad).toEqual([]);
          });

          it('has valid ICU messages with the plural categories of the language', () => {
            const allowed = new Set<string>([
              ...new Intl.PluralRules(locale).resolvedOptions().pluralCategories,
              ...new Intl.PluralRules(locale, { type: 'ordinal' }).resolvedOptions().pluralCategories.map((c) => `ordinal:${c}`),
            ]);
            const problems: string[] = [];
            for (const [key, message] of Object.entries(catalogue)) {
              try {
                const unknown = [...pluralCategories(parseMessage(message))].filter((c) => !allowed.has(c));
                if (unknown.length) problems.push(`${key}: plural categories ${unknown.join(', ')} do not exist in "${locale}"`);
              } catch (error) {
                problems.push(`${key}: ${(error as Error).message}`);
              }
            }
            expect(problems).toEqual([]);
          });

          if (locale !== reference) {
            it('uses the same placeholders and tags as English', () => {
              const problems: string[] = [];
              for (const [key, message] of Object.entries(catalogue)) {
                const source = english[key];
                if (source === undefined) continue;
                let mine: string[];
                let theirs: string[];
                try {
                  mine = [...signature(parseMessage(message))].sort();
                  theirs = [...signature(parseMessage(source))].sort();
                } catch {
                  continue; // Reported by the parsing test.
                }
                if (mine.join() !== theirs.join()) problems.push(`${key}: ${mine.join(' ') || '(none)'} ≠ en: ${theirs.join(' ') || '(none)'}`);
              }
              expect(problems).toEqual([]);
            });
          }
        });
      }
    });
  }
});
