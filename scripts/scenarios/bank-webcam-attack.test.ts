import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, prepareCheck } from '../../src/modules/scenarios/answers.ts';
import { scenarioDefinition, type ScenarioDefinition } from '../../src/modules/scenarios/definition.ts';
import { isValidIban } from '../../src/modules/scenarios/generators.ts';
import { openFolderPackage } from '../../src/modules/scenarios/package-source.ts';
import { renderTemplate, resolveVariables } from '../../src/modules/scenarios/templates.ts';
import { parseScenarioYaml, validatePackage } from '../../src/modules/scenarios/validate.ts';
import { BEACONS, buildBankWebcamAttack, packageDir } from './bank-webcam-attack.ts';
import { sha256Hex } from './lib/files.ts';
import { expectAnswersOfTeam, expectRegenerated, expectSmallFilesInFourLanguages } from './lib/package-checks.ts';

// The bank-webcam-attack package, played as an investigator would: for several
// team seeds, every evidence file is rendered as the platform renders it for
// that team, every answer is derived from the files alone (log lines, the
// proxy's beacon rhythm, the MT103 fields, the legal replies, the mule's
// statement), and the engine must accept it, and refuse it from another team.

const dir = packageDir;
const read = (file: string) => readFileSync(dir + file, 'utf8');
const definition: ScenarioDefinition = scenarioDefinition.parse(parseScenarioYaml(read('scenario.yaml')).value);
const fileOf = (id: string) => definition.evidence.find((e) => e.id === id)!.file;
const SEEDS = ['team-1', 'team-2', 'team-3'];
const START = Date.parse('2026-03-09T09:00:00Z');
const CAMERA_IP = '10.40.8.21';
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');
/** Euros as whole cents, from "187234," (SWIFT), "-15.00" or "412345.00". */
const cents = (text: string) => {
  const m = /^(-?)(\d+)(?:[.,](\d{0,2}))?$/.exec(text)!;
  expect(m, text).not.toBeNull();
  const v = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -v : v;
};
const euros = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

interface Proxy {
  time: number;
  client: string;
  method: string;
  url: string;
  server: string;
  bytes: number;
}

interface Mt103 {
  created: string;
  operator: string;
  workstation: string;
  block1: string;
  receiver: string;
  fields: Map<string, string[]>;
}

/** Splits the SWIFT export into messages: the export's own header line, then the FIN blocks; tag lines with their continuation lines. */
function parseMt103(text: string): Mt103[] {
  return text
    .split(/^=== /m)
    .slice(1)
    .map((chunk) => {
      const [head, blocks, ...body] = chunk.trim().split('\n');
      const h = /^Message \S+ \| created (\S+) \| operator (\S+) \| workstation (.+?) \| status ACKED$/.exec(head!)!;
      const b = /^\{1:F01(\w{12})(\d{10})\}\{2:I103(\w{12})N\}\{3:\{108:\w+\}\{121:[0-9a-f-]{36}\}\}\{4:$/.exec(blocks!)!;
      expect(b, blocks).not.toBeNull();
      expect(body.at(-1)).toBe('-}');
      const fields = new Map<string, string[]>();
      let tag = '';
      for (const line of body.slice(0, -1)) {
        const t = /^:(\w+):(.*)$/.exec(line);
        if (t) fields.set((tag = t[1]!), [t[2]!]);
        else fields.get(tag)!.push(line);
      }
      return { created: h[1]!, operator: h[2]!, workstation: h[3]!, block1: b[1]!, receiver: b[3]!, fields };
    });
}

/** Everything a team can find out, from its own rendered files. */
function investigate(seed: string) {
  const values = resolveVariables(definition.variables, seed);
  const files = new Map(definition.evidence.map((e) => [e.id, e.templated ? renderTemplate(read(e.file), values) : read(e.file)]));
  const file = (id: string) => files.get(id)!;

  // The camera: the requests the advisory describes, the implant's URL and the time it was written (camera clock, with its offset).
  const camera = file('camera-log').trim().split('\n');
  const probe = camera.find((l) => l.includes('GET /cgi-bin/check_user.cgi?user=admin&pwd= '))!;
  const exploitIp = /from (\S+) -> 200/.exec(probe)![1]!;
  const post = camera.find((l) => l.includes('POST /cgi-bin/param.cgi'))!;
  expect(post).toContain(`from ${exploitIp} `);
  const c2aDomain = /wget -q http:\/\/([^/]+)\//.exec(post)![1]!;
  const fsmon = camera.find((l) => l.includes('fsmon[240]: new file /tmp/.lp'))!;
  const implantLocal = fsmon.split(' ')[0]!;

  // DNS: the camera's query for that domain, and the reply that follows it.
  const dns = file('dns-log').trim().split('\n');
  const c2aQuery = dns.findIndex((l) => l.endsWith(`query[A] ${c2aDomain} from ${CAMERA_IP}`));
  const c2aIp = new RegExp(`reply ${c2aDomain.replace(/\./g, '\\.')} is (\\S+)$`).exec(dns[c2aQuery + 1]!)![1]!;

  // Proxy: per client and host, the connections whose spacing hardly varies.
  const proxy: Proxy[] = file('proxy-log')
    .trim()
    .split('\n')
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return { time: Number(f[0]), client: f[2]!, bytes: Number(f[4]), method: f[5]!, url: f[6]!, server: f[8]!.split('/')[1]! };
    });
  const groups = new Map<string, Proxy[]>();
  for (const p of proxy) groups.set(`${p.client} ${p.url}`, [...(groups.get(`${p.client} ${p.url}`) ?? []), p]);
  const regular = [...groups.values()].filter((g) => {
    if (g.length < 6) return false;
    const gaps = g.slice(1).map((p, i) => p.time - g[i]!.time);
    return Math.max(...gaps) - Math.min(...gaps) < 5;
  });
  expect(regular).toHaveLength(1);
  const beacons = regular[0]!;
  const gaps = beacons.slice(1).map((p, i) => p.time - beacons[i]!.time).sort((a, b) => a - b);
  const interval = Math.round(gaps[Math.floor(gaps.length / 2)]!);

  // SWIFT: the messages created from the beaconing workstation.
  const messages = parseMt103(file('mt103-export'));
  const frauds = messages.filter((m) => m.workstation.includes(`(${beacons[0]!.client})`));
  const amountOf = (m: Mt103) => cents(/^\d{6}EUR([\d,]+)$/.exec(m.fields.get('32A')![0]!)![1]!);
  const ibanOf = (m: Mt103) => m.fields.get('59')![0]!.slice(1);
  const largest = [...frauds].sort((a, b) => Number(amountOf(b) - amountOf(a)))[0]!;

  // Legal replies.
  const nordhost = file('nordhost-reply');
  const nordhostLogins = [...nordhost.matchAll(/^ {2}(\S+Z) {2}(\S+)/gm)].map((m) => ({ time: m[1]!, ip: m[2]! }));
  const cloudarc = JSON.parse(file('cloudarc-reply')) as { instance: { public_ip: string }; account: { email: string; name: string }; logins: Array<{ time_utc: string; ip: string }> };
  const sharedIp = nordhostLogins.map((l) => l.ip).find((ip) => cloudarc.logins.some((l) => l.ip === ip))!;
  const statementLines = file('mule-statement').split('\n').filter((l) => l && !l.startsWith('#'));
  const [header, ...rows] = statementLines.map((l) => l.split(','));
  const statement = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
  const creditAt = statement.findIndex((r) => r.counterparty_bic === 'KSPBATWWXXX');
  const debits = statement.slice(creditAt + 1).filter((r) => cents(r.amount_eur!) < 0n);
  const biggestDebit = [...debits].sort((a, b) => Number(cents(a.amount_eur!) - cents(b.amount_eur!)))[0]!;
  const police = file('police-reply');

  const answers: Record<string, string> = {
    'exploit-ip': exploitIp,
    'c2a-domain': c2aDomain,
    'implant-time': iso(Date.parse(implantLocal)),
    'c2a-ip': c2aIp,
    'c2b-domain': beacons[0]!.url.replace(/:443$/, ''),
    'beacon-host': beacons[0]!.client,
    'c2b-ip': beacons[0]!.server,
    'beacon-interval': String(interval),
    'fraud-operator': frauds[0]!.operator,
    'fraud-total': euros(frauds.reduce((s, m) => s + amountOf(m), 0n)),
    'main-mule-iban': ibanOf(largest),
    'operator-email': /^ {2}Customer e-mail: +(\S+)$/m.exec(nordhost)![1]!,
    'operator-ip': sharedIp,
    'mule-debits': euros(-debits.reduce((s, r) => s + cents(r.amount_eur!), 0n)),
    'next-layer-iban': biggestDebit.counterparty!.split(' / ')[1]!,
    'suspect-name': /^ +Name: +(.+)$/m.exec(police)![1]!,
  };
  return { values, file, camera, implantLocal, dns, proxy, beacons, messages, frauds, amountOf, ibanOf, nordhost, nordhostLogins, cloudarc, statement, creditAt, police, answers };
}

describe('scenarios/bank-webcam-attack', () => {
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
    expect(new Set(definition.evidence.map((e) => e.kind))).toEqual(new Set(['log', 'document', 'image', 'binary']));
    expect(definition.injects.filter((i) => 'onSolve' in i.trigger).length).toBeGreaterThanOrEqual(1);
    expect(definition.injects.length).toBeGreaterThanOrEqual(3);
    expect(definition.legalParties.map((p) => p.kind)).toEqual(['hosting_provider', 'hosting_provider', 'bank', 'foreign_police']);
    expect(definition.prosecution!.charges.map((c) => c.basis)).toEqual([
      { source: 'budapest', article: 2 },
      { source: 'budapest', article: 4 },
      { source: 'budapest', article: 8 },
      expect.objectContaining({ source: 'national' }),
    ]);
    for (const e of definition.evidence) expect(statSync(dir + e.file).size, e.file).toBeLessThan(50 * 1024);
    for (const text of [definition.title, definition.briefing, definition.trainerGuide, ...definition.objectives.map((o) => o.prompt), ...definition.hints.map((h) => h.text), ...definition.evidence.map((e) => e.title), ...definition.evidence.map((e) => e.description!)]) {
      expect(Object.keys(text).sort()).toEqual(['ar', 'en', 'es', 'fr']);
    }
  });

  it('is what the generator writes (regenerating changes nothing)', () => {
    expectRegenerated(buildBankWebcamAttack(), dir, definition);
  });

  const teams = SEEDS.map((seed) => investigate(seed));

  for (const [index, seed] of SEEDS.entries()) {
    it(`accepts every answer found in the evidence of seed ${seed}, and refuses it from the other teams`, () => {
      const team = teams[index]!;
      expectAnswersOfTeam(definition, teams, team, seed);
      // The trap: the camera's local time read as if it were UTC.
      const implantCheck = prepareCheck(definition.objectives.find((o) => o.id === 'implant-time')!.answer, team.values);
      expect(evaluate(implantCheck, `${team.implantLocal.slice(0, 19)}Z`).outcome).toBe('wrong');
      expect(evaluate(implantCheck, team.implantLocal).outcome).toBe('correct');
    });

    it(`tells one consistent story (seed ${seed})`, () => {
      const team = teams[index]!;
      const { answers } = team;

      // The camera: one clock (UTC+1), in order; probe, exploit, implant, telnet, wipe; the implant's hash is the recovered file's.
      const cameraTimes = team.camera.map((l) => Date.parse(l.split(' ')[0]!));
      expect(cameraTimes.every(Number.isFinite)).toBe(true);
      expect(cameraTimes).toEqual([...cameraTimes].sort((a, b) => a - b));
      for (const l of team.camera) expect(l.split(' ')[0]).toMatch(/\+01:00$/);
      const implant = readFileSync(dir + fileOf('implant'));
      expect(team.file('camera-log')).toContain(`new file /tmp/.lp size=${implant.length} sha256=${sha256Hex(implant)}`);
      expect(implant.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
      const wipe = team.camera.findIndex((l) => l.includes('truncated to 0 bytes'));
      expect(team.camera.findIndex((l) => l.includes('Telnet.Enabled changed 0 -> 1'))).toBe(wipe - 1);

      // DNS: in order; the camera resolves C2-A one second before the implant is written; the workstation resolves C2-B before its first beacon.
      const dnsTimes = team.dns.map((l) => Date.parse(l.split(' ')[0]!));
      expect(dnsTimes.every(Number.isFinite)).toBe(true);
      expect(dnsTimes).toEqual([...dnsTimes].sort((a, b) => a - b));
      const c2aQuery = team.dns.find((l) => l.includes(`query[A] ${answers['c2a-domain']} from`))!;
      expect(Date.parse(answers['implant-time']!) - Date.parse(c2aQuery.split(' ')[0]!)).toBe(1000);
      const c2bQuery = team.dns.findIndex((l) => l.endsWith(`query[A] ${answers['c2b-domain']} from ${answers['beacon-host']}`));
      expect(team.dns[c2bQuery + 1]).toContain(`reply ${answers['c2b-domain']} is ${answers['c2b-ip']}`);
      expect(Date.parse(team.dns[c2bQuery]!.split(' ')[0]!) / 1000).toBeLessThan(team.beacons[0]!.time);

      // Proxy: in order; 14 beacons at the team's interval plus 0–2 s of jitter, all to C2-B's address.
      const times = team.proxy.map((p) => p.time);
      expect(times.every(Number.isFinite)).toBe(true);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(team.beacons).toHaveLength(BEACONS);
      const interval = Number(team.values.beacon_interval);
      // Jitter of 0–2 s on each beacon, and milliseconds.
      team.beacons.slice(1).forEach((b, i) => expect(Math.abs(b.time - team.beacons[i]!.time - interval)).toBeLessThan(3));
      for (const b of team.beacons) expect([b.method, b.server]).toEqual(['CONNECT', answers['c2b-ip']]);
      expect(team.proxy.filter((p) => p.client === answers['beacon-host'])).toEqual(team.beacons);

      // SWIFT: five messages in FIN form; BICs and IBANs valid; block 2's receiver is field 57A's bank; the frauds after the operator's Cloudarc login, at night, from PAY-WS07.
      expect(team.messages).toHaveLength(5);
      expect(team.frauds).toHaveLength(3);
      for (const m of team.messages) {
        expect(m.block1.slice(0, 8)).toBe('KSPBATWW');
        const bic = m.fields.get('57A')![0]!;
        expect(bic).toMatch(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/);
        expect(`${m.receiver.slice(0, 8)}${m.receiver.slice(9)}`).toBe(bic);
        expect(isValidIban(team.ibanOf(m)), team.ibanOf(m)).toBe(true);
        expect(isValidIban(m.fields.get('50K')![0]!.slice(1))).toBe(true);
        expect(m.fields.get('32A')![0]).toMatch(/^2603\d{2}EUR\d+,\d{0,2}$/);
      }
      const cloudarcLogin = team.cloudarc.logins.find((l) => l.ip === answers['operator-ip'])!;
      for (const f of team.frauds) {
        expect(f.workstation).toBe(`PAY-WS07 (${answers['beacon-host']})`);
        expect(Date.parse(f.created)).toBeGreaterThan(Date.parse(cloudarcLogin.time_utc));
        expect(f.created >= '2026-03-05T22:50:00Z' && f.created <= '2026-03-05T23:20:00Z').toBe(true);
      }
      expect(new Set(team.frauds.map((f) => f.operator)).size).toBe(1);

      // The statement: the credit is the largest transfer, to the account produced; every balance is the previous one plus the amount.
      expect(team.file('mule-statement')).toContain(`# Account: ${answers['main-mule-iban']} |`);
      const holder = /\| Holder: (.+?) \|/.exec(team.file('mule-statement'))![1]!;
      expect(team.frauds.find((f) => team.ibanOf(f) === answers['main-mule-iban'])!.fields.get('59')![1]).toBe(holder.toUpperCase());
      const credit = team.statement[team.creditAt]!;
      expect(cents(credit.amount_eur!)).toBe(team.amountOf(team.frauds.find((f) => team.ibanOf(f) === answers['main-mule-iban'])!));
      for (let i = 1; i < team.statement.length; i++) {
        expect(cents(team.statement[i]!.balance_eur!), `row ${i}`).toBe(cents(team.statement[i - 1]!.balance_eur!) + cents(team.statement[i]!.amount_eur!));
      }
      expect(cents(team.statement.at(-1)!.balance_eur!)).toBeGreaterThan(0n);
      expect(isValidIban(answers['next-layer-iban']!)).toBe(true);

      // The hosting replies: the servers found in the logs, one e-mail, one management IP, logins before the attacks.
      expect(team.nordhost).toContain(`Request: subscriber information for IP address ${answers['c2a-ip']} on ${answers['implant-time']} (UTC).`);
      expect(team.cloudarc.instance.public_ip).toBe(answers['c2b-ip']);
      expect(team.cloudarc.account.email).toBe(answers['operator-email']);
      const nordhostLogin = team.nordhostLogins.find((l) => l.ip === answers['operator-ip'])!;
      expect(Date.parse(nordhostLogin.time)).toBeLessThan(Date.parse(answers['implant-time']!));
      expect(Date.parse(cloudarcLogin.time_utc)).toBeGreaterThan(team.beacons.at(-1)!.time * 1000);

      // The police: the management IP at the time of the Cloudarc login.
      expect(team.police).toContain(`The IP address ${answers['operator-ip']} belongs`);
      expect(team.police).toContain(`On ${cloudarcLogin.time_utc} (UTC) it was assigned`);
      expect(Date.parse(team.statement.at(-1)!.booking_date!)).toBeLessThan(START);
    });
  }

  it('holds for many more seeds: every answer found is accepted', () => {
    for (let i = 0; i < 25; i++) {
      const team = investigate(`seed-${i}-${(i * 7919).toString(36)}`);
      for (const o of definition.objectives) expect(evaluate(prepareCheck(o.answer, team.values), team.answers[o.id]!).outcome, `${o.id} (seed ${i})`).toBe('correct');
    }
  });

  it('lets a team aim its legal requests with what the evidence shows', () => {
    const team = teams[0]!;
    const render = (s: string) => renderTemplate(s, team.values);
    const responses = new Map(definition.legalParties.flatMap((p) => p.responses.map((r) => [r.id, r])));
    const nordhost = responses.get('nordhost-subscriber')!.identifier;
    expect(render(nordhost.value)).toBe(team.answers['c2a-ip']);
    expect(Date.parse(render(nordhost.at!))).toBe(Date.parse(team.answers['implant-time']!));
    const cloudarc = responses.get('cloudarc-subscriber')!.identifier;
    expect(render(cloudarc.value)).toBe(team.answers['c2b-ip']);
    for (const b of team.beacons) expect(Math.abs(b.time * 1000 - Date.parse(render(cloudarc.at!)))).toBeLessThanOrEqual(cloudarc.toleranceMinutes * 60_000);
    expect(render(responses.get('meridional-production')!.identifier.value)).toBe(team.answers['main-mule-iban']);
    const police = responses.get('police-mla')!.identifier;
    expect(render(police.value)).toBe(team.answers['operator-ip']);
    expect(render(police.at!)).toBe(team.cloudarc.logins.find((l) => l.ip === team.answers['operator-ip'])!.time_utc);
    expect(render(responses.get('police-mla-first-login')!.identifier.at!)).toBe(team.nordhostLogins.find((l) => l.ip === team.answers['operator-ip'])!.time);
  });

  it('quotes the right hashes of the files that are the same for every team', () => {
    const yaml = read('scenario.yaml');
    const quoted = [...yaml.matchAll(/(evidence\/[\w./-]+) \(SHA-256 ([0-9a-f]{64})\)/g)];
    expect(new Set(quoted.map((m) => m[1]))).toEqual(new Set(definition.evidence.filter((e) => !e.templated).map((e) => e.file)));
    for (const [, file, hash] of quoted) expect(sha256Hex(readFileSync(dir + file!)), file).toBe(hash);
    for (const e of definition.evidence.filter((x) => !x.templated)) expect(readFileSync(dir + e.file).toString('latin1')).not.toContain('{{');
    expect(readFileSync(dir + fileOf('camera-advisory')).toString('latin1')).toContain('(firmware 3.4.7 and earlier) Tj'.slice(10));
  });
});
