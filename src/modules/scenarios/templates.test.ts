import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { scenarioDefinition, type ScenarioDefinition } from './definition.ts';
import { isValidBitcoinAddress, VariableError, type VariableDefinition } from './generators.ts';
import {
  checkTemplate,
  escapeRegex,
  findTemplateReferences,
  MAX_PLACEHOLDERS,
  MAX_TEMPLATE_LENGTH,
  renderTemplate,
  resolveVariables,
  TemplateError,
  variableReferenceProblems,
} from './templates.ts';

const VARIABLES: Record<string, VariableDefinition> = {
  suspect: { generator: 'person_name' },
  wallet: { generator: 'bitcoin_address' },
  ransom: { generator: 'amount', params: { min: 0.5, max: 3, decimals: 8 } },
  victim_ip: { generator: 'ipv4' },
  sent_at: { generator: 'timestamp', params: { start: '2024-05-01T00:00:00Z', end: '2024-05-31T23:59:59Z' } },
  mailbox: { generator: 'email' },
};

const errorOf = (f: () => unknown): TemplateError => {
  try {
    f();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
};

describe('resolveVariables', () => {
  it('gives every variable a value, the same for the same seed', () => {
    const a = resolveVariables(VARIABLES, 'team-a');
    expect(Object.keys(a).sort()).toEqual(Object.keys(VARIABLES).sort());
    expect(isValidBitcoinAddress(a.wallet!)).toBe(true);
    expect(a.ransom).toMatch(/^[0-3]\.\d{8}$/);
    expect(resolveVariables(VARIABLES, 'team-a')).toEqual(a);
  });

  it('gives other teams other values', () => {
    const all = Array.from({ length: 50 }, (_, i) => resolveVariables(VARIABLES, `team-${i}`));
    for (const name of ['wallet', 'ransom', 'victim_ip', 'sent_at', 'mailbox']) expect(new Set(all.map((v) => v[name])).size, name).toBe(50);
  });

  it('keeps values when variables are added, removed or reordered', () => {
    const before = resolveVariables(VARIABLES, 'team-a');
    const { wallet, ...rest } = VARIABLES;
    const after = resolveVariables({ extra: { generator: 'sha256' }, ...rest, wallet: wallet!, another: { generator: 'ipv6' } }, 'team-a');
    for (const name of Object.keys(VARIABLES)) expect(after[name]).toBe(before[name]);
    const fewer = resolveVariables({ mailbox: VARIABLES.mailbox! }, 'team-a');
    expect(fewer.mailbox).toBe(before.mailbox);
  });

  it('ties a value to its name: the same definition under another name differs', () => {
    const v = resolveVariables({ a: { generator: 'sha256' }, b: { generator: 'sha256' } }, 'team-a');
    expect(v.a).not.toBe(v.b);
  });

  it('reports every bad definition with its path', () => {
    const bad = { ransom: { generator: 'amount', params: { min: 'x', max: 2 } }, pick: { generator: 'choice' } } as unknown as Record<string, VariableDefinition>;
    try {
      resolveVariables(bad, 'team-a');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VariableError);
      expect((e as VariableError).problems).toEqual(['variables.ransom.params.min: must be a number', 'variables.pick.params.values: required for choice']);
    }
    expect(() => resolveVariables(VARIABLES, '')).toThrow(/seed/);
    expect(() => resolveVariables({ odd: 'ipv4' } as unknown as Record<string, VariableDefinition>, 's')).toThrow('variables.odd: must be an object with a generator');
  });

  it('takes the variables of a parsed scenario definition as they are', () => {
    const parsed = scenarioDefinition.shape.variables.parse({ w: { generator: 'bitcoin_address', params: { type: 'p2sh' } }, n: { generator: 'choice', params: { values: ['a', 1] } } });
    const vars: ScenarioDefinition['variables'] = parsed;
    const values = resolveVariables(vars, 'team-a');
    expect(values.w).toMatch(/^3/);
    expect(isValidBitcoinAddress(values.w!)).toBe(true);
    expect(['a', '1']).toContain(values.n);
  });
});

describe('renderTemplate', () => {
  const values = { wallet: 'bc1qexample', user: 'J.Walker', amount: '0.75000000', host: 'FILESRV01' };

  it('replaces placeholders, with or without spaces', () => {
    expect(renderTemplate('Send {{ amount }} BTC to {{wallet}}.', values)).toBe('Send 0.75000000 BTC to bc1qexample.');
    expect(renderTemplate('{{  user\t}}', values)).toBe('J.Walker');
    expect(renderTemplate('no placeholders { } {x} }} here', values)).toBe('no placeholders { } {x} }} here');
    expect(renderTemplate('', values)).toBe('');
  });

  it('applies upper and lower filters, in order', () => {
    expect(renderTemplate('{{ user | upper }} {{user|lower}} {{ user | lower | upper }}', values)).toBe('J.WALKER j.walker J.WALKER');
  });

  it('keeps "\\{{" as a literal "{{"', () => {
    expect(renderTemplate('Jinja: \\{{ user }} and {{ user }}', values)).toBe('Jinja: {{ user }} and J.Walker');
    expect(renderTemplate('\\{{ not even a name!', values)).toBe('{{ not even a name!');
  });

  it('reads "\\\\" before "{{" as one backslash, for Windows paths', () => {
    expect(renderTemplate('C:\\Users\\\\{{ user }}\\AppData', values)).toBe('C:\\Users\\J.Walker\\AppData');
    expect(renderTemplate('\\\\\\\\{{ host }}\\c$', values)).toBe('\\\\FILESRV01\\c$');
    expect(renderTemplate('\\\\\\{{ host }}', values)).toBe('\\{{ host }}');
    expect(renderTemplate('a\\b \\\\ c', values)).toBe('a\\b \\\\ c'); // backslashes elsewhere are untouched
  });

  it('opens the placeholder at the last two braces of a run', () => {
    expect(renderTemplate('{"wallet":"x","n":{{{ amount }}}}', values)).toBe('{"wallet":"x","n":{0.75000000}}');
  });

  it('inserts values literally, even with "$" patterns', () => {
    expect(renderTemplate('[{{ v }}]', { v: "$& $1 $$ $' $`" })).toBe("[$& $1 $$ $' $`]");
  });

  it('throws for an unknown variable, naming it with line and column', () => {
    const e = errorOf(() => renderTemplate('From: x\nTo: y\n\n  Pay {{ walet }} today', values));
    expect(e.message).toBe('line 4, column 7: unknown variable "walet"');
    expect([e.variable, e.line, e.column]).toEqual(['walet', 4, 7]);
    expect(errorOf(() => renderTemplate('a\r\nbc{{ nope }}', values)).message).toBe('line 2, column 3: unknown variable "nope"');
    // Only the values' own names count.
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) expect(errorOf(() => renderTemplate(`{{ ${name} }}`, {})).variable).toBe(name);
  });

  it('throws for malformed placeholders', () => {
    expect(errorOf(() => renderTemplate('x {{ user', values)).message).toMatch(/^line 1, column 3: "\{\{" is not closed by "\}\}" on the same line/);
    expect(errorOf(() => renderTemplate('{{ user\n}}', values)).message).toMatch(/^line 1, column 1: "\{\{" is not closed/);
    expect(errorOf(() => renderTemplate('{{ two words }}', values)).message).toMatch(/^line 1, column 1: malformed placeholder "\{\{ two words \}\}"/);
    expect(errorOf(() => renderTemplate('{{}}', values)).message).toMatch(/malformed placeholder/);
    expect(errorOf(() => renderTemplate('{{ user | trim }}', values)).message).toBe('line 1, column 1: unknown filter "trim" in "{{ user | trim }}" (filters: upper, lower)');
    expect(errorOf(() => renderTemplate(`{{ ${'a'.repeat(300)} }}`, values)).message).toMatch(/not closed/);
  });

  it('escapes values for the context, e.g. an answer pattern', () => {
    const v = { domain: 'pay-secure.co.uk', amount: '1.5' };
    const pattern = renderTemplate('^https?://{{ domain }}/.*$', v, { escape: escapeRegex });
    expect(pattern).toBe('^https?://pay-secure\\.co\\.uk/.*$');
    expect(new RegExp(pattern).test('https://pay-secure.co.uk/login')).toBe(true);
    expect(new RegExp(pattern).test('https://pay-securexcoxuk/login')).toBe(false);
    const json = renderTemplate('{"note": "{{ n }}"}', { n: 'say "hi"\n' }, { escape: (s) => JSON.stringify(s).slice(1, -1) });
    expect(JSON.parse(json)).toEqual({ note: 'say "hi"\n' });
  });

  it('enforces the size limits', () => {
    expect(() => renderTemplate('x'.repeat(MAX_TEMPLATE_LENGTH + 1), values)).toThrow(TemplateError);
    expect(() => renderTemplate('{{a}}'.repeat(MAX_PLACEHOLDERS + 1), { a: '' })).toThrow(/more than 100,000 placeholders/);
    expect(renderTemplate('{{a}}'.repeat(MAX_PLACEHOLDERS), { a: 'x' })).toBe('x'.repeat(MAX_PLACEHOLDERS));
  });

  it('renders large texts in linear time', () => {
    const line = 'Jun 12 03:14:07 gw sshd[4411]: Accepted password for {{ user }} from {{ ip }} port 52144\n';
    const text = line.repeat(MAX_PLACEHOLDERS / 2); // ~4.6 MB, 100,000 placeholders
    const t0 = performance.now();
    const out = renderTemplate(text, { user: 'svc_backup', ip: '81.2.69.160' });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(out.split('\n')[0]).toBe('Jun 12 03:14:07 gw sshd[4411]: Accepted password for svc_backup from 81.2.69.160 port 52144');
    // Worst cases for the scanner: thousands of unclosed "{{" on one long line, long brace and backslash runs.
    const t1 = performance.now();
    expect(checkTemplate('{{a '.repeat(2_000_000), new Set(['a']))).toHaveLength(101);
    expect(renderTemplate(`${'{'.repeat(3_000_000)}{{ a }}`, { a: 'x' })).toBe(`${'{'.repeat(3_000_000)}x`);
    expect(renderTemplate(`${'\\'.repeat(3_000_000)}{{ a }}`, { a: 'x' })).toBe(`${'\\'.repeat(1_500_000)}x`);
    expect(findTemplateReferences(`${'x'.repeat(5_000_000)}${'{{ a }}'.repeat(50_000)}`)).toHaveLength(50_000);
    expect(performance.now() - t1).toBeLessThan(5000);
  });
});

describe('findTemplateReferences', () => {
  it('lists placeholders with their filters, line and column', () => {
    const text = 'Subject: {{ subject }}\nFrom: {{sender|lower}}\n\n\\{{ escaped }}  {{ subject }}\n{{ bad name }}';
    expect(findTemplateReferences(text)).toEqual([
      { name: 'subject', filters: [], line: 1, column: 10 },
      { name: 'sender', filters: ['lower'], line: 2, column: 7 },
      { name: 'subject', filters: [], line: 4, column: 17 },
    ]);
  });
});

describe('checkTemplate', () => {
  const known = new Set(['wallet', 'suspect', 'ransom']);

  it('is empty for a text that renders', () => {
    expect(checkTemplate('Pay {{ ransom }} BTC to {{ wallet | upper }}. \\{{ literal }}', known)).toEqual([]);
  });

  it('reports each problem with line and column', () => {
    const text = ['Dear {{ suspect }},', '', 'send it to {{ walet }}', '{{ ransom | trim }} {{ amount', '{{ ??? }} {{ zzz }}'].join('\n');
    expect(checkTemplate(text, known)).toEqual([
      'line 3, column 12: unknown variable "walet" (did you mean "wallet"?)',
      'line 4, column 1: unknown filter "trim" in "{{ ransom | trim }}" (filters: upper, lower)',
      'line 4, column 21: "{{" is not closed by "}}" on the same line (write "\\{{" for a literal "{{")',
      'line 5, column 1: malformed placeholder "{{ ??? }}": expected {{ name }} or {{ name | upper }} (write "\\{{" for a literal "{{")',
      'line 5, column 11: unknown variable "zzz"',
    ]);
  });

  it('flags "\\{{" before a known variable, the Windows-path mistake', () => {
    expect(checkTemplate('C:\\Users\\{{ suspect }}\\Desktop', known)).toEqual([
      'line 1, column 9: "\\{{" makes "{{ suspect }}" literal text; to put a backslash before the value write "\\\\{{ suspect }}" (and "\\\\\\\\{{" for two)',
    ]);
    expect(checkTemplate('C:\\Users\\\\{{ suspect }}\\Desktop', known)).toEqual([]);
  });

  it('caps the list of problems and reports the limits', () => {
    const problems = checkTemplate('{{ x }}\n'.repeat(250), known);
    expect(problems).toHaveLength(101);
    expect(problems.at(-1)).toBe('… and 150 more problems');
    expect(problems[99]).toBe('line 100, column 1: unknown variable "x"');
    expect(checkTemplate('{{wallet}}'.repeat(MAX_PLACEHOLDERS + 1), known)).toEqual(['more than 100,000 placeholders (100,001)']);
    expect(checkTemplate('x'.repeat(MAX_TEMPLATE_LENGTH + 1), known)).toEqual(['the text is longer than 10,485,760 characters']);
  });
});

describe('escapeRegex', () => {
  const nasty = ['a.b', '1+1=2?', '(x|y)', '[abc]', '{2,3}', '^start$', 'back\\slash', 'bc1q*', '€ 1.000,00', '-', '/path/', '#', 'a b', ''];

  it('makes a pattern that matches exactly the value, in JavaScript (with u and v flags) and RE2', () => {
    for (const value of nasty) {
      const source = `^${escapeRegex(value)}$`;
      for (const flags of ['', 'i', 'u', 'v']) {
        const re = new RegExp(source, flags);
        expect(re.test(value), `${value} /${flags}`).toBe(true);
        expect(re.test(`${value}x`)).toBe(false);
      }
      expect(RE2JS.compile(source).matcher(value).matches(), value).toBe(true);
    }
    expect(new RegExp(escapeRegex('a.c')).test('abc')).toBe(false);
  });
});

describe('derived values (sum)', () => {
  const trail: Record<string, VariableDefinition> = {
    fee: { generator: 'sum', params: { terms: [0.0000141], decimals: 8 } },
    left: { generator: 'sum', params: { terms: ['paid', '-fee', '-deposit'], decimals: 8 } },
    paid: { generator: 'amount', params: { min: 1.5, max: 2, decimals: 8 } },
    deposit: { generator: 'amount', params: { min: 0.5, max: 1, decimals: 4 } },
    sent: { generator: 'timestamp', params: { start: '2025-03-10T07:00:00Z', end: '2025-03-10T08:00:00Z' } },
    relayed: { generator: 'sum', params: { terms: ['sent', 2], format: 'rfc2822' } },
  };

  it('computes them from the team\'s other values, whatever the order of definition', () => {
    for (const seed of ['a', 'b', 'c']) {
      const v = resolveVariables(trail, seed);
      const sat = (x: string) => BigInt(x.replace('.', ''));
      expect(sat(v.left!) + sat(v.fee!) + sat(`${v.deposit}0000`)).toBe(sat(v.paid!));
      expect(Date.parse(v.relayed!) - Date.parse(v.sent!)).toBe(2000);
    }
    expect(resolveVariables(trail, 'a')).toEqual(resolveVariables(trail, 'a'));
  });

  it('refuses unknown references, values it cannot add and cycles', () => {
    expect(variableReferenceProblems({ x: { generator: 'sum', params: { terms: ['nope'] } } })).toEqual([{ path: 'variables.x.params.terms[0]', message: 'no variable "nope"' }]);
    expect(
      variableReferenceProblems({
        n: { generator: 'person_name' },
        a: { generator: 'amount', params: { min: 1, max: 2, decimals: 8 } },
        x: { generator: 'sum', params: { terms: ['n', 'a'], decimals: 2 } },
        t: { generator: 'sum', params: { terms: ['a'], format: 'iso' } },
      }),
    ).toEqual([
      { path: 'variables.x.params.terms[0]', message: '"n" is not a number with at most 2 decimals' },
      { path: 'variables.x.params.terms[1]', message: '"a" is not a number with at most 2 decimals' },
      { path: 'variables.t.params.terms[0]', message: '"a" is neither a time nor a whole number of seconds' },
    ]);
    const cycle = { a: { generator: 'sum', params: { terms: ['b', 1] } }, b: { generator: 'sum', params: { terms: ['-a'] } } } as const;
    expect(variableReferenceProblems(cycle)[0]).toEqual({ path: 'variables.a', message: 'derived values form a cycle through "a"' });
    expect(() => resolveVariables(cycle, 's')).toThrow(/variables\.a: derived values form a cycle through "a"/);
  });
});
