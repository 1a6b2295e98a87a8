import { fileURLToPath } from 'node:url';
import { Trail, amountVar, btc } from './lib/blockchain.ts';
import { writeTextPng } from './lib/bitmap-text.ts';
import { writePdf } from './lib/documents.ts';
import { authenticationResults, receivedSpf, writeEml, type Hop } from './lib/eml.ts';
import { PackageWriter, sha256Hex } from './lib/files.ts';
import { csv, syslogLine } from './lib/logs.ts';
import { PackageRandom, isoOf, unix } from './lib/random.ts';
import { VariableSet } from './lib/variables.ts';

// Operation Glass Vault (scenarios/bitcoin-blackmail): the evidence files and
// the variables of scenario.yaml. The story's clock (all UTC; the company is
// in UTC+1, the extortionist's mail client in UTC+2):
//
//   2026-02-02 22:20–23:10  first VPN login with a stolen account, from the suspect's home IP (two failures before)
//   2026-02-04 01:20–02:10  second VPN session: the clinical-trial database is copied out
//   2026-02-08 20:41        test payment from the suspect's wallet to the ransom wallet
//   2026-02-09 06:48        the Tor leak site announces the data (captured by the company at 09:12)
//   2026-02-09 07:05–07:35  first extortion e-mail, sent over Tor through Vaultmail
//   2026-02-10 10:40–11:20  the company pays the ransom
//   + 2 h 03                 the ransom wallet is swept to an intermediate wallet
//   + 14 h 30                part of it is deposited at Tidemark Exchange, the rest kept
//   2026-02-10 18:10–18:50  second e-mail, sent from the suspect's home IP (no Tor)
//   2026-02-11 07:45        the company files its complaint (before it notices the second e-mail)
//   2026-02-11 09:00        start of the exercise
//
// Fixed values come from the package seed below; per-team values are variables.

export const packageDir = fileURLToPath(new URL('../../scenarios/bitcoin-blackmail/', import.meta.url));
const SEED = 'cybercap/bitcoin-blackmail/1';

const VICTIMS = ['Veltrano', 'Korvessa', 'Brandmoor', 'Quillhaven', 'Tessaro', 'Virelle', 'Halmstead', 'Norvayne', 'Calderis', 'Ostrevo'];
const PROVIDER = 'vaultmail.example';
const PROVIDER_SMTP = { name: `smtp.${PROVIDER}`, ip: '10.12.0.8' };
const PROVIDER_MXOUT = { name: `mx-out-1.${PROVIDER}`, ip: '203.0.113.25' };
const GATEWAY_IP = '10.30.0.5';
const MAILSTORE_IP = '10.30.0.12';
const ONION = 'glassv4ultq7n3kd2lx5m6yqh3wz4f7rbp2c5aeo6sutj4kyxnv2hid.onion';
const LEAK_POSTED = '2026-02-09 06:48';

export function buildBitcoinBlackmail(dir = packageDir): { writer: PackageWriter; vars: VariableSet } {
  const r = new PackageRandom(SEED);
  const vars = new VariableSet();
  const writer = new PackageWriter(dir);
  const v = (name: string) => vars.ref(name);

  // --- People, accounts and addresses
  vars.define('victim_company', { generator: 'choice', params: { values: VICTIMS } }, 'the company (one invented word; its domain is <word>-biolabs.example)');
  const domain = `${vars.ref('victim_company', 'lower')}-biolabs.example`;
  const ceo = `a.okafor@${domain}`;
  vars.define('extortion_email', { generator: 'email', params: { domain: PROVIDER } }, 'the extortionist\'s mailbox');
  vars.define('tor_exit_ip', { generator: 'ipv4' }, 'Tor exit relay that carried the first e-mail');
  vars.define('tor_fingerprint', { generator: 'hex', params: { length: 40 } }, 'its relay fingerprint (shown in upper case)');
  vars.define('home_ip', { generator: 'ipv4' }, 'the suspect\'s home connection (Brightwave Telecom)');
  vars.define('mobile_ip', { generator: 'ipv4' }, 'the suspect\'s mobile connection (exchange logins)');
  vars.define('vpn_user', { generator: 'username' }, 'the stolen VPN account');
  vars.define('suspect_name', { generator: 'person_name' });
  vars.define('suspect_user', { generator: 'username' }, 'the suspect\'s account on the seized laptop');
  vars.define('suspect_email', { generator: 'email' });
  vars.define('suspect_phone', { generator: 'phone', params: { country: 'GB' } });
  vars.define('suspect_iban', { generator: 'iban', params: { country: 'FR' } });
  vars.define('exchange_account', { generator: 'integer', params: { min: 100000, max: 999999 } });
  vars.define('exfil_bytes', { generator: 'integer', params: { min: 1_800_000_000, max: 2_600_000_000 } }, 'bytes sent to the VPN client in the second session');

  // --- The clock
  vars.define('vpn_first_login', { generator: 'timestamp', params: { start: '2026-02-02T22:20:00Z', end: '2026-02-02T23:10:00Z' } });
  vars.sum('vpn_fail_1', ['vpn_first_login', -131], { format: 'iso' });
  vars.sum('vpn_fail_2', ['vpn_first_login', -58], { format: 'iso' });
  vars.sum('vpn_first_logout', ['vpn_first_login', 6121], { format: 'iso' });
  vars.sum('vpn_second_login', ['vpn_first_login', 97213], { format: 'iso' });
  vars.sum('vpn_second_logout', ['vpn_first_login', 106163], { format: 'iso' });
  vars.define('email1_sent', { generator: 'timestamp', params: { start: '2026-02-09T07:05:00Z', end: '2026-02-09T07:35:00Z' } }, 'the first e-mail leaves the client');
  vars.define('email2_sent', { generator: 'timestamp', params: { start: '2026-02-10T18:10:00Z', end: '2026-02-10T18:50:00Z' } }, 'the second e-mail leaves the client');
  for (const m of ['email1', 'email2']) {
    vars.sum(`${m}_date`, [`${m}_sent`], { format: 'rfc2822', utcOffset: '+02:00' }, 'Date header of the client, in UTC+2');
    vars.sum(`${m}_smtp`, [`${m}_sent`, 2], { format: 'rfc2822' });
    vars.sum(`${m}_mxout`, [`${m}_sent`, 3], { format: 'rfc2822' });
    vars.sum(`${m}_mx1`, [`${m}_sent`, 5], { format: 'rfc2822' });
    vars.sum(`${m}_mx1_iso`, [`${m}_sent`, 5], { format: 'iso' }, 'accepted by the company\'s gateway');
    vars.sum(`${m}_lmtp`, [`${m}_sent`, 6], { format: 'rfc2822' });
    vars.sum(`${m}_lmtp_iso`, [`${m}_sent`, 6], { format: 'iso' });
  }
  vars.define('payment_time', { generator: 'timestamp', params: { start: '2026-02-10T10:40:00Z', end: '2026-02-10T11:20:00Z' } }, 'block time of the ransom payment');
  vars.sum('sweep_time', ['payment_time', 7391], { format: 'iso' });
  vars.sum('deposit_time', ['payment_time', 52218], { format: 'iso' });
  vars.sum('deposit_credited', ['payment_time', 54021], { format: 'iso' });
  vars.sum('exchange_login_1', ['payment_time', 55740], { format: 'iso' });
  vars.sum('exchange_login_2', ['payment_time', 66112], { format: 'iso' });
  vars.sum('withdrawal_time', ['payment_time', 66391], { format: 'iso' });

  // --- The money
  for (const w of ['ransom_wallet', 'hop1_wallet', 'deposit_wallet']) vars.define(w, { generator: 'bitcoin_address' });
  vars.define('hop2_wallet', { generator: 'bitcoin_address', params: { type: 'p2pkh' } }, 'the suspect\'s own wallet (test payment, change)');
  vars.define('ransom_btc', { generator: 'amount', params: { min: 1.2, max: 1.9, decimals: 8 } });
  vars.define('deposit_btc', { generator: 'amount', params: { min: 0.7, max: 1.05, decimals: 8 } });
  vars.define('fee_sweep', { generator: 'amount', params: { min: 0.000012, max: 0.000048, decimals: 8 } });
  vars.define('fee_deposit', { generator: 'amount', params: { min: 0.000015, max: 0.00006, decimals: 8 } });
  vars.define('withdrawal_eur', { generator: 'amount', params: { min: 52000, max: 61000, decimals: 2 } });
  for (const t of ['test_txid', 'payment_txid', 'sweep_txid', 'deposit_txid']) vars.define(t, { generator: 'sha256' });

  const trail = new Trail(vars);
  const broker = r.bech32Address('broker');
  const funding = trail.add({
    txid: r.hex('txid', 64),
    time: '2026-02-06T17:22:41Z',
    block: 935118,
    inputs: [{ txid: r.hex('txid', 64), vout: 1, address: r.bech32Address('noise'), amount: btc('0.07330000') }],
    pay: [
      { address: v('hop2_wallet'), amount: btc('0.07310000') },
      { address: r.bech32Address('noise'), amount: btc('0.00018590') },
    ],
    fee: btc('0.00001410'),
  });
  const test = trail.add({
    txid: v('test_txid'),
    time: '2026-02-08T20:41:17Z',
    block: 935412,
    inputs: [trail.output(funding, 0)],
    pay: [{ address: v('ransom_wallet'), amount: btc('0.00050000') }],
    fee: btc('0.00000912'),
    change: { address: v('hop2_wallet'), variable: 'hop2_after_test', comment: 'change of the test payment' },
  });
  const brokerInput = { txid: r.hex('txid', 64), vout: 0, address: broker, amount: btc('2.50000000') };
  const payment = trail.add({
    txid: v('payment_txid'),
    time: v('payment_time'),
    block: 935644,
    inputs: [brokerInput],
    pay: [{ address: v('ransom_wallet'), amount: amountVar('ransom_btc') }],
    fee: btc('0.00002310'),
    change: { address: broker, variable: 'broker_change', comment: 'the broker\'s change' },
  });
  const sweep = trail.add({
    txid: v('sweep_txid'),
    time: v('sweep_time'),
    block: 935657,
    inputs: [trail.output(payment, 0), trail.output(test, 0)],
    pay: [],
    fee: amountVar('fee_sweep'),
    change: { address: v('hop1_wallet'), variable: 'hop1_btc', comment: 'the sweep of the ransom wallet' },
  });
  trail.add({
    txid: v('deposit_txid'),
    time: v('deposit_time'),
    block: 935731,
    inputs: [trail.output(sweep, 0), trail.output(test, 1)],
    pay: [{ address: v('deposit_wallet'), amount: amountVar('deposit_btc') }],
    fee: amountVar('fee_deposit'),
    change: { address: v('hop2_wallet'), variable: 'kept_btc', comment: 'what the suspect kept' },
  });
  trail.add({
    txid: r.hex('txid', 64),
    time: '2026-02-10T23:05:52Z',
    block: 935702,
    inputs: [{ txid: r.hex('txid', 64), vout: 3, address: r.bech32Address('noise'), amount: btc('0.31000000') }],
    pay: [
      { address: v('deposit_wallet'), amount: btc('0.12000000') },
      { address: r.bech32Address('noise'), amount: btc('0.18997650') },
    ],
    fee: btc('0.00002350'),
  });
  trail.transactions.sort((a, b) => a.block - b.block);
  writer.add(
    'evidence/blockchain-trail.json',
    trail.toJson({
      source: 'Cryptocurrency unit, block explorer export (mainnet)',
      exported_at_utc: '2026-02-11T08:12:00Z',
      note: 'Transactions touching the ransom address and the addresses it leads to, by block. Amounts in BTC; times are block times, UTC.',
    }),
  );

  // --- The e-mails
  const email = (m: 'email1' | 'email2', client: { helo: string; ip: string }, ids: { submit: string; out: string; gw: string; store: string }, messageId: string, subject: string, body: string) => {
    const spf = { result: 'pass' as const, ip: PROVIDER_MXOUT.ip, mailFrom: v('extortion_email'), helo: PROVIDER_MXOUT.name, receiver: `mx1.${domain}` };
    const hops: Hop[] = [
      { helo: client.helo, ip: client.ip, by: PROVIDER_SMTP.name, software: 'Postfix', protocol: 'ESMTPSA', id: ids.submit, for: ceo, tls: 'TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)', authenticatedSender: v('extortion_email'), date: v(`${m}_smtp`), zoneComment: '(UTC)' },
      { helo: PROVIDER_SMTP.name, rdns: PROVIDER_SMTP.name, ip: PROVIDER_SMTP.ip, by: PROVIDER_MXOUT.name, software: 'Postfix', protocol: 'ESMTP', id: ids.out, for: ceo, date: v(`${m}_mxout`), zoneComment: '(UTC)' },
      {
        helo: PROVIDER_MXOUT.name,
        rdns: PROVIDER_MXOUT.name,
        ip: PROVIDER_MXOUT.ip,
        by: `mx1.${domain}`,
        software: 'Postfix',
        protocol: 'ESMTPS',
        id: ids.gw,
        for: ceo,
        tls: 'TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)',
        date: v(`${m}_mx1`),
        zoneComment: '(UTC)',
        trace: [
          ['Authentication-Results', authenticationResults(`mx1.${domain}`, { spf, dkim: { result: 'pass', domain: PROVIDER, selector: 'vm2025' }, dmarc: { result: 'pass', domain: PROVIDER, policy: 'reject' } })],
          ['Received-SPF', receivedSpf(spf)],
        ],
      },
      { helo: `mx1.${domain}`, rdns: `mx1.${domain}`, ip: GATEWAY_IP, by: `mail.${domain}`, software: 'Dovecot', protocol: 'LMTP', id: ids.store, for: ceo, date: v(`${m}_lmtp`), zoneComment: '(UTC)' },
    ];
    return writeEml({
      hops,
      headers: [
        ['Message-ID', messageId],
        ['Date', v(`${m}_date`)],
        ['From', `Glass Vault <${v('extortion_email')}>`],
        ['To', `Dr Amara Okafor <${ceo}>`],
        ['Subject', subject],
      ],
      extra: [['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.6.0']],
      body,
    });
  };
  const id1 = { submit: r.queueId('q'), out: r.queueId('q'), gw: r.queueId('q'), store: r.hex('lmtp', 24) };
  const id2 = { submit: r.queueId('q'), out: r.queueId('q'), gw: r.queueId('q'), store: r.hex('lmtp', 24) };
  const msg1 = `<${r.hex('msgid', 8)}-${r.hex('msgid', 4)}-${r.hex('msgid', 4)}-${r.hex('msgid', 12)}@${PROVIDER}>`;
  const msg2 = `<${r.hex('msgid', 8)}-${r.hex('msgid', 4)}-${r.hex('msgid', 4)}-${r.hex('msgid', 12)}@${PROVIDER}>`;
  const company = `${v('victim_company')} Biolabs`;
  writer.add(
    'evidence/extortion-email-1.eml',
    email('email1', { helo: '[127.0.0.1]', ip: v('tor_exit_ip') }, id1, msg1, `${company} - clinical trial data - 48 hours`, [
      `To the management of ${company},`,
      '',
      'Last week we walked through your VPN and copied the database of your',
      'phase II trial VX-114: 4,812 participants with names, birth dates,',
      'diagnoses and contact details. If you doubt it, 20 records are here',
      '(Tor Browser):',
      '',
      `   http://${ONION}/vx114.csv`,
      '',
      `Pay ${v('ransom_btc')} BTC to this bitcoin address:`,
      '',
      `   ${v('ransom_wallet')}`,
      '',
      'You have 48 hours. After that the data goes to the press, to the',
      'participants and to your regulator. Do not involve the police.',
      '',
      '-- ',
      'Glass Vault',
    ].join('\n')),
  );
  writer.add(
    'evidence/extortion-email-2.eml',
    email('email2', { helo: '[192.168.1.34]', ip: v('home_ip') }, id2, msg2, `Re: ${company} - received`, [
      'We see the payment. Your data will not be published.',
      '',
      'If anyone talks about this, the price of silence goes up.',
      '',
      '-- ',
      'Glass Vault',
    ].join('\n')),
  );

  // --- The company's mail gateway (Postfix on mx1, UTC)
  const gw: Array<[number, string]> = [];
  const pids = { smtpd: 2211, cleanup: 2214, qmgr: 1187, lmtp: 2219 };
  const partners = ['mail.kestrel-labs.example', 'smtp.northgate-cro.example', 'mx.helvion-supplies.example', 'out.medpress.example'];
  const noise = (day: string, from: string, to: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const t = r.int('gw', unix(`${day}T${from}Z`), unix(`${day}T${to}Z`));
      const host = r.pick('gw', partners);
      const ip = r.docIp('gw');
      const q = r.queueId('q');
      const user = r.pick('gw', ['j.marsh', 'l.ferreira', 'a.okafor', 'procurement', 'qa', 'm.delacroix', 's.nakamura']);
      const sender = `${r.pick('gw', ['info', 'noreply', 'billing', 'study.coordination', 'support'])}@${host.split('.').slice(1).join('.')}`;
      gw.push([t, `connect from ${host}[${ip}]`], [t, `${q}: client=${host}[${ip}]`], [t, `${q}: message-id=<${r.hex('gw', 16)}@${host}>`], [t, `${q}: from=<${sender}>, size=${r.int('gw', 3000, 90000)}, nrcpt=1 (queue active)`]);
      gw.push([t + 1, `${q}: to=<${user}@${domain}>, relay=mail.${domain}[${MAILSTORE_IP}]:24, delay=0.9, delays=0.1/0/0.2/0.6, dsn=2.0.0, status=sent (250 2.0.0 <${user}@${domain}> Saved)`], [t + 1, `${q}: removed`], [t + 1, `disconnect from ${host}[${ip}] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7`]);
    }
  };
  noise('2026-02-09', '06:10:00', '06:58:00', 4);
  noise('2026-02-09', '07:45:00', '09:30:00', 6);
  noise('2026-02-10', '16:40:00', '18:00:00', 4);
  noise('2026-02-10', '19:00:00', '20:10:00', 4);
  gw.sort((a, b) => a[0] - b[0]);
  const program = (message: string) => (/^connect|^disconnect|client=/.test(message) ? 'postfix/smtpd' : /message-id=/.test(message) ? 'postfix/cleanup' : /relay=/.test(message) ? 'postfix/lmtp' : 'postfix/qmgr');
  const line = (time: string, message: string) => syslogLine(time, 'mx1', program(message), pids[program(message).slice(8) as keyof typeof pids], message);
  const ours = (m: 'email1' | 'email2', q: string, messageId: string) => {
    const at = v(`${m}_mx1_iso`);
    const done = v(`${m}_lmtp_iso`);
    return [
      line(at, `connect from ${PROVIDER_MXOUT.name}[${PROVIDER_MXOUT.ip}]`),
      line(at, `${q}: client=${PROVIDER_MXOUT.name}[${PROVIDER_MXOUT.ip}]`),
      line(at, `${q}: message-id=${messageId}`),
      line(at, `${q}: from=<${v('extortion_email')}>, size=${m === 'email1' ? 2874 : 2391}, nrcpt=1 (queue active)`),
      line(done, `${q}: to=<${ceo}>, relay=mail.${domain}[${MAILSTORE_IP}]:24, delay=1.1, delays=0.2/0/0.2/0.7, dsn=2.0.0, status=sent (250 2.0.0 <${ceo}> ${id(m)} Saved)`),
      line(done, `${q}: removed`),
      line(done, `disconnect from ${PROVIDER_MXOUT.name}[${PROVIDER_MXOUT.ip}] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7`),
    ];
  };
  const id = (m: 'email1' | 'email2') => (m === 'email1' ? id1.store : id2.store);
  const before = (limit: string) => gw.filter(([t]) => t < unix(limit)).map(([t, m]) => line(isoOf(t), m));
  const between = (a: string, b: string) => gw.filter(([t]) => t >= unix(a) && t < unix(b)).map(([t, m]) => line(isoOf(t), m));
  writer.add(
    'evidence/mail-gateway.log',
    `${[
      ...before('2026-02-09T07:00:00Z'),
      ...ours('email1', id1.gw, msg1),
      ...between('2026-02-09T07:40:00Z', '2026-02-10T18:05:00Z'),
      ...ours('email2', id2.gw, msg2),
      ...between('2026-02-10T18:55:00Z', '2026-02-11T00:00:00Z'),
    ].join('\n')}\n`,
  );

  // --- The company's VPN (CSV export of the VPN concentrator, UTC)
  const staff = ['j.marsh', 'l.ferreira', 'm.delacroix', 's.nakamura', 'r.ahmadi', 'k.osei', 'p.lindgren'];
  type Row = Array<string | number>;
  const vpn: Array<[number, Row]> = [];
  let session = 40100;
  for (const day of ['2026-02-02', '2026-02-03', '2026-02-04']) {
    for (const user of staff) {
      if (r.int('vpn', 0, 3) === 0) continue;
      const start = r.int('vpn', unix(`${day}T06:30:00Z`), unix(`${day}T10:30:00Z`));
      const end = start + r.int('vpn', 3 * 3600, 9 * 3600);
      const ip = r.docIp('vpn');
      const assigned = `10.99.${r.int('vpn', 0, 3)}.${r.int('vpn', 10, 250)}`;
      const sid = `S-${session++}`;
      vpn.push([start, [isoOf(start), 'LOGIN', user, ip, assigned, 'FortiClient 7.2.4', sid, '', '', 'MFA push approved']]);
      vpn.push([end, [isoOf(end), 'LOGOUT', user, ip, assigned, 'FortiClient 7.2.4', sid, r.int('vpn', 20e6, 900e6), r.int('vpn', 5e6, 200e6), 'user logout']]);
    }
  }
  const rows = vpn.sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  const split = (limit: string) => rows.filter((row) => unix(String(row[0])) < unix(limit));
  const after = (from: string, to: string) => rows.filter((row) => unix(String(row[0])) >= unix(from) && unix(String(row[0])) < unix(to));
  const client = 'openvpn-linux 2.6.12';
  const attacker: Row[] = [
    [v('vpn_fail_1'), 'AUTH_FAIL', v('vpn_user'), v('home_ip'), '', client, '', '', '', 'bad password'],
    [v('vpn_fail_2'), 'AUTH_FAIL', v('vpn_user'), v('home_ip'), '', client, '', '', '', 'bad password'],
    [v('vpn_first_login'), 'LOGIN', v('vpn_user'), v('home_ip'), '10.99.7.41', client, 'S-40211', '', '', 'legacy account: MFA not enrolled'],
    [v('vpn_first_logout'), 'LOGOUT', v('vpn_user'), v('home_ip'), '10.99.7.41', client, 'S-40211', 48211533, 2210944, 'idle timeout'],
  ];
  const attacker2: Row[] = [
    [v('vpn_second_login'), 'LOGIN', v('vpn_user'), v('home_ip'), '10.99.7.58', client, 'S-40297', '', '', 'legacy account: MFA not enrolled'],
    [v('vpn_second_logout'), 'LOGOUT', v('vpn_user'), v('home_ip'), '10.99.7.58', client, 'S-40297', v('exfil_bytes'), 31877420, 'user logout'],
  ];
  writer.add(
    'evidence/vpn-access.csv',
    csv(['timestamp_utc', 'event', 'username', 'source_ip', 'assigned_ip', 'client', 'session_id', 'bytes_to_client', 'bytes_from_client', 'detail'], [
      ...split('2026-02-02T22:00:00Z'),
      ...attacker,
      ...after('2026-02-03T01:00:00Z', '2026-02-04T01:00:00Z'),
      ...attacker2,
      ...after('2026-02-04T05:00:00Z', '2026-02-05T00:00:00Z'),
    ]),
  );

  // --- The leaked sample (as published by the extortionist; identical for every team)
  const first = ['A.', 'B.', 'C.', 'D.', 'E.', 'F.', 'G.', 'H.', 'J.', 'K.', 'L.', 'M.', 'N.', 'P.', 'R.', 'S.', 'T.'];
  const sample = Array.from({ length: 20 }, (_, i) => [
    `VX114-${String(1000 + r.int('leak', 1, 4811)).padStart(5, '0')}`,
    `${r.pick('leak', first)} ${r.pick('leak', ['Moreau', 'Kowalski', 'Haddad', 'Silva', 'Novak', 'Okoro', 'Berg', 'Rossi', 'Tanaka', 'Mensah', 'Lind', 'Costa'])}`,
    r.int('leak', 1948, 1999),
    r.pick('leak', ['Site 01 Lyon', 'Site 02 Porto', 'Site 03 Gdansk', 'Site 04 Tunis']),
    `2025-${String(r.int('leak', 3, 11)).padStart(2, '0')}-${String(r.int('leak', 1, 28)).padStart(2, '0')}`,
    r.pick('leak', ['E11.9', 'I10', 'J45.909', 'E78.5', 'K21.9']),
    `participant${i + 1}@example.net`,
  ]);
  const leak = csv(['participant_id', 'name', 'birth_year', 'site', 'enrolled', 'diagnosis_icd10', 'email'], sample);
  writer.add('evidence/leaked-sample.csv', leak);

  // --- The complaint and the leak site (the same for every team: a PDF or PNG
  // cannot be templated, so they name neither the company nor a per-team value,
  // and give the story's times only as fixed times or local-time ranges).
  writer.add('evidence/complaint.pdf', writePdf([complaint], 'Complaint - extortion and data theft - trial VX-114'));
  const dark = [33, 37, 41] as const;
  const white = [255, 255, 255] as const;
  const red = [176, 32, 32] as const;
  const grey = [110, 110, 110] as const;
  writer.add(
    'evidence/leak-site.png',
    writeTextPng([
      { text: ' TOR BROWSER - GLASS VAULT | LEAKS'.padEnd(ONION.length + 2), color: white, background: dark }, // a window's title bar, full width
      { text: ` ${ONION}/`, color: grey },
      '',
      { text: 'GLASS VAULT - WE KEEP WHAT YOU LOSE', color: red },
      '',
      'NEW LEAK',
      'TARGET:      ******** BIOLABS (NAME PUBLISHED IF NO PAYMENT)',
      'DATA:        CLINICAL TRIAL VX-114 - 4,812 PARTICIPANTS',
      '             NAMES, BIRTH DATES, DIAGNOSES, CONTACT DETAILS',
      `POSTED:      ${LEAK_POSTED} UTC`,
      'PUBLICATION: 2026-02-11 07:00 UTC (48 HOURS)',
      'PROOF:       VX114.CSV (20 RECORDS) - DOWNLOAD',
      '',
      { text: 'STATUS: WAITING FOR THE COMPANY', color: red },
      '',
      { text: 'SCREENSHOT 2026-02-09 09:12 UTC, SECURITY TEAM, TOR BROWSER 14.0.4', color: grey },
    ]),
  );

  // --- OSINT: Tor exit list snapshot (TorDNSEL format, times UTC)
  const exits: string[] = [];
  const ours_exit = r.int('tor', 3, 8);
  for (let i = 0; i < 12; i++) {
    const fp = i === ours_exit ? vars.ref('tor_fingerprint', 'upper') : r.hex('tor', 40, true);
    const ip = i === ours_exit ? v('tor_exit_ip') : r.docIp('tor');
    const published = isoOf(unix('2026-02-09T05:10:00Z') + r.int('tor', 0, 3000)).replace('T', ' ').replace('Z', '');
    exits.push(`ExitNode ${fp}`, `Published ${published}`, 'LastStatus 2026-02-09 07:00:00', `ExitAddress ${ip} 2026-02-09 ${String(6 + (i % 2)).padStart(2, '0')}:${String(r.int('tor', 10, 59))}:${String(r.int('tor', 10, 59))}`);
  }
  writer.add('evidence/tor-exit-list.txt', `# Tor exit list (TorDNSEL format), snapshot of 2026-02-09 08:00 UTC, downloaded by the OSINT desk\n${exits.join('\n')}\n`);

  // --- Legal replies
  writer.add(
    'evidence/exchange-production.json',
    `${JSON.stringify(
      {
        producer: 'Tidemark Exchange Pte. Ltd., Compliance Department',
        reference: 'TMX-LE-2026-0419',
        produced_in_reply_to: `Production order concerning deposit address ${v('deposit_wallet')}`,
        time_zone: 'UTC',
        account: {
          account_id: `TM-${v('exchange_account')}`,
          holder: v('suspect_name'),
          email: v('suspect_email'),
          phone: v('suspect_phone'),
          kyc_document: 'national identity card, verified 2025-06-14',
          created_utc: '2025-06-14T19:02:33Z',
        },
        deposits: [{ credited_utc: v('deposit_credited'), txid: v('deposit_txid'), address: v('deposit_wallet'), amount_btc: v('deposit_btc') }],
        logins: [
          { time_utc: v('exchange_login_1'), ip: v('home_ip'), device: 'Firefox 128 / Linux' },
          { time_utc: v('exchange_login_2'), ip: v('mobile_ip'), device: 'Tidemark app 4.2 / Android' },
        ],
        withdrawals: [{ time_utc: v('withdrawal_time'), currency: 'EUR', amount: v('withdrawal_eur'), to_iban: v('suspect_iban'), status: 'completed' }],
      },
      null,
      2,
    )}\n`,
  );
  writer.add(
    'evidence/isp-subscriber-reply.txt',
    [
      'BRIGHTWAVE TELECOM - LAW ENFORCEMENT LIAISON',
      'Reply to a request for subscriber information',
      'Our reference: BWT-LEL-26-00871',
      '',
      `Requested: the subscriber using IP address ${v('home_ip')} on ${v('vpn_first_login')} (UTC).`,
      '',
      `At that time the address ${v('home_ip')} was assigned to the following fibre line`,
      '(fixed address lease from 2026-01-28 00:00 UTC, still active on the date of this reply):',
      '',
      `  Subscriber:        ${v('suspect_name')}`,
      '  Service address:   Flat 3, 27 Harrow Lane, Kestrel Bay',
      `  Contact phone:     ${v('suspect_phone')}`,
      `  Contact e-mail:    ${v('suspect_email')}`,
      '  Customer since:    2021-09-02',
      '  Line:              FTTH 1 Gbit/s, router Brightwave Hub 6 (CPE serial BWH6-77A1C2)',
      '',
      'All times are UTC. Traffic content is not retained.',
      '',
    ].join('\n'),
  );

  // --- The seized laptop
  const notes = recoveredNotes(r);
  writer.add('evidence/laptop/recovered-fragment.bin', notes);
  const home = `/home/${v('suspect_user')}`;
  const decoys = Array.from({ length: 3 }, () => r.hex('laptop', 64));
  writer.add(
    'evidence/laptop/triage-report.txt',
    [
      'SEIZED DEVICE TRIAGE REPORT - exhibit LPT-01',
      '',
      'Seized:       2026-02-11 15:20 UTC, home of the suspect, on a search warrant',
      'Device:       laptop, Linux (Debian 12), one 512 GB NVMe disk, full-disk encryption unlocked at seizure',
      `Image:        LPT-01.E01, SHA-256 ${r.hex('laptop', 64)}`,
      `Local user:   ${v('suspect_user')} (uid 1000)`,
      'Times:        UTC (the system clock was set to Europe/Athens, UTC+2)',
      '',
      '== Files of interest (path | size in bytes | modified UTC | SHA-256)',
      `${home}/Documents/trial/vx114_full.csv | 1873421 | 2026-02-04 02:31:07 | ${decoys[0]}`,
      `${home}/.cache/thumbnails/x/part-01.csv | ${Buffer.byteLength(leak)} | 2026-02-08 21:02:44 | ${sha256Hex(leak)}`,
      `${home}/Downloads/sample_check.csv | ${Buffer.byteLength(leak) + 311} | 2026-02-08 21:05:10 | ${decoys[1]}`,
      `${home}/Documents/notes.odt (deleted; recovered fragment, see recovered-fragment.bin) | ${notes.length} | 2026-02-09 06:58:31 | ${sha256Hex(notes)}`,
      `${home}/.config/openvpn/${vars.ref('victim_company', 'lower')}.ovpn | 4211 | 2026-02-02 22:14:09 | ${decoys[2]}`,
      '',
      '== Electrum wallet (default_wallet, opened with the password found in the notes)',
      `Addresses with history: ${v('ransom_wallet')}, ${v('hop1_wallet')}, ${v('hop2_wallet')}`,
      '',
      '== Thunderbird profile',
      `Account: ${v('extortion_email')} (SMTP ${PROVIDER_SMTP.name}:465), network proxy SOCKS5 127.0.0.1:9150 (Tor Browser) - disabled since 2026-02-10 18:02`,
      '',
      '== OpenVPN profile',
      `${home}/.config/openvpn/auth.txt holds the user name ${v('vpn_user')} and a password`,
      '',
      '== Shell history (excerpt)',
      `sudo openvpn --config ~/.config/openvpn/${vars.ref('victim_company', 'lower')}.ovpn --auth-user-pass ~/.config/openvpn/auth.txt`,
      'psql -h 10.40.2.15 -U trial_ro vx114 -c "\\copy participants to vx114_full.csv csv header"',
      'head -n 21 vx114_full.csv | cut -d, -f1-7 > ~/.cache/thumbnails/x/part-01.csv',
      '',
    ].join('\n'),
  );
  return { writer, vars };
}

/** A small binary: the carved fragment of a deleted document (a ZIP local header and deflate-looking bytes). */
function recoveredNotes(r: PackageRandom): Uint8Array {
  const head = Buffer.from('504b0304140000000800', 'hex');
  const name = Buffer.from('content.xml');
  const body = Buffer.from(r.rng('fragment').bytes(1500));
  return new Uint8Array(Buffer.concat([head, Buffer.alloc(16), Buffer.from([name.length, 0, 0, 0]), name, body]));
}

/** The company's complaint, filed on the morning of the exercise (times as the company wrote them). */
const complaint = [
  'COMPLAINT AND INCIDENT NOTIFICATION - EXTORTION AND THEFT OF DATA',
  'To: the police cybercrime unit',
  'Company reference: SEC-INC-2026-007',
  '',
  'Complainant: Dr Amara Okafor, chief executive, on behalf of the company',
  '(sponsor of clinical trial VX-114; name and registration in the complaint record)',
  'Filed: Wednesday 11 February 2026, 08:45 local time (07:45 UTC)',
  '',
  '1. Facts',
  'On the morning of Monday 9 February 2026 the chief executive received an e-mail',
  'signed "Glass Vault" from an address at vaultmail.example. The sender claims to',
  'have copied, through the company VPN, the database of the phase II trial VX-114',
  '(4,812 participants: names, birth dates, diagnoses, contact details) and demands',
  'a payment in bitcoin within 48 hours.',
  '',
  'The e-mail links to a Tor site, "Glass Vault | Leaks", which announces the data.',
  `The announcement is dated ${LEAK_POSTED} UTC on the site. Our security team`,
  'captured the page on 9 February 2026 at 10:12 local time (09:12 UTC), annex 2.',
  '',
  'On Tuesday 10 February 2026, around midday local time, the management paid the',
  'ransom in bitcoin through a broker, against the advice of our incident response',
  'provider. The data protection authority was notified on 10 February 2026.',
  '',
  '2. Complaint',
  'The company files a complaint for extortion and for illegal access to its',
  'information system, and asks that the trial participants be protected.',
  '',
  '3. Annexes',
  '1. The first e-mail, exported with all headers (.eml)',
  '2. Screenshot of the Tor leak site (PNG)',
  '3. The 20 records published on the site as proof (CSV)',
  '4. Extract of the mail gateway log, 9-10 February (UTC)',
  'To follow from our IT department: the VPN access log for 2-4 February.',
  '',
  'Log times are UTC. The company is in UTC+1.',
  '',
  'Signed: Dr Amara Okafor, chief executive',
  'Received by the duty officer, cybercrime unit, 11 February 2026, 07:45 UTC',
];
