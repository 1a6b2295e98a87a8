import { describe, expect, it } from 'vitest';
import type { LegalParty } from '../scenarios/definition.ts';
import { canonicalIp, normaliseActivityTime, normaliseIdentifier } from './identifiers.ts';
import { matchResponse } from './matching.ts';
import { legalRequestCreate } from './schemas.ts';

const justification = 'The address received the ransom of an extortion case under investigation.';

const party: LegalParty = {
  id: 'isp',
  name: { en: 'Nordlane Telecom' },
  kind: 'isp',
  responses: [
    {
      id: 'subscriber',
      types: ['subscriber_information'],
      identifier: { kind: 'ip', value: '{{ ip }}', at: '2025-03-10T07:42:16Z', toleranceMinutes: 10 },
      requireJustification: true,
      delayMinutes: 20,
      reply: { en: 'Subscriber of {{ ip }}' },
      points: 30,
    },
    {
      id: 'wallet',
      types: ['production_order', 'preservation'],
      identifier: { kind: 'wallet', value: '{{ wallet }}', toleranceMinutes: 10 },
      requireJustification: false,
      delayMinutes: 0,
      reply: { en: 'Account' },
      points: 10,
    },
    {
      id: 'mailbox',
      types: ['preservation'],
      identifier: { kind: 'email', value: '{{ mail }}', toleranceMinutes: 10 },
      requireJustification: true,
      delayMinutes: 0,
      reply: { en: 'Preserved' },
      points: 5,
    },
  ],
  refusal: { en: 'Refused' },
  refusalPoints: -5,
  delayMinutes: 5,
};
const values = { ip: '2001:DB8:0:0:0:0:0:1', wallet: 'bc1qExAmPle', mail: 'Suspect@Cloakpost-Mail.net' };
const ask = (over: Partial<Parameters<typeof matchResponse>[1]>) => matchResponse(party, { type: 'subscriber_information', identifiers: [], justification, ...over }, values)?.id ?? null;

describe('identifiers', () => {
  it('compares IP addresses as addresses', () => {
    expect(canonicalIp(' 192.0.2.1 ')).toBe('192.0.2.1');
    expect(canonicalIp('2001:db8::1')).toBe(canonicalIp('2001:0DB8:0000:0000:0000:0000:0000:0001'));
    expect(canonicalIp('[2001:db8::1]')).toBe(canonicalIp('2001:db8:0::0:1'));
    expect(canonicalIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(canonicalIp('::ffff:c000:201')).toBe('192.0.2.1');
    expect(canonicalIp('::')).toBe('0:0:0:0:0:0:0:0');
    expect(canonicalIp('fe80::1:2.3.4.5')).toBe('fe80:0:0:0:0:1:203:405');
    for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', 'gggg::1', 'example.org', '', '1:2:3:4:5:6:7']) expect(canonicalIp(bad), bad).toBeNull();
  });

  it('trims, ignores case except for wallets', () => {
    expect(normaliseIdentifier('email', '  A@B.org ')).toBe('a@b.org');
    expect(normaliseIdentifier('wallet', ' bc1qAbC ')).toBe('bc1qAbC');
    expect(normaliseIdentifier('ip', '2001:DB8::1')).toBe(normaliseIdentifier('ip', '2001:db8:0:0:0:0:0:1'));
  });
});

describe('matching a request to a response', () => {
  it('grants an IP with its time within the tolerance, in any spelling of the address', () => {
    expect(ask({ identifiers: [{ kind: 'ip', value: '2001:db8::1', at: '2025-03-10T07:50:00Z' }] })).toBe('subscriber');
    expect(ask({ identifiers: [{ kind: 'ip', value: '[2001:DB8::0:1]', at: '2025-03-10T08:40:00+01:00' }] })).toBe('subscriber');
    expect(ask({ identifiers: [{ kind: 'ip', value: '2001:db8::1', at: '2025-03-10T07:32:16Z' }] })).toBe('subscriber');
  });

  it('refuses an IP outside the tolerance or without a time, another address, another kind, another type', () => {
    expect(ask({ identifiers: [{ kind: 'ip', value: '2001:db8::1', at: '2025-03-10T07:52:17Z' }] })).toBeNull();
    expect(ask({ identifiers: [{ kind: 'ip', value: '2001:db8::1' }] })).toBeNull();
    expect(ask({ identifiers: [{ kind: 'ip', value: '2001:db8::2', at: '2025-03-10T07:42:16Z' }] })).toBeNull();
    expect(ask({ identifiers: [{ kind: 'other', value: '2001:db8::1', at: '2025-03-10T07:42:16Z' }] })).toBeNull();
    expect(ask({ type: 'preservation', identifiers: [{ kind: 'ip', value: '2001:db8::1', at: '2025-03-10T07:42:16Z' }] })).toBeNull();
  });

  it('needs a justification of 40 characters when the response requires one', () => {
    const ip = [{ kind: 'ip' as const, value: '2001:db8::1', at: '2025-03-10T07:42:16Z' }];
    expect(ask({ identifiers: ip, justification: '' })).toBeNull();
    expect(ask({ identifiers: ip, justification: `   ${'x'.repeat(39)}      ` })).toBeNull();
    expect(ask({ identifiers: ip, justification: ' '.repeat(80) })).toBeNull();
    expect(ask({ identifiers: ip, justification: 'x'.repeat(40) })).toBe('subscriber');
    // Not required: granted without one.
    expect(ask({ type: 'production_order', identifiers: [{ kind: 'wallet', value: 'bc1qExAmPle' }], justification: '' })).toBe('wallet');
  });

  it('compares wallets exactly and other identifiers without case; one matching identifier among several is enough', () => {
    expect(ask({ type: 'production_order', identifiers: [{ kind: 'wallet', value: ' bc1qExAmPle ' }] })).toBe('wallet');
    expect(ask({ type: 'production_order', identifiers: [{ kind: 'wallet', value: 'bc1qexample' }] })).toBeNull();
    expect(ask({ type: 'preservation', identifiers: [{ kind: 'email', value: 'SUSPECT@cloakpost-mail.NET ' }] })).toBe('mailbox');
    expect(ask({ type: 'preservation', identifiers: [{ kind: 'account', value: 'nobody' }, { kind: 'wallet', value: 'bc1qExAmPle' }] })).toBe('wallet');
  });
});

describe('the request schema', () => {
  const base = { party: 'isp', type: 'subscriber_information', justification };
  it('needs a valid IP address and the time of the activity for an IP', () => {
    const paths = (body: unknown) => legalRequestCreate.safeParse(body).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths({ ...base, identifiers: [{ kind: 'ip', value: '2001:db8::1', at: '2025-03-10T07:42:16Z' }] })).toEqual([]);
    expect(paths({ ...base, identifiers: [{ kind: 'ip', value: '300.1.1.1', at: '2025-03-10T07:42:16Z' }] })).toEqual(['identifiers.0.value']);
    expect(paths({ ...base, identifiers: [{ kind: 'ip', value: '192.0.2.1' }] })).toEqual(['identifiers.0.at']);
    expect(paths({ ...base, identifiers: [{ kind: 'router', value: 'x' }] })).toEqual(['identifiers.0.kind']);
    expect(paths({ ...base, identifiers: [] })).toEqual(['identifiers']);
    expect(paths({ ...base, identifiers: [{ kind: 'account', value: 'x' }], justification: 'x'.repeat(4001) })).toEqual(['justification']);
    expect(paths({ ...base, identifiers: [{ kind: 'account', value: 'x' }], urgent: true })).toEqual(['']);
  });
});

describe('the demo scenario', () => {
  it('grants what its trainer guide says and refuses the rest', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const { scenarioDefinition } = await import('../scenarios/definition.ts');
    const demo = scenarioDefinition.parse(parse(readFileSync(new URL('../../../scenarios/demo-extortion/scenario.yaml', import.meta.url), 'utf8')));
    const values = { sending_ip: '203.0.113.77', deposit_wallet: 'bc1qdeposit', suspect_name: 'A. Person', suspect_email: 'a@cloakpost-mail.net', ransom_amount: '2.5' };
    const partyOf = (id: string) => demo.legalParties.find((p) => p.id === id)!;
    const exchange = (type: 'preservation' | 'production_order', value: string) => matchResponse(partyOf('halvora-exchange'), { type, identifiers: [{ kind: 'wallet', value }], justification }, values)?.id ?? null;
    expect(exchange('production_order', 'bc1qdeposit')).toBe('halvora-production');
    expect(exchange('preservation', 'bc1qdeposit')).toBe('halvora-preservation');
    expect(exchange('production_order', 'bc1qDEPOSIT')).toBeNull();
    const isp = (at: string) => matchResponse(partyOf('nordlane-telecom'), { type: 'subscriber_information', identifiers: [{ kind: 'ip', value: '203.0.113.77', at }], justification }, values)?.id ?? null;
    expect(isp('2025-03-10T07:16:52Z')).toBe('nordlane-subscriber');
    expect(isp('2025-03-10T08:42:16+01:00')).toBe('nordlane-subscriber');
    expect(isp('2025-03-10T08:42:16Z')).toBeNull();
    // The production order's reply is the manual inject's text.
    const production = partyOf('halvora-exchange').responses.find((r) => r.id === 'halvora-production')!;
    expect(production.reply).toEqual(demo.injects.find((i) => i.id === 'exchange-reply')!.message);
    expect(demo.evidence.filter((e) => 'legalReply' in e.release).map((e) => e.id)).toEqual(['exchange-records', 'isp-subscriber']);
  });

  for (const seed of ['team-1', 'team-2', 'a7f3c9e1']) {
    it(`releases records that agree with the reply and the other evidence (seed ${seed})`, async () => {
      const { readFileSync } = await import('node:fs');
      const { parse } = await import('yaml');
      const { scenarioDefinition } = await import('../scenarios/definition.ts');
      const { renderTemplate, resolveVariables } = await import('../scenarios/templates.ts');
      const dir = new URL('../../../scenarios/demo-extortion/', import.meta.url);
      const demo = scenarioDefinition.parse(parse(readFileSync(new URL('scenario.yaml', dir), 'utf8')));
      const values = resolveVariables(demo.variables, seed);
      const render = (id: string) => renderTemplate(readFileSync(new URL(demo.evidence.find((e) => e.id === id)!.file, dir), 'utf8'), values);
      const [header, ...rows] = render('exchange-records').trim().split('\n').map((l) => l.split(','));
      expect(rows.every((r) => r.length === header!.length)).toBe(true);
      const times = rows.map((r) => Date.parse(r[0]!));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const logins = rows.filter((r) => r[2] === 'LOGIN').map((r) => [r[0], r[3]]);
      // The reply (the manual inject's text) names the last two logins, from the sending IP.
      expect(logins.slice(-2)).toEqual([['2025-03-11T17:10:09Z', values.sending_ip], ['2025-03-12T03:02:44Z', values.sending_ip]]);
      expect(rows.find((r) => r[2] === 'DEPOSIT_CREDITED')![5]).toBe(values.ransom_amount);
      const reply = renderTemplate(demo.legalParties[0]!.responses[1]!.reply.en!, values);
      for (const v of [values.suspect_name!, values.suspect_email!, values.sending_ip!, values.ransom_amount!]) expect(reply).toContain(v);
      const record = render('isp-subscriber');
      for (const v of [values.sending_ip!, values.suspect_name!]) expect(record).toContain(v);
    });
  }
});

describe('activity times as typed', () => {
  it('reads the usual spellings as ISO 8601, UTC when no offset is given', () => {
    expect(normaliseActivityTime('2025-03-10 07:42:16')).toBe('2025-03-10T07:42:16Z');
    expect(normaliseActivityTime(' 2025-03-10T07:42 ')).toBe('2025-03-10T07:42:00Z');
    expect(normaliseActivityTime('2025-03-10 07:42:16 UTC')).toBe('2025-03-10T07:42:16Z');
    expect(normaliseActivityTime('2025-03-10T08:42:16+0100')).toBe('2025-03-10T08:42:16+01:00');
    expect(normaliseActivityTime('2025-03-10T07:42:16.250Z')).toBe('2025-03-10T07:42:16.250Z');
    for (const bad of ['10/03/2025 07:42', '2025-03-10', 'yesterday', '2025-13-40 99:99']) expect(normaliseActivityTime(bad), bad).toBeNull();
    expect(legalRequestCreate.safeParse({ party: 'p', type: 'preservation', identifiers: [{ kind: 'ip', value: '192.0.2.1', at: normaliseActivityTime('2025-03-10 07:42') }], justification: '' }).success).toBe(true);
  });
});
