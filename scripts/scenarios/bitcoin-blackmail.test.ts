import { readFileSync } from 'node:fs';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { evaluate, prepareCheck } from '../../src/modules/scenarios/answers.ts';
import { scenarioDefinition, type ScenarioDefinition } from '../../src/modules/scenarios/definition.ts';
import { isValidBitcoinAddress } from '../../src/modules/scenarios/generators.ts';
import { openFolderPackage } from '../../src/modules/scenarios/package-source.ts';
import { renderTemplate, resolveVariables } from '../../src/modules/scenarios/templates.ts';
import { parseScenarioYaml, validatePackage } from '../../src/modules/scenarios/validate.ts';
import { buildBitcoinBlackmail, packageDir } from './bitcoin-blackmail.ts';
import { sha256Hex } from './lib/files.ts';
import { expectAnswersOfTeam, expectRegenerated, expectSmallFilesInFourLanguages } from './lib/package-checks.ts';

// The bitcoin-blackmail package, played as an investigator would: for several
// team seeds, every evidence file is rendered as the platform renders it for
// that team, every answer is derived from the files alone (an e-mail parser,
// log lines, the transaction graph, the legal replies), and the engine must
// accept it, and refuse it from another team.

const dir = packageDir;
const read = (file: string) => readFileSync(dir + file, 'utf8');
const definition: ScenarioDefinition = scenarioDefinition.parse(parseScenarioYaml(read('scenario.yaml')).value);
const fileOf = (id: string) => definition.evidence.find((e) => e.id === id)!.file;
const SEEDS = ['team-1', 'team-2', 'team-3'];
const START = Date.parse('2026-02-11T09:00:00Z');

interface Mail {
  received: Array<{ from: string; by: string; at: number }>;
  origin: string;
  date: number;
  messageId: string;
  text: string;
}

/** Parses an .eml with postal-mime; Received headers from the first hop (bottom) to the last. */
async function parseMail(raw: string): Promise<Mail> {
  const email = await PostalMime.parse(raw);
  const received = email.headers
    .filter((h) => h.key === 'received')
    .map((h) => {
      const m = /^from (.+?) \(.*?\[([\d.]+)\]\).*?\bby (\S+).*;\s*(.+?)(?: \([A-Z]+\))?$/s.exec(h.value.replace(/\s+/g, ' '))!;
      return { from: m[2]!, by: m[3]!, at: Date.parse(m[4]!) };
    })
    .reverse();
  return { received, origin: received[0]!.from, date: Date.parse(email.date!), messageId: email.messageId!, text: email.text! };
}

const csvRows = (text: string) => {
  const [header, ...rows] = text.trim().split('\n').map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};

interface Tx {
  txid: string;
  block_height: number;
  block_time_utc: string;
  inputs: Array<{ prev_txid: string; prev_vout: number; address: string; value_btc: string }>;
  outputs: Array<{ n: number; address: string; value_btc: string }>;
  fee_btc: string;
}
/** The text lines of a PDF as a text extractor gives them: the strings its pages show (Tj), unescaped. */
const pdfLines = (pdf: Buffer) => [...pdf.toString('latin1').matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));

const sat = (btc: string) => {
  expect(btc).toMatch(/^\d+\.\d{8}$/);
  return BigInt(btc.replace('.', ''));
};

/** Everything a team can find out, from its own rendered files. */
async function investigate(seed: string) {
  const values = resolveVariables(definition.variables, seed);
  const files = new Map(definition.evidence.map((e) => [e.id, e.templated ? renderTemplate(read(e.file), values) : read(e.file)]));
  const file = (id: string) => files.get(id)!;
  const mail1 = await parseMail(file('email-1'));
  const mail2 = await parseMail(file('email-2'));

  // E-mail 1: the demand in the body, the origin at the bottom, the gateway's time in its own header.
  const demand = /Pay (\S+) BTC to this bitcoin address:\s+(\S+)/.exec(mail1.text)!;
  const gateway = mail1.received.find((r) => r.by.startsWith('mx1.'))!;

  // OSINT: the exit list entry of that address.
  const exitBlocks = file('tor-exit-list').split(/\n(?=ExitNode )/);
  const exit = exitBlocks.find((b) => b.includes(`ExitAddress ${mail1.origin} `))!;
  const fingerprint = /^ExitNode (\S+)$/m.exec(exit)![1]!;

  // VPN: the account used from the second e-mail's origin, at night, without MFA.
  const vpn = csvRows(file('vpn-log'));
  const fromHome = vpn.filter((r) => r.source_ip === mail2.origin);
  const account = fromHome.find((r) => r.event === 'LOGIN')!.username!;
  const firstLogin = fromHome.find((r) => r.event === 'LOGIN')!.timestamp_utc!;
  const logouts = vpn.filter((r) => r.username === account && r.event === 'LOGOUT');
  const exfil = logouts[1]!.bytes_to_client!;

  // The trail: from the output paying the demanded amount to the ransom address, spend after spend.
  const trail = JSON.parse(file('blockchain-trail')) as { transactions: Tx[] };
  const spender = (txid: string, vout: number) => trail.transactions.find((t) => t.inputs.some((i) => i.prev_txid === txid && i.prev_vout === vout));
  const payment = trail.transactions.find((t) => t.outputs.some((o) => o.address === demand[2] && o.value_btc === demand[1]))!;
  const sweep = spender(payment.txid, payment.outputs.find((o) => o.address === demand[2])!.n)!;
  expect(sweep.outputs).toHaveLength(1);
  const deposit = spender(sweep.txid, 0)!;
  // The test payment to the ransom address came from the extortionist's own wallet; the other output of the deposit goes back there.
  const testPayment = trail.transactions.find((t) => t.txid !== payment.txid && t.outputs.some((o) => o.address === demand[2]))!;
  const ownWallet = testPayment.inputs[0]!.address;
  const kept = deposit.outputs.find((o) => o.address === ownWallet)!;
  const toExchange = deposit.outputs.find((o) => o.address !== ownWallet)!;

  // Legal replies (released to a team by its granted requests).
  const exchange = JSON.parse(file('exchange-records')) as {
    account: { holder: string; email: string; phone: string };
    deposits: Array<{ credited_utc: string; txid: string; address: string; amount_btc: string }>;
    logins: Array<{ time_utc: string; ip: string }>;
    withdrawals: Array<{ time_utc: string; to_iban: string }>;
  };
  const isp = file('isp-reply');
  const subscriber = /^ {2}Subscriber: +(.+)$/m.exec(isp)![1]!;

  // The laptop: the file whose hash is the published sample's.
  const sampleHash = sha256Hex(readFileSync(dir + fileOf('leak-sample')));

  // The complaint (the same PDF for every team) quotes the leak site's announcement, in UTC.
  const complaint = pdfLines(readFileSync(dir + fileOf('complaint')));
  const announced = /^The announcement is dated (\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC on the site\./.exec(complaint.find((l) => l.startsWith('The announcement is dated'))!)!;
  const leakLine = file('laptop-triage').split('\n').find((l) => l.endsWith(`| ${sampleHash}`))!;

  const answers: Record<string, string> = {
    'ransom-wallet': demand[2]!,
    'ransom-amount': demand[1]!,
    'first-origin-ip': mail1.origin,
    'gateway-time': new Date(gateway.at).toISOString().replace('.000', ''),
    'tor-fingerprint': fingerprint,
    'leak-announced': `${announced[1]}T${announced[2]}:00Z`,
    'second-origin-ip': mail2.origin,
    'vpn-account': account,
    'first-vpn-login': firstLogin,
    'exfil-bytes': exfil,
    'deposit-wallet': toExchange.address,
    'deposit-txid': deposit.txid,
    'deposit-amount': toExchange.value_btc,
    'kept-amount': kept.value_btc,
    'suspect-name': exchange.account.holder,
    'suspect-iban': exchange.withdrawals[0]!.to_iban,
    'leak-path': leakLine.split(' | ')[0]!,
  };
  return { values, files, file, mail1, mail2, trail, deposit, exchange, isp, subscriber, vpn, answers, sampleHash, complaint };
}

describe('scenarios/bitcoin-blackmail', () => {
  it('validates without problems or warnings, in four languages, with small files', async () => {
    const source = await openFolderPackage(dir);
    try {
      const result = await validatePackage(source);
      expect(result.problems).toEqual([]);
      expect(result.warnings).toEqual([]);
    } finally {
      await source.close();
    }
    expect(definition.objectives.length).toBeGreaterThanOrEqual(12);
    expect(definition.evidence.length).toBeGreaterThanOrEqual(6);
    expect(definition.injects.some((i) => 'onSolve' in i.trigger)).toBe(true);
    expect(definition.legalParties.length).toBeGreaterThanOrEqual(2);
    expect(definition.prosecution!.charges.map((c) => c.basis)).toEqual([expect.objectContaining({ source: 'national' }), { source: 'budapest', article: 2 }]);
    expectSmallFilesInFourLanguages(definition, dir);
  });

  it('is what the generator writes (regenerating changes nothing)', () => {
    expectRegenerated(buildBitcoinBlackmail(), dir, definition);
  });

  const teams = Promise.all(SEEDS.map((seed) => investigate(seed)));

  for (const [index, seed] of SEEDS.entries()) {
    it(`accepts every answer found in the evidence of seed ${seed}, and refuses it from the other teams`, async () => {
      const all = await teams;
      const team = all[index]!;
      expectAnswersOfTeam(definition, all, team, seed);
      // The one answer that is the same for every team is worth little, and no other objective waits for it.
      const fixed = definition.objectives.filter((o) => !JSON.stringify(o.answer).includes('{{'));
      expect(fixed.map((o) => o.id)).toEqual(['leak-announced']);
      expect(fixed[0]!.points).toBeLessThanOrEqual(30);
      expect(definition.objectives.filter((o) => o.requires?.includes('leak-announced'))).toEqual([]);
      // The traps are wrong: the Date header (sender's clock) and the failed logins before the first success.
      expect(evaluate(prepareCheck(definition.objectives.find((o) => o.id === 'gateway-time')!.answer, team.values), new Date(team.mail1.date).toISOString()).outcome).toBe('wrong');
      const fail = team.vpn.find((r) => r.username === team.answers['vpn-account'] && r.event === 'AUTH_FAIL')!;
      expect(evaluate(prepareCheck(definition.objectives.find((o) => o.id === 'first-vpn-login')!.answer, team.values), fail.timestamp_utc!).outcome).toBe('wrong');
    });

    it(`tells one consistent story (seed ${seed})`, async () => {
      const team = (await teams)[index]!;
      const { mail1, mail2, answers } = team;

      // E-mails: each relay's time at or after the previous one, the client's Date (UTC+2) just before.
      for (const mail of [mail1, mail2]) {
        expect(mail.received).toHaveLength(4);
        for (let i = 1; i < mail.received.length; i++) expect(mail.received[i]!.at).toBeGreaterThanOrEqual(mail.received[i - 1]!.at);
        expect(mail.date).toBeLessThanOrEqual(mail.received[0]!.at);
        expect(mail.received[0]!.at - mail.date).toBeLessThan(60_000);
      }
      expect(team.file('email-1')).toMatch(/^Date: .* \+0200$/m);
      expect(mail1.received[0]!.at).toBeLessThan(mail2.received[0]!.at);

      // The leak site announced the data before the first e-mail; the company captured it after; it filed its complaint after the second e-mail was sent.
      const gatewayAt = mail1.received.find((r) => r.by.startsWith('mx1.'))!.at;
      expect(Date.parse(answers['leak-announced']!)).toBeLessThan(mail1.received[0]!.at);
      expect(Date.parse('2026-02-09T09:12:00Z')).toBeGreaterThan(gatewayAt);
      expect(team.complaint).toContain('captured the page on 9 February 2026 at 10:12 local time (09:12 UTC), annex 2.');
      expect(team.complaint).toContain('Filed: Wednesday 11 February 2026, 08:45 local time (07:45 UTC)');
      expect(Date.parse('2026-02-11T07:45:00Z')).toBeGreaterThan(mail2.received.at(-1)!.at);
      expect(Date.parse('2026-02-11T07:45:00Z')).toBeLessThan(START);
      // "Around midday local time" (UTC+1) on 10 February is the payment's block time.
      const paidAt = new Date(Date.parse(team.trail.transactions.find((t) => t.txid === team.values.payment_txid)!.block_time_utc) + 3600_000);
      expect(paidAt.toISOString().slice(0, 10)).toBe('2026-02-10');
      expect(Math.abs(paidAt.getUTCHours() * 60 + paidAt.getUTCMinutes() - 12 * 60)).toBeLessThanOrEqual(30);
      for (const line of team.complaint) expect(line).not.toMatch(/[^\x20-\x7e]/);
      // The screenshot names neither the company nor any per-team value, only the site's address from the first e-mail.
      const png = readFileSync(dir + fileOf('leak-site'));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.readUInt32BE(16)).toBeGreaterThan(600);
      expect(mail1.text).toContain('glassv4ultq7n3kd2lx5m6yqh3wz4f7rbp2c5aeo6sutj4kyxnv2hid.onion');
      expect(pdfLines(readFileSync(dir + fileOf('complaint'))).join('\n')).not.toContain(team.values.victim_company);

      // The gateway log: sorted, and each e-mail's lines carry the time of its mx1 Received header and its message-id.
      const log = team.file('gateway-log');
      const stamps = [...log.matchAll(/^(\S+) mx1 /gm)].map((m) => Date.parse(m[1]!));
      expect(stamps.every(Number.isFinite)).toBe(true);
      expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
      for (const mail of [mail1, mail2]) {
        const line = log.split('\n').find((l) => l.includes(`message-id=${mail.messageId}`))!;
        expect(Date.parse(line.split(' ')[0]!)).toBe(mail.received.find((r) => r.by.startsWith('mx1.'))!.at);
        const gw = mail.received.find((r) => r.by.startsWith('mx1.'))!;
        expect(log).toContain(`connect from mx-out-1.vaultmail.example[${gw.from}]`);
      }

      // The VPN log: sorted; the intruder's sessions (login, logout) come before the first e-mail.
      const times = team.vpn.map((r) => Date.parse(r.timestamp_utc!));
      expect(times.every(Number.isFinite)).toBe(true);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const intruder = team.vpn.filter((r) => r.username === answers['vpn-account']);
      expect(new Set(intruder.map((r) => r.source_ip))).toEqual(new Set([answers['second-origin-ip']]));
      expect(intruder.map((r) => r.event)).toEqual(['AUTH_FAIL', 'AUTH_FAIL', 'LOGIN', 'LOGOUT', 'LOGIN', 'LOGOUT']);
      expect(Date.parse(intruder.at(-1)!.timestamp_utc!)).toBeLessThan(mail1.received[0]!.at);

      // The trail: valid addresses, every transaction balances to the satoshi, spent outputs exist with the same address and amount.
      const txs = team.trail.transactions;
      const byId = new Map(txs.map((t) => [t.txid, t]));
      for (const t of txs) {
        const inputs = t.inputs.reduce((s, i) => s + sat(i.value_btc), 0n);
        const outputs = t.outputs.reduce((s, o) => s + sat(o.value_btc), 0n);
        expect(inputs, t.txid).toBe(outputs + sat(t.fee_btc));
        expect(sat(t.fee_btc)).toBeGreaterThan(0n);
        for (const a of [...t.inputs, ...t.outputs]) expect(isValidBitcoinAddress(a.address), a.address).toBe(true);
        for (const i of t.inputs) {
          const prev = byId.get(i.prev_txid);
          if (prev) expect(prev.outputs[i.prev_vout]).toEqual({ n: i.prev_vout, address: i.address, value_btc: i.value_btc });
        }
        expect(t.txid).toMatch(/^[0-9a-f]{64}$/);
      }
      const heights = txs.map((t) => t.block_height);
      expect(heights).toEqual([...heights].sort((a, b) => a - b));
      const blockTimes = txs.map((t) => Date.parse(t.block_time_utc));
      expect(blockTimes).toEqual([...blockTimes].sort((a, b) => a - b));
      expect(isValidBitcoinAddress(answers['ransom-wallet']!)).toBe(true);
      expect(blockTimes.at(-1)!).toBeLessThan(START);

      // The exchange: the deposit it reports is the one on the chain, credited after it; the suspect logged in from the home IP.
      const { exchange } = team;
      expect(exchange.deposits).toEqual([{ credited_utc: expect.any(String), txid: answers['deposit-txid'], address: answers['deposit-wallet'], amount_btc: answers['deposit-amount'] }]);
      expect(Date.parse(exchange.deposits[0]!.credited_utc)).toBeGreaterThan(Date.parse(team.deposit.block_time_utc));
      expect(exchange.logins.map((l) => l.ip)).toContain(answers['second-origin-ip']);
      for (const t of [...exchange.logins.map((l) => l.time_utc), exchange.withdrawals[0]!.time_utc]) {
        expect(Date.parse(t)).toBeGreaterThan(Date.parse(exchange.deposits[0]!.credited_utc));
        expect(Date.parse(t)).toBeLessThan(START);
      }

      // The ISP: the subscriber of the VPN/e-mail IP at the first login time is the exchange's account holder.
      expect(team.isp).toContain(`IP address ${answers['second-origin-ip']} on ${answers['first-vpn-login']} (UTC)`);
      expect(team.subscriber).toBe(exchange.account.holder);
      expect(team.isp).toContain(exchange.account.email);

      // The laptop: its wallet holds the trail's addresses; its e-mail account and VPN user are the ones found.
      const triage = team.file('laptop-triage');
      expect(triage).toContain(answers['ransom-wallet']);
      expect(triage).toContain(team.deposit.inputs[1]!.address);
      expect(triage).toContain(`holds the user name ${answers['vpn-account']} `);
      expect(triage).toContain(team.values.extortion_email);
    });
  }

  it('holds for many more seeds: every answer found is accepted, every transaction balances', async () => {
    for (let i = 0; i < 25; i++) {
      const team = await investigate(`seed-${i}-${(i * 7919).toString(36)}`);
      for (const o of definition.objectives) expect(evaluate(prepareCheck(o.answer, team.values), team.answers[o.id]!).outcome, `${o.id} (seed ${i})`).toBe('correct');
      for (const t of team.trail.transactions) {
        expect(t.inputs.reduce((s, x) => s + sat(x.value_btc), 0n)).toBe(t.outputs.reduce((s, x) => s + sat(x.value_btc), 0n) + sat(t.fee_btc));
      }
    }
  });

  it('lets a team aim its legal requests with what the evidence shows', async () => {
    const team = (await teams)[0]!;
    const render = (s: string) => renderTemplate(s, team.values);
    const responses = new Map(definition.legalParties.flatMap((p) => p.responses.map((r) => [r.id, r])));
    expect(render(responses.get('tidemark-production')!.identifier.value)).toBe(team.answers['deposit-wallet']);
    const subscriber = responses.get('brightwave-subscriber')!.identifier;
    expect(render(subscriber.value)).toBe(team.answers['second-origin-ip']);
    expect(Date.parse(render(subscriber.at!))).toBe(Date.parse(team.answers['first-vpn-login']!));
    const byMail = responses.get('brightwave-subscriber-mail')!.identifier;
    expect(Math.abs(Date.parse(render(byMail.at!)) - team.mail2.received[0]!.at)).toBeLessThanOrEqual(byMail.toleranceMinutes * 60_000);
    expect(render(responses.get('vaultmail-mla')!.identifier.value)).toBe((await PostalMime.parse(team.file('email-1'))).from!.address);
  });

  it('quotes the right hashes of the files that are the same for every team', async () => {
    const yaml = read('scenario.yaml');
    const quoted = [...yaml.matchAll(/(evidence\/[\w./-]+) \(SHA-256 ([0-9a-f]{64})\)/g)];
    expect(new Set(quoted.map((m) => m[1]))).toEqual(new Set(['evidence/leaked-sample.csv', 'evidence/laptop/recovered-fragment.bin', 'evidence/complaint.pdf', 'evidence/leak-site.png']));
    for (const [, file, hash] of quoted) expect(sha256Hex(readFileSync(dir + file!)), file).toBe(hash);
    for (const e of definition.evidence.filter((x) => !x.templated)) expect(read(e.file)).not.toContain('{{');
    // The triage report gives the hash and size of the recovered fragment as the file has them.
    const team = (await teams)[0]!;
    const fragment = readFileSync(dir + fileOf('laptop-fragment'));
    expect(team.file('laptop-triage')).toContain(`| ${fragment.length} | 2026-02-09 06:58:31 | ${sha256Hex(fragment)}`);
  });
});
