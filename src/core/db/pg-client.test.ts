import { describe, expect, it } from 'vitest';
import { copyField, copyLines } from './pg-client.ts';

// COPY's text format: a row per line, fields separated by tabs, \N for null; a
// backslash starts an escape. Everything else goes through as it is.
const hostile = [
  'tab\there',
  'line\nbreak',
  'carriage\rreturn',
  'back\\slash',
  '\\N',
  '\\.',
  '\\',
  'ends with a backslash\\',
  '\\t not a tab',
  'é ü ß 中文 🦊',
  'שלום עולם مرحبا', // right-to-left
  '\u202eevil\u202c', // bidi override
  '',
  ' ',
];

/** COPY text back to values, as PostgreSQL reads it (the escapes we write, and \N). */
function parseField(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_m, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);
}

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, and only those', () => {
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('שלום 🦊')).toBe('שלום 🦊');
    for (const v of hostile) {
      const f = copyField(v);
      expect(f, v).not.toMatch(/[\t\n\r]/);
      expect(parseField(f), v).toBe(v);
    }
  });

  it('writes null as \\N and numbers as they are, and refuses anything else', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(0)).toBe('0');
    expect(copyField(-12)).toBe('-12');
    expect(() => copyField({})).toThrow(TypeError);
    expect(() => copyField(true)).toThrow(TypeError);
  });

  it('writes one line per row, tab-separated, in pieces that split only between rows', () => {
    const flat = hostile.flatMap((v, i) => [i, v, i % 2 ? null : v]);
    const pieces = [...copyLines(flat, 3, 16)];
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.endsWith('\n')).toBe(true);
    const rows = pieces.join('').split('\n').slice(0, -1).map((l) => l.split('\t').map(parseField));
    expect(rows).toEqual(hostile.map((v, i) => [String(i), v, i % 2 ? null : v]));
    expect([...copyLines([], 3)]).toEqual([]);
  });
});
