import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderScenarioJsonSchema, schemaFile } from '../../../scripts/generate-scenario-schema.ts';
import { evaluate, prepareCheck } from './answers.ts';
import { scenarioDefinition, type ScenarioDefinition } from './definition.ts';
import { openFolderPackage } from './package-source.ts';
import { renderTemplate, resolveVariables } from './templates.ts';
import { formatPath, parseScenarioYaml, validatePackage } from './validate.ts';

/** A definition with only what is required, plus changes. */
function minimal(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'cybercap/scenario@1',
    id: 'mini',
    version: '1.0.0',
    title: { en: 'Mini' },
    briefing: { en: 'A short briefing.' },
    theme: 'phishing',
    durationMinutes: 30,
    difficulty: 'beginner',
    objectives: [{ id: 'o1', prompt: { en: 'Which domain?' }, answer: { type: 'exact', value: 'example.org' }, points: 10 }],
    trainerGuide: { en: 'Look at the headers.' },
    ...changes,
  };
}

const objective = (id: string, more: Record<string, unknown> = {}) => ({ id, prompt: { en: `Prompt ${id}` }, answer: { type: 'exact', value: id }, points: 10, ...more });
const evidence = (id: string, more: Record<string, unknown> = {}) => ({ id, file: `evidence/${id}.txt`, title: { en: id }, kind: 'document', ...more });
const inject = (id: string, more: Record<string, unknown> = {}) => ({ id, title: { en: id }, trigger: { manual: true }, ...more });

/** The problems as the validator prints them: `path: message`. */
function problems(input: unknown): string[] {
  const result = scenarioDefinition.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
}

describe('scenario definition', () => {
  it('parses a minimal definition and fills in every default', () => {
    expect(scenarioDefinition.parse(minimal())).toEqual({
      format: 'cybercap/scenario@1',
      id: 'mini',
      version: '1.0.0',
      title: { en: 'Mini' },
      briefing: { en: 'A short briefing.' },
      theme: 'phishing',
      durationMinutes: 30,
      difficulty: 'beginner',
      skills: [],
      variables: {},
      evidence: [],
      objectives: [
        {
          id: 'o1',
          prompt: { en: 'Which domain?' },
          answer: { type: 'exact', value: 'example.org', caseSensitive: false },
          points: 10,
          requires: [],
          release: { at: 'start' },
          skills: [],
        },
      ],
      hints: [],
      injects: [],
      scoring: { mode: 'static', minimumPercent: 30, solvesToMinimum: 10, advicePenalty: 0 },
      legalParties: [],
      trainerGuide: { en: 'Look at the headers.' },
    });
  });

  it('fills in the defaults of evidence, answers, injects and scoring', () => {
    const d = scenarioDefinition.parse(
      minimal({
        evidence: [evidence('mail')],
        objectives: [
          objective('o1', { answer: { type: 'number', value: '{{ amount }}' } }),
          objective('o2', { answer: { type: 'set', values: ['a', 'b'] } }),
          objective('o3', { answer: { type: 'datetime', value: '2025-03-04T02:15:00Z' } }),
          objective('o4', { answer: { type: 'regex', pattern: 'a+' } }),
          objective('o5', { answer: { type: 'one_of', values: ['x'] } }),
        ],
        injects: [inject('i1')],
        scoring: { mode: 'decay' },
      }),
    );
    expect(d.evidence[0]).toEqual({ ...evidence('mail'), templated: false, release: { at: 'start' } });
    expect(d.objectives.map((o) => o.answer)).toEqual([
      { type: 'number', value: '{{ amount }}', tolerance: 0 },
      { type: 'set', values: ['a', 'b'], partialCredit: true, caseSensitive: false },
      { type: 'datetime', value: '2025-03-04T02:15:00Z', toleranceSeconds: 60 },
      { type: 'regex', pattern: 'a+', caseSensitive: false },
      { type: 'one_of', values: ['x'], caseSensitive: false },
    ]);
    expect(d.injects[0]!.releases).toEqual({ evidence: [], objectives: [] });
    expect(d.scoring).toEqual({ mode: 'decay', minimumPercent: 30, solvesToMinimum: 10, advicePenalty: 0 });
  });

  it('reports duplicate ids and files with their place', () => {
    expect(
      problems(
        minimal({
          evidence: [evidence('e1'), evidence('e1', { file: 'evidence/other.txt' }), evidence('e3', { file: 'evidence/e1.txt' })],
          objectives: [objective('o1'), objective('o2'), objective('o1')],
          hints: [
            { id: 'h', text: { en: 'x' }, cost: 1 },
            { id: 'h', text: { en: 'y' }, cost: 1 },
          ],
          injects: [inject('i'), inject('i')],
        }),
      ).sort(),
    ).toEqual(
      [
        'evidence[1].id: duplicate id "e1"',
        'evidence[2].file: file "evidence/e1.txt" is used by two evidence items',
        'objectives[2].id: duplicate id "o1"',
        'hints[1].id: duplicate id "h"',
        'injects[1].id: duplicate id "i"',
      ].sort(),
    );
  });

  it('reports each unknown reference with its exact path', () => {
    expect(
      problems(
        minimal({
          evidence: [evidence('e1', { release: { inject: 'nope' } })],
          objectives: [objective('o1'), objective('o2', { requires: ['o1', 'ghost'], release: { inject: 'missing' } })],
          hints: [{ id: 'h1', objective: 'o9', text: { en: 'x' }, cost: 5 }],
          injects: [inject('i1', { trigger: { onSolve: 'o7' }, releases: { evidence: ['e1', 'e2'], objectives: ['o3'] } })],
        }),
      ),
    ).toEqual([
      'evidence[0].release.inject: no inject "nope"',
      'objectives[1].requires[1]: no objective "ghost"',
      'objectives[1].release.inject: no inject "missing"',
      'hints[0].objective: no objective "o9"',
      'injects[0].trigger.onSolve: no objective "o7"',
      'injects[0].releases.evidence[1]: no evidence "e2"',
      'injects[0].releases.objectives[0]: no objective "o3"',
    ]);
  });

  it('reports an objective that requires itself, and prerequisite cycles', () => {
    expect(problems(minimal({ objectives: [objective('o1'), objective('o2', { requires: ['o2'] })] }))).toEqual([
      'objectives[1].requires[0]: an objective cannot require itself',
      'objectives[1].requires: prerequisites form a cycle through "o2"',
    ]);
    expect(
      problems(minimal({ objectives: [objective('a', { requires: ['c'] }), objective('b', { requires: ['a'] }), objective('c', { requires: ['b'] }), objective('d', { requires: ['a'] })] })),
    ).toContain('objectives[0].requires: prerequisites form a cycle through "a"');
    // A chain and a diamond are fine.
    expect(problems(minimal({ objectives: [objective('a'), objective('b', { requires: ['a'] }), objective('c', { requires: ['a'] }), objective('d', { requires: ['b', 'c'] })] }))).toEqual([]);
  });

  it('requires every text in at least one of the four languages', () => {
    expect(problems(minimal({ title: {} }))).toEqual(['title: give the text in at least one of ar, en, fr, es']);
    expect(problems(minimal({ briefing: { en: '   ' } }))).toEqual(['briefing.en: Too small: expected string to have >=1 characters']);
    expect(problems(minimal({ trainerGuide: { de: 'Anleitung' } }))).toEqual(['trainerGuide: Unrecognized key: "de"', 'trainerGuide: give the text in at least one of ar, en, fr, es']);
    expect(problems(minimal({ objectives: [objective('o1', { prompt: {} })] }))).toEqual(['objectives[0].prompt: give the text in at least one of ar, en, fr, es']);
    expect(problems(minimal({ title: undefined }))).toEqual(['title: Invalid input: expected record, received undefined']);
    expect(problems(minimal({ title: { ar: 'عنوان', fr: 'Titre', es: 'Título' } }))).toEqual([]);
  });

  it('reports bad slugs, keys and versions', () => {
    const slugMessage = 'lower-case letters, digits and hyphens, at most 63 characters';
    expect(problems(minimal({ id: 'Demo_Extortion' }))).toEqual([`id: ${slugMessage}`]);
    expect(problems(minimal({ id: '-demo' }))).toEqual([`id: ${slugMessage}`]);
    expect(problems(minimal({ id: 'a'.repeat(64) }))).toEqual([`id: ${slugMessage}`]);
    expect(problems(minimal({ id: 'a'.repeat(63) }))).toEqual([]);
    expect(problems(minimal({ skills: ['log-analysis', 'Log Analysis'] }))).toEqual([`skills[1]: ${slugMessage}`]);
    expect(problems(minimal({ objectives: [objective('o1', { skills: ['osint', 'OSINT'] })] }))).toEqual([`objectives[0].skills[1]: ${slugMessage}`]);
    for (const version of ['1.0', 'v1.0.0', '1.0.0-beta', '1.0.0.1', '']) expect(problems(minimal({ version }))).toEqual(['version: a version like 1.0.0']);
    expect(problems(minimal({ version: '10.20.300' }))).toEqual([]);
    expect(problems(minimal({ objectives: [objective('bad id')] }))).toEqual(['objectives[0].id: letters, digits, "_" and "-", at most 63 characters']);
    // zod names the bad variable but not the rule for its name.
    expect(problems(minimal({ variables: { 'bad.name': { generator: 'ipv4' } } }))).toEqual(['variables.bad.name: Invalid key in record']);
  });

  it('refuses unknown fields, formats and answer types', () => {
    expect(problems(minimal({ author: 'me' }))).toEqual(['(root): Unrecognized key: "author"']);
    expect(problems(minimal({ format: 'cybercap/scenario@2' }))).toEqual(['format: Invalid input: expected "cybercap/scenario@1"']);
    expect(problems(minimal({ objectives: [objective('o1', { answer: { type: 'fuzzy', value: 'x' } })] }))).toEqual([
      "objectives[0].answer.type: Invalid discriminator value. Expected 'exact' | 'regex' | 'number' | 'one_of' | 'set' | 'datetime'",
    ]);
    expect(problems(minimal({ evidence: [evidence('e1', { release: { afterMinutes: 10, at: 'start' } })] }))).toEqual(['evidence[0].release: Invalid input']);
    expect(problems(minimal({ objectives: [] }))).toEqual(['objectives: Too small: expected array to have >=1 items']);
  });
});

describe('scenario definition: prosecution model and legal parties', () => {
  const element = (id: string, more: Record<string, unknown> = {}) => ({ id, title: { en: id }, rubric: { en: `Prove ${id}` }, facts: ['o1'], exhibits: ['e1'], ...more });
  const party = (id: string, responses: unknown[], more: Record<string, unknown> = {}) => ({ id, name: { en: id }, kind: 'exchange', refusal: { en: 'Refused.' }, responses, ...more });
  const response = (id: string, more: Record<string, unknown> = {}) => ({ id, types: ['production_order'], identifier: { kind: 'wallet', value: '{{ wallet }}' }, reply: { en: 'Here it is.' }, ...more });
  const base = { evidence: [evidence('e1'), evidence('e2', { release: { legalReply: 'kyc' } })] };

  it('parses charges under the Convention or a national code, with defaults', () => {
    const parsed = scenarioDefinition.parse(
      minimal({
        ...base,
        prosecution: {
          charges: [
            { id: 'access', title: { en: 'Illegal access' }, basis: { source: 'budapest', article: 2 }, elements: [element('act')] },
            { id: 'extortion', title: { en: 'Extortion' }, basis: { source: 'national', code: { en: 'Penal Code' }, article: '312' }, elements: [element('threat', { required: false, weight: 3 })] },
          ],
        },
        legalParties: [party('exchange', [response('kyc')])],
      }),
    );
    expect(parsed.prosecution).toMatchObject({ points: 0, partlyPercent: 50, secondEvaluator: false });
    expect(parsed.prosecution?.charges[0]?.elements[0]).toMatchObject({ weight: 1, required: true, needs: { facts: 1, exhibits: 1 } });
    expect(parsed.legalParties[0]).toMatchObject({ refusalPoints: 0, delayMinutes: 0 });
    expect(parsed.legalParties[0]?.responses[0]).toMatchObject({ requireJustification: true, delayMinutes: 0, points: 0, identifier: { toleranceMinutes: 10 } });
    expect(parsed.evidence[1]?.release).toEqual({ legalReply: 'kyc' });
  });

  it('accepts only the Convention articles that define offences', () => {
    const withArticle = (article: number) => minimal({ prosecution: { charges: [{ id: 'c', title: { en: 'C' }, basis: { source: 'budapest', article }, elements: [element('x', { exhibits: [], needs: { facts: 1, exhibits: 0 } })] }] } });
    expect(problems(withArticle(8))).toEqual([]);
    expect(problems(withArticle(12))).toEqual([expect.stringMatching(/^prosecution\.charges\[0\]\.basis\.article: /)]);
  });

  it('reports unknown facts, exhibits, responses and impossible needs with their place', () => {
    expect(
      problems(
        minimal({
          evidence: [evidence('e1', { release: { legalReply: 'nowhere' } })],
          objectives: [objective('o1', { release: { legalReply: 'kyc' } })],
          prosecution: { charges: [{ id: 'c', title: { en: 'C' }, basis: { source: 'budapest', article: 2 }, elements: [element('x', { facts: ['o9'], exhibits: ['e9'], needs: { facts: 2, exhibits: 1 } }), element('x')] }] },
          legalParties: [party('p', [response('kyc'), response('kyc')]), party('p', [])],
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        'prosecution.charges[0].elements[0].facts[0]: no objective "o9"',
        'prosecution.charges[0].elements[0].exhibits[0]: no evidence "e9"',
        'prosecution.charges[0].elements[0].needs.facts: needs 2 facts but lists 1',
        'prosecution.charges[0].elements[1].id: duplicate element id "x" in charge "c"',
        'legalParties[0].responses[1].id: duplicate legal response id "kyc" (ids are unique across parties)',
        'legalParties[1].id: duplicate id "p"',
        'evidence[0].release.legalReply: no legal response "nowhere"',
        'objectives[0].release.legalReply: only evidence can be released by a legal reply',
      ]),
    );
  });
});

describe('docs/scenario.schema.json', () => {
  it('is what scripts/generate-scenario-schema.ts generates from definition.ts (run it after changing the definition)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(renderScenarioJsonSchema());
  });
});

// The demo scenario is played in the demo data and the browser tests: it must
// validate, and its evidence must tell one consistent story for every team.
describe('scenarios/demo-extortion', () => {
  const dir = fileURLToPath(new URL('../../../scenarios/demo-extortion/', import.meta.url));
  const read = (file: string) => readFileSync(dir + file, 'utf8');
  const definition: ScenarioDefinition = scenarioDefinition.parse(parseScenarioYaml(read('scenario.yaml')).value);
  const objective = (id: string) => definition.objectives.find((o) => o.id === id)!;
  const fileOf = (id: string) => definition.evidence.find((e) => e.id === id)!.file;

  it('validates without problems or warnings, with small files', async () => {
    const source = await openFolderPackage(dir);
    try {
      const result = await validatePackage(source);
      expect(result.problems).toEqual([]);
      expect(result.warnings).toEqual([]);
      expect(result.ok).toBe(true);
    } finally {
      await source.close();
    }
    for (const e of definition.evidence) expect(statSync(dir + e.file).size, e.file).toBeLessThan(50 * 1024);
    for (const text of [definition.title, definition.briefing, definition.trainerGuide, ...definition.objectives.map((o) => o.prompt), ...definition.hints.map((h) => h.text)]) {
      expect(Object.keys(text).sort()).toEqual(['ar', 'en', 'es', 'fr']);
    }
    expect(definition.trainerGuide.en).not.toContain('{{');
  });

  for (const seed of ['team-1', 'team-2', 'team-3', 'validation', 'a7f3c9e1', 'z']) {
    it(`tells a consistent story and accepts the answers found in the evidence (seed ${seed})`, () => {
      const values = resolveVariables(definition.variables, seed);
      const render = (id: string) => renderTemplate(read(fileOf(id)), values);
      const grade = (id: string, answer: string) => evaluate(prepareCheck(objective(id).answer, values), answer);

      // The e-mail: the lowest Received header names the sender's connection; the body the demand.
      const eml = render('extortion-email');
      const headers = eml.slice(0, eml.indexOf('\n\n'));
      const body = eml.slice(eml.indexOf('\n\n') + 2);
      const received = headers.split(/\n(?=\S)/).filter((h) => h.startsWith('Received:'));
      const origin = /\(unknown \[([\d.]+)\]\)/.exec(received.at(-1)!)?.[1];
      expect(origin).toBe(values.sending_ip);
      expect(grade('sending-ip', origin!)).toEqual({ outcome: 'correct', credit: 1 });
      for (const relay of ['198.51.100.37', '10.44.2.14', '192.168.1.23']) expect(grade('sending-ip', relay).outcome).toBe('wrong');
      const demand = /Pay (\S+) BTC to this bitcoin address:\s+(\S+)/.exec(body)!;
      expect(grade('ransom-amount', demand[1]!).outcome).toBe('correct');
      expect(grade('ransom-wallet', demand[2]!).outcome).toBe('correct');
      const messageId = /^Message-ID: (<[^>]+>)$/m.exec(headers)![1]!;

      // The gateway log: sorted, UTC, the refused direct attempt and the delivery of that message.
      const log = render('gateway-log');
      const stamps = [...log.matchAll(/^(\S+) mx1 /gm)].map((m) => Date.parse(m[1]!));
      expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
      expect(log).toContain(`NOQUEUE: reject: RCPT from unknown[${values.sending_ip}]`);
      expect(log).toContain(`message-id=${messageId}`);
      expect(log).toContain(`from=<${values.extortion_email}>`);
      expect(log).toContain('connect from mx-out-2.cloakpost-mail.net[198.51.100.37]');
      expect(eml).toContain('(mx-out-2.cloakpost-mail.net [198.51.100.37])');

      // The VPN log: sorted; the sending IP is used by one account only, whose first LOGIN is the answer.
      const [header, ...rows] = render('vpn-log').trim().split('\n').map((l) => l.split(','));
      expect(header).toEqual(['timestamp_utc', 'event', 'username', 'source_ip', 'assigned_ip', 'client', 'session_id', 'bytes_to_client', 'bytes_from_client', 'detail']);
      const times = rows.map((r) => Date.parse(r[0]!));
      expect(times.every((t) => Number.isFinite(t))).toBe(true);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const fromAttacker = rows.filter((r) => r[3] === values.sending_ip);
      expect(new Set(fromAttacker.map((r) => r[2]))).toEqual(new Set([values.suspect_username]));
      const firstLogin = fromAttacker.find((r) => r[1] === 'LOGIN')!;
      expect(firstLogin[0]).toBe(values.vpn_first_login);
      expect(grade('first-vpn-login', firstLogin[0]!).outcome).toBe('correct');
      expect(grade('first-vpn-login', fromAttacker[0]![0]!).outcome).toBe('wrong'); // the failed attempt before
      expect(render('leak-sample')).toContain('crm_customers_20250304_0251.csv');
      expect(Date.parse(firstLogin[0]!)).toBeLessThan(Date.parse('2025-03-04T02:51:00Z'));

      // The blockchain export: every transaction balances, and the ransom leads to the deposit address.
      const sat = (btc: string) => BigInt(btc.replace('.', ''));
      const txs = new Map<string, { from: string; outputs: Array<{ to: string; amount: bigint }>; fee: bigint }>();
      for (const line of render('blockchain-export').trim().split('\n').slice(1)) {
        const [txid, , from, to, amount, fee] = line.split(',') as [string, string, string, string, string, string];
        expect(amount, line).toMatch(/^\d+\.\d{8}$/);
        const tx = txs.get(txid) ?? { from, outputs: [], fee: sat(fee) };
        tx.outputs.push({ to, amount: sat(amount) });
        txs.set(txid, tx);
      }
      const ransom = sat(`${values.ransom_amount}0000`);
      const spent = (tx: { outputs: Array<{ amount: bigint }>; fee: bigint }) => tx.outputs.reduce((n, o) => n + o.amount, tx.fee);
      // Ransom wallet: the ransom plus the 0.001 BTC test payment; intermediate wallet: the ransom plus its 0.0421 BTC change.
      const hop = (from: string) => [...txs.values()].find((tx) => tx.from === from && tx.outputs.some((o) => o.amount === ransom))!;
      expect(spent(hop(values.ransom_wallet!))).toBe(ransom + 100_000n);
      expect(spent(hop(values.intermediate_wallet!))).toBe(ransom + 4_210_000n);
      let at = values.ransom_wallet!;
      for (let i = 0; i < 2; i++) at = hop(at).outputs.find((o) => o.amount === ransom)!.to;
      expect(at).toBe(values.deposit_wallet);
      expect(grade('deposit-wallet', at).outcome).toBe('correct');
      expect(grade('deposit-wallet', values.intermediate_wallet!).outcome).toBe('wrong');

      // The suspect: the VPN account, then the e-mail address from the exchange's reply.
      const reply = renderTemplate(definition.injects.find((i) => i.id === 'exchange-reply')!.message!.en!, values);
      const email = /E-mail address of the account: (\S+)/.exec(reply)![1]!;
      expect(reply).toContain(values.sending_ip);
      expect(grade('suspect-identity', values.suspect_username!)).toEqual({ outcome: 'partial', credit: 0.5 });
      expect(grade('suspect-identity', `${values.suspect_username}, ${email}`)).toEqual({ outcome: 'correct', credit: 1 });
    });
  }
});
