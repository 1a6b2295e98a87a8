import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { renderTemplate } from '../src/modules/scenarios/templates.ts';

// The benchmark's scenario: 30 objectives of every answer type (exact, regex,
// number, one_of, set with and without partial credit, datetime), about two
// thirds templated with per-team values, prerequisites, two onSolve injects
// that release objectives and templated evidence, decaying scores. Besides the
// package, each objective carries what the load generator needs to answer it:
// a correct answer (a template rendered with the team's values), optionally a
// partial one (sets), and plausible wrong ones.

type Check = Record<string, unknown> & { type: string };
export type BenchObjective = {
  id: string;
  answer: Check;
  points: number;
  requires?: string[];
  release?: { inject: string };
  maxAttempts?: number;
  /** Template of a correct answer. */
  correct: string;
  /** Template of an answer that earns partial credit (sets with partialCredit). */
  partial?: string;
  /** Wrong answers (the same for every team). */
  wrong: string[];
};

const o = (id: number, answer: Check, points: number, correct: string, wrong: string[], more: Partial<BenchObjective> = {}): BenchObjective => ({
  id: `o${String(id).padStart(2, '0')}`,
  answer,
  points,
  correct,
  wrong,
  ...more,
});

export const benchObjectives: BenchObjective[] = [
  o(1, { type: 'exact', value: '{{ wallet }}' }, 100, '{{ wallet }}', ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'bc1q0000'], { maxAttempts: 40 }),
  o(2, { type: 'regex', pattern: '{{ ip }}' }, 50, '{{ ip }}', ['10.0.0.1', '192.168.1.254'], { requires: ['o01'] }),
  o(3, { type: 'exact', value: 'LOCKBIT' }, 40, 'lockbit', ['blackcat', 'conti']),
  o(4, { type: 'number', value: '{{ amount }}', tolerance: 0.01 }, 60, '{{ amount }}', ['1.00', '99999.99']),
  o(5, { type: 'one_of', values: ['phishing', 'spear phishing', 'spear-phishing'] }, 30, 'Spear phishing', ['smishing', 'vishing']),
  o(6, { type: 'set', values: ['{{ email }}', '{{ domain }}', '{{ user }}'], partialCredit: true }, 90, '{{ email }}, {{ domain }}, {{ user }}', ['nobody@example.org, example.org'], {
    partial: '{{ email }}; wrong.example',
  }),
  o(7, { type: 'datetime', value: '{{ ts }}', toleranceSeconds: 60 }, 70, '{{ ts }}', ['2001-01-01T00:00:00Z', '2030-06-01 12:00']),
  o(8, { type: 'exact', value: '{{ tx }}', caseSensitive: true }, 80, '{{ tx }}', ['0000000000000000000000000000000000000000000000000000000000000000']),
  o(9, { type: 'exact', value: '{{ company }}' }, 50, '{{ company | upper }}', ['Acme Corp', 'Initech']),
  o(10, { type: 'regex', pattern: '(https?://)?(www\\.)?{{ domain }}/?' }, 40, 'https://{{ domain }}/', ['https://example.org/', 'localhost'], { requires: ['o06'] }),
  o(11, { type: 'exact', value: '{{ iban }}' }, 60, '{{ iban }}', ['DE00123456780000000000']),
  o(12, { type: 'exact', value: '{{ phone }}' }, 40, '{{ phone }}', ['+10000000000']),
  o(13, { type: 'exact', value: '{{ person }}' }, 50, '{{ person | lower }}', ['John Doe', 'Jane Roe']),
  o(14, { type: 'number', value: '{{ n }}' }, 30, '{{ n }}', ['0', '1000']),
  o(15, { type: 'exact', value: '{{ md5 }}' }, 60, '{{ md5 }}', ['d41d8cd98f00b204e9800998ecf8427e'], { maxAttempts: 30 }),
  o(16, { type: 'exact', value: '{{ url }}' }, 50, '{{ url }}', ['https://example.org/x']),
  o(17, { type: 'exact', value: '{{ ip6 }}' }, 50, '{{ ip6 }}', ['::1', 'fe80::1']),
  o(18, { type: 'one_of', values: ['{{ family }}', '{{ family }} ransomware'] }, 40, '{{ family }} ransomware', ['REvil', 'WannaCry']),
  o(19, { type: 'set', values: ['{{ wallet }}', '{{ tx }}'], partialCredit: false }, 80, '{{ tx }}\n{{ wallet }}', ['{{ wallet }}']),
  o(20, { type: 'number', value: 42 }, 20, '42', ['41', '43.5']),
  o(21, { type: 'datetime', value: '2026-02-14T09:30:00Z', toleranceSeconds: 300 }, 30, '2026-02-14 10:32:00+01:00', ['2026-02-14T12:00:00Z']),
  o(22, { type: 'regex', pattern: 'T-?11[0-9]{3}' }, 30, 'T-11423', ['T-99999', 'case 7']),
  o(23, { type: 'exact', value: 'Tor' }, 20, 'TOR', ['VPN', 'I2P'], { requires: ['o05'] }),
  o(24, { type: 'set', values: ['{{ ip }}', '{{ ip6 }}', '{{ domain }}', '{{ email }}'], partialCredit: true }, 100, '{{ ip }}, {{ ip6 }}, {{ domain }}, {{ email }}', ['127.0.0.1, example.org'], {
    partial: '{{ ip }}, {{ domain }}',
  }),
  o(25, { type: 'exact', value: '{{ user }}' }, 40, '{{ user }}', ['admin', 'root'], { requires: ['o06'] }),
  o(26, { type: 'number', value: 0.5, tolerance: 0.001 }, 30, '0,5', ['5', '0.05']),
  o(27, { type: 'one_of', values: ['XMR', 'Monero'] }, 30, 'monero', ['Bitcoin', 'Zcash']),
  o(28, { type: 'regex', pattern: '{{ n }}-{{ family }}' }, 60, '{{ n }}-{{ family }}', ['0-none'], { release: { inject: 'exchange' } }),
  o(29, { type: 'number', value: '{{ amount }}' }, 50, '{{ amount }}', ['0.01'], { release: { inject: 'exchange' } }),
  o(30, { type: 'exact', value: '{{ company }} / {{ person }}' }, 70, '{{ company }}  /  {{ person }}', ['Acme / John Doe'], { release: { inject: 'press' } }),
];

export const benchVariables = {
  wallet: { generator: 'bitcoin_address' },
  ip: { generator: 'ipv4' },
  ip6: { generator: 'ipv6' },
  company: { generator: 'company_name' },
  person: { generator: 'person_name' },
  amount: { generator: 'amount', params: { min: 100, max: 9000, decimals: 2 } },
  ts: { generator: 'timestamp', params: { start: '2026-01-01T00:00:00Z', end: '2026-03-01T00:00:00Z' } },
  tx: { generator: 'sha256' },
  md5: { generator: 'md5' },
  email: { generator: 'email' },
  domain: { generator: 'domain' },
  url: { generator: 'url' },
  user: { generator: 'username' },
  iban: { generator: 'iban' },
  phone: { generator: 'phone' },
  n: { generator: 'integer', params: { min: 100, max: 999 } },
  family: { generator: 'choice', params: { values: ['LockBit', 'BlackCat', 'Akira', 'Play'] } },
};

export function benchDefinition(version: string) {
  return {
    format: 'cybercap/scenario@1',
    id: 'bench-challenge',
    version,
    title: { en: 'Benchmark challenge', fr: 'Défi de mesure' },
    briefing: { en: 'Company {{ company }} is blackmailed; the ransom goes to {{ wallet }}.' },
    theme: 'bitcoin_blackmail',
    durationMinutes: 240,
    difficulty: 'intermediate',
    variables: benchVariables,
    evidence: [
      { id: 'mail', file: 'evidence/mail.eml', title: { en: 'Extortion e-mail' }, kind: 'email', templated: true },
      { id: 'log', file: 'evidence/server.log', title: { en: 'Web server log' }, kind: 'log', templated: true },
      { id: 'image', file: 'evidence/logo.bin', title: { en: 'A binary' }, kind: 'binary' },
      { id: 'ledger', file: 'evidence/ledger.csv', title: { en: 'Exchange ledger' }, kind: 'blockchain', templated: true, release: { inject: 'exchange' } },
      { id: 'chat', file: 'evidence/chat.txt', title: { en: 'Chat export' }, kind: 'chat', templated: true, release: { inject: 'press' } },
    ],
    objectives: benchObjectives.map((b) => ({
      id: b.id,
      prompt: { en: `Question ${b.id}` },
      answer: b.answer,
      points: b.points,
      ...(b.maxAttempts ? { maxAttempts: b.maxAttempts } : {}),
      ...(b.requires ? { requires: b.requires } : {}),
      ...(b.release ? { release: b.release } : {}),
    })),
    hints: [
      { id: 'h1', objective: 'o01', text: { en: 'Read the body of {{ company }}’s e-mail.' }, cost: 10 },
      { id: 'h2', text: { en: 'Look at the log.' }, cost: 5 },
    ],
    injects: [
      { id: 'exchange', title: { en: 'The exchange answers' }, trigger: { onSolve: 'o03' }, releases: { evidence: ['ledger'], objectives: ['o28', 'o29'] } },
      { id: 'press', title: { en: 'The press calls' }, message: { en: 'A journalist calls about {{ company }}.' }, trigger: { onSolve: 'o07' }, releases: { evidence: ['chat'], objectives: ['o30'] } },
    ],
    scoring: { mode: 'decay', minimumPercent: 30, solvesToMinimum: 50 },
    trainerGuide: { en: 'Benchmark scenario.' },
  };
}

/** Writes the package folder (scenario.yaml and its evidence files). */
export function writePackage(dir: string, version: string): void {
  const files: Record<string, string | Buffer> = {
    'scenario.yaml': stringify(benchDefinition(version)),
    'evidence/mail.eml': 'Received: from mx ([{{ ip }}])\nFrom: {{ email }}\nSubject: {{ company }}\n\nSend 0.5 BTC to {{ wallet }} before {{ ts }}.\n',
    'evidence/server.log': Array.from({ length: 200 }, (_, i) => `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00Z GET /login 200 from {{ ip }} user={{ user }}`).join('\n') + '\n',
    'evidence/logo.bin': Buffer.alloc(4096, 7),
    'evidence/ledger.csv': 'txid,from,to,amount\n{{ tx }},{{ wallet }},{{ iban }},{{ amount }}\n',
    'evidence/chat.txt': '[{{ ts }}] {{ user }}: case {{ n }}-{{ family }} for {{ company }} ({{ person }}, {{ phone }})\n',
  };
  for (const [name, data] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

export const render = (template: string, values: Record<string, string>) => renderTemplate(template, values);
