// Names of downloaded files made from what users typed (team names, exercise
// titles): a plain ASCII slug every file system and old client takes, and the
// name in its own script for clients that read RFC 6266's filename*.

/** Latin letters that Unicode decomposition leaves whole, as they are usually written in ASCII. */
const latin: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D',
  þ: 'th', Þ: 'Th', ł: 'l', Ł: 'L', ı: 'i', ħ: 'h', Ħ: 'H', ŀ: 'l', Ŀ: 'L', ŋ: 'n', Ŋ: 'N', ŧ: 't', Ŧ: 'T',
};
const latinPattern = new RegExp(`[${Object.keys(latin).join('')}]`, 'g');

const maxSlug = 60;
const trimmed = (slug: string) => slug.slice(0, maxSlug).replace(/^-+|-+$/g, '');

/** Lower-case ASCII letters, digits and hyphens, accents transliterated ("Équipe Rouge" → "equipe-rouge"); "" when nothing is left. */
export function asciiSlug(text: string): string {
  const ascii = text
    .replace(latinPattern, (c) => latin[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
  return trimmed(ascii.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+/, '').toLowerCase());
}

/** The same in any script: letters and digits kept, the rest one hyphen ("الفريق الأحمر" → "الفريق-الأحمر"). */
export function unicodeSlug(text: string): string {
  return trimmed(text.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}]+/gu, '-').replace(/^-+/, '').toLocaleLowerCase('und'));
}

/** RFC 5987 value characters: encodeURIComponent leaves ' ( ) * ! as they are. */
const encodeRfc5987 = (value: string) => encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Content-Disposition of a download named `<prefix>-<name>-<suffix>.<extension>`: filename= the
 * ASCII slug of the name, or `fallback` (an id) when the name has no Latin letter (Arabic…);
 * filename*= the name in its own script.
 */
export function downloadDisposition(parts: { prefix: string; name: string; fallback: string; suffix: string; extension: string }): string {
  const { prefix, name, fallback, suffix, extension } = parts;
  const ascii = asciiSlug(name);
  const file = (slug: string) => `${[prefix, slug, suffix].filter(Boolean).join('-')}.${extension}`;
  const plain = file(/[a-z]/.test(ascii) ? ascii : asciiSlug(fallback));
  const unicode = file(unicodeSlug(name) || asciiSlug(fallback));
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeRfc5987(unicode)}`;
}
