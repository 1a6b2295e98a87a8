import { computeSum, generate, sumPlanOf, validateVariable, VariableError, type VariableDefinition } from './generators.ts';
import { createRng } from './rng.ts';

// Per-team values in scenario text: evidence files and objective answers hold
// {{ name }} placeholders, filled with values drawn from the team's seed.
//
// Syntax
//   {{ name }}            the value (spaces inside the braces are optional)
//   {{ name | upper }}    filters, applied left to right: upper, lower
//   \{{                   a literal "{{" (the backslash is dropped)
//   \\{{ name }}          a backslash, then the value (before "{{", every "\\"
//                         stands for one backslash: "\\\\{{ host }}" gives "\\" and
//                         the value, as in a UNC path)
//   {{{ name }}}          "{", the value, "}" (in a run of braces the last two open)
// A placeholder ends on the same line, within 200 characters. Anything else
// that starts with "{{" is an error, so that typos never reach a team.
//
// Scanning is linear in the length of the text.

export const MAX_TEMPLATE_LENGTH = 10 * 1024 * 1024; // characters (UTF-16 code units)
export const MAX_PLACEHOLDERS = 100_000;
export const MAX_RENDERED_LENGTH = 32 * 1024 * 1024;
const MAX_PLACEHOLDER_LENGTH = 200;
const MAX_PROBLEMS = 100;

export const templateFilters = ['upper', 'lower'] as const;
export type TemplateFilter = (typeof templateFilters)[number];
const FILTERS: Readonly<Record<TemplateFilter, (v: string) => string>> = {
  upper: (v) => v.toUpperCase(),
  lower: (v) => v.toLowerCase(),
};
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** A template that cannot be rendered; line and column (1-based) point at its "{{". */
export class TemplateError extends Error {
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly variable: string | undefined;
  constructor(message: string, where?: { line: number; column: number; variable?: string | undefined }) {
    super(where ? `line ${where.line}, column ${where.column}: ${message}` : message);
    this.name = 'TemplateError';
    this.line = where?.line;
    this.column = where?.column;
    this.variable = where?.variable;
  }
}

export interface TemplateReference {
  name: string;
  filters: TemplateFilter[];
  /** 1-based line of the "{{". */
  line: number;
  /** 1-based column of the "{{", in UTF-16 code units. */
  column: number;
}

// ---------------------------------------------------------------------------
// Scanning

type Token =
  /** A placeholder over text[start, end). */
  | { kind: 'ref'; start: number; end: number; at: number; name: string; filters: TemplateFilter[] }
  /** text[start, end) stands for `text` (escaped braces and backslashes); `escaped` is the name if what follows would have been a placeholder. */
  | { kind: 'literal'; start: number; end: number; at: number; text: string; escaped?: string | undefined }
  /** Not a placeholder; scanning goes on after text[start, end). */
  | { kind: 'error'; start: number; end: number; at: number; message: string };

type Parsed = { ok: true; end: number; name: string; filters: TemplateFilter[] } | { ok: false; end: number; message: string };

/**
 * Reads placeholders at increasing positions. The next "}}" and line breaks
 * are cached and only searched for again once passed, so that a text full of
 * unclosed "{{" still scans in linear time.
 */
function placeholderReader(text: string) {
  let close = -2; // -2: not searched yet; -1: none further on
  let lf = -2;
  let cr = -2;
  const next = (cached: number, needle: string, from: number) => (cached === -1 || cached >= from ? cached : text.indexOf(needle, from));
  return (open: number): Parsed => {
    const from = open + 2;
    close = next(close, '}}', from);
    lf = next(lf, '\n', from);
    cr = next(cr, '\r', from);
    if (close < 0 || close - from > MAX_PLACEHOLDER_LENGTH || (lf >= 0 && lf < close) || (cr >= 0 && cr < close)) {
      return { ok: false, end: from, message: '"{{" is not closed by "}}" on the same line (write "\\{{" for a literal "{{")' };
    }
    const end = close + 2;
    const [rawName = '', ...rawFilters] = text.slice(from, close).split('|');
    const name = rawName.trim();
    const shown = text.slice(open, end);
    if (!NAME.test(name)) return { ok: false, end, message: `malformed placeholder ${JSON.stringify(shown)}: expected {{ name }} or {{ name | upper }} (write "\\{{" for a literal "{{")` };
    const filters: TemplateFilter[] = [];
    for (const raw of rawFilters) {
      const f = raw.trim();
      if (!Object.hasOwn(FILTERS, f)) return { ok: false, end, message: `unknown filter ${JSON.stringify(f)} in ${JSON.stringify(shown)} (filters: ${templateFilters.join(', ')})` };
      filters.push(f as TemplateFilter);
    }
    return { ok: true, end, name, filters };
  };
}

/** Tokens in order; the text between them is copied unchanged. */
function* scan(text: string): Generator<Token> {
  let from = 0; // where to look for the next "{{"
  let consumed = 0; // end of the last token
  const parsePlaceholder = placeholderReader(text);
  for (;;) {
    const open = text.indexOf('{{', from);
    if (open < 0) return;
    if (text.charCodeAt(open + 2) === 123 /* { */) {
      // In "{{{", the first brace is text; the placeholder opens later.
      from = open + 1;
      continue;
    }
    let backslashes = 0;
    while (open - backslashes - 1 >= consumed && text.charCodeAt(open - backslashes - 1) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 1) {
      const p = parsePlaceholder(open);
      yield { kind: 'literal', start: open - backslashes, end: open + 2, at: open, text: `${'\\'.repeat((backslashes - 1) / 2)}{{`, escaped: p.ok ? p.name : undefined };
      consumed = from = open + 2;
      continue;
    }
    if (backslashes > 0) yield { kind: 'literal', start: open - backslashes, end: open, at: open - backslashes, text: '\\'.repeat(backslashes / 2) };
    const p = parsePlaceholder(open);
    if (p.ok) yield { kind: 'ref', start: open, end: p.end, at: open, name: p.name, filters: p.filters };
    else yield { kind: 'error', start: open, end: p.end, at: open, message: p.message };
    consumed = from = p.end;
  }
}

/** Line and column of indexes visited in increasing order, in linear time overall. */
function positions(text: string) {
  let line = 1;
  let lineStart = 0;
  let nextNewline = text.indexOf('\n');
  return (at: number) => {
    while (nextNewline >= 0 && nextNewline < at) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf('\n', lineStart);
    }
    return { line, column: at - lineStart + 1 };
  };
}

const tooLong = () => `the text is longer than ${MAX_TEMPLATE_LENGTH.toLocaleString('en')} characters`;

// ---------------------------------------------------------------------------
// API

/**
 * Values for every variable, drawn from `seed` (a team's secret): the same
 * seed always gives the same values, and each variable has its own stream,
 * so adding a variable leaves the others unchanged. Throws VariableError
 * (problems like `variables.amount.params.min: must be a number`) for bad definitions.
 */
export function resolveVariables(variables: Readonly<Record<string, VariableDefinition>>, seed: string): Record<string, string> {
  if (typeof seed !== 'string' || seed.length === 0) throw new TypeError('the seed must be a non-empty string');
  const problems = Object.entries(variables).flatMap(([name, def]) =>
    validateVariable(def).map((p) => (/^(generator|params)\b/.test(p) ? `variables.${name}.${p}` : `variables.${name}: ${p}`)),
  );
  if (problems.length === 0) problems.push(...variableReferenceProblems(variables).map((p) => `${p.path}: ${p.message}`));
  if (problems.length > 0) throw new VariableError(problems);
  const values: Record<string, string> = {};
  const derived: string[] = [];
  for (const [name, def] of Object.entries(variables)) {
    if (def.generator === 'sum') derived.push(name);
    else values[name] = generate(def.generator, def.params, createRng(seed, name));
  }
  // Derived values after what they name; the references were checked for cycles above.
  const derive = (name: string): string => {
    if (!Object.hasOwn(values, name)) {
      try {
        values[name] = computeSum(sumPlanOf(variables[name]!.params)!, derive);
      } catch (error) {
        throw error instanceof VariableError ? new VariableError(error.problems.map((p) => `variables.${name}.${p}`)) : error;
      }
    }
    return values[name]!;
  };
  for (const name of derived) derive(name);
  return values;
}

/**
 * Problems with the references between variables, for variables that are each
 * valid (validateVariable): a `sum` naming an unknown variable, a variable
 * whose values it cannot add (a text, more decimals than its own), or a cycle.
 */
export function variableReferenceProblems(variables: Readonly<Record<string, VariableDefinition>>): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const plans = new Map(Object.entries(variables).flatMap(([name, def]) => (def.generator === 'sum' ? [[name, sumPlanOf(def.params)] as const] : [])));
  const decimalsOf = (def: VariableDefinition): number | undefined => {
    if (def.generator === 'integer') return 0;
    if (def.generator === 'amount') return typeof def.params?.decimals === 'number' ? def.params.decimals : 2;
    if (def.generator === 'sum') {
      const plan = sumPlanOf(def.params);
      return plan?.format === 'number' ? plan.decimals : undefined;
    }
    return undefined;
  };
  for (const [name, plan] of plans) {
    if (!plan) continue;
    const time = plan.format !== 'number';
    plan.terms.forEach((term, i) => {
      if (term.kind !== 'variable') return;
      const path = `variables.${name}.params.terms[${i}]`;
      const target = variables[term.name];
      if (!target || !Object.hasOwn(variables, term.name)) return void problems.push({ path, message: `no variable "${term.name}"` });
      const d = decimalsOf(target);
      const isTime = target.generator === 'timestamp' || (target.generator === 'sum' && plans.get(term.name)?.format !== 'number');
      if (time ? !(isTime || d === 0) : d === undefined || d > plan.decimals) {
        problems.push({ path, message: time ? `"${term.name}" is neither a time nor a whole number of seconds` : `"${term.name}" is not a number with at most ${plan.decimals} decimals` });
      }
    });
  }
  // A cycle among derived values could never be computed.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): boolean => {
    if (state.get(name) === 'done' || !plans.get(name)) return false;
    if (state.get(name) === 'visiting') return true;
    state.set(name, 'visiting');
    for (const t of plans.get(name)!.terms) if (t.kind === 'variable' && visit(t.name)) return true;
    state.set(name, 'done');
    return false;
  };
  for (const name of plans.keys()) {
    if (state.get(name) !== 'done' && visit(name)) problems.push({ path: `variables.${name}`, message: `derived values form a cycle through "${name}"` });
  }
  return problems;
}

/**
 * `text` with its placeholders replaced by `values` (after filters, then
 * `opts.escape`, e.g. escapeRegex for an answer pattern). Throws TemplateError
 * for an unknown variable or a malformed placeholder, with line and column.
 */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>, opts: { escape?: (value: string) => string } = {}): string {
  if (text.length > MAX_TEMPLATE_LENGTH) throw new TemplateError(tooLong());
  const out: string[] = [];
  let last = 0;
  let size = 0;
  let count = 0;
  const push = (s: string) => {
    size += s.length;
    if (size > MAX_RENDERED_LENGTH) throw new TemplateError(`the rendered text is longer than ${MAX_RENDERED_LENGTH.toLocaleString('en')} characters`);
    out.push(s);
  };
  for (const token of scan(text)) {
    push(text.slice(last, token.start));
    last = token.end;
    if (token.kind === 'literal') {
      push(token.text);
      continue;
    }
    const where = () => positions(text)(token.at);
    if (token.kind === 'error') throw new TemplateError(token.message, where());
    if (++count > MAX_PLACEHOLDERS) throw new TemplateError(`more than ${MAX_PLACEHOLDERS.toLocaleString('en')} placeholders`);
    if (!Object.hasOwn(values, token.name)) throw new TemplateError(`unknown variable "${token.name}"`, { ...where(), variable: token.name });
    let value = values[token.name]!;
    for (const f of token.filters) value = FILTERS[f](value);
    push(opts.escape ? opts.escape(value) : value);
  }
  push(text.slice(last));
  return out.join('');
}

/** The well-formed placeholders in `text`, in order (malformed ones are left to checkTemplate). */
export function findTemplateReferences(text: string): TemplateReference[] {
  if (text.length > MAX_TEMPLATE_LENGTH) throw new TemplateError(tooLong());
  const at = positions(text);
  const refs: TemplateReference[] = [];
  for (const token of scan(text)) if (token.kind === 'ref') refs.push({ name: token.name, filters: token.filters, ...at(token.at) });
  return refs;
}

/**
 * Problems that would stop `text` from rendering with the variables `known`,
 * each like `line 12, column 5: unknown variable "walet" (did you mean "wallet"?)`;
 * empty when it renders. Also reports an escaped "\{{" before a known variable,
 * which in a Windows path is almost always a mistake for "\\{{".
 */
export function checkTemplate(text: string, known: ReadonlySet<string>): string[] {
  if (text.length > MAX_TEMPLATE_LENGTH) return [tooLong()];
  const at = positions(text);
  const problems: string[] = [];
  let total = 0;
  let count = 0;
  const report = (index: number, message: string) => {
    if (++total > MAX_PROBLEMS) return;
    const { line, column } = at(index);
    problems.push(`line ${line}, column ${column}: ${message}`);
  };
  for (const token of scan(text)) {
    if (token.kind === 'error') report(token.at, token.message);
    else if (token.kind === 'literal') {
      if (token.escaped !== undefined && known.has(token.escaped)) {
        report(
          token.start,
          `"\\{{" makes "{{ ${token.escaped} }}" literal text; to put a backslash before the value write "\\\\{{ ${token.escaped} }}" (and "\\\\\\\\{{" for two)`,
        );
      }
    } else {
      count++;
      if (!known.has(token.name)) {
        const suggestion = total < MAX_PROBLEMS ? closest(token.name, known) : undefined;
        report(token.at, `unknown variable "${token.name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
      }
    }
  }
  if (total > MAX_PROBLEMS) problems.push(`… and ${total - MAX_PROBLEMS} more problems`);
  if (count > MAX_PLACEHOLDERS) problems.push(`more than ${MAX_PLACEHOLDERS.toLocaleString('en')} placeholders (${count.toLocaleString('en')})`);
  return problems;
}

/** `value` with every regular-expression metacharacter escaped, for inserting into a pattern (JavaScript with any flags, and RE2), outside a character class. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** The known name within edit distance 2 of `name`, if one is clearly closest. */
function closest(name: string, known: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  const lower = name.toLowerCase();
  for (const candidate of known) {
    if (Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const d = distance(lower, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, or `cap` once it is certain to reach it. */
function distance(a: string, b: string, cap: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin >= cap) return cap;
    prev = row;
  }
  return Math.min(prev[b.length]!, cap);
}
