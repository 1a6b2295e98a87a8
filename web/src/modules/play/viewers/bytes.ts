/**
 * Pure helpers of the evidence viewers: hex dump rows, text decoding and
 * search. Unit-tested; the React viewers only lay them out.
 */

export const hexWidth = 16;

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** One row of a hex dump: `00000010`, `4d 5a 90 00 …  …`, `MZ..`. */
export function hexRow(bytes: Uint8Array, row: number, baseOffset = 0): { offset: string; hex: string; ascii: string } {
  const start = row * hexWidth;
  const cells: string[] = [];
  let ascii = '';
  for (let i = 0; i < hexWidth; i++) {
    const b = bytes[start + i];
    if (i === 8) cells.push('');
    if (b === undefined) {
      cells.push('  ');
      continue;
    }
    cells.push(hex2(b));
    ascii += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
  }
  return { offset: (baseOffset + start).toString(16).padStart(8, '0'), hex: cells.join(' '), ascii };
}

export const hexRowCount = (length: number) => Math.ceil(length / hexWidth);

/** Whether bytes look like a binary file rather than text: NUL bytes, or many control characters. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.length === 0) return false;
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control / sample.length > 0.05;
}

/** UTF-8 text of the bytes; when the file goes on, a character cut at the end is left out. */
export function decodeText(bytes: Uint8Array, truncated: boolean): string {
  const text = new TextDecoder('utf-8').decode(bytes, { stream: truncated });
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export const splitLines = (text: string) => text.split(/\r\n|\r|\n/);

export type Match = { line: number; start: number; end: number };

export const maxMatches = 10_000;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every occurrence of `query` (plain text), line by line, up to maxMatches. */
export function findMatches(lines: readonly string[], query: string, caseSensitive = false): Match[] {
  if (!query) return [];
  const re = new RegExp(escapeRegExp(query), caseSensitive ? 'g' : 'gi');
  const out: Match[] = [];
  for (let line = 0; line < lines.length; line++) {
    const text = lines[line] ?? '';
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      out.push({ line, start: m.index, end: m.index + m[0].length });
      if (out.length >= maxMatches) return out;
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return out;
}

export type Segment = { text: string; match: number | null };

/** A line cut into plain text and matches (with their index in the list of all matches). */
export function segmentLine(text: string, matches: ReadonlyArray<Match & { index: number }>): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of matches) {
    if (m.start > at) out.push({ text: text.slice(at, m.start), match: null });
    out.push({ text: text.slice(m.start, m.end), match: m.index });
    at = m.end;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), match: null });
  return out;
}

/** A hex or decimal offset typed by the user (`0x1f0`, `1f0h`, `496`), or null. */
export function parseOffset(input: string): number | null {
  const s = input.trim().toLowerCase();
  if (/^0x[0-9a-f]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^[0-9a-f]+h$/.test(s)) return parseInt(s.slice(0, -1), 16);
  if (/^\d+$/.test(s)) return Number(s);
  if (/^[0-9a-f]+$/.test(s)) return parseInt(s, 16);
  return null;
}

export type ViewerKind = 'text' | 'hex' | 'image' | 'pdf';

const textTypes = /^(text\/|application\/(json|xml|csv|x-ndjson|javascript|x-yaml|yaml|mbox|x-sh)|message\/rfc822)/;
const textExtensions = /\.(txt|log|csv|tsv|eml|mbox|json|ndjson|xml|html?|md|ya?ml|ini|conf|cfg|js|ts|py|ps1|sh|bat|sql|srt|vcf|ics|reg)$/i;

/** The views an item can be shown in, the best first. */
export function viewersFor(item: { mediaType: string; fileName: string; kind: string; inlineViewable: boolean }): ViewerKind[] {
  const type = item.mediaType.toLowerCase();
  if (type.startsWith('image/') && item.inlineViewable) return ['image', 'hex'];
  if (type === 'application/pdf' && item.inlineViewable) return ['pdf', 'hex'];
  if (textTypes.test(type) || textExtensions.test(item.fileName) || ['email', 'log', 'chat', 'blockchain'].includes(item.kind)) return ['text', 'hex'];
  return ['hex', 'text'];
}
