import { fileURLToPath } from 'node:url';
import { generate } from '../../src/modules/scenarios/generators.ts';
import { createRng } from '../../src/modules/scenarios/rng.ts';
import { writeTextPng, type ScreenLine } from './lib/bitmap-text.ts';
import { writePdf } from './lib/documents.ts';
import { authenticationResults, receivedSpf, writeEmlWithAttachments, type Hop } from './lib/eml.ts';
import { PackageWriter } from './lib/files.ts';
import { csv } from './lib/logs.ts';
import { PackageRandom, isoOf, unix } from './lib/random.ts';
import { VariableSet } from './lib/variables.ts';

// Operation Mirror Invoice (scenarios/business-email-compromise): the evidence
// files and the variables of scenario.yaml. The story's clock (all UTC; the
// buyer and the supplier are in UTC+1, the fraudster's mail client in UTC+3):
//
//   2026-03-02 07:40–08:30  the fraudster signs in to the supplier's accounts mailbox (after two failures),
//                           creates an inbox rule hiding payment mail and forwards the mailbox outside
//   2026-03-03 19:00–21:00  the look-alike domain is registered at Nameforge
//   2026-03-09 09:10–10:30  the supplier sends the genuine invoice HM-2026-0412 (148,763.20 EUR)
//   2026-03-10 07:30–08:30  "new bank details" e-mail from the look-alike domain, sent from the same IP
//   2026-03-10 10:42        the buyer's clerk changes the supplier's bank details (screenshot, in UTC+1)
//   2026-03-12 09:00–11:00  the buyer pays the invoice to the mule account
//   + 2 h 10 … + 7 h 45      the mule account forwards the money abroad and withdraws cash
//   2026-03-13 08:00        start of the exercise (the supplier asks why it was not paid)
//
// The invoice total, the two invoice PDFs and the screenshot (PNG) are the same
// for every team; every value an answer depends on is a per-team variable in a
// text file.

export const packageDir = fileURLToPath(new URL('../../scenarios/business-email-compromise/', import.meta.url));

const SEED = 'cybercap/business-email-compromise/1';
const SUPPLIER = 'harwick-metals.example';
const BUYER = 'aldermoor-logistics.example';
const AP = `accounts.payable@${BUYER}`;
/** Look-alike spellings of harwick-metals.example, one per team. */
const LOOKALIKES = [
  'harwick-rnetals.example',
  'harwlck-metals.example',
  'harwick-metal.example',
  'harvvick-metals.example',
  'harwick-metals-group.example',
  'harwick-meta1s.example',
  'hanwick-metals.example',
  'harwick-metals.example.net',
  'harwickmetals-eu.example',
  'harwiick-metals.example',
  'harwick-metais.example',
  'harwick-metalls.example',
];
export const INVOICE = { number: 'HM-2026-0412', total: '148763.20', printed: '148,763.20' };
/** When the buyer's clerk changed the supplier's bank details (UTC; the screenshot shows UTC+1): after every team's forged e-mail, before the payment. */
export const VENDOR_CHANGE_UTC = '2026-03-10T10:42:00Z';
const MAILCORE = { out: 'smtp-out-2.mailcore.example', ip: '198.51.100.40', submit: 'smtp.mailcore.example', submitIp: '10.20.0.7' };
const HOSTING = { smtp: 'smtp.vortahost.example', ip: '203.0.113.77' };
const SUPPLIER_OFFICE_IP = '198.51.100.23';
const BUYER_MX = `mx1.${BUYER}`;
const BUYER_STORE = `mail.${BUYER}`;
const BUYER_GW_IP = '10.40.0.5';

/** A fixed IBAN of `country`, drawn with the platform's own generator so that it is valid. */
const fixedIban = (country: string, stream: string) => generate('iban', { country }, createRng(SEED, stream));

export function buildBusinessEmailCompromise(dir = packageDir): { writer: PackageWriter; vars: VariableSet } {
  const r = new PackageRandom(SEED);
  const vars = new VariableSet();
  const writer = new PackageWriter(dir);
  const v = (name: string) => vars.ref(name);
  const supplierIban = fixedIban('DE', 'supplier-iban');
  const buyerIban = fixedIban('DE', 'buyer-iban');

  // --- People, accounts and addresses
  vars.define('lookalike', { generator: 'choice', params: { values: LOOKALIKES } }, 'the look-alike domain registered by the fraudster');
  vars.define('supplier_user', { generator: 'username' }, 'the supplier\'s compromised accounts mailbox (local part)');
  const supplierMailbox = `${v('supplier_user')}@${SUPPLIER}`;
  const spoofMailbox = `${v('supplier_user')}@${v('lookalike')}`;
  vars.define('reply_to', { generator: 'email', params: { domain: 'quickpost.example' } }, 'Reply-To of the forged e-mail');
  vars.define('fwd_email', { generator: 'email', params: { domain: 'inboxly.example' } }, 'where the supplier\'s mailbox was forwarded');
  vars.define('attacker_ip', { generator: 'ipv4' }, 'the fraudster\'s connection (mailbox sign-in, forged e-mail, domain registration)');
  vars.define('registrant_email', { generator: 'email', params: { domain: 'inboxly.example' } }, 'the registrar\'s customer account');
  vars.define('registrant_name', { generator: 'person_name' }, 'the (false) name given to the registrar');
  vars.define('mule_iban', { generator: 'iban', params: { country: 'PT' } }, 'the account given in the forged e-mail (Banco Ribeira)');
  vars.define('mule_name', { generator: 'person_name' }, 'the mule account holder');
  vars.define('mule_phone', { generator: 'phone', params: { country: 'PT' } });
  vars.define('onward1_iban', { generator: 'iban', params: { country: 'RO' } });
  vars.define('onward2_iban', { generator: 'iban', params: { country: 'AE' } });
  vars.define('e2e_ref', { generator: 'hex', params: { length: 16 } }, 'end-to-end id of the buyer\'s payment (shown in upper case)');
  vars.define('mule_account_no', { generator: 'integer', params: { min: 10000000, max: 99999999 } });
  vars.define('registrar_order', { generator: 'integer', params: { min: 4000000, max: 4999999 } });

  // --- The clock
  vars.define('compromise_login', { generator: 'timestamp', params: { start: '2026-03-02T07:40:00Z', end: '2026-03-02T08:30:00Z' } }, 'first successful sign-in of the fraudster');
  vars.sum('login_fail_1', ['compromise_login', -94], { format: 'iso' });
  vars.sum('login_fail_2', ['compromise_login', -41], { format: 'iso' });
  vars.sum('rule_created', ['compromise_login', 412], { format: 'iso' }, 'the inbox rule is created');
  vars.sum('forward_set', ['compromise_login', 530], { format: 'iso' });
  vars.sum('second_login', ['compromise_login', 86_011], { format: 'iso' });
  vars.define('domain_created', { generator: 'timestamp', params: { start: '2026-03-03T19:00:00Z', end: '2026-03-03T21:00:00Z' } }, 'the look-alike domain is registered');
  vars.sum('registrar_account', ['domain_created', -377], { format: 'iso' });
  vars.define('genuine_sent', { generator: 'timestamp', params: { start: '2026-03-09T09:10:00Z', end: '2026-03-09T10:30:00Z' } }, 'the supplier sends the invoice');
  vars.define('spoof_sent', { generator: 'timestamp', params: { start: '2026-03-10T07:30:00Z', end: '2026-03-10T08:30:00Z' } }, 'the forged e-mail leaves the fraudster\'s client');
  vars.sum('genuine_date', ['genuine_sent'], { format: 'rfc2822', utcOffset: '+01:00' }, 'Date header of the supplier\'s client, UTC+1');
  vars.sum('genuine_submit', ['genuine_sent', 1], { format: 'rfc2822' });
  vars.sum('genuine_out', ['genuine_sent', 2], { format: 'rfc2822' });
  vars.sum('genuine_mx1', ['genuine_sent', 4], { format: 'rfc2822' });
  vars.sum('genuine_store', ['genuine_sent', 5], { format: 'rfc2822' });
  vars.sum('genuine_read', ['genuine_sent', 1_377], { format: 'iso' }, 'the fraudster reads the invoice in the supplier\'s mailbox');
  vars.sum('spoof_date', ['spoof_sent'], { format: 'rfc2822', utcOffset: '+03:00' }, 'Date header of the fraudster\'s client, UTC+3');
  vars.sum('spoof_submit', ['spoof_sent', 2], { format: 'rfc2822' });
  vars.sum('spoof_mx1', ['spoof_sent', 4], { format: 'rfc2822' });
  vars.sum('spoof_mx1_iso', ['spoof_sent', 4], { format: 'iso' }, 'accepted by the buyer\'s gateway');
  vars.sum('spoof_store', ['spoof_sent', 5], { format: 'rfc2822' });
  vars.define('payment_time', { generator: 'timestamp', params: { start: '2026-03-12T09:00:00Z', end: '2026-03-12T11:00:00Z' } }, 'the buyer\'s bank executes the payment');
  vars.sum('credited_time', ['payment_time', 7_800], { format: 'iso' });
  vars.sum('onward1_time', ['payment_time', 17_940], { format: 'iso' });
  vars.sum('onward2_time', ['payment_time', 21_305], { format: 'iso' });
  vars.sum('cash_time', ['payment_time', 27_900], { format: 'iso' });
  vars.sum('banking_login_1', ['payment_time', 17_702], { format: 'iso' });
  vars.sum('banking_login_2', ['payment_time', 21_111], { format: 'iso' });

  // --- The money (the invoice total is fixed; what the mule account does with it varies)
  vars.define('onward1_eur', { generator: 'amount', params: { min: 61000, max: 74000, decimals: 2 } });
  vars.define('onward2_eur', { generator: 'amount', params: { min: 31000, max: 44000, decimals: 2 } });
  vars.define('cash_eur', { generator: 'amount', params: { min: 2000, max: 4900, decimals: 0 } });
  const opening = '212.40';
  vars.sum('balance_1', [opening, INVOICE.total], { decimals: 2 });
  vars.sum('balance_2', ['balance_1', '-onward1_eur'], { decimals: 2 });
  vars.sum('balance_3', ['balance_2', '-onward2_eur'], { decimals: 2 });
  vars.sum('balance_4', ['balance_3', '-cash_eur'], { decimals: 2 }, 'what is left to freeze');
  vars.sum('onward_total', ['onward1_eur', 'onward2_eur'], { decimals: 2 }, 'sent abroad by transfer');

  // --- The invoice and its forged copy (PDFs, the same for every team: the forger
  // changed the bank lines and left the IBAN to the covering e-mail)
  const invoice = (title: string, bank: readonly string[]) =>
    writePdf(
      [
        [
          'HARWICK METALS GmbH',
          'Industriestrasse 14, 44137 Dortmund, Germany - VAT DE298117465',
          '',
          `INVOICE ${INVOICE.number}`,
          'Date: 9 March 2026          Due: 23 March 2026',
          'Customer: Aldermoor Logistics Ltd, Purchase order PO-88412',
          '',
          'Item                                   Qty      Unit EUR      Amount EUR',
          'Stainless steel coil 304, 1.5 mm       38 t      2,410.00      91,580.00',
          'Galvanised sheet DX51D, 2.0 mm         21 t      1,120.00      23,520.00',
          'Cutting and slitting service            1        9,912.00       9,912.00',
          '',
          'Net                                                            125,012.00',
          'VAT 19 %                                                        23,751.20',
          `Total due                                                     ${INVOICE.printed}`,
          '',
          'Payment by SEPA credit transfer to our account:',
          ...bank,
          `Reference: ${INVOICE.number}`,
        ],
      ],
      title,
    );
  const pdf = invoice(`Invoice ${INVOICE.number}`, [
    `Bank: Hanseatische Handelsbank AG - IBAN ${supplierIban.replace(/(.{4})(?=.)/g, '$1 ')} - BIC HHBKDEFFXXX`,
    '',
    'Our bank details never change by e-mail. In doubt, call +49 231 5550 140.',
  ]);
  const forgedPdf = invoice(`Invoice ${INVOICE.number} (corrected)`, [
    'Bank: Banco Ribeira S.A., Porto - BIC BRIBPTPLXXX',
    'IBAN: as given in our e-mail of 10 March 2026 (new account during audit)',
  ]);
  writer.add('evidence/invoice-HM-2026-0412.pdf', pdf);
  writer.add('evidence/invoice-HM-2026-0412-corrected.pdf', forgedPdf);

  // --- The buyer's finance system: the change of the supplier's bank details (a screenshot, the same for every team)
  const cet = (iso: string) => new Date(Date.parse(iso) + 3600_000).toISOString().replace(/^(\d+)-(\d+)-(\d+)T(\d+:\d+).*$/, '$3.$2.$1 $4');
  const title: ScreenLine = { text: 'ALDERMOOR FINANCE - VENDOR MASTER DATA - CHANGE LOG', color: [255, 255, 255], background: [31, 78, 121] };
  const alert: ScreenLine = { text: 'CALL-BACK TO KNOWN NUMBER:  NOT RECORDED', color: [176, 0, 32] };
  writer.add(
    'evidence/vendor-change-screenshot.png',
    writeTextPng([
      title,
      '',
      'VENDOR 100482   HARWICK METALS GMBH, DORTMUND (DE)',
      `CHANGE NO. 2026-000317   ${cet(VENDOR_CHANGE_UTC)} (CET, UTC+1)`,
      '',
      'FIELD        OLD VALUE                     NEW VALUE',
      'BANK NAME    HANSEATISCHE HANDELSBANK AG   BANCO RIBEIRA S.A.',
      'BIC          HHBKDEFFXXX                   BRIBPTPLXXX',
      `IBAN         ${supplierIban.slice(0, 4)} **** **** **** **** ${supplierIban.slice(-2)}   PT** **** **** **** **** *`,
      '',
      'CHANGED BY   M.REYES (ACCOUNTS PAYABLE)',
      "REASON       'NEW BANK DETAILS PER SUPPLIER E-MAIL OF 10.03.'",
      alert,
      'SECOND APPROVAL: NOT REQUIRED (CHANGE BELOW RISK THRESHOLD)',
    ]),
  );

  // --- The e-mails
  const genuineIds = { submit: r.queueId('q'), out: r.queueId('q'), gw: r.queueId('q'), store: r.hex('lmtp', 24) };
  const spoofIds = { submit: r.queueId('q'), gw: r.queueId('q'), store: r.hex('lmtp', 24) };
  const tls = 'TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)';
  const genuineSpf = { result: 'pass' as const, ip: MAILCORE.ip, mailFrom: supplierMailbox, helo: MAILCORE.out, receiver: BUYER_MX };
  const genuineHops: Hop[] = [
    { helo: '[192.168.20.31]', ip: SUPPLIER_OFFICE_IP, by: MAILCORE.submit, software: 'Postfix', protocol: 'ESMTPSA', id: genuineIds.submit, for: AP, tls, authenticatedSender: supplierMailbox, date: v('genuine_submit'), zoneComment: '(UTC)' },
    { helo: MAILCORE.submit, rdns: MAILCORE.submit, ip: MAILCORE.submitIp, by: MAILCORE.out, software: 'Postfix', protocol: 'ESMTP', id: genuineIds.out, for: AP, date: v('genuine_out'), zoneComment: '(UTC)' },
    {
      helo: MAILCORE.out,
      rdns: MAILCORE.out,
      ip: MAILCORE.ip,
      by: BUYER_MX,
      software: 'Postfix',
      protocol: 'ESMTPS',
      id: genuineIds.gw,
      for: AP,
      tls,
      date: v('genuine_mx1'),
      zoneComment: '(UTC)',
      trace: [
        ['Authentication-Results', authenticationResults(BUYER_MX, { spf: genuineSpf, dkim: { result: 'pass', domain: SUPPLIER, selector: 'mc2024' }, dmarc: { result: 'pass', domain: SUPPLIER, policy: 'quarantine' } })],
        ['Received-SPF', receivedSpf(genuineSpf)],
      ],
    },
    { helo: BUYER_MX, rdns: BUYER_MX, ip: BUYER_GW_IP, by: BUYER_STORE, software: 'Dovecot', protocol: 'LMTP', id: genuineIds.store, for: AP, date: v('genuine_store'), zoneComment: '(UTC)' },
  ];
  const genuineMsgId = `<${r.hex('msgid', 16)}.${r.hex('msgid', 8)}@${SUPPLIER}>`;
  writer.add(
    'evidence/genuine-invoice-email.eml',
    writeEmlWithAttachments({
      hops: genuineHops,
      headers: [
        ['Message-ID', genuineMsgId],
        ['Date', v('genuine_date')],
        ['From', `Harwick Metals Accounts <${supplierMailbox}>`],
        ['To', `Aldermoor Accounts Payable <${AP}>`],
        ['Subject', `Invoice ${INVOICE.number} - PO-88412`],
      ],
      extra: [['X-Mailer', 'Microsoft Outlook 16.0']],
      body: [
        'Dear colleagues,',
        '',
        `please find attached our invoice ${INVOICE.number} for purchase order PO-88412`,
        `(total ${INVOICE.printed} EUR, due 23 March 2026), payable to our usual account`,
        'at Hanseatische Handelsbank.',
        '',
        'Kind regards,',
        'Accounts Receivable',
        'Harwick Metals GmbH, Dortmund',
      ].join('\n'),
    }, [{ filename: `Invoice_${INVOICE.number}.pdf`, contentType: 'application/pdf', content: pdf }], `----=_Part_${r.hex('boundary', 16)}`),
  );

  const spoofSpf = { result: 'pass' as const, ip: HOSTING.ip, mailFrom: spoofMailbox, helo: HOSTING.smtp, receiver: BUYER_MX };
  const spoofHops: Hop[] = [
    { helo: '[10.0.2.15]', ip: v('attacker_ip'), by: HOSTING.smtp, software: 'Exim 4.97', protocol: 'ESMTPSA', id: spoofIds.submit, for: AP, tls, authenticatedSender: spoofMailbox, date: v('spoof_submit'), zoneComment: '(UTC)' },
    {
      helo: HOSTING.smtp,
      rdns: HOSTING.smtp,
      ip: HOSTING.ip,
      by: BUYER_MX,
      software: 'Postfix',
      protocol: 'ESMTPS',
      id: spoofIds.gw,
      for: AP,
      tls,
      date: v('spoof_mx1'),
      zoneComment: '(UTC)',
      trace: [
        // Not signed and no DMARC record: what the lib's writer cannot say, written out (RFC 8601).
        ['Authentication-Results', `${BUYER_MX};\n\tdkim=none (message not signed);\n\tspf=pass (${BUYER_MX}: domain of ${spoofMailbox} designates ${HOSTING.ip} as permitted sender) smtp.mailfrom=${spoofMailbox};\n\tdmarc=none (no DMARC record) header.from=${v('lookalike')}`],
        ['Received-SPF', receivedSpf(spoofSpf)],
      ],
    },
    { helo: BUYER_MX, rdns: BUYER_MX, ip: BUYER_GW_IP, by: BUYER_STORE, software: 'Dovecot', protocol: 'LMTP', id: spoofIds.store, for: AP, date: v('spoof_store'), zoneComment: '(UTC)' },
  ];
  writer.add(
    'evidence/bank-details-email.eml',
    writeEmlWithAttachments({
      hops: spoofHops,
      headers: [
        ['Message-ID', `<${r.hex('msgid', 12)}@${HOSTING.smtp}>`],
        ['Date', v('spoof_date')],
        ['From', `Harwick Metals Accounts <${spoofMailbox}>`],
        ['Reply-To', `Harwick Metals Accounts <${v('reply_to')}>`],
        ['To', `Aldermoor Accounts Payable <${AP}>`],
        ['Subject', `RE: Invoice ${INVOICE.number} - PO-88412 - UPDATED BANK DETAILS`],
        ['In-Reply-To', genuineMsgId],
        ['References', genuineMsgId],
      ],
      extra: [['X-Mailer', 'Microsoft Outlook 16.0']],
      body: [
        'Dear colleagues,',
        '',
        'due to an ongoing audit of our accounts at Hanseatische Handelsbank, all',
        `payments including invoice ${INVOICE.number} (${INVOICE.printed} EUR) must be made`,
        'until further notice to our account at our Portuguese partner bank:',
        '',
        '   Beneficiary: Harwick Metals GmbH',
        '   Bank:        Banco Ribeira S.A., Porto',
        `   IBAN:        ${v('mule_iban')}`,
        '   BIC:         BRIBPTPLXXX',
        '',
        'Please do not use the old account any more; payments to it will be',
        'returned. As the matter is confidential, reply to this e-mail only and',
        'do not call our office. The corrected invoice is attached.',
        '',
        'Kind regards,',
        'Accounts Receivable',
        'Harwick Metals GmbH, Dortmund',
        '',
        '> From: Harwick Metals Accounts',
        `> Subject: Invoice ${INVOICE.number} - PO-88412`,
        `> please find attached our invoice ${INVOICE.number} for purchase order PO-88412`,
      ].join('\n'),
    }, [{ filename: `Invoice_${INVOICE.number}_corrected.pdf`, contentType: 'application/pdf', content: forgedPdf }], `----=_Part_${r.hex('boundary', 16)}`),
  );

  // --- The supplier's sign-in log (exported by its IT, UTC)
  type Row = Array<string | number>;
  const staff = ['k.vogel', 'j.brandt', 'm.oezdemir', 't.weiss', 'invoices', 'l.haas'];
  const signins: Array<[number, Row]> = [];
  for (const day of ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-09', '2026-03-10']) {
    for (const user of staff) {
      if (r.int('signin', 0, 2) === 0) continue;
      const t = r.int('signin', unix(`${day}T06:45:00Z`), unix(`${day}T09:15:00Z`));
      const ip = r.pick('signin', [SUPPLIER_OFFICE_IP, SUPPLIER_OFFICE_IP, SUPPLIER_OFFICE_IP, `192.0.2.${r.int('signin-home', 2, 254)}`]);
      signins.push([t, [isoOf(t), `${user}@${SUPPLIER}`, r.pick('signin', ['Outlook desktop', 'Outlook mobile', 'Webmail']), ip, 'DE', 'success', '', r.pick('signin', ['Windows 11 / Outlook 16.0', 'iOS 19 / Outlook 4.25', 'Windows 11 / Edge 134']), `s-${r.hex('signin', 8)}`]]);
    }
  }
  const accounts = (time: number) => [isoOf(time), supplierMailbox, 'Outlook desktop', SUPPLIER_OFFICE_IP, 'DE', 'success', '', 'Windows 11 / Outlook 16.0', `s-${r.hex('signin', 8)}`];
  signins.push([unix('2026-03-02T07:02:11Z'), accounts(unix('2026-03-02T07:02:11Z'))], [unix('2026-03-09T07:31:40Z'), accounts(unix('2026-03-09T07:31:40Z'))]);
  const rows = signins.sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  const before = (limit: string) => rows.filter((row) => unix(String(row[0])) < unix(limit));
  const between = (a: string, b: string) => rows.filter((row) => unix(String(row[0])) >= unix(a) && unix(String(row[0])) < unix(b));
  const agent = 'Linux / Firefox 128';
  writer.add(
    'evidence/supplier-signin-log.csv',
    csv(['time_utc', 'user', 'app', 'client_ip', 'country', 'result', 'failure_reason', 'device', 'session_id'], [
      ...before('2026-03-02T07:38:00Z'),
      [v('login_fail_1'), supplierMailbox, 'Webmail', v('attacker_ip'), 'NL', 'failure', 'invalid password', agent, ''],
      [v('login_fail_2'), supplierMailbox, 'Webmail', v('attacker_ip'), 'NL', 'failure', 'invalid password', agent, ''],
      [v('compromise_login'), supplierMailbox, 'Webmail', v('attacker_ip'), 'NL', 'success', '', agent, 's-7c1e09a4'],
      ...between('2026-03-02T08:40:00Z', '2026-03-03T07:30:00Z'),
      [v('second_login'), supplierMailbox, 'Webmail', v('attacker_ip'), 'NL', 'success', '', agent, 's-93fd2b61'],
      ...between('2026-03-03T08:45:00Z', '2026-03-11T00:00:00Z'),
    ]),
  );

  // --- The mail provider's audit log of the mailbox (released by a production order; JSON, UTC)
  const audit = [
    { CreationTime: '2026-03-02T07:02:15Z', Operation: 'MailItemsAccessed', UserId: supplierMailbox, ClientIP: SUPPLIER_OFFICE_IP, ClientInfoString: 'Client=Outlook;16.0', Parameters: { Folder: 'Inbox', ItemCount: 14 } },
    { CreationTime: v('compromise_login'), Operation: 'UserLoggedIn', UserId: supplierMailbox, ClientIP: v('attacker_ip'), ClientInfoString: 'Client=OWA;Firefox 128', Parameters: { SessionId: 's-7c1e09a4' } },
    { CreationTime: v('rule_created'), Operation: 'New-InboxRule', UserId: supplierMailbox, ClientIP: v('attacker_ip'), ClientInfoString: 'Client=OWA;Firefox 128', Parameters: { Name: '.', SubjectOrBodyContainsWords: 'invoice;payment;bank;IBAN;Zahlung', MoveToFolder: 'RSS Subscriptions', MarkAsRead: 'True', StopProcessingRules: 'True' } },
    { CreationTime: v('forward_set'), Operation: 'Set-Mailbox', UserId: supplierMailbox, ClientIP: v('attacker_ip'), ClientInfoString: 'Client=OWA;Firefox 128', Parameters: { ForwardingSmtpAddress: `smtp:${v('fwd_email')}`, DeliverToMailboxAndForward: 'True' } },
    { CreationTime: v('second_login'), Operation: 'UserLoggedIn', UserId: supplierMailbox, ClientIP: v('attacker_ip'), ClientInfoString: 'Client=OWA;Firefox 128', Parameters: { SessionId: 's-93fd2b61' } },
    { CreationTime: '2026-03-09T07:31:44Z', Operation: 'MailItemsAccessed', UserId: supplierMailbox, ClientIP: SUPPLIER_OFFICE_IP, ClientInfoString: 'Client=Outlook;16.0', Parameters: { Folder: 'Inbox', ItemCount: 22 } },
    { CreationTime: v('genuine_read'), Operation: 'MailItemsAccessed', UserId: supplierMailbox, ClientIP: v('attacker_ip'), ClientInfoString: 'Client=OWA;Firefox 128', Parameters: { Folder: 'Sent Items', ItemCount: 1, Subject: `Invoice ${INVOICE.number} - PO-88412` } },
  ];
  writer.add(
    'evidence/mailbox-audit-log.json',
    `${JSON.stringify({ producer: 'Mailcore Hosting GmbH, Legal Department', reference: 'MC-LR-2026-1187', mailbox: supplierMailbox, time_zone: 'UTC', period: '2026-03-01 to 2026-03-12', records: audit }, null, 2)}\n`,
  );

  // --- OSINT: public WHOIS of both domains
  writer.add(
    'evidence/whois-records.txt',
    [
      '# WHOIS look-ups by the OSINT desk, 2026-03-13 08:40 UTC. Dates are UTC.',
      '',
      `Domain Name: ${SUPPLIER.toUpperCase()}`,
      'Registry Domain ID: D48811290-EXAMPLE',
      'Registrar: Hanse Domains GmbH',
      'Creation Date: 2009-05-18T10:22:07Z',
      'Updated Date: 2025-04-30T08:01:55Z',
      'Registry Expiry Date: 2027-05-18T10:22:07Z',
      'Registrant Organization: Harwick Metals GmbH',
      'Registrant Country: DE',
      'Name Server: NS1.MAILCORE.EXAMPLE',
      'Name Server: NS2.MAILCORE.EXAMPLE',
      'DNSSEC: signedDelegation',
      '',
      `Domain Name: ${vars.ref('lookalike', 'upper')}`,
      `Registry Domain ID: D${r.int('whois', 60000000, 69999999)}-EXAMPLE`,
      'Registrar WHOIS Server: whois.nameforge.example',
      'Registrar: Nameforge Ltd',
      'Registrar IANA ID: 9417',
      'Registrar Abuse Contact Email: abuse@nameforge.example',
      `Creation Date: ${v('domain_created')}`,
      `Updated Date: ${v('domain_created')}`,
      'Registry Expiry Date: 2027-03-03T23:59:59Z',
      'Registrant Name: REDACTED FOR PRIVACY',
      'Registrant Organization: Privacy service provided by Withheld for Privacy ehf',
      'Registrant Country: IS',
      'Name Server: NS1.VORTAHOST.EXAMPLE',
      'Name Server: NS2.VORTAHOST.EXAMPLE',
      'DNSSEC: unsigned',
      '',
      `# DNS of ${v('lookalike')} the same morning: MX 10 ${HOSTING.smtp}; TXT "v=spf1 ip4:${HOSTING.ip} -all"; no DMARC record.`,
      '',
    ].join('\n'),
  );

  // --- The buyer's outgoing payments (bank export, UTC)
  const payees = [
    ['Nordkai Freight BV', fixedIban('NL', 'payee-1')],
    ['Castell Tyres SL', fixedIban('ES', 'payee-2')],
    ['Harwick Metals GmbH', supplierIban],
    ['Brightline Fuel Cards Ltd', fixedIban('GB', 'payee-4')],
  ] as const;
  const payments: Row[] = [];
  for (const [day, n] of [['2026-02-13', 3], ['2026-02-27', 3], ['2026-03-06', 2], ['2026-03-11', 2]] as const) {
    for (let i = 0; i < n; i++) {
      const [name, iban] = i === 0 && day !== '2026-03-11' ? payees[2] : r.pick('pay', [payees[0], payees[1], payees[3]]);
      const t = isoOf(r.int('pay', unix(`${day}T08:00:00Z`), unix(`${day}T15:00:00Z`)));
      const ref = name.startsWith('Harwick') ? `HM-2026-0${r.int('pay', 180, 390)}` : `INV ${r.int('pay', 10000, 99999)}`;
      payments.push([t, buyerIban, name, iban, (r.int('pay', 120000, 9800000) / 100).toFixed(2), 'EUR', r.hex('pay', 16, true), ref, 'executed']);
    }
  }
  payments.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  // The last payment of the export, on 12 March.
  payments.push([v('payment_time'), buyerIban, 'Harwick Metals GmbH', v('mule_iban'), INVOICE.total, 'EUR', vars.ref('e2e_ref', 'upper'), `${INVOICE.number} PO-88412`, 'executed']);
  writer.add('evidence/buyer-payments.csv', csv(['executed_utc', 'debtor_iban', 'creditor_name', 'creditor_iban', 'amount', 'currency', 'end_to_end_id', 'remittance_info', 'status'], payments));

  // --- Legal replies
  writer.add(
    'evidence/registrar-reply.txt',
    [
      'NAMEFORGE LTD - LEGAL AND ABUSE DESK',
      'Reply to a production order',
      'Our reference: NF-LE-2026-0311',
      '',
      `Domain: ${v('lookalike')}`,
      '',
      `The domain was registered on ${v('domain_created')} (UTC) by customer account`,
      `${v('registrant_email')} (order ${v('registrar_order')}). The account had been created on`,
      `${v('registrar_account')} (UTC). Both from IP address ${v('attacker_ip')}.`,
      '',
      `  Registrant name given:    ${v('registrant_name')}`,
      '  Organisation given:       Harwick Metals GmbH',
      '  Address given:            Industriestrasse 41, 44137 Dortmund, DE',
      '  Telephone given:          +49.2315550199',
      `  Account e-mail:           ${v('registrant_email')}`,
      '  Payment:                  prepaid virtual card, 11.98 EUR',
      '  Privacy service:          Withheld for Privacy ehf (enabled at registration)',
      '  Name servers:             ns1.vortahost.example, ns2.vortahost.example',
      '',
      'The identity data above was typed by the customer and was not verified.',
      'The domain has been suspended at your request. All times are UTC.',
      '',
    ].join('\n'),
  );
  writer.add(
    'evidence/bank-production.json',
    `${JSON.stringify(
      {
        producer: 'Banco Ribeira S.A., Compliance and Financial Crime',
        reference: 'BR-CFC-2026-00452',
        produced_in_reply_to: `Production order concerning account ${v('mule_iban')}`,
        time_zone: 'UTC',
        account: {
          iban: v('mule_iban'),
          account_number: v('mule_account_no'),
          holder: v('mule_name'),
          phone: v('mule_phone'),
          opened_utc: '2026-02-19T14:12:08Z',
          kyc: 'passport checked by video call, 2026-02-19',
          currency: 'EUR',
          status: 'frozen on 2026-03-13 by the bank on a recall request',
        },
        online_banking_logins: [
          { time_utc: '2026-02-19T14:40:51Z', ip: r.docIp('bank'), device: 'Ribeira app 7.1 / Android' },
          { time_utc: v('banking_login_1'), ip: v('attacker_ip'), device: 'Firefox 128 / Linux' },
          { time_utc: v('banking_login_2'), ip: v('attacker_ip'), device: 'Firefox 128 / Linux' },
        ],
        transactions: [
          { time_utc: '2026-02-19T15:02:33Z', type: 'cash deposit', counterparty: '', counterparty_iban: '', amount: '212.40', balance_after: opening },
          { time_utc: v('credited_time'), type: 'SEPA credit in', counterparty: 'Aldermoor Logistics Ltd', counterparty_iban: buyerIban, reference: `${INVOICE.number} PO-88412`, end_to_end_id: vars.ref('e2e_ref', 'upper'), amount: INVOICE.total, balance_after: v('balance_1') },
          { time_utc: v('onward1_time'), type: 'SEPA credit out', counterparty: 'Stelmar Trading SRL', counterparty_iban: v('onward1_iban'), reference: 'contract 2026/07 advance', amount: `-${v('onward1_eur')}`, balance_after: v('balance_2') },
          { time_utc: v('onward2_time'), type: 'SWIFT transfer out', counterparty: 'Gulfpoint General Trading LLC', counterparty_iban: v('onward2_iban'), reference: 'goods', amount: `-${v('onward2_eur')}`, balance_after: v('balance_3') },
          { time_utc: v('cash_time'), type: 'cash withdrawal at counter', counterparty: 'Porto, Rua de Santa Catarina branch', counterparty_iban: '', amount: `-${v('cash_eur')}.00`, balance_after: v('balance_4') },
        ],
      },
      null,
      2,
    )}\n`,
  );
  return { writer, vars };
}
