import { readFileSync } from 'node:fs';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { evaluate, prepareCheck } from '../../src/modules/scenarios/answers.ts';
import { scenarioDefinition, type ScenarioDefinition } from '../../src/modules/scenarios/definition.ts';
import { isValidIban } from '../../src/modules/scenarios/generators.ts';
import { openFolderPackage } from '../../src/modules/scenarios/package-source.ts';
import { renderTemplate, resolveVariables } from '../../src/modules/scenarios/templates.ts';
import { parseScenarioYaml, validatePackage } from '../../src/modules/scenarios/validate.ts';
import { INVOICE, VENDOR_CHANGE_UTC, buildBusinessEmailCompromise, packageDir } from './business-email-compromise.ts';
import { sha256Hex } from './lib/files.ts';
import { expectAnswersOfTeam, expectRegenerated, expectSmallFilesInFourLanguages } from './lib/package-checks.ts';

// The business-email-compromise package, played as an investigator would: for
// several team seeds, every evidence file is rendered as the platform renders
// it for that team, every answer is derived from the files alone (an e-mail
// parser, the CSV and JSON exports, the WHOIS text, the legal replies), and the
// engine must accept it, and refuse it from another team.

const dir = packageDir;
const read = (file: string) => readFileSync(dir + file, 'utf8');
const definition: ScenarioDefinition = scenarioDefinition.parse(parseScenarioYaml(read('scenario.yaml')).value);
const fileOf = (id: string) => definition.evidence.find((e) => e.id === id)!.file;
const SEEDS = ['team-1', 'team-2', 'team-3'];
const START = Date.parse('2026-03-13T08:00:00Z');

interface Mail {
  received: Array<{ from: string; by: string; at: number }>;
  origin: string;
  date: number;
  dateHeader: string;
  messageId: string;
  inReplyTo: string | undefined;
  from: string;
  replyTo: string | undefined;
  authResults: string;
  text: string;
  attachments: Array<{ filename: string; sha256: string }>;
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
  return {
    received,
    origin: received[0]!.from,
    date: Date.parse(email.date!),
    dateHeader: email.headers.find((h) => h.key === 'date')!.value,
    messageId: email.messageId!,
    inReplyTo: email.inReplyTo,
    from: email.from!.address!,
    replyTo: email.replyTo?.[0]?.address,
    authResults: email.headers.find((h) => h.key === 'authentication-results')!.value.replace(/\s+/g, ' '),
    text: email.text!,
    attachments: email.attachments.map((a) => ({ filename: a.filename!, sha256: sha256Hex(typeof a.content === 'string' ? a.content : new Uint8Array(a.content)) })),
  };
}

const csvRows = (text: string) => {
  const [header, ...rows] = text.trim().split('\n').map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};
/** Euro amounts as whole cents. */
const cents = (eur: string) => {
  expect(eur).toMatch(/^-?\d+\.\d{2}$/);
  return Math.round(Number(eur) * 100);
};

/** The text lines of the PDF's content stream (the writer puts one Tj per line). */
const pdfLines = (pdf: Buffer) => [...pdf.toString('latin1').matchAll(/\((.*)\) Tj/g)].map((m) => m[1]!.replace(/\\([\\()])/g, '$1'));

interface AuditRecord {
  CreationTime: string;
  Operation: string;
  ClientIP: string;
  Parameters: Record<string, string | number>;
}
interface BankRecords {
  account: { iban: string; holder: string };
  online_banking_logins: Array<{ time_utc: string; ip: string }>;
  transactions: Array<{ time_utc: string; type: string; counterparty_iban: string; amount: string; balance_after: string; end_to_end_id?: string }>;
}

/** Everything a team can find out, from its own rendered files. */
async function investigate(seed: string) {
  const values = resolveVariables(definition.variables, seed);
  const files = new Map(definition.evidence.map((e) => [e.id, e.templated ? renderTemplate(read(e.file), values) : read(e.file)]));
  const file = (id: string) => files.get(id)!;
  const genuine = await parseMail(file('genuine-email'));
  const spoof = await parseMail(file('spoofed-email'));

  // The forged e-mail: the sender's domain, where replies go, where it came from, when the gateway took it, the IBAN.
  const domain = spoof.from.split('@')[1]!;
  const gateway = spoof.received.find((r) => r.by.startsWith('mx1.'))!;
  const iban = /^\s*IBAN:\s+(\S+)$/m.exec(spoof.text)![1]!;

  // OSINT: the WHOIS block of that domain.
  const whoisBlock = file('whois').split(/\n(?=Domain Name: )/).find((b) => b.startsWith(`Domain Name: ${domain.toUpperCase()}\n`))!;
  const created = /^Creation Date: (\S+)$/m.exec(whoisBlock)![1]!;

  // The supplier's sign-ins: the mailbox used from the forged e-mail's origin; its first success.
  const signins = csvRows(file('signin-log'));
  const fromOrigin = signins.filter((r) => r.client_ip === spoof.origin);
  const firstSuccess = fromOrigin.find((r) => r.result === 'success')!;

  // The buyer's bank export: the payment to the IBAN of the forged e-mail.
  const payments = csvRows(file('buyer-payments'));
  const payment = payments.find((r) => r.creditor_iban === iban)!;

  // Legal replies.
  const audit = JSON.parse(file('mailbox-audit')) as { mailbox: string; records: AuditRecord[] };
  const forwarding = audit.records.find((r) => r.Operation === 'Set-Mailbox')!;
  const rule = audit.records.find((r) => r.Operation === 'New-InboxRule')!;
  const registrar = file('registrar-reply');
  const registrantEmail = /^ {2}Account e-mail: +(\S+)$/m.exec(registrar)![1]!;
  const bank = JSON.parse(file('bank-production')) as BankRecords;
  const out = bank.transactions.filter((t) => /transfer out|credit out/.test(t.type));
  const largest = [...out].sort((a, b) => cents(a.amount) - cents(b.amount))[0]!;
  const forwarded = -out.reduce((s, t) => s + cents(t.amount), 0);

  const answers: Record<string, string> = {
    'lookalike-domain': domain,
    'reply-to': spoof.replyTo!,
    'spoof-origin-ip': spoof.origin,
    'spoof-gateway-time': new Date(gateway.at).toISOString().replace('.000', ''),
    'mule-iban': iban,
    'domain-created': created,
    'compromised-mailbox': firstSuccess.user!,
    'compromise-login': firstSuccess.time_utc!,
    'payment-ref': payment.end_to_end_id!,
    'forwarding-address': String(forwarding.Parameters.ForwardingSmtpAddress).replace(/^smtp:/, ''),
    'rule-created': rule.CreationTime,
    'registrant-email': registrantEmail,
    'mule-holder': bank.account.holder,
    'onward-iban': largest.counterparty_iban,
    'forwarded-amount': (forwarded / 100).toFixed(2),
    'frozen-balance': bank.transactions.at(-1)!.balance_after,
  };
  return { values, file, genuine, spoof, signins, fromOrigin, payments, payment, audit, registrar, bank, whoisBlock, answers };
}

describe('scenarios/business-email-compromise', () => {
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
    expect(definition.injects.length).toBeGreaterThanOrEqual(3);
    expect(definition.injects.some((i) => 'onSolve' in i.trigger)).toBe(true);
    expect(definition.legalParties.length).toBeGreaterThanOrEqual(2);
    expect(definition.evidence.filter((e) => e.release && 'legalReply' in e.release)).toHaveLength(3);
    expect(definition.prosecution!.charges.map((c) => c.basis)).toEqual([
      { source: 'budapest', article: 7 },
      { source: 'budapest', article: 8 },
    ]);
    expectSmallFilesInFourLanguages(definition, dir);
  });

  it('is what the generator writes (regenerating changes nothing)', () => {
    expectRegenerated(buildBusinessEmailCompromise(), dir, definition);
  });

  const teams = Promise.all(SEEDS.map((seed) => investigate(seed)));

  for (const [index, seed] of SEEDS.entries()) {
    it(`accepts every answer found in the evidence of seed ${seed}, and refuses it from the other teams`, async () => {
      const all = await teams;
      const team = all[index]!;
      expectAnswersOfTeam(definition, all, team, seed);
      const check = (id: string) => prepareCheck(definition.objectives.find((o) => o.id === id)!.answer, team.values);
      // The traps are wrong: the Date header (sender's clock, UTC+3), the failed sign-ins, the genuine domain, the cash counted as a transfer.
      expect(evaluate(check('spoof-gateway-time'), new Date(team.spoof.date).toISOString()).outcome).toBe('wrong');
      expect(evaluate(check('compromise-login'), team.fromOrigin.find((r) => r.result === 'failure')!.time_utc!).outcome).toBe('wrong');
      expect(evaluate(check('lookalike-domain'), 'harwick-metals.example').outcome).toBe('wrong');
      const cash = team.bank.transactions.find((t) => t.type.startsWith('cash withdrawal'))!;
      expect(evaluate(check('forwarded-amount'), ((cents(team.answers['forwarded-amount']!) - cents(cash.amount)) / 100).toFixed(2)).outcome).toBe('wrong');
    });

    it(`tells one consistent story (seed ${seed})`, async () => {
      const team = (await teams)[index]!;
      const { genuine, spoof, answers, bank } = team;

      // E-mails: each relay's time at or after the previous one, the client's Date just before; the zones as stated.
      for (const mail of [genuine, spoof]) {
        for (let i = 1; i < mail.received.length; i++) expect(mail.received[i]!.at).toBeGreaterThanOrEqual(mail.received[i - 1]!.at);
        expect(mail.date).toBeLessThanOrEqual(mail.received[0]!.at);
        expect(mail.received[0]!.at - mail.date).toBeLessThan(60_000);
        expect(mail.received.at(-1)!.by).toBe('mail.aldermoor-logistics.example');
      }
      expect(genuine.dateHeader).toMatch(/\+0100$/);
      expect(spoof.dateHeader).toMatch(/\+0300$/);
      // The forged e-mail answers the genuine one (the fraudster read it), a day later, and fails where the genuine passes.
      expect(spoof.inReplyTo).toBe(genuine.messageId);
      expect(spoof.received[0]!.at).toBeGreaterThan(genuine.received.at(-1)!.at);
      expect(genuine.authResults).toMatch(/dkim=pass header\.d=harwick-metals\.example.*spf=pass.*dmarc=pass/);
      expect(spoof.authResults).toContain('dkim=none');
      expect(spoof.authResults).toContain(`dmarc=none (no DMARC record) header.from=${answers['lookalike-domain']}`);
      expect(spoof.authResults).toContain(`smtp.mailfrom=${spoof.from}`);
      expect(genuine.from.split('@')[0]).toBe(spoof.from.split('@')[0]);
      expect(answers['lookalike-domain']).not.toBe('harwick-metals.example');
      expect(team.genuine.origin).toBe('198.51.100.23');

      // The WHOIS DNS line names the server that relayed the forged e-mail.
      const relay = spoof.received[1]!;
      expect(team.file('whois')).toContain(`v=spf1 ip4:${relay.from} -all`);

      // The sign-in log: sorted; from the origin, two failures then successes, on the mailbox that sent the genuine e-mail.
      const times = team.signins.map((r) => Date.parse(r.time_utc!));
      expect(times.every(Number.isFinite)).toBe(true);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(team.fromOrigin.map((r) => r.result)).toEqual(['failure', 'failure', 'success', 'success']);
      expect(new Set(team.fromOrigin.map((r) => r.user))).toEqual(new Set([genuine.from]));

      // The audit log: sorted; the intruder's operations from the same IP, the rule minutes after the sign-in, the genuine invoice read after it was sent.
      const audit = team.audit.records;
      const auditTimes = audit.map((r) => Date.parse(r.CreationTime));
      expect(auditTimes).toEqual([...auditTimes].sort((a, b) => a - b));
      expect(team.audit.mailbox).toBe(answers['compromised-mailbox']);
      for (const r of audit.filter((x) => /InboxRule|Set-Mailbox/.test(x.Operation))) expect(r.ClientIP).toBe(answers['spoof-origin-ip']);
      expect(audit.find((r) => r.Operation === 'UserLoggedIn')!.CreationTime).toBe(answers['compromise-login']);
      const login = Date.parse(answers['compromise-login']!);
      expect(Date.parse(answers['rule-created']!) - login).toBeGreaterThan(0);
      expect(Date.parse(answers['rule-created']!) - login).toBeLessThan(3600_000);
      const read = audit.find((r) => r.ClientIP === answers['spoof-origin-ip'] && r.Operation === 'MailItemsAccessed')!;
      expect(Date.parse(read.CreationTime)).toBeGreaterThan(genuine.received.at(-1)!.at);
      expect(Date.parse(read.CreationTime)).toBeLessThan(spoof.received[0]!.at);

      // The domain: registered after the takeover and before the genuine invoice; the registrar saw the same IP and the same time.
      const created = Date.parse(answers['domain-created']!);
      expect(created).toBeGreaterThan(login);
      expect(created).toBeLessThan(genuine.date);
      expect(team.registrar).toContain(`registered on ${answers['domain-created']} (UTC)`);
      expect(team.registrar).toContain(`Both from IP address ${answers['spoof-origin-ip']}.`);
      expect(team.registrar).toContain(`Domain: ${answers['lookalike-domain']}\n`);

      // Each e-mail carries its invoice, the exhibit byte for byte; the forged copy changes the bank lines only.
      const invoiceFile = readFileSync(dir + fileOf('invoice-pdf'));
      const forgedFile = readFileSync(dir + fileOf('forged-invoice-pdf'));
      expect(genuine.attachments).toEqual([{ filename: 'Invoice_HM-2026-0412.pdf', sha256: sha256Hex(invoiceFile) }]);
      expect(spoof.attachments).toEqual([{ filename: 'Invoice_HM-2026-0412_corrected.pdf', sha256: sha256Hex(forgedFile) }]);
      const bankLine = (l: string) => /^(Bank|IBAN|Our bank details)|^$/.test(l);
      expect(pdfLines(forgedFile).filter((l) => !bankLine(l))).toEqual(pdfLines(invoiceFile).filter((l) => !bankLine(l)));
      expect(pdfLines(forgedFile).find((l) => l.startsWith('Bank:'))).toContain('Banco Ribeira');
      expect(spoof.text).toContain('Banco Ribeira');

      // The invoice: its total is what was paid; the IBAN it gives is the supplier's usual one, not the forged one.
      const pdf = pdfLines(invoiceFile);
      expect(pdf.find((l) => l.startsWith('Total due'))).toMatch(new RegExp(`${INVOICE.printed.replace('.', '\\.')}$`));
      const realIban = /IBAN ([A-Z0-9 ]+?) - BIC/.exec(pdf.find((l) => l.includes('IBAN'))!)![1]!.replace(/ /g, '');
      expect(isValidIban(realIban, { national: true })).toBe(true);
      const earlier = team.payments.filter((r) => r.creditor_name === 'Harwick Metals GmbH' && r !== team.payment);
      expect(earlier.length).toBeGreaterThanOrEqual(2);
      for (const r of earlier) expect(r.creditor_iban).toBe(realIban);
      expect(answers['mule-iban']).not.toBe(realIban);

      // The clerk changed the bank details (the screenshot's time) after the forged e-mail and before the payment.
      expect(Date.parse(VENDOR_CHANGE_UTC)).toBeGreaterThan(spoof.received.at(-1)!.at);
      expect(Date.parse(VENDOR_CHANGE_UTC)).toBeLessThan(Date.parse(team.payment.executed_utc!));

      // The buyer's export: sorted; the payment of the invoice total after the forged e-mail.
      const paid = team.payments.map((r) => Date.parse(r.executed_utc!));
      expect(paid).toEqual([...paid].sort((a, b) => a - b));
      expect(cents(team.payment.amount!)).toBe(cents(INVOICE.total));
      expect(team.payment.remittance_info).toContain(INVOICE.number);
      expect(Date.parse(team.payment.executed_utc!)).toBeGreaterThan(spoof.received.at(-1)!.at);

      // IBANs: valid, in the countries the story says.
      for (const i of [answers['mule-iban']!, ...bank.transactions.map((t) => t.counterparty_iban).filter(Boolean)]) expect(isValidIban(i, { national: true }), i).toBe(true);
      expect(answers['mule-iban']).toMatch(/^PT/);
      expect(bank.account.iban).toBe(answers['mule-iban']);

      // The beneficiary bank: the credit is the buyer's payment; every balance follows from the one before, to the cent; all before the exercise.
      const credit = bank.transactions.find((t) => t.type === 'SEPA credit in')!;
      expect(credit.end_to_end_id).toBe(answers['payment-ref']);
      expect(credit.counterparty_iban).toBe(team.payment.debtor_iban);
      expect(cents(credit.amount)).toBe(cents(team.payment.amount!));
      expect(Date.parse(credit.time_utc)).toBeGreaterThan(Date.parse(team.payment.executed_utc!));
      let balance = 0;
      let previous = 0;
      for (const t of bank.transactions) {
        balance += cents(t.amount);
        expect(cents(t.balance_after), t.time_utc).toBe(balance);
        expect(Date.parse(t.time_utc)).toBeGreaterThan(previous);
        expect(Date.parse(t.time_utc)).toBeLessThan(START);
        previous = Date.parse(t.time_utc);
      }
      expect(balance).toBeGreaterThan(0);
      // The fraudster, not the holder, ran the account online, right before the transfers.
      const logins = bank.online_banking_logins.filter((l) => l.ip === answers['spoof-origin-ip']);
      expect(logins).toHaveLength(2);
      for (const l of logins) expect(Date.parse(l.time_utc)).toBeGreaterThan(Date.parse(credit.time_utc));
    });
  }

  it('holds for many more seeds: every answer found is accepted, every balance adds up', async () => {
    for (let i = 0; i < 25; i++) {
      const team = await investigate(`seed-${i}-${(i * 7919).toString(36)}`);
      for (const o of definition.objectives) expect(evaluate(prepareCheck(o.answer, team.values), team.answers[o.id]!).outcome, `${o.id} (seed ${i})`).toBe('correct');
      let balance = 0;
      for (const t of team.bank.transactions) {
        balance += cents(t.amount);
        expect(cents(t.balance_after)).toBe(balance);
      }
      expect(balance).toBeGreaterThan(0);
    }
  });

  it('lets a team aim its legal requests with what the evidence shows', async () => {
    const team = (await teams)[0]!;
    const render = (s: string) => renderTemplate(s, team.values);
    const responses = new Map(definition.legalParties.flatMap((p) => p.responses.map((r) => [r.id, r])));
    expect(render(responses.get('nameforge-production')!.identifier.value)).toBe(team.answers['lookalike-domain']);
    expect(render(responses.get('nameforge-preservation')!.identifier.value)).toBe(team.answers['lookalike-domain']);
    expect(render(responses.get('mailcore-production')!.identifier.value)).toBe(team.genuine.from);
    expect(render(responses.get('ribeira-production')!.identifier.value)).toBe(team.answers['mule-iban']);
    expect(render(responses.get('ribeira-freeze')!.identifier.value)).toBe(team.answers['mule-iban']);
    // Each reply a production order brings is the file it releases.
    const releasedBy = (id: string) => definition.evidence.find((e) => e.release && 'legalReply' in e.release && e.release.legalReply === id)!.id;
    expect(['nameforge-production', 'mailcore-production', 'ribeira-production'].map(releasedBy)).toEqual(['registrar-reply', 'mailbox-audit', 'bank-production']);
  });

  it('quotes the right hashes of the two invoices, the files that are the same for every team', () => {
    const yaml = read('scenario.yaml');
    const quoted = [...yaml.matchAll(/(evidence\/[\w./-]+) \(SHA-256 ([0-9a-f]{64})\)/g)];
    expect(new Set(quoted.map((m) => m[1]))).toEqual(new Set(['evidence/invoice-HM-2026-0412.pdf', 'evidence/invoice-HM-2026-0412-corrected.pdf']));
    for (const [, file, hash] of quoted) expect(sha256Hex(readFileSync(dir + file!)), file).toBe(hash);
    for (const e of definition.evidence.filter((x) => !x.templated)) expect(readFileSync(dir + e.file).toString('latin1')).not.toContain('{{');
    const png = readFileSync(dir + fileOf('vendor-change'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(definition.evidence.find((e) => e.id === 'vendor-change')!.kind).toBe('image');
  });
});
