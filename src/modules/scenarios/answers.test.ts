import { describe, expect, it } from 'vitest';
import type { AnswerCheck } from './definition.ts';
import { AnswerCheckError, answerDigest, checkProblems, evaluate, maxAnswerLength, normalizeText, parseDateTime, parseNumber, prepareCheck, type AnswerResult } from './answers.ts';

const right: AnswerResult = { outcome: 'correct', credit: 1 };
const wrong: AnswerResult = { outcome: 'wrong', credit: 0 };

function grade(check: AnswerCheck, submitted: string, values: Record<string, string> = {}): AnswerResult {
  return evaluate(prepareCheck(check, values), submitted);
}

const exact = (value: string, caseSensitive = false): AnswerCheck => ({ type: 'exact', value, caseSensitive });
const regex = (pattern: string, caseSensitive = false): AnswerCheck => ({ type: 'regex', pattern, caseSensitive });
const number = (value: number | string, tolerance = 0): AnswerCheck => ({ type: 'number', value, tolerance });
const oneOf = (values: string[], caseSensitive = false): AnswerCheck => ({ type: 'one_of', values, caseSensitive });
const set = (values: string[], partialCredit = true, caseSensitive = false): AnswerCheck => ({ type: 'set', values, partialCredit, caseSensitive });
const datetime = (value: string, toleranceSeconds = 60): AnswerCheck => ({ type: 'datetime', value, toleranceSeconds });

describe('text normalisation', () => {
  it('applies NFC, trims, collapses white space and folds case', () => {
    expect(normalizeText('  Caf\u0065\u0301 \t\n  Noir  ')).toBe('caf\u00e9 noir');
    expect(normalizeText('  Caf\u0065\u0301  Noir ', true)).toBe('Caf\u00e9 Noir');
    expect(normalizeText('STRASSE')).toBe(normalizeText('straße'));
    expect(normalizeText('a\u00a0\u2003b')).toBe('a b');
  });
});

describe('exact', () => {
  it('ignores case and spacing by default', () => {
    const p = prepareCheck(exact('John  Smith'), {});
    expect(evaluate(p, 'john smith')).toEqual(right);
    expect(evaluate(p, '  JOHN\tSMITH \n')).toEqual(right);
    expect(evaluate(p, 'John Smyth')).toEqual(wrong);
    expect(evaluate(p, 'JohnSmith')).toEqual(wrong);
  });

  it('treats composed and decomposed characters alike (NFC)', () => {
    expect(grade(exact('Caf\u00e9'), 'cafe\u0301')).toEqual(right);
    expect(grade(exact('Cafe\u0301'), 'CAF\u00c9')).toEqual(right);
  });

  it('respects caseSensitive', () => {
    const p = prepareCheck(exact('AbC', true), {});
    expect(evaluate(p, ' AbC ')).toEqual(right);
    expect(evaluate(p, 'abc')).toEqual(wrong);
  });

  it('renders {{ variables }} with the team values', () => {
    const check = exact('{{ suspect }}@{{domain}}');
    expect(grade(check, 'J.Doe@Example.org', { suspect: 'j.doe', domain: 'example.org' })).toEqual(right);
    expect(grade(check, 'j.doe@example.org', { suspect: 'm.roe', domain: 'example.org' })).toEqual(wrong);
  });

  it('keeps only a digest of the expected value for comparison', () => {
    const p = prepareCheck(exact('Secret'), {});
    expect(p.type).toBe('exact');
    if (p.type === 'exact') expect(p.digest).toHaveLength(32);
  });

  it('refuses empty and oversized answers', () => {
    const p = prepareCheck(exact('a'), {});
    expect(evaluate(p, '')).toEqual(wrong);
    expect(evaluate(p, '   \n ')).toEqual(wrong);
    expect(evaluate(p, 'a' + ' '.repeat(maxAnswerLength))).toEqual(wrong);
    expect(evaluate(p, 'a' + ' '.repeat(maxAnswerLength - 1))).toEqual(right);
    expect(evaluate(p, undefined as unknown as string)).toEqual(wrong);
  });
});

describe('one_of', () => {
  it('accepts any of the candidates', () => {
    const p = prepareCheck(oneOf(['LockBit', 'LockBit 3.0', 'LockBit Black']), {});
    expect(evaluate(p, 'lockbit')).toEqual(right);
    expect(evaluate(p, 'LOCKBIT   black')).toEqual(right);
    expect(evaluate(p, 'lockbit 3.0')).toEqual(right);
    expect(evaluate(p, 'lockbit 2.0')).toEqual(wrong);
  });

  it('respects caseSensitive and renders variables', () => {
    const p = prepareCheck(oneOf(['{{ a }}', 'Other'], true), { a: 'XyZ' });
    expect(evaluate(p, 'XyZ')).toEqual(right);
    expect(evaluate(p, 'xyz')).toEqual(wrong);
    expect(evaluate(p, 'other')).toEqual(wrong);
  });
});

describe('regex', () => {
  it('matches the whole answer, never a part of it', () => {
    const p = prepareCheck(regex('[0-9a-f]{8}'), {});
    expect(evaluate(p, 'deadbeef')).toEqual(right);
    expect(evaluate(p, '  deadbeef \n')).toEqual(right);
    expect(evaluate(p, 'xdeadbeef')).toEqual(wrong);
    expect(evaluate(p, 'deadbeefx')).toEqual(wrong);
    expect(evaluate(p, 'the hash is deadbeef')).toEqual(wrong);
  });

  it('anchors alternations as a whole', () => {
    const p = prepareCheck(regex('cat|dog'), {});
    expect(evaluate(p, 'dog')).toEqual(right);
    expect(evaluate(p, 'cats')).toEqual(wrong);
    expect(evaluate(p, 'hotdog')).toEqual(wrong);
    // The longer alternative must be reachable: full match is not "first alternative wins".
    expect(grade(regex('a|ab'), 'ab')).toEqual(right);
  });

  it('is case-insensitive unless caseSensitive', () => {
    expect(grade(regex('Emotet'), 'EMOTET')).toEqual(right);
    expect(grade(regex('Emotet', true), 'EMOTET')).toEqual(wrong);
    expect(grade(regex('Emotet', true), 'Emotet')).toEqual(right);
  });

  it('runs in linear time on a pathological pattern', () => {
    const p = prepareCheck(regex('(a+)+$'), {});
    const started = performance.now();
    expect(evaluate(p, 'a'.repeat(30) + '!')).toEqual(wrong);
    expect(evaluate(p, 'a'.repeat(maxAnswerLength - 1) + '!')).toEqual(wrong);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(evaluate(p, 'a'.repeat(30))).toEqual(right);
  });

  it('inserts team values escaped, so that "." matches only a dot', () => {
    const p = prepareCheck(regex('(?:ip )?{{ ip }}'), { ip: '1.2.3.4' });
    expect(evaluate(p, '1.2.3.4')).toEqual(right);
    expect(evaluate(p, 'IP 1.2.3.4')).toEqual(right);
    expect(evaluate(p, '1x2x3x4')).toEqual(wrong);
    expect(evaluate(p, '1.2.3.44')).toEqual(wrong);
  });

  it('escapes every regex metacharacter of a value', () => {
    const value = 'a+b*(c)?[d]{2}|e^$\\f.g/h-i';
    const p = prepareCheck(regex('{{ v }}'), { v: value });
    expect(evaluate(p, value)).toEqual(right);
    expect(evaluate(p, 'aab')).toEqual(wrong);
  });

  it('refuses oversized answers', () => {
    expect(grade(regex('a*'), 'a'.repeat(maxAnswerLength + 1))).toEqual(wrong);
  });
});

describe('number', () => {
  it.each([
    ['1234.5', 1234.5],
    ['1,234.5', 1234.5],
    ['1 234,5', 1234.5],
    ['1\u00a0234,5', 1234.5],
    ['1\u202f234,5', 1234.5],
    ['1.234,5', 1234.5],
    ["1'234.5", 1234.5],
    ['1_234.5', 1234.5],
    ['1,234,567.25', 1234567.25],
    ['1.234.567', 1234567],
    ['0,5', 0.5],
    ['.5', 0.5],
    ['5.', 5],
    ['-3.25', -3.25],
    ['\u22123.25', -3.25],
    ['$1,234.50', 1234.5],
    ['-$12', -12],
    ['€ 12,5', 12.5],
    ['12,5 €', 12.5],
    ['£7', 7],
    ['BTC 0.125', 0.125],
    ['0.125 btc', 0.125],
    ['USD1,000.00', 1000],
    ['EUR 99', 99],
    ['\u0661\u0662\u0663\u066b\u0665', 123.5],
    ['\uff11\uff12', 12],
  ])('reads %j as %d', (text, value) => {
    expect(parseNumber(text)?.value).toBe(value);
    expect(grade(number(value), text)).toEqual(right);
  });

  it.each(['', 'abc', '1e3', '0x10', '1.2.3,4,5', '1,2,3.4.5', '--1', '+-1', '$', '1 BTC USD 2', 'NaN', 'Infinity', '12abc'])('refuses %j', (text) => {
    expect(grade(number(1000), text)).toEqual(wrong);
  });

  it('reads "1,234" and "1.234" either way, since both are written', () => {
    expect(parseNumber('1,234')).toEqual({ value: 1.234, alternative: 1234 });
    expect(grade(number(1234), '1,234')).toEqual(right);
    expect(grade(number(1.234), '1,234')).toEqual(right);
    expect(grade(number(1234), '1.234')).toEqual(right);
    expect(grade(number(1.234), '1.234')).toEqual(right);
    expect(parseNumber('0,125')).toEqual({ value: 0.125 });
    expect(parseNumber('1234,567')).toEqual({ value: 1234.567 });
  });

  it('applies the tolerance (with a tiny epsilon for floating point)', () => {
    const p = prepareCheck(number(0.3, 0.05), {});
    expect(evaluate(p, '0.35')).toEqual(right);
    expect(evaluate(p, '0.25')).toEqual(right);
    expect(evaluate(p, '0.351')).toEqual(wrong);
    expect(grade(number(0.3), '0.1') /* not 0.1 + 0.2 */).toEqual(wrong);
    expect(grade(number(0.1 + 0.2), '0.3')).toEqual(right);
    expect(grade(number(1500, 0), '1500.0000000001')).toEqual(right);
    expect(grade(number(1500, 0), '1500.001')).toEqual(wrong);
  });

  it('takes the expected value from a template and parses it the same way', () => {
    const p = prepareCheck(number('{{ amount }}', 0.001), { amount: '2.5' });
    expect(p).toMatchObject({ type: 'number', value: 2.5 });
    expect(evaluate(p, '2,5 BTC')).toEqual(right);
    expect(evaluate(p, '2.502')).toEqual(wrong);
    // An expected value takes the decimal reading.
    expect(prepareCheck(number('1.234'), {})).toMatchObject({ value: 1.234 });
  });

  it('refuses oversized answers', () => {
    expect(grade(number(1), '1' + ' '.repeat(maxAnswerLength))).toEqual(wrong);
  });
});

describe('set', () => {
  const iocs = ['10.0.0.1', 'evil.example', 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh'];

  it('gives credit for each distinct expected value found', () => {
    const p = prepareCheck(set(iocs), {});
    expect(evaluate(p, '10.0.0.1, EVIL.example; bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh')).toEqual(right);
    expect(evaluate(p, 'evil.example\n10.0.0.1')).toEqual({ outcome: 'partial', credit: 2 / 3 });
    expect(evaluate(p, '10.0.0.1')).toEqual({ outcome: 'partial', credit: 1 / 3 });
  });

  it('counts duplicates once and ignores empty items', () => {
    const p = prepareCheck(set(iocs), {});
    expect(evaluate(p, '10.0.0.1, 10.0.0.1 ;; 10.0.0.1\r\n, ,')).toEqual({ outcome: 'partial', credit: 1 / 3 });
    expect(evaluate(p, ',;\n')).toEqual(wrong);
  });

  it('costs nothing for wrong extra values, but all wrong is wrong', () => {
    const p = prepareCheck(set(iocs), {});
    expect(evaluate(p, '10.0.0.1, 8.8.8.8, good.example')).toEqual({ outcome: 'partial', credit: 1 / 3 });
    expect(evaluate(p, '8.8.8.8, good.example')).toEqual(wrong);
  });

  it('is all or nothing without partialCredit', () => {
    const p = prepareCheck(set(iocs, false), {});
    expect(evaluate(p, 'evil.example, 10.0.0.1')).toEqual(wrong);
    expect(evaluate(p, [...iocs].reverse().join('\n'))).toEqual(right);
  });

  it('normalises each item, and respects caseSensitive', () => {
    expect(grade(set(['Alice  Smith', 'Bob']), '  alice smith ;BOB ')).toEqual(right);
    expect(grade(set(['Alice', 'Bob'], true, true), 'alice; Bob')).toEqual({ outcome: 'partial', credit: 0.5 });
  });

  it('counts expected values that render the same once', () => {
    const p = prepareCheck(set(['{{ a }}', '{{ b }}', 'c']), { a: 'x', b: 'X' });
    expect(evaluate(p, 'x')).toEqual({ outcome: 'partial', credit: 0.5 });
    expect(evaluate(p, 'x, c')).toEqual(right);
  });

  it('refuses oversized answers, and grades the largest allowed ones quickly', () => {
    expect(grade(set(['a']), 'a,'.repeat(maxAnswerLength))).toEqual(wrong);
    const p = prepareCheck(set(Array.from({ length: 100 }, (_, i) => `value-${i}`)), {});
    const answer = Array.from({ length: 2000 }, (_, i) => `v${i}`).join(',').slice(0, maxAnswerLength - 8) + ',value-7';
    const started = performance.now();
    expect(evaluate(p, answer)).toEqual({ outcome: 'partial', credit: 0.01 });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('datetime', () => {
  const at = Date.UTC(2024, 2, 1, 10, 15, 0);

  it.each([
    '2024-03-01T10:15:00Z',
    '2024-03-01T10:15:00.000Z',
    '2024-03-01T10:15:00,000Z',
    '2024-03-01T10:15Z',
    '2024-03-01T11:15:00+01:00',
    '2024-03-01T11:15:00+0100',
    '2024-03-01T11:15:00+01',
    '2024-03-01T05:15:00-05:00',
    '2024-03-01T10:15:00',
    '2024-03-01 10:15:00',
    '2024-03-01 10:15:00 UTC',
    '2024-03-01 12:15:00 +02:00',
    'Fri, 01 Mar 2024 10:15:00 +0000',
    'Fri, 01 Mar 2024 11:15:00 +0100',
    'Fri, 01 Mar 2024 10:15:00 GMT',
    '1 Mar 2024 10:15:00',
    '1709288100',
    '1709288100.000',
    '1709288100000',
    '\u0661\u0667\u0660\u0669\u0662\u0668\u0668\u0661\u0660\u0660',
  ])('reads %j', (text) => {
    expect(parseDateTime(text)).toBeCloseTo(at, -3);
    expect(grade(datetime('2024-03-01T10:15:00Z', 0), text)).toEqual(right);
  });

  it('treats a naive expected time as UTC', () => {
    expect(prepareCheck(datetime('2024-03-01 10:15:00'), {})).toMatchObject({ epochMs: at });
    expect(parseDateTime('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
  });

  it('applies the tolerance in seconds', () => {
    const p = prepareCheck(datetime('2024-03-01T10:15:00Z', 90), {});
    expect(evaluate(p, '2024-03-01T10:16:30Z')).toEqual(right);
    expect(evaluate(p, '2024-03-01T10:13:30Z')).toEqual(right);
    expect(evaluate(p, '2024-03-01T10:16:31Z')).toEqual(wrong);
    expect(evaluate(p, '2024-03-01T10:15:00+01:00')).toEqual(wrong);
  });

  it.each(['', 'yesterday', '2024-02-30T10:00:00Z', '2024-13-01', '2024-03-01T24:00:00Z', '2024-03-01T10:60', '03/01/2024 10:15', 'March 1st', '2024-03-01T10:15:00+25:00'])('refuses %j', (text) => {
    expect(grade(datetime('2024-03-01T10:15:00Z', 86400), text)).toEqual(wrong);
  });

  it('renders the expected value from a template', () => {
    const p = prepareCheck(datetime('{{ seen }}', 0), { seen: '2024-03-01T10:15:00Z' });
    expect(evaluate(p, '2024-03-01 10:15:00')).toEqual(right);
  });

  it('refuses oversized answers', () => {
    expect(grade(datetime('2024-03-01T10:15:00Z'), '2024-03-01T10:15:00Z' + ' '.repeat(maxAnswerLength))).toEqual(wrong);
  });
});

describe('answerDigest', () => {
  it('is a keyed hex digest of the normalised answer', () => {
    const d = answerDigest('k1', ' John   SMITH ');
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(answerDigest('k1', 'john smith')).toBe(d);
    expect(answerDigest('k1', 'john smit')).not.toBe(d);
    expect(answerDigest('k2', 'john smith')).not.toBe(d);
    expect(answerDigest('k1', 'John Smith', { caseSensitive: true })).not.toBe(answerDigest('k1', 'john smith', { caseSensitive: true }));
  });
});

describe('prepareCheck and checkProblems', () => {
  it('throws a clear error for a pattern that does not compile', () => {
    expect(() => prepareCheck(regex('(abc'), {})).toThrow(AnswerCheckError);
    expect(() => prepareCheck(regex('(abc'), {})).toThrow(/^pattern: invalid regular expression: missing closing \)/);
  });

  it('reports a bad regular expression', () => {
    expect(checkProblems(regex('(abc'), {})).toEqual(['.pattern: invalid regular expression: missing closing ): `(abc`']);
    expect(checkProblems(regex('a{2,1}'), {})[0]).toMatch(/^\.pattern: invalid regular expression: invalid repeat count/);
    // Backreferences and lookarounds are not RE2.
    expect(checkProblems(regex('(a)\\1'), {})[0]).toMatch(/^\.pattern: invalid regular expression: /);
    expect(checkProblems(regex('a(?=b)'), {})[0]).toMatch(/^\.pattern: invalid regular expression: /);
  });

  it('reports a pattern that is too complex or accepts anything', () => {
    expect(checkProblems(regex('\\pL{0,1000}\\pL{0,1000}\\pL{0,1000}'), {})[0]).toMatch(/^\.pattern: regular expression too complex/);
    expect(checkProblems(regex('.*'), {})).toEqual([expect.stringMatching(/^\.pattern: accepts almost any answer/)]);
    expect(checkProblems(regex('[\\s\\S]+'), {})).toHaveLength(1);
  });

  it('reports a pattern made invalid only by a value — never, since values are escaped', () => {
    expect(checkProblems(regex('{{ v }}'), { v: '(((' })).toEqual([]);
    expect(grade(regex('{{ v }}'), '(((', { v: '(((' })).toEqual(right);
  });

  it('reports a bad number', () => {
    expect(checkProblems(number('twelve'), {})).toEqual(['.value: not a number: "twelve"']);
    expect(checkProblems(number('{{ amount }}'), { amount: '12 BTC' })).toEqual([]);
    expect(checkProblems(number('{{ amount }}'), { amount: 'n/a' })).toEqual(['.value: not a number: "n/a"']);
    expect(() => prepareCheck(number('twelve'), {})).toThrow('value: not a number: "twelve"');
  });

  it('reports a bad date and time', () => {
    expect(checkProblems(datetime('next Tuesday'), {})).toEqual([expect.stringMatching(/^\.value: not a date and time: "next Tuesday"/)]);
  });

  it('reports set values that could never be matched, and empty values', () => {
    expect(checkProblems(set(['ok', 'Smith, John', '{{ v }}']), { v: 'a;b' })).toEqual([
      expect.stringMatching(/^\.values\[1\]: "Smith, John" contains a comma/),
      expect.stringMatching(/^\.values\[2\]: "a;b" contains a comma/),
    ]);
    expect(checkProblems(oneOf(['ok', '   ']), {})).toEqual(['.values[1]: is empty once white space is removed']);
    expect(checkProblems(exact('{{ v }}'), { v: ' ' })).toEqual(['.value: is empty once white space is removed']);
    expect(checkProblems(oneOf(['Smith, John']), {})).toEqual([]);
  });

  it('reports a template that does not render, and applies template filters and escapes', () => {
    expect(checkProblems(exact('{{ nope }}'), {})).toEqual(['.value: line 1, column 1: unknown variable "nope"']);
    expect(checkProblems(set(['ok', 'x {{ nope }}']), {})).toEqual(['.values[1]: line 1, column 3: unknown variable "nope"']);
    expect(() => prepareCheck(regex('{{ nope }}'), {})).toThrow(/^pattern: line 1, column 1: unknown variable "nope"/);
    expect(grade(regex('{{ host | upper }}', true), 'SRV.LOCAL', { host: 'srv.local' })).toEqual(right);
    expect(grade(regex('{{ host | upper }}', true), 'SRVXLOCAL', { host: 'srv.local' })).toEqual(wrong);
    expect(grade(exact('\\{{ v }}'), '{{ v }}')).toEqual(right);
  });

  it('finds nothing wrong with good checks', () => {
    const values = { ip: '10.1.2.3', amount: '0.5', when: '2024-03-01T10:15:00Z', name: 'Eve' };
    for (const check of [exact('{{ name }}'), regex('(?:ip )?{{ ip }}'), number('{{ amount }}', 0.01), oneOf(['a', '{{ name }}']), set(['{{ ip }}', '{{ name }}']), datetime('{{ when }}')]) {
      expect(checkProblems(check, values)).toEqual([]);
    }
  });
});
