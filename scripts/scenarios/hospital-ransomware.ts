import { fileURLToPath } from 'node:url';
import { Trail, amountVar, btc } from './lib/blockchain.ts';
import { writePdf, writePng } from './lib/documents.ts';
import { authenticationResults, receivedSpf, writeEml, type Hop } from './lib/eml.ts';
import { PackageWriter, sha256Hex } from './lib/files.ts';
import { csv } from './lib/logs.ts';
import { PackageRandom, isoOf, unix } from './lib/random.ts';
import { VariableSet } from './lib/variables.ts';

// Operation Cold Ward (scenarios/hospital-ransomware): the evidence files and
// the variables of scenario.yaml. The story's clock (all UTC; the hospital is
// in UTC+1, the phishing sender's mail server writes its times in UTC-5):
//
//   2026-03-02 08:10–08:50  phishing e-mail to a ward administrator: a fake webmail page takes the password
//   2026-03-04 00:40–01:30  first VPN login with that account, from a rented server (one failure before)
//   + 5 to 25 min            RDP to an application server, password spraying, then a domain admin account
//   + ~47 h                  second VPN session: the file server's data is uploaded to another rented server
//   + 1 h 55                 the locker is installed as a service on four servers; the security log is cleared
//   2026-03-06 07:00         staff find the ransom note; negotiation on the Tor site follows
//   2026-03-08 15:00–16:00   the insurer's broker pays the agreed ransom
//   + 3 h, + 20 h            the ransom is swept, then split: the affiliate's share goes to Kovara Exchange
//   2026-03-10 09:00         start of the exercise
//
// Fixed values come from the package seed below; per-team values are variables.

export const packageDir = fileURLToPath(new URL('../../scenarios/hospital-ransomware/', import.meta.url));

const SEED = 'cybercap/hospital-ransomware/1';
const DOMAIN = 'mvrh.example';
const ONION = 'coldwrdx7kq2m4yv5p3hn6tzasd2lfa7ewc4gbr7ujo5ikq3nvyh2xqd.onion';
const HOSTS = { dc: 'MVRH-DC01', fs: 'MVRH-FS01', pacs: 'MVRH-PACS02', ehr: 'MVRH-EHR01', backup: 'MVRH-BKP01' };
const IPS = { dc: '10.10.1.10', fs: '10.10.2.15', pacs: '10.10.2.31', ehr: '10.10.2.20', backup: '10.10.3.5', app: '10.10.4.21' };
const MX = { name: `mx1.${DOMAIN}`, ip: '10.30.0.5' };
const STORE = { name: `mail.${DOMAIN}`, ip: '10.30.0.12' };

export function buildHospitalRansomware(dir = packageDir): { writer: PackageWriter; vars: VariableSet } {
  const r = new PackageRandom(SEED);
  const vars = new VariableSet();
  const writer = new PackageWriter(dir);
  const v = (name: string) => vars.ref(name);

  // --- People, accounts, addresses
  vars.define('phished_user', { generator: 'username' }, 'the ward administrator whose password was phished (mailbox and VPN account)');
  vars.define('phish_ip', { generator: 'ipv4' }, 'the compromised server that sent the phishing e-mail');
  vars.define('phish_domain', { generator: 'domain' }, 'the fake webmail site');
  vars.define('attacker_ip', { generator: 'ipv4' }, 'the rented server (Nordhaven VPS) the intruder used for the VPN');
  vars.define('exfil_ip', { generator: 'ipv4' }, 'a second rented server, where the data was uploaded');
  vars.define('home_ip', { generator: 'ipv4' }, 'the suspect\'s home connection (abroad)');
  vars.define('vpn_octet', { generator: 'integer', params: { min: 20, max: 250 } }, 'last octet of the VPN address given to the intruder (10.20.30.x)');
  vars.define('app_num', { generator: 'integer', params: { min: 100, max: 999 } }, 'the application server first reached (MVRH-APP<n>)');
  vars.define('admin_user', { generator: 'username' }, 'the domain admin account (adm_<name>) used to install the locker');
  vars.define('svc_hex', { generator: 'hex', params: { length: 8 } }, 'the locker service name (svc<hex>)');
  vars.define('drop_dir', { generator: 'hex', params: { length: 6 } }, 'the folder of the locker (C:\\ProgramData\\MedSync-<hex>)');
  vars.define('victim_id', { generator: 'hex', params: { length: 16 } }, 'the hospital\'s id on the negotiation site (shown in upper case)');
  vars.define('mirror_domain', { generator: 'domain' }, 'the clear-web mirror of the negotiation site (Nordhaven)');
  vars.define('suspect_name', { generator: 'person_name' });
  vars.define('suspect_email', { generator: 'email' });
  vars.define('suspect_iban', { generator: 'iban', params: { country: 'RO' } });
  vars.define('exfil_bytes', { generator: 'integer', params: { min: 31_000_000_000, max: 46_000_000_000 } }, 'bytes uploaded from the file server');

  // --- The clock
  vars.define('phish_sent', { generator: 'timestamp', params: { start: '2026-03-02T08:10:00Z', end: '2026-03-02T08:50:00Z' } }, 'the phishing e-mail leaves the sender');
  vars.sum('phish_date', ['phish_sent'], { format: 'rfc2822', utcOffset: '-05:00' }, 'Date header and first relay, in UTC-5');
  vars.sum('phish_mx', ['phish_sent', 4], { format: 'rfc2822' });
  vars.sum('phish_store', ['phish_sent', 5], { format: 'rfc2822' });
  vars.define('vpn_login', { generator: 'timestamp', params: { start: '2026-03-04T00:40:00Z', end: '2026-03-04T01:30:00Z' } }, 'first successful VPN login of the intruder');
  const at = (name: string, seconds: number, comment?: string) => vars.sum(name, ['vpn_login', seconds], { format: 'iso' }, comment);
  at('vpn_fail', -47);
  at('rdp_logon', 318, 'RDP logon on MVRH-APP<n>');
  at('spray_1', 905);
  at('spray_2', 911);
  at('spray_3', 918);
  at('admin_logon', 1510, 'the domain admin account logs on to the domain controller');
  at('vpn_logout', 5122);
  at('vpn_login_2', 169_911, 'second VPN session');
  at('dc_rdp', 169_911 + 140, 'RDP to the domain controller with the admin account');
  at('exfil_end', 169_911 + 600 + 5820, 'the upload session to the second server closes');
  at('enc_start', 169_911 + 6903, 'the locker service is first installed (file server)');
  at('enc_pacs', 169_911 + 6941);
  at('enc_ehr', 169_911 + 6998);
  at('enc_app', 169_911 + 7034);
  at('log_cleared', 169_911 + 7310);
  at('vpn_logout_2', 169_911 + 7402);
  vars.define('payment_time', { generator: 'timestamp', params: { start: '2026-03-08T15:00:00Z', end: '2026-03-08T16:00:00Z' } }, 'block time of the ransom payment');
  const pay = (name: string, seconds: number) => vars.sum(name, ['payment_time', seconds], { format: 'iso' });
  pay('chat_offer', -26_520);
  pay('chat_agreed', -23_110);
  pay('chat_paid', 1_212);
  pay('sweep_time', 10_817);
  pay('split_time', 72_405);
  pay('deposit_credited', 74_230);
  pay('exchange_login_1', 75_011);
  pay('exchange_login_2', 80_644);
  pay('withdrawal_time', 80_902);
  pay('panel_login', 36_800);

  // --- The money
  for (const w of ['ransom_wallet', 'hop_wallet', 'deposit_wallet', 'operator_wallet']) vars.define(w, { generator: 'bitcoin_address' });
  vars.define('ransom_btc', { generator: 'amount', params: { min: 2.1, max: 3.4, decimals: 8 } }, 'the amount agreed in the negotiation');
  vars.sum('demand_btc', ['ransom_btc', '2.50000000'], { decimals: 8 }, 'the first demand (the agreed amount plus 2.5)');
  vars.define('deposit_btc', { generator: 'amount', params: { min: 1.55, max: 1.95, decimals: 8 } }, 'the affiliate\'s share, deposited at the exchange');
  vars.define('fee_sweep', { generator: 'amount', params: { min: 0.000012, max: 0.000048, decimals: 8 } });
  vars.define('withdrawal_eur', { generator: 'amount', params: { min: 98_000, max: 126_000, decimals: 2 } });
  for (const t of ['payment_txid', 'sweep_txid', 'split_txid']) vars.define(t, { generator: 'sha256' });

  const victimId = vars.ref('victim_id', 'upper');
  const user = v('phished_user');
  const victimMail = `${user}@${DOMAIN}`;
  const appHost = `MVRH-APP${v('app_num')}`;
  const admin = `adm_${v('admin_user')}`;
  const assigned = `10.20.30.${v('vpn_octet')}`;
  const service = `svc${v('svc_hex')}`;
  const dropDir = `C:\\ProgramData\\MedSync-${v('drop_dir')}`;

  // --- The phishing e-mail (exported from the administrator's mailbox)
  const senderHost = 'mail.lakeshore-dental.example';
  const spf = { result: 'pass' as const, ip: v('phish_ip'), mailFrom: 'it-support@lakeshore-dental.example', helo: senderHost, receiver: MX.name };
  const hops: Hop[] = [
    { helo: '[127.0.0.1]', rdns: 'localhost', ip: '127.0.0.1', by: senderHost, software: 'Exim 4.96', protocol: 'ESMTP', id: r.queueId('q'), for: victimMail, date: v('phish_date') },
    {
      helo: senderHost,
      ip: v('phish_ip'),
      by: MX.name,
      software: 'Postfix',
      protocol: 'ESMTPS',
      id: r.queueId('q'),
      for: victimMail,
      tls: 'TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)',
      date: v('phish_mx'),
      zoneComment: '(UTC)',
      trace: [
        ['Authentication-Results', authenticationResults(MX.name, { spf, dkim: { result: 'none', domain: 'lakeshore-dental.example', selector: 'default' }, dmarc: { result: 'none', domain: 'lakeshore-dental.example', policy: 'none' } })],
        ['Received-SPF', receivedSpf(spf)],
      ],
    },
    { helo: MX.name, rdns: MX.name, ip: MX.ip, by: STORE.name, software: 'Dovecot', protocol: 'LMTP', id: r.hex('lmtp', 24), for: victimMail, date: v('phish_store'), zoneComment: '(UTC)' },
  ];
  writer.add(
    'evidence/phishing-email.eml',
    writeEml({
      hops,
      headers: [
        ['Message-ID', `<${r.hex('msgid', 20)}@lakeshore-dental.example>`],
        ['Date', v('phish_date')],
        ['From', `"MVRH IT Service Desk" <it-support@lakeshore-dental.example>`],
        ['Reply-To', `servicedesk@${v('phish_domain')}`],
        ['To', victimMail],
        ['Subject', 'ACTION REQUIRED: mailbox quota exceeded - revalidate your account'],
      ],
      extra: [['X-Mailer', 'PHPMailer 6.8.1']],
      body: [
        'Dear colleague,',
        '',
        'Your mailbox has exceeded its storage quota. Incoming messages, including',
        'laboratory results and ward rotas, will be rejected after 24 hours.',
        '',
        'To keep your mailbox and remote access (VPN) active, revalidate your',
        'account with your hospital user name and password:',
        '',
        `   https://${v('phish_domain')}/owa/auth/revalidate.aspx?u=${user}`,
        '',
        'Marlow Vale Regional Hospital - IT Service Desk',
      ].join('\n'),
    }),
  );

  // --- The VPN gateway (FortiGate-style key=value events behind an RFC 3339 syslog time, UTC)
  const vpnLines: Array<[number, string]> = [];
  const vpnLine = (time: string, fields: string) => `${time} MVRH-FW01 devname="MVRH-FW01" ${fields}`;
  const staff = ['h.patel', 'c.moreau', 'd.okonkwo', 'e.lindqvist', 'f.rahman', 'g.silva', 'i.novak', 'k.brennan'];
  for (const day of ['2026-03-03', '2026-03-04', '2026-03-05']) {
    for (const who of staff) {
      if (r.int('vpn', 0, 2) === 0) continue;
      const start = r.int('vpn', unix(`${day}T06:30:00Z`), unix(`${day}T11:00:00Z`));
      const end = start + r.int('vpn', 2 * 3600, 8 * 3600);
      const ip = r.docIp('vpn');
      const tunnel = `10.20.30.${r.int('vpn', 2, 19)}`;
      vpnLines.push([start, vpnLine(isoOf(start), `logid="0101039947" type="event" subtype="vpn" action="tunnel-up" user="${who}" remip=${ip} assigned_ip=${tunnel} tunneltype="ssl-tunnel" client="FortiClient 7.2.4" mfa="push-approved" geo="BE"`)]);
      vpnLines.push([end, vpnLine(isoOf(end), `logid="0101039948" type="event" subtype="vpn" action="tunnel-down" user="${who}" remip=${ip} assigned_ip=${tunnel} tunneltype="ssl-tunnel" sentbyte=${r.int('vpn', 5e6, 400e6)} rcvdbyte=${r.int('vpn', 20e6, 900e6)} reason="user-logout"`)]);
    }
  }
  vpnLines.sort((a, b) => a[0] - b[0]);
  const vpnBetween = (a: string, b: string) => vpnLines.filter(([t]) => t >= unix(a) && t < unix(b)).map(([, l]) => l);
  const intruder = (time: string, fields: string) => vpnLine(time, fields);
  const nordhaven = `remip=${v('attacker_ip')}`;
  writer.add(
    'evidence/vpn-gateway.log',
    `${[
      ...vpnBetween('2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z'),
      intruder(v('vpn_fail'), `logid="0101039426" type="event" subtype="vpn" action="ssl-login-fail" user="${user}" ${nordhaven} tunneltype="ssl-tunnel" client="openfortivpn 1.21.0" reason="sslvpn_login_permission_denied" geo="NL"`),
      intruder(v('vpn_login'), `logid="0101039947" type="event" subtype="vpn" action="tunnel-up" user="${user}" ${nordhaven} assigned_ip=${assigned} tunneltype="ssl-tunnel" client="openfortivpn 1.21.0" mfa="not-enrolled" geo="NL"`),
      intruder(v('vpn_logout'), `logid="0101039948" type="event" subtype="vpn" action="tunnel-down" user="${user}" ${nordhaven} assigned_ip=${assigned} tunneltype="ssl-tunnel" sentbyte=41877310 rcvdbyte=3390218 reason="user-logout"`),
      ...vpnBetween('2026-03-04T03:00:00Z', '2026-03-06T00:00:00Z'),
      intruder(v('vpn_login_2'), `logid="0101039947" type="event" subtype="vpn" action="tunnel-up" user="${user}" ${nordhaven} assigned_ip=${assigned} tunneltype="ssl-tunnel" client="openfortivpn 1.21.0" mfa="not-enrolled" geo="NL"`),
      intruder(v('vpn_logout_2'), `logid="0101039948" type="event" subtype="vpn" action="tunnel-down" user="${user}" ${nordhaven} assigned_ip=${assigned} tunneltype="ssl-tunnel" sentbyte=2210455 rcvdbyte=618204 reason="idle-timeout"`),
    ].join('\n')}\n`,
  );

  // --- Windows security and system events (SIEM export, CSV, UTC)
  type Ev = [string, number, string, string, string, string, string | number, string, string, string];
  const events: Array<[number, Ev]> = [];
  const people = ['h.patel', 'c.moreau', 'd.okonkwo', 'e.lindqvist', 'f.rahman', 'g.silva', 'i.novak', 'k.brennan', 'l.ferreira'];
  const servers = [HOSTS.dc, HOSTS.fs, HOSTS.ehr, HOSTS.pacs];
  for (const day of ['2026-03-03', '2026-03-04', '2026-03-05']) {
    for (let i = 0; i < 14; i++) {
      const t = r.int('win', unix(`${day}T07:00:00Z`), unix(`${day}T18:30:00Z`));
      const who = r.pick('win', people);
      const host = r.pick('win', servers);
      const ip = `10.10.${r.int('win', 20, 40)}.${r.int('win', 10, 200)}`;
      const failed = r.int('win', 0, 6) === 0;
      events.push([t, [isoOf(t), failed ? 4625 : 4624, host, '-', who, ip, 3, '', '', failed ? 'An account failed to log on.' : 'An account was successfully logged on.']]);
    }
  }
  events.sort((a, b) => a[0] - b[0]);
  const evBetween = (a: string, b: string) => events.filter(([t]) => t >= unix(a) && t < unix(b)).map(([, e]) => e);
  const attack1: Ev[] = [
    [v('rdp_logon'), 4624, appHost, '-', user, assigned, 10, '', '', 'An account was successfully logged on.'],
    [v('spray_1'), 4625, HOSTS.dc, '-', 'administrator', IPS.app, 3, '', '', 'An account failed to log on.'],
    [v('spray_2'), 4625, HOSTS.dc, '-', 'svc_backup', IPS.app, 3, '', '', 'An account failed to log on.'],
    [v('spray_3'), 4625, HOSTS.dc, '-', 'adm_helpdesk', IPS.app, 3, '', '', 'An account failed to log on.'],
    [v('admin_logon'), 4624, HOSTS.dc, '-', admin, IPS.app, 3, '', '', 'An account was successfully logged on.'],
  ];
  const install = (time: string, host: string): Ev[] => [
    [time, 4697, host, admin, '', '', '', service, `cmd.exe /c C:\\Windows\\Temp\\mvsync.bat`, 'A service was installed in the system.'],
    [time, 7045, host, '', '', '', '', service, `cmd.exe /c C:\\Windows\\Temp\\mvsync.bat`, 'A service was installed in the system.'],
  ];
  writer.add(
    'evidence/security-events.csv',
    csv(['TimeCreated', 'EventID', 'Computer', 'SubjectUserName', 'TargetUserName', 'IpAddress', 'LogonType', 'ServiceName', 'ImagePath', 'Message'], [
      ...evBetween('2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z'),
      ...attack1,
      ...evBetween('2026-03-04T03:00:00Z', '2026-03-06T00:00:00Z'),
      [v('dc_rdp'), 4624, HOSTS.dc, '-', admin, assigned, 10, '', '', 'An account was successfully logged on.'],
      ...install(v('enc_start'), HOSTS.fs),
      ...install(v('enc_pacs'), HOSTS.pacs),
      ...install(v('enc_ehr'), HOSTS.ehr),
      ...install(v('enc_app'), appHost),
      [v('log_cleared'), 1102, HOSTS.dc, admin, '', '', '', '', '', 'The audit log was cleared.'],
    ]),
  );

  // --- The sample: a small, inert binary with the locker's strings (not a valid executable)
  const sample = lockerSample(r);
  writer.add('evidence/sample/winupd.bin', sample);
  const decoy = (s: string) => r.hex(`edr-${s}`, 64);
  writer.add(
    'evidence/edr-detections.json',
    `${JSON.stringify(
      {
        source: 'MVRH endpoint protection console, export of quarantined files',
        exported_at_utc: '2026-03-06T09:41:00Z',
        time_zone: 'UTC',
        detections: [
          { host: HOSTS.pacs, detected_utc: v('enc_pacs'), path: `${dropDir}\\winupd_x64.exe`, size: sample.length + 2048, sha256: decoy('a'), verdict: 'Ransom:Win64/ColdWard.B', action: 'quarantine failed' },
          { host: HOSTS.fs, detected_utc: v('enc_start'), path: `${dropDir}\\winupd.exe`, size: sample.length, sha256: sha256Hex(sample), verdict: 'Ransom:Win64/ColdWard.A', action: 'quarantined' },
          { host: HOSTS.fs, detected_utc: v('enc_start'), path: `C:\\Users\\Public\\MedSync-${v('drop_dir')}.exe`, size: sample.length, sha256: decoy('b'), verdict: 'Ransom:Win64/ColdWard.A', action: 'quarantined' },
          { host: HOSTS.ehr, detected_utc: v('enc_ehr'), path: 'C:\\Windows\\Temp\\mvsync.bat', size: 311, sha256: decoy('c'), verdict: 'Trojan:BAT/ServiceLaunch', action: 'deleted' },
        ],
      },
      null,
      2,
    )}\n`,
  );

  // --- The perimeter firewall (traffic log at session close, CSV, UTC)
  const fw: Array<[number, Array<string | number>]> = [];
  const outside = ['93.184.216.34', '151.101.2.132', '13.107.42.14', '172.217.16.195', '104.18.32.7'];
  for (const day of ['2026-03-04', '2026-03-05']) {
    for (let i = 0; i < 22; i++) {
      const t = r.int('fw', unix(`${day}T06:00:00Z`), unix(`${day}T20:00:00Z`));
      const src = `10.10.${r.int('fw', 20, 40)}.${r.int('fw', 10, 200)}`;
      fw.push([t, [isoOf(t), 'accept', src, r.int('fw', 49152, 65000), r.pick('fw', outside), 443, 'tcp', r.pick('fw', ['HTTPS.BROWSER', 'Microsoft.Office.365', 'Windows.Update']), r.int('fw', 2_000, 4_000_000), r.int('fw', 10_000, 90_000_000), r.int('fw', 1, 900)]]);
    }
    const backup = unix(`${day}T23:10:00Z`) + r.int('fw', 0, 600);
    fw.push([backup, [isoOf(backup), 'accept', IPS.backup, r.int('fw', 49152, 65000), '198.51.100.80', 443, 'tcp', 'HTTPS', r.int('fw', 6_000_000_000, 9_000_000_000), r.int('fw', 2_000_000, 9_000_000), r.int('fw', 3000, 6000)]]);
  }
  fw.sort((a, b) => a[0] - b[0]);
  const fwBetween = (a: string, b: string) => fw.filter(([t]) => t >= unix(a) && t < unix(b)).map(([, row]) => row);
  writer.add(
    'evidence/firewall-traffic.csv',
    csv(['time_utc', 'action', 'src_ip', 'src_port', 'dst_ip', 'dst_port', 'proto', 'app', 'bytes_sent', 'bytes_received', 'duration_s'], [
      ...fwBetween('2026-03-04T00:00:00Z', '2026-03-06T00:00:00Z'),
      [v('exfil_end'), 'accept', IPS.fs, 51344, v('exfil_ip'), 443, 'tcp', 'SSL', v('exfil_bytes'), 48_211_904, 5820],
    ]),
  );

  // --- The ransom note (found on every encrypted server) and the desktop wallpaper
  writer.add(
    'evidence/ransom-note.txt',
    [
      '~~~ COLD WARD ~~~',
      '',
      'Marlow Vale Regional Hospital, your network is encrypted.',
      'Your patient records, imaging archive and file shares are locked with',
      'a strong key. Do not rename the .cwlock files and do not try to',
      'decrypt them yourself: you will damage them forever.',
      '',
      'We also downloaded your data. If we do not agree, it will be published.',
      '',
      'To talk to us, open in Tor Browser:',
      `   http://${ONION}/chat`,
      'If Tor is blocked in your country, use our mirror:',
      `   https://${v('mirror_domain')}/chat`,
      '',
      `Your personal ID: ${victimId}`,
      '',
      'You have 72 hours before the price doubles.',
      '',
    ].join('\n'),
  );
  writer.add('evidence/wallpaper.png', writePng(96, 54, (x, y) => ((x + y) % 12 < 2 ? [180, 20, 20] : y > 20 && y < 34 && x > 12 && x < 84 ? [240, 240, 240] : [12, 12, 16])));

  // --- The hospital's notification (fixed PDF)
  writer.add(
    'evidence/incident-notification.pdf',
    writePdf(
      [
        [
          'MARLOW VALE REGIONAL HOSPITAL - INFORMATION SECURITY OFFICE',
          'Notification of a serious incident and complaint (ref. MVRH-SEC-2026-014)',
          '',
          'Date of this notification: 6 March 2026, 11:20 (local time, UTC+1)',
          '',
          'On 6 March 2026 at about 08:00 local time, ward staff reported that the',
          'electronic health record (EHR), the imaging archive (PACS) and the file shares',
          'were unavailable. Files carry the extension .cwlock and a note README_COLDWARD.txt.',
          'Four servers are affected: the file server, the PACS server, the EHR server',
          'and one application server. Emergency admissions were diverted for 19 hours.',
          '',
          'The hospital files a complaint for unauthorised access, damage to data,',
          'disruption of its information system and extortion.',
          '',
          'Handed over with this notification: the note, the VPN gateway log, and a',
          'phishing e-mail reported by a ward administrator on 2 March.',
          'To follow: Windows event logs (SIEM), endpoint protection export, a copy',
          'of the locker, the firewall log, and the negotiation transcript.',
          '',
          'All log times are UTC. The hospital is in UTC+1.',
          '',
          'Signed: Information Security Officer, MVRH',
        ],
      ],
      'MVRH-SEC-2026-014',
    ),
  );

  // --- The negotiation (transcript saved by the hospital's negotiator, times UTC)
  writer.add(
    'evidence/negotiation-chat.json',
    `${JSON.stringify(
      {
        site: `http://${ONION}/chat`,
        victim_id: victimId,
        saved_by: 'MVRH crisis cell (negotiator), with the prosecutor\'s knowledge',
        time_zone: 'UTC',
        messages: [
          { time_utc: '2026-03-06T09:02:11Z', from: 'support', text: `Hello ${victimId}. We have your patient files and your servers. Price: ${v('demand_btc')} BTC.` },
          { time_utc: '2026-03-06T09:40:37Z', from: 'hospital', text: 'We are a public hospital. Patients are in danger. We need the decryption tool for the EHR first.' },
          { time_utc: '2026-03-06T10:15:02Z', from: 'support', text: 'Send two files under 5 MB, we decrypt them free as proof.' },
          { time_utc: '2026-03-06T13:27:45Z', from: 'hospital', text: 'Files received, they open. Our insurer can not pay this amount.' },
          { time_utc: v('chat_offer'), from: 'support', text: 'Last offer because you are a hospital. No more discussion after this.' },
          { time_utc: v('chat_agreed'), from: 'support', text: `Final price ${v('ransom_btc')} BTC. Pay to ${v('ransom_wallet')} only. Decryptor after 2 confirmations.` },
          { time_utc: v('chat_paid'), from: 'hospital', text: 'Payment sent by our broker. Please send the tool.' },
        ],
      },
      null,
      2,
    )}\n`,
  );

  // --- The trail
  const trail = new Trail(vars);
  const broker = r.bech32Address('broker');
  const brokerIn = { txid: r.hex('txid', 64), vout: 0, address: broker, amount: btc('4.00000000') };
  const payment = trail.add({
    txid: v('payment_txid'),
    time: v('payment_time'),
    block: 939_402,
    inputs: [brokerIn],
    pay: [{ address: v('ransom_wallet'), amount: amountVar('ransom_btc') }],
    fee: btc('0.00002870'),
    change: { address: broker, variable: 'broker_change', comment: 'the broker\'s change' },
  });
  const sweep = trail.add({
    txid: v('sweep_txid'),
    time: v('sweep_time'),
    block: 939_421,
    inputs: [trail.output(payment, 0)],
    pay: [],
    fee: amountVar('fee_sweep'),
    change: { address: v('hop_wallet'), variable: 'hop_btc', comment: 'the sweep of the ransom address' },
  });
  trail.add({
    txid: v('split_txid'),
    time: v('split_time'),
    block: 939_512,
    inputs: [trail.output(sweep, 0)],
    pay: [{ address: v('deposit_wallet'), amount: amountVar('deposit_btc') }],
    fee: btc('0.00003140'),
    change: { address: v('operator_wallet'), variable: 'operator_btc', comment: 'the operator\'s share' },
  });
  trail.add({
    txid: r.hex('txid', 64),
    time: '2026-03-09T21:14:09Z',
    block: 939_530,
    inputs: [{ txid: r.hex('txid', 64), vout: 2, address: r.bech32Address('noise'), amount: btc('0.54000000') }],
    pay: [
      { address: v('deposit_wallet'), amount: btc('0.25000000') },
      { address: r.bech32Address('noise'), amount: btc('0.28997420') },
    ],
    fee: btc('0.00002580'),
  });
  // The export is JSON whose placeholders sit inside strings, so it parses before rendering: the labels go in as an object.
  const { transactions, ...meta } = JSON.parse(
    trail.toJson({
      source: 'Cryptocurrency unit, block explorer export (mainnet) with attribution labels',
      exported_at_utc: '2026-03-10T08:30:00Z',
      note: 'Transactions touching the ransom address and the addresses it leads to, by block. Amounts in BTC; times are block times, UTC. Labels come from the attribution service; an unlabelled address is unknown.',
    }),
  ) as Record<string, unknown>;
  const labels = { [v('deposit_wallet')]: 'Kovara Exchange (deposit cluster)', [broker]: 'Halden Risk Brokers (insurer\'s payment agent)' };
  writer.add('evidence/wallet-trail.json', `${JSON.stringify({ ...meta, labels, transactions }, null, 2)}\n`);

  // --- Legal replies
  writer.add(
    'evidence/hosting-reply.txt',
    [
      'NORDHAVEN HOSTING B.V. - ABUSE & LAW ENFORCEMENT DESK',
      'Reply to a production order (ref. NH-LE-2026-0311)',
      '',
      `Requested: the customer of the domain ${v('mirror_domain')} and its server.`,
      '',
      'Customer account:   NH-C-88214',
      'Name given:         "Mark Stone" (not verified)',
      `Contact e-mail:     ${v('suspect_email')}`,
      'Payment:            prepaid, bitcoin (BTCPay)',
      'Created:            2026-02-17 20:41 UTC',
      '',
      'Services of this account:',
      `  vps-ams-4471   ${v('attacker_ip')}   since 2026-02-18   (VPN client, openfortivpn installed)`,
      `  vps-ams-4502   ${v('exfil_ip')}   since 2026-02-25   (storage volume 2 TB)`,
      `  vps-ams-4519   hosts ${v('mirror_domain')} (reverse proxy to a Tor hidden service)`,
      '',
      'Control panel logins (UTC):',
      `  ${v('panel_login')}   from ${v('home_ip')}`,
      '',
      'All times are UTC. Content of the servers is preserved on an image; ask by',
      'production order if you need it.',
      '',
    ].join('\n'),
  );
  writer.add(
    'evidence/exchange-reply.json',
    `${JSON.stringify(
      {
        producer: 'Kovara Exchange UAB, Compliance',
        reference: 'KVX-LEA-26-0077',
        produced_in_reply_to: `Production order concerning deposit address ${v('deposit_wallet')}`,
        time_zone: 'UTC',
        account: { account_id: 'KV-559310', holder: v('suspect_name'), email: v('suspect_email'), kyc_document: 'passport, verified 2025-11-03', created_utc: '2025-11-03T17:22:09Z' },
        deposits: [{ credited_utc: v('deposit_credited'), txid: v('split_txid'), address: v('deposit_wallet'), amount_btc: v('deposit_btc') }],
        logins: [
          { time_utc: v('exchange_login_1'), ip: v('home_ip'), device: 'Chrome 122 / Windows' },
          { time_utc: v('exchange_login_2'), ip: v('attacker_ip'), device: 'Firefox 123 / Linux' },
        ],
        withdrawals: [{ time_utc: v('withdrawal_time'), currency: 'EUR', amount: v('withdrawal_eur'), to_iban: v('suspect_iban'), status: 'completed' }],
      },
      null,
      2,
    )}\n`,
  );
  writer.add(
    'evidence/police-reply.txt',
    [
      'ROMANIAN POLICE - CYBERCRIME UNIT, 24/7 POINT OF CONTACT',
      'Via the 24/7 network (Budapest Convention, art. 35) and the mutual legal assistance request',
      '',
      `Your request: the user of IP address ${v('home_ip')} on ${v('panel_login')} (UTC).`,
      '',
      'The data preserved at our request by the access provider show that at that time',
      `the address ${v('home_ip')} was assigned to a residential fibre line of:`,
      '',
      `  Subscriber:      ${v('suspect_name')}`,
      '  Address:         Str. Fabricii 18, ap. 7, Cluj-Napoca',
      `  E-mail:          ${v('suspect_email')}`,
      '  Line since:      2023-04-11',
      '',
      'A search of these premises can be carried out on a further mutual legal',
      'assistance request. The person is not known to our services.',
      '',
      'All times are UTC.',
      '',
    ].join('\n'),
  );
  return { writer, vars };
}

/** A small, harmless binary carrying the locker's strings: an "MZ" start, no PE header, never runnable. */
function lockerSample(r: PackageRandom): Uint8Array {
  const strings = [
    'CYBERCAP TRAINING SAMPLE - NOT EXECUTABLE',
    'ColdWard locker 2.3 (affiliate build)',
    'README_COLDWARD.txt',
    '.cwlock',
    'Global\\ColdWard-mutex-7f31',
    'vssadmin delete shadows /all /quiet',
    'wevtutil cl Security',
    `http://${ONION}/chat`,
  ];
  const parts: Buffer[] = [Buffer.from('MZ'), Buffer.alloc(62)];
  for (const s of strings) parts.push(Buffer.from(r.rng('sample').bytes(96)), Buffer.from(`${s}\0`, 'latin1'));
  parts.push(Buffer.from(r.rng('sample').bytes(256)));
  return new Uint8Array(Buffer.concat(parts));
}
