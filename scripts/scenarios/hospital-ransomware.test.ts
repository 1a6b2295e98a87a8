import { readFileSync, statSync } from 'node:fs';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { evaluate, prepareCheck } from '../../src/modules/scenarios/answers.ts';
import { scenarioDefinition, type ScenarioDefinition } from '../../src/modules/scenarios/definition.ts';
import { isValidBitcoinAddress } from '../../src/modules/scenarios/generators.ts';
import { openFolderPackage } from '../../src/modules/scenarios/package-source.ts';
import { renderTemplate, resolveVariables } from '../../src/modules/scenarios/templates.ts';
import { parseScenarioYaml, validatePackage } from '../../src/modules/scenarios/validate.ts';
import { buildHospitalRansomware, packageDir } from './hospital-ransomware.ts';
import { sha256Hex } from './lib/files.ts';
import { expectAnswersOfTeam, expectRegenerated, expectSmallFilesInFourLanguages } from './lib/package-checks.ts';

// The hospital-ransomware package, played as an investigator would: for
// several team seeds, every evidence file is rendered as the platform renders
// it for that team, every answer is derived from the files alone (an e-mail
// parser, the VPN and firewall logs, the Windows events, a hash of the sample,
// the transcript, the transaction graph, the legal replies), and the engine
// must accept it, and refuse it from another team.

const dir = packageDir;
const read = (file: string) => readFileSync(dir + file, 'utf8');
const definition: ScenarioDefinition = scenarioDefinition.parse(parseScenarioYaml(read('scenario.yaml')).value);
const fileOf = (id: string) => definition.evidence.find((e) => e.id === id)!.file;
const SEEDS = ['team-1', 'team-2', 'team-3'];
const START = Date.parse('2026-03-10T09:00:00Z');

const csvRows = (text: string) => {
  const [header, ...rows] = text.trim().split('\n').map((l) => l.split(','));
  for (const r of rows) expect(r).toHaveLength(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};

/** A VPN log line: the syslog time, then key=value pairs (values quoted or not). */
const vpnEvents = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => {
      const [time, host] = line.split(' ');
      const fields = Object.fromEntries([...line.matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)].map((m) => [m[1]!, m[2] ?? m[3]!]));
      return { time: time!, host: host!, ...fields } as Record<string, string> & { time: string };
    });

interface Tx {
  txid: string;
  block_height: number;
  block_time_utc: string;
  inputs: Array<{ prev_txid: string; prev_vout: number; address: string; value_btc: string }>;
  outputs: Array<{ n: number; address: string; value_btc: string }>;
  fee_btc: string;
}
const sat = (btc: string) => {
  expect(btc).toMatch(/^\d+\.\d{8}$/);
  return BigInt(btc.replace('.', ''));
};

/** Everything a team can find out, from its own rendered files. */
async function investigate(seed: string) {
  const values = resolveVariables(definition.variables, seed);
  const files = new Map(definition.evidence.map((e) => [e.id, e.templated ? renderTemplate(read(e.file), values) : read(e.file)]));
  const file = (id: string) => files.get(id)!;

  // The phishing e-mail: the hospital's mx1 names the connecting server; the body holds the fake page.
  const mail = await PostalMime.parse(file('phishing-email'));
  const received = mail.headers
    .filter((h) => h.key === 'received')
    .map((h) => {
      const m = /^from (.+?) \(.*?\[([\d.]+)\]\).*?\bby (\S+).*;\s*(.+?)(?: \([A-Z]+\))?$/s.exec(h.value.replace(/\s+/g, ' '))!;
      return { from: m[2]!, by: m[3]!, at: Date.parse(m[4]!) };
    })
    .reverse();
  const atGateway = received.find((r) => r.by.startsWith('mx1.'))!;
  const phishDomain = /https:\/\/([^/\s]+)\//.exec(mail.text!)![1]!;

  // VPN: the night tunnel without MFA from abroad.
  const vpn = vpnEvents(file('vpn-log'));
  const tunnels = vpn.filter((e) => e.action === 'tunnel-up' && e.mfa === 'not-enrolled');
  const account = tunnels[0]!.user!;
  const mine = vpn.filter((e) => e.user === account);
  const downs = mine.filter((e) => e.action === 'tunnel-down');

  // Windows events: RDP from the VPN address, the admin that installed the service, the first install.
  const events = csvRows(file('security-events'));
  const rdp = events.find((e) => e.EventID === '4624' && e.LogonType === '10' && e.IpAddress === tunnels[0]!.assigned_ip)!;
  const installs = events.filter((e) => e.EventID === '7045');
  const firstInstall = installs.reduce((a, b) => (Date.parse(a.TimeCreated!) <= Date.parse(b.TimeCreated!) ? a : b));

  // The sample: its hash in the quarantine list.
  const sampleHash = sha256Hex(readFileSync(dir + fileOf('sample')));
  const edr = JSON.parse(file('edr-detections')) as { detections: Array<{ host: string; detected_utc: string; path: string; size: number; sha256: string }> };
  const quarantined = edr.detections.find((d) => d.sha256 === sampleHash)!;

  // The firewall: the largest outbound session inside the second VPN session.
  const fw = csvRows(file('firewall-log'));
  const during = fw.filter((r) => Date.parse(r.time_utc!) > Date.parse(tunnels[1]!.time) && Date.parse(r.time_utc!) < Date.parse(downs[1]!.time));
  const upload = during.reduce((a, b) => (Number(a.bytes_sent) >= Number(b.bytes_sent) ? a : b));

  // The note and the negotiation.
  const mirror = /https:\/\/(\S+?)\/chat/.exec(file('ransom-note'))![1]!;
  const chat = JSON.parse(file('negotiation')) as { victim_id: string; messages: Array<{ time_utc: string; from: string; text: string }> };
  const final = chat.messages.map((m) => /^Final price (\S+) BTC\. Pay to (\S+) only\./.exec(m.text)).find(Boolean)!;
  const firstDemand = /Price: (\S+) BTC\./.exec(chat.messages[0]!.text)![1]!;

  // The trail: from the output paying the agreed amount to the ransom address, spend after spend, to the labelled exchange.
  const trailJson = JSON.parse(file('wallet-trail')) as { labels: Record<string, string>; transactions: Tx[] };
  const trail = trailJson.transactions;
  const labelOf = (address: string) => trailJson.labels[address];
  const spender = (txid: string, vout: number) => trail.find((t) => t.inputs.some((i) => i.prev_txid === txid && i.prev_vout === vout));
  const payment = trail.find((t) => t.outputs.some((o) => o.address === final[2] && o.value_btc === final[1]))!;
  const sweep = spender(payment.txid, payment.outputs.find((o) => o.address === final[2])!.n)!;
  const split = spender(sweep.txid, 0)!;
  const deposit = split.outputs.find((o) => labelOf(o.address)?.startsWith('Kovara Exchange'))!;

  // Legal replies (released to a team by its granted requests).
  const exchange = JSON.parse(file('exchange-reply')) as {
    account: { holder: string; email: string };
    deposits: Array<{ credited_utc: string; txid: string; address: string; amount_btc: string }>;
    logins: Array<{ time_utc: string; ip: string }>;
    withdrawals: Array<{ time_utc: string; to_iban: string }>;
  };
  const hosting = file('hosting-reply');
  const panel = /^ {2}(\S+) {3}from (\S+)$/m.exec(hosting)!;
  const police = file('police-reply');
  const subscriber = /^ {2}Subscriber: +(.+)$/m.exec(police)![1]!;

  const answers: Record<string, string> = {
    'phish-origin-ip': atGateway.from,
    'phish-domain': phishDomain,
    'phished-account': account,
    'vpn-source-ip': tunnels[0]!.remip!,
    'vpn-first-login': tunnels[0]!.time,
    'first-host': rdp.Computer!,
    'admin-account': events.find((e) => e.EventID === '4697')!.SubjectUserName!,
    'service-name': firstInstall.ServiceName!,
    'encryption-start': firstInstall.TimeCreated!,
    'sample-path': quarantined.path,
    'exfil-bytes': upload.bytes_sent!,
    'mirror-domain': mirror,
    'agreed-amount': final[1]!,
    'ransom-wallet': final[2]!,
    'deposit-wallet': deposit.address,
    'suspect-name': exchange.account.holder,
  };
  return { values, file, mail, received, atGateway, vpn, mine, tunnels, downs, events, rdp, installs, edr, quarantined, sampleHash, fw, upload, chat, firstDemand, trail, payment, sweep, split, deposit, exchange, hosting, panel, police, subscriber, answers };
}

const check = (id: string, values: Record<string, string>, answer: string) => evaluate(prepareCheck(definition.objectives.find((o) => o.id === id)!.answer, values), answer).outcome;

describe('scenarios/hospital-ransomware', () => {
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
    expect(definition.objectives.length).toBeLessThanOrEqual(20);
    expect(definition.evidence.length).toBeGreaterThanOrEqual(6);
    expect(definition.evidence.length).toBeLessThanOrEqual(15);
    expect(definition.injects.length).toBeGreaterThanOrEqual(3);
    expect(definition.injects.some((i) => 'onSolve' in i.trigger)).toBe(true);
    expect(definition.legalParties.length).toBeGreaterThanOrEqual(2);
    expect(definition.evidence.filter((e) => 'legalReply' in e.release)).toHaveLength(3);
    expect(definition.prosecution!.charges.map((c) => c.basis)).toEqual([
      { source: 'budapest', article: 2 },
      { source: 'budapest', article: 4 },
      { source: 'budapest', article: 5 },
      expect.objectContaining({ source: 'national', article: 'art. 312' }),
    ]);
    expect(new Set(definition.evidence.map((e) => e.kind))).toEqual(new Set(['document', 'image', 'email', 'log', 'binary', 'chat', 'blockchain']));
    for (const e of definition.evidence) expect(statSync(dir + e.file).size, e.file).toBeLessThan(50 * 1024);
    for (const text of [definition.title, definition.briefing, definition.trainerGuide, ...definition.objectives.map((o) => o.prompt), ...definition.hints.map((h) => h.text), ...definition.evidence.map((e) => e.title), ...definition.evidence.map((e) => e.description!), ...definition.injects.map((i) => i.message!)]) {
      expect(Object.keys(text).sort()).toEqual(['ar', 'en', 'es', 'fr']);
    }
    for (const p of definition.legalParties) for (const text of [p.refusal, ...p.responses.map((r) => r.reply)]) expect(Object.keys(text).sort()).toEqual(['ar', 'en', 'es', 'fr']);
    for (const h of definition.hints) expect(h.cost).toBeGreaterThan(0);
  });

  it('is what the generator writes (regenerating changes nothing)', () => {
    expectRegenerated(buildHospitalRansomware(), dir, definition);
  });

  const teams = Promise.all(SEEDS.map((seed) => investigate(seed)));

  for (const [index, seed] of SEEDS.entries()) {
    it(`accepts every answer found in the evidence of seed ${seed}, and refuses it from the other teams`, async () => {
      const all = await teams;
      const team = all[index]!;
      expectAnswersOfTeam(definition, all, team, seed);
      // The traps are wrong: the sender's own relay, the failed login, the first demand, a file with the same name or size, the backup.
      expect(check('phish-origin-ip', team.values, team.received[0]!.from)).toBe('wrong');
      expect(check('vpn-first-login', team.values, team.mine.find((e) => e.action === 'ssl-login-fail')!.time)).toBe('wrong');
      expect(check('agreed-amount', team.values, team.firstDemand)).toBe('wrong');
      for (const d of team.edr.detections.filter((x) => x !== team.quarantined)) expect(check('sample-path', team.values, d.path)).toBe('wrong');
      const backup = team.fw.find((r) => r.dst_ip === '198.51.100.80')!;
      expect(check('exfil-bytes', team.values, backup.bytes_sent!)).toBe('wrong');
      const lastInstall = team.installs.at(-1)!;
      expect(check('encryption-start', team.values, lastInstall.TimeCreated!)).toBe('wrong');
    });

    it(`tells one consistent story (seed ${seed})`, async () => {
      const team = (await teams)[index]!;
      const { answers } = team;

      // The e-mail: each relay's time at or after the previous one; the sender's clock in UTC-5; the account it targets is the VPN account.
      expect(team.received).toHaveLength(3);
      for (let i = 1; i < team.received.length; i++) expect(team.received[i]!.at).toBeGreaterThanOrEqual(team.received[i - 1]!.at);
      expect(team.received[0]!.at).toBe(Date.parse(team.mail.date!));
      expect(team.file('phishing-email')).toMatch(/^Date: .* -0500$/m);
      expect(team.file('phishing-email')).toContain(`client-ip=${answers['phish-origin-ip']};`);
      expect(team.mail.to![0]!.address).toBe(`${answers['phished-account']}@mvrh.example`);
      expect(team.mail.replyTo![0]!.address).toBe(`servicedesk@${answers['phish-domain']}`);

      // The VPN log: sorted; the intruder's events, all from one address abroad, after the phishing and before the note.
      const times = team.vpn.map((e) => Date.parse(e.time));
      expect(times.every(Number.isFinite)).toBe(true);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(team.mine.map((e) => e.action)).toEqual(['ssl-login-fail', 'tunnel-up', 'tunnel-down', 'tunnel-up', 'tunnel-down']);
      expect(new Set(team.mine.map((e) => e.remip))).toEqual(new Set([answers['vpn-source-ip']]));
      expect(team.vpn.filter((e) => e.remip === answers['vpn-source-ip'])).toEqual(team.mine);
      expect(Date.parse(team.mine[0]!.time)).toBeGreaterThan(team.atGateway.at);
      const assigned = team.tunnels[0]!.assigned_ip!;
      expect(team.vpn.filter((e) => e.assigned_ip === assigned && e.user !== answers['phished-account'])).toEqual([]);

      // The Windows events: sorted; RDP inside the first session, the installs and the log clearing inside the second, by the admin account.
      const evTimes = team.events.map((e) => Date.parse(e.TimeCreated!));
      expect(evTimes.every(Number.isFinite)).toBe(true);
      expect(evTimes).toEqual([...evTimes].sort((a, b) => a - b));
      const inside = (t: string, s: number) => Date.parse(t) > Date.parse(team.tunnels[s]!.time) && Date.parse(t) < Date.parse(team.downs[s]!.time);
      expect(inside(team.rdp.TimeCreated!, 0)).toBe(true);
      const admin = team.events.filter((e) => e.TargetUserName === answers['admin-account'] || e.SubjectUserName === answers['admin-account']);
      expect(admin[0]!.EventID).toBe('4624');
      expect(admin[0]!.IpAddress).toBe('10.10.4.21');
      expect(inside(admin[0]!.TimeCreated!, 0)).toBe(true);
      const sprays = team.events.filter((e) => e.EventID === '4625' && e.IpAddress === '10.10.4.21');
      expect(sprays).toHaveLength(3);
      for (const s of sprays) expect(Date.parse(s.TimeCreated!)).toBeLessThan(Date.parse(admin[0]!.TimeCreated!));
      expect(team.installs.map((e) => e.Computer)).toEqual(['MVRH-FS01', 'MVRH-PACS02', 'MVRH-EHR01', answers['first-host']]);
      for (const e of team.events.filter((x) => ['4697', '7045', '1102'].includes(x.EventID!))) expect(inside(e.TimeCreated!, 1), e.EventID).toBe(true);
      for (const e of team.events.filter((x) => x.EventID === '4697')) expect(e.SubjectUserName).toBe(answers['admin-account']);
      expect(new Set(team.installs.map((e) => e.ServiceName))).toEqual(new Set([answers['service-name']]));
      const cleared = team.events.find((e) => e.EventID === '1102')!;
      expect(Date.parse(cleared.TimeCreated!)).toBeGreaterThan(Date.parse(team.installs.at(-1)!.TimeCreated!));

      // The quarantine list: each detection at the time of its host's install; the sample's copy on the file server.
      for (const d of team.edr.detections) {
        const install = team.installs.find((e) => e.Computer === d.host)!;
        expect(d.detected_utc).toBe(install.TimeCreated);
      }
      expect(team.quarantined.host).toBe('MVRH-FS01');
      expect(team.quarantined.size).toBe(readFileSync(dir + fileOf('sample')).length);

      // The firewall: sorted; the upload from the file server begins after the second tunnel and ends before the first install, to the intruders' second server.
      const fwTimes = team.fw.map((r) => Date.parse(r.time_utc!));
      expect(fwTimes).toEqual([...fwTimes].sort((a, b) => a - b));
      expect(team.upload.src_ip).toBe('10.10.2.15');
      const uploadStart = Date.parse(team.upload.time_utc!) - Number(team.upload.duration_s) * 1000;
      expect(uploadStart).toBeGreaterThan(Date.parse(team.tunnels[1]!.time));
      expect(Date.parse(team.upload.time_utc!)).toBeLessThan(Date.parse(answers['encryption-start']!));
      expect(team.hosting).toContain(`   ${team.upload.dst_ip}   `);

      // The note, the transcript and the sample agree on the site; the agreement comes before the payment.
      const note = team.file('ransom-note');
      const onion = /http:\/\/(\S+\.onion)\/chat/.exec(note)![1]!;
      expect(onion).toMatch(/^[a-z2-7]{55}d\.onion$/);
      expect(readFileSync(dir + fileOf('sample')).toString('latin1')).toContain(`http://${onion}/chat`);
      expect(note).toContain(`Your personal ID: ${team.chat.victim_id}`);
      expect(team.chat.victim_id).toMatch(/^[0-9A-F]{16}$/);
      const chatTimes = team.chat.messages.map((m) => Date.parse(m.time_utc));
      expect(chatTimes).toEqual([...chatTimes].sort((a, b) => a - b));
      expect(chatTimes[0]!).toBeGreaterThan(Date.parse(answers['encryption-start']!));
      expect(Number(team.firstDemand)).toBeGreaterThan(Number(answers['agreed-amount']));
      const agreedAt = team.chat.messages.find((m) => m.text.startsWith('Final price'))!.time_utc;
      expect(Date.parse(team.payment.block_time_utc)).toBeGreaterThan(Date.parse(agreedAt));

      // The trail: valid addresses, every transaction balances to the satoshi, spent outputs exist with the same address and amount.
      const byId = new Map(team.trail.map((t) => [t.txid, t]));
      for (const t of team.trail) {
        const inputs = t.inputs.reduce((s, i) => s + sat(i.value_btc), 0n);
        const outputs = t.outputs.reduce((s, o) => s + sat(o.value_btc), 0n);
        expect(inputs, t.txid).toBe(outputs + sat(t.fee_btc));
        expect(sat(t.fee_btc)).toBeGreaterThan(0n);
        for (const o of t.outputs) expect(sat(o.value_btc)).toBeGreaterThan(0n);
        for (const a of [...t.inputs, ...t.outputs]) expect(isValidBitcoinAddress(a.address), a.address).toBe(true);
        for (const i of t.inputs) {
          const prev = byId.get(i.prev_txid);
          if (prev) expect(prev.outputs[i.prev_vout]).toEqual({ n: i.prev_vout, address: i.address, value_btc: i.value_btc });
        }
        expect(t.txid).toMatch(/^[0-9a-f]{64}$/);
      }
      const heights = team.trail.map((t) => t.block_height);
      expect(heights).toEqual([...heights].sort((a, b) => a - b));
      const blockTimes = team.trail.map((t) => Date.parse(t.block_time_utc));
      expect(blockTimes).toEqual([...blockTimes].sort((a, b) => a - b));
      expect(blockTimes.at(-1)!).toBeLessThan(START);
      expect(sat(team.sweep.outputs[0]!.value_btc) + sat(team.sweep.fee_btc)).toBe(sat(answers['agreed-amount']!));

      // The exchange: the deposit it reports is the split's output, credited after it; one login from the VPN source server, one from the home line.
      const { exchange } = team;
      expect(exchange.deposits).toEqual([{ credited_utc: expect.any(String), txid: team.split.txid, address: answers['deposit-wallet'], amount_btc: team.deposit.value_btc }]);
      expect(Date.parse(exchange.deposits[0]!.credited_utc)).toBeGreaterThan(Date.parse(team.split.block_time_utc));
      expect(exchange.logins.map((l) => l.ip).sort()).toEqual([answers['vpn-source-ip'], team.panel[2]].sort());
      for (const t of [...exchange.logins.map((l) => l.time_utc), exchange.withdrawals[0]!.time_utc]) {
        expect(Date.parse(t)).toBeGreaterThan(Date.parse(exchange.deposits[0]!.credited_utc));
        expect(Date.parse(t)).toBeLessThan(START);
      }

      // The hosting provider rents the VPN source server and serves the mirror; the police identify the panel login's line as the exchange's holder.
      expect(team.hosting).toContain(`Requested: the customer of the domain ${answers['mirror-domain']} `);
      expect(team.hosting).toContain(`   ${answers['vpn-source-ip']}   `);
      expect(team.hosting).toContain(`Contact e-mail:     ${exchange.account.email}`);
      expect(Date.parse(team.panel[1]!)).toBeLessThan(START);
      expect(team.police).toContain(`IP address ${team.panel[2]} on ${team.panel[1]} (UTC)`);
      expect(team.subscriber).toBe(exchange.account.holder);
      expect(team.police).toContain(exchange.account.email);
    });
  }

  it('holds for many more seeds: every answer found is accepted, every transaction balances', async () => {
    for (let i = 0; i < 25; i++) {
      const team = await investigate(`seed-${i}-${(i * 7919).toString(36)}`);
      for (const o of definition.objectives) expect(evaluate(prepareCheck(o.answer, team.values), team.answers[o.id]!).outcome, `${o.id} (seed ${i})`).toBe('correct');
      for (const t of team.trail) {
        expect(t.inputs.reduce((s, x) => s + sat(x.value_btc), 0n)).toBe(t.outputs.reduce((s, x) => s + sat(x.value_btc), 0n) + sat(t.fee_btc));
        for (const o of t.outputs) expect(sat(o.value_btc)).toBeGreaterThan(0n);
      }
    }
  });

  it('lets a team aim its legal requests with what the evidence shows', async () => {
    const team = (await teams)[0]!;
    const render = (s: string) => renderTemplate(s, team.values);
    const responses = new Map(definition.legalParties.flatMap((p) => p.responses.map((r) => [r.id, r])));
    expect(render(responses.get('nordhaven-production')!.identifier.value)).toBe(team.answers['mirror-domain']);
    expect(render(responses.get('kovara-production')!.identifier.value)).toBe(team.answers['deposit-wallet']);
    const mla = responses.get('police-mla')!.identifier;
    expect(render(mla.value)).toBe(team.panel[2]);
    expect(Date.parse(render(mla.at!))).toBe(Date.parse(team.panel[1]!));
    const byExchange = responses.get('police-mla-exchange')!.identifier;
    const homeLogin = team.exchange.logins.find((l) => l.ip === team.panel[2])!;
    expect(Date.parse(render(byExchange.at!))).toBe(Date.parse(homeLogin.time_utc));
    for (const r of responses.values()) expect(r.reply.en).not.toMatch(/\{\{ (?!mirror_domain|deposit_wallet|home_ip|panel_login|suspect_name)/);
  });

  it('quotes the right hashes of the files that are the same for every team', () => {
    const yaml = read('scenario.yaml');
    const quoted = [...yaml.matchAll(/(evidence\/[\w./-]+) \(SHA-256 ([0-9a-f]{64})\)/g)];
    expect(new Set(quoted.map((m) => m[1]))).toEqual(new Set(['evidence/incident-notification.pdf', 'evidence/wallpaper.png', 'evidence/sample/winupd.bin']));
    for (const [, file, hash] of quoted) expect(sha256Hex(readFileSync(dir + file!)), file).toBe(hash);
    for (const e of definition.evidence.filter((x) => !x.templated)) expect(read(e.file)).not.toContain('{{');
    const pdf = readFileSync(dir + fileOf('notification')).toString('latin1');
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf.endsWith('%%EOF\n')).toBe(true);
    expect(readFileSync(dir + fileOf('wallpaper')).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const sample = readFileSync(dir + fileOf('sample'));
    expect(sample.subarray(0, 2).toString('latin1')).toBe('MZ');
    expect(sample.includes('PE\0\0')).toBe(false);
    expect(sample.toString('latin1')).toContain('CYBERCAP TRAINING SAMPLE - NOT EXECUTABLE');
  });
});
