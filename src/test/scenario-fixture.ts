import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { rawZip, type RawEntry } from './zip.ts';
import type { TestClient } from './harness.ts';

// A small scenario package for tests: two templated and plain evidence items,
// prerequisites, a hint, and injects of each kind.
export const miniDefinition = (over: Record<string, unknown> = {}) => ({
  format: 'cybercap/scenario@1',
  id: 'mini-case',
  version: '1.0.0',
  title: { en: 'Mini case', fr: 'Petite affaire' },
  briefing: { en: 'Company {{ company }} is blackmailed.' },
  theme: 'bitcoin_blackmail',
  durationMinutes: 60,
  difficulty: 'beginner',
  variables: { wallet: { generator: 'bitcoin_address' }, sender_ip: { generator: 'ipv4' }, company: { generator: 'company_name' } },
  evidence: [
    { id: 'mail', file: 'evidence/mail.eml', title: { en: 'Extortion e-mail' }, kind: 'email', templated: true },
    { id: 'image', file: 'evidence/logo.bin', title: { en: 'A binary' }, kind: 'binary' },
    { id: 'later', file: 'evidence/later.log', title: { en: 'Later log' }, kind: 'log', release: { afterMinutes: 30 } },
    { id: 'ledger', file: 'evidence/ledger.csv', title: { en: 'Ledger' }, kind: 'blockchain', release: { inject: 'exchange' } },
  ],
  objectives: [
    { id: 'wallet', prompt: { en: 'Which wallet?' }, answer: { type: 'exact', value: '{{ wallet }}' }, points: 100, maxAttempts: 3 },
    { id: 'ip', prompt: { en: 'Which IP?' }, answer: { type: 'regex', pattern: '{{ sender_ip }}' }, points: 50, requires: ['wallet'] },
    { id: 'deposit', prompt: { en: 'Deposit?' }, answer: { type: 'exact', value: 'DEP-1' }, points: 80, release: { inject: 'exchange' } },
  ],
  hints: [{ id: 'h1', objective: 'wallet', text: { en: 'Read the body.' }, cost: 10 }],
  injects: [
    { id: 'exchange', title: { en: 'Exchange answers' }, trigger: { onSolve: 'wallet' }, releases: { evidence: ['ledger'], objectives: ['deposit'] } },
    { id: 'press', title: { en: 'Press calls' }, message: { en: 'A journalist calls.' }, trigger: { manual: true } },
  ],
  trainerGuide: { en: 'Read the headers.' },
  ...over,
});

export const miniMail = 'Received: from mx ([{{ sender_ip }}])\nSubject: pay\n\nSend 1 BTC to {{ wallet }}\n';

export const miniFiles = (yaml: string, extra: RawEntry[] = []): RawEntry[] => [
  { name: 'scenario.yaml', data: Buffer.from(yaml) },
  { name: 'evidence/mail.eml', data: Buffer.from(miniMail) },
  { name: 'evidence/logo.bin', data: randomBytes(256) },
  { name: 'evidence/later.log', data: Buffer.from('2026-01-01T00:00:00Z login ok\n') },
  { name: 'evidence/ledger.csv', data: Buffer.from('txid,from,to,amount\n') },
  ...extra,
];

export const miniPackage = (over: Record<string, unknown> = {}) => rawZip(miniFiles(stringify(miniDefinition(over))));

/** Uploads a package as a browser would (multipart), with the client's session. */
export async function uploadPackage(baseUrl: string, client: TestClient, zip: Buffer, url = '/api/scenarios') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), 'package.zip');
  const headers: Record<string, string> = {};
  if (client.cookie) headers.cookie = client.cookie;
  if (client.csrf) headers['x-csrf-token'] = client.csrf;
  const res = await fetch(baseUrl + url, { method: 'POST', body: form, headers });
  return { status: res.status, body: (await res.json()) as any };
}
