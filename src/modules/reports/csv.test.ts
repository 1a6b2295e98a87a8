import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.ts';
import { describe as describeItem, duration } from './exports.ts';
import { reportTexts } from './texts.ts';

describe('CSV', () => {
  it('quotes cells with commas, quotes or line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-10)).toBe('-10');
    expect(csvCell(true)).toBe('true');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}SUM(A1)`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes a header, CRLF line ends and a byte order mark', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [null, 'مرحبا']])).toBe('\uFEFFa,b\r\n1,x\r\n,مرحبا\r\n');
  });
});

describe('report texts', () => {
  it('has every text in the four languages', () => {
    const shape = (o: unknown): unknown => (o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, shape(v)])) : typeof o);
    for (const locale of ['fr', 'es', 'ar'] as const) expect(shape(reportTexts[locale])).toEqual(shape(reportTexts.en));
  });

  it('describes a timeline item in a few words', () => {
    expect(describeItem({ details: { objectiveKey: 'wallet', outcome: 'wrong', creditPercent: 0 } }, reportTexts.fr)).toBe('wallet · fausse');
    expect(describeItem({ details: { hintKey: 'h1', cost: 10 } }, reportTexts.en)).toBe('h1 · -10');
    expect(describeItem({ details: { adjustmentId: 'x', points: 5, adjustment: 'manual', reason: 'Neat' } }, reportTexts.en)).toBe('+5 · Neat');
    expect(describeItem({ details: { requestId: 'r', reply: 'penalty', hintKey: null, points: 20 } }, reportTexts.en)).toBe('penalty · -20');
    expect(duration(3725)).toBe('1:02:05');
    expect(duration(null)).toBe('—');
  });
});
