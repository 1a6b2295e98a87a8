import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { RE2JS } from 're2js';
import type { AnswerCheck } from './definition.ts';
import { escapeRegex, renderTemplate } from './templates.ts';

// Checking a team's answer against an objective's `answer` check. Pure: no I/O.
//
// 1. `prepareCheck(check, teamValues)` renders the {{ variables }} of the expected values with the
//    team's values and precomputes everything a comparison needs (digests, compiled pattern,
//    parsed number or instant). It throws an AnswerCheckError when the check cannot work.
// 2. `evaluate(prepared, submitted)` grades one submission.
// 3. `checkProblems(check, sampleValues)` is prepareCheck for the package validator: it returns
//    the problems as messages `.<field>: <problem>` instead of throwing, plus a few authoring
//    mistakes (a pattern that accepts anything, a set value that can never be matched).
//
// Rules worth knowing:
// - Text (exact, one_of, set): Unicode NFC, surrounding space trimmed, every run of white space
//   inside collapsed to one space, and case folded (upper- then lower-cased, so "STRASSE" equals
//   "straße") unless caseSensitive. The expected text is compared through SHA-256 digests with
//   crypto.timingSafeEqual, against every candidate (no early exit).
// - regex: RE2 (linear time, no backtracking), full match of the whole answer after NFC and
//   trimming; case-insensitive unless caseSensitive. Team values inserted in a pattern are escaped,
//   so "1.2.3.4" matches only itself.
// - number: see parseNumber below. Correct when |answer − expected| ≤ tolerance (+1e-9).
// - set: answers separated by commas, semicolons or new lines; see evaluateSet.
// - datetime: see parseDateTime below. A time without a zone is UTC.
// - An empty answer, or one over maxAnswerLength characters, is wrong without being processed.

export type AnswerResult = { outcome: 'correct' | 'partial' | 'wrong'; credit: number };

export type PreparedCheck =
  | { readonly type: 'exact'; readonly caseSensitive: boolean; readonly expected: string; readonly digest: Buffer }
  | { readonly type: 'one_of'; readonly caseSensitive: boolean; readonly expected: readonly string[]; readonly digests: readonly Buffer[] }
  | { readonly type: 'set'; readonly caseSensitive: boolean; readonly partialCredit: boolean; readonly expected: readonly string[]; readonly digests: readonly Buffer[] }
  | { readonly type: 'regex'; readonly caseSensitive: boolean; readonly pattern: string; readonly re: RE2JS }
  | { readonly type: 'number'; readonly value: number; readonly tolerance: number }
  | { readonly type: 'datetime'; readonly epochMs: number; readonly toleranceSeconds: number };

/** Longer answers are wrong without being looked at. */
export const maxAnswerLength = 5000;
/** RE2 program size above which an author's pattern is refused as too complex (cost ≈ size × answer length). */
export const maxPatternProgramSize = 5000;
/** Numbers compared with this much slack on top of the tolerance, for binary floating point. */
const epsilon = 1e-9;

/** A check that cannot work; `field` is the place in the check, e.g. `pattern` or `values[2]`. */
export class AnswerCheckError extends Error {
  readonly field: string;
  readonly detail: string;
  constructor(field: string, detail: string) {
    super(`${field}: ${detail}`);
    this.name = 'AnswerCheckError';
    this.field = field;
    this.detail = detail;
  }
}

const wrong: AnswerResult = Object.freeze({ outcome: 'wrong', credit: 0 }) as AnswerResult;
const correct: AnswerResult = Object.freeze({ outcome: 'correct', credit: 1 }) as AnswerResult;

// ---------------------------------------------------------------------------------------------
// Text

/** The form text answers are compared (and digested) in. */
export function normalizeText(text: string, caseSensitive = false): string {
  // Invisible direction marks come along when a value is copied out of right-to-left text.
  let s = text.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '').normalize('NFC');
  // Upper then lower approximates full Unicode case folding (ß → SS → ss, ς/σ → Σ → σ|ς by context).
  if (!caseSensitive) s = s.toUpperCase().toLowerCase().normalize('NFC');
  return s.replace(/\s+/gu, ' ').trim();
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time over all candidates: every digest is compared, whatever the outcome. */
function matchesAny(digest: Buffer, candidates: readonly Buffer[]): boolean {
  let found = 0;
  for (const candidate of candidates) found |= timingSafeEqual(digest, candidate) ? 1 : 0;
  return found === 1;
}

/** Keyed digest of a normalised answer, to store submissions without their value in clear. */
export function answerDigest(secret: string, submitted: string, options: { caseSensitive?: boolean } = {}): string {
  return createHmac('sha256', secret).update(normalizeText(submitted, options.caseSensitive ?? false), 'utf8').digest('hex');
}

/** Separators of the answers of a `set` check (the Arabic comma and semicolon too). */
const setSeparators = /[,;\u060c\u061b\r\n]+/;

function splitSet(text: string): string[] {
  return text.split(setSeparators);
}

// ---------------------------------------------------------------------------------------------
// Numbers

const arabicIndicZero = 0x0660;
const easternArabicIndicZero = 0x06f0;

/** Arabic-Indic and Eastern Arabic-Indic digits → ASCII; Arabic decimal separator → ".", Arabic thousands separator removed. */
function asciiDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - arabicIndicZero))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - easternArabicIndicZero))
    .replace(/\u066b/g, '.')
    .replace(/\u066c/g, '');
}

const numberShape = /^([+\-\u2212]?)(?:[$€£]|btc|eur|usd)?([+\-\u2212]?)([0-9.,]+)(?:[$€£]|btc|eur|usd)?$/i;

/**
 * Reads a number as people write it:
 * - NFKC (full-width digits), Arabic-Indic digits accepted; spaces, "_", "'" and "’" removed;
 * - one optional sign ("+", "-", "−") and an optional currency ($, €, £, BTC, EUR, USD) before
 *   or after the number;
 * - when both "," and "." appear, the last one is the decimal separator and the other groups
 *   thousands ("1,234.5", "1.234,5");
 * - a separator that appears more than once groups thousands ("1,234,567", "1.234.567");
 * - a single separator is decimal ("0,5", "1234.5"). When it is followed by exactly three digits
 *   after one to three digits ("1,234", "1.234"), the number could also mean 1234: `alternative`
 *   holds that reading, and an answer is accepted when either reading is within tolerance. An
 *   expected value always takes the decimal reading.
 * Exponents and hexadecimal are not accepted.
 */
export function parseNumber(raw: string): { value: number; alternative?: number } | undefined {
  if (raw.length > 200) return undefined;
  const s = asciiDigits(raw.normalize('NFKC')).replace(/[\s_'\u2019]/gu, '');
  const m = numberShape.exec(s);
  if (!m) return undefined;
  const [, sign1 = '', sign2 = '', body = ''] = m;
  if (sign1 && sign2) return undefined;
  const negative = sign1 !== '' ? sign1 !== '+' : sign2 !== '' && sign2 !== '+';
  if (!/\d/.test(body)) return undefined;

  let integer: string;
  let fraction = '';
  let alternative: string | undefined;
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const at = Math.max(lastDot, lastComma);
    const decimal = body[at];
    const grouping = decimal === '.' ? ',' : '.';
    const before = body.slice(0, at);
    if (before.includes(decimal!)) return undefined;
    integer = before.split(grouping).join('');
    fraction = body.slice(at + 1);
    if (fraction.includes(grouping)) return undefined;
  } else {
    const separator = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : '';
    const parts = separator ? body.split(separator) : [body];
    if (parts.length > 2) {
      integer = parts.join('');
    } else {
      integer = parts[0]!;
      fraction = parts[1] ?? '';
      if (/^[1-9]\d{0,2}$/.test(integer) && /^\d{3}$/.test(fraction)) alternative = integer + fraction;
    }
  }
  if (!/^\d*$/.test(integer) || !/^\d*$/.test(fraction) || integer + fraction === '') return undefined;
  const sign = negative ? '-' : '';
  const value = Number(`${sign}${integer || '0'}.${fraction || '0'}`);
  if (!Number.isFinite(value)) return undefined;
  return alternative === undefined ? { value } : { value, alternative: Number(`${sign}${alternative}`) };
}

// ---------------------------------------------------------------------------------------------
// Dates and times

const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const rfc2822 =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(\s+(?:[+-]\d{4}|UT|UTC|GMT|Z|[ECMP][SD]T))?$/i;

/**
 * Reads an instant, in milliseconds since the epoch:
 * - ISO-8601 date or date and time, "T" or a space between them, optional seconds and fraction,
 *   optional zone "Z", "UTC", "GMT", "+02:00", "+0200" or "+02" ("2024-03-01 10:15:00",
 *   "2024-03-01T10:15:00.123+01:00"). A time without a zone, or a date alone, is UTC: the
 *   scenario's evidence states its times in UTC, and so must its expected values;
 * - RFC 2822 / RFC 1123 ("Fri, 01 Mar 2024 10:15:00 +0100"), read by Date.parse; without a zone
 *   it is UTC too;
 * - Unix time: seconds, possibly with a fraction ("1709288100", "1709288100.5"), or exactly
 *   13 digits read as milliseconds ("1709288100000").
 */
export function parseDateTime(raw: string): number | undefined {
  if (raw.length > 200) return undefined;
  const s = asciiDigits(raw.normalize('NFKC')).trim().replace(/\s+/g, ' ');
  if (/^\d{13}$/.test(s)) return Number(s);
  if (/^[+-]?\d{1,12}(?:\.\d+)?$/.test(s)) {
    const ms = Math.round(Number(s) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const iso = isoDateTime.exec(s);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone = ''] = iso;
    const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as [number, number, number, number, number, number];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, Number(frac.padEnd(3, '0').slice(0, 3)));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
    let offsetMinutes = 0;
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (z) {
      const [, zs, zh = '0', zm = '0'] = z;
      if (Number(zh) > 23 || Number(zm) > 59) return undefined;
      offsetMinutes = (zs === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
    }
    return date.getTime() - offsetMinutes * 60_000;
  }
  const rfc = rfc2822.exec(s);
  if (rfc) {
    const ms = Date.parse(rfc[1] ? s : `${s} +0000`);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Preparing a check

type Values = Record<string, string>;

function render(field: string, text: string, values: Values, escape?: (value: string) => string): string {
  try {
    return escape ? renderTemplate(text, values, { escape }) : renderTemplate(text, values);
  } catch (error) {
    throw new AnswerCheckError(field, error instanceof Error ? error.message : String(error));
  }
}

function prepareText(field: string, text: string, values: Values, caseSensitive: boolean): { expected: string; digest: Buffer } {
  const expected = normalizeText(render(field, text, values), caseSensitive);
  if (expected === '') throw new AnswerCheckError(field, 'is empty once white space is removed');
  return { expected, digest: sha256(expected) };
}

function compilePattern(source: string, caseSensitive: boolean): RE2JS {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    // RE2JS reports the flag as a "(?i)" prefix of the pattern: not the author's.
    const message = (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp: /, '').replace('`(?i)', '`');
    throw new AnswerCheckError('pattern', `invalid regular expression: ${message}`);
  }
  if (re.programSize() > maxPatternProgramSize) {
    throw new AnswerCheckError('pattern', `regular expression too complex (size ${re.programSize()}, at most ${maxPatternProgramSize}); use fewer or smaller repetitions`);
  }
  return re;
}

/**
 * Renders the check with a team's values and precomputes what grading needs. Throws an
 * AnswerCheckError (message `<field>: <problem>`) when a pattern does not compile, a number or
 * date does not parse, an expected text is empty, or a template does not render.
 */
export function prepareCheck(check: AnswerCheck, values: Values): PreparedCheck {
  switch (check.type) {
    case 'exact': {
      const caseSensitive = check.caseSensitive ?? false;
      return { type: 'exact', caseSensitive, ...prepareText('value', check.value, values, caseSensitive) };
    }
    case 'one_of':
    case 'set': {
      const caseSensitive = check.caseSensitive ?? false;
      const expected: string[] = [];
      const digests: Buffer[] = [];
      check.values.forEach((text, i) => {
        const prepared = prepareText(`values[${i}]`, text, values, caseSensitive);
        if (expected.includes(prepared.expected)) return; // the same value twice counts once
        expected.push(prepared.expected);
        digests.push(prepared.digest);
      });
      return check.type === 'set'
        ? { type: 'set', caseSensitive, partialCredit: check.partialCredit ?? true, expected, digests }
        : { type: 'one_of', caseSensitive, expected, digests };
    }
    case 'regex': {
      const caseSensitive = check.caseSensitive ?? false;
      const pattern = render('pattern', check.pattern, values, escapeRegex);
      return { type: 'regex', caseSensitive, pattern, re: compilePattern(pattern, caseSensitive) };
    }
    case 'number': {
      const tolerance = check.tolerance ?? 0;
      let value: number | undefined;
      if (typeof check.value === 'number') value = check.value;
      else {
        const text = render('value', check.value, values);
        value = parseNumber(text)?.value;
        if (value === undefined) throw new AnswerCheckError('value', `not a number: ${JSON.stringify(text)}`);
      }
      if (!Number.isFinite(value)) throw new AnswerCheckError('value', 'not a finite number');
      if (!Number.isFinite(tolerance) || tolerance < 0) throw new AnswerCheckError('tolerance', 'must be a number ≥ 0');
      return { type: 'number', value, tolerance };
    }
    case 'datetime': {
      const toleranceSeconds = check.toleranceSeconds ?? 60;
      const text = render('value', check.value, values);
      const epochMs = parseDateTime(text);
      if (epochMs === undefined) throw new AnswerCheckError('value', `not a date and time: ${JSON.stringify(text)} (use ISO-8601, e.g. 2024-03-01T10:15:00Z)`);
      if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) throw new AnswerCheckError('toleranceSeconds', 'must be a number ≥ 0');
      return { type: 'datetime', epochMs, toleranceSeconds };
    }
    default: {
      const unknown: never = check;
      throw new AnswerCheckError('type', `unknown answer type ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
}

/** Strings no sensible pattern accepts: a pattern matching one of them would accept (almost) anything. */
const probes = ['\u2603 cybercap probe: not an answer \u2603 #0'];

/**
 * The problems of a check rendered with sample values, as `.<field>: <problem>` messages
 * (e.g. `.pattern: invalid regular expression: missing closing ): \`(a\``); empty when fine.
 */
export function checkProblems(check: AnswerCheck, sampleValues: Values): string[] {
  const problems: string[] = [];
  const add = (field: string, detail: string) => {
    problems.push(`.${field}: ${detail}`);
  };
  const attempt = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (error) {
      if (error instanceof AnswerCheckError) add(error.field, error.detail);
      else problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };
  if (check.type === 'one_of' || check.type === 'set') {
    // Every value on its own, so that all the problems are reported at once.
    check.values.forEach((text, i) => {
      const rendered = attempt(() => render(`values[${i}]`, text, sampleValues));
      if (rendered === undefined) return;
      if (normalizeText(rendered) === '') add(`values[${i}]`, 'is empty once white space is removed');
      else if (check.type === 'set' && setSeparators.test(rendered)) {
        add(`values[${i}]`, `${JSON.stringify(rendered)} contains a comma, semicolon or line break, which separate the answers of a set, so it could never be matched`);
      }
    });
    return problems;
  }
  const prepared = attempt(() => prepareCheck(check, sampleValues));
  if (prepared?.type === 'regex') {
    const accepted = probes.find((probe) => prepared.re.testExact(probe));
    if (accepted !== undefined) add('pattern', `accepts almost any answer (it matches ${JSON.stringify(accepted)})`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Grading

function evaluateSet(prepared: Extract<PreparedCheck, { type: 'set' }>, submitted: string): AnswerResult {
  // Each distinct non-empty answer is compared with every expected value. Wrong extra answers
  // cost nothing; credit is the share of distinct expected values found (or all-or-nothing).
  const found = new Array<number>(prepared.digests.length).fill(0);
  const seen = new Set<string>();
  for (const part of splitSet(submitted)) {
    const text = normalizeText(part, prepared.caseSensitive);
    if (text === '' || seen.has(text)) continue;
    seen.add(text);
    const digest = sha256(text);
    for (let i = 0; i < prepared.digests.length; i++) {
      if (timingSafeEqual(digest, prepared.digests[i]!)) found[i] = 1;
    }
  }
  const matched = found.reduce((sum, f) => sum + f, 0);
  const total = prepared.digests.length;
  if (matched === total) return correct;
  if (matched === 0 || !prepared.partialCredit) return wrong;
  return { outcome: 'partial', credit: matched / total };
}

function withinTolerance(x: number, expected: number, tolerance: number): boolean {
  return Math.abs(x - expected) <= tolerance + epsilon;
}

/** Grades one submitted answer against a prepared check. */
export function evaluate(prepared: PreparedCheck, submitted: string): AnswerResult {
  if (typeof submitted !== 'string' || submitted.length > maxAnswerLength || submitted.trim() === '') return wrong;
  switch (prepared.type) {
    case 'exact': {
      const text = normalizeText(submitted, prepared.caseSensitive);
      return text !== '' && timingSafeEqual(sha256(text), prepared.digest) ? correct : wrong;
    }
    case 'one_of': {
      const text = normalizeText(submitted, prepared.caseSensitive);
      return text !== '' && matchesAny(sha256(text), prepared.digests) ? correct : wrong;
    }
    case 'set':
      return evaluateSet(prepared, submitted);
    case 'regex':
      // testExact is RE2's full match (both ends anchored), without capture bookkeeping.
      return prepared.re.testExact(submitted.normalize('NFC').trim()) ? correct : wrong;
    case 'number': {
      const n = parseNumber(submitted.trim());
      if (!n) return wrong;
      const ok = withinTolerance(n.value, prepared.value, prepared.tolerance) || (n.alternative !== undefined && withinTolerance(n.alternative, prepared.value, prepared.tolerance));
      return ok ? correct : wrong;
    }
    case 'datetime': {
      const ms = parseDateTime(submitted);
      return ms !== undefined && Math.abs(ms - prepared.epochMs) <= prepared.toleranceSeconds * 1000 ? correct : wrong;
    }
    default:
      return wrong;
  }
}
