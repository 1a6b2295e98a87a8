import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, startTestApp, TestClient, type TestEnv } from '../../test/harness.ts';
import { adminClient, expectError, rowCount, signInAgain } from '../../test/expect.ts';
import { sharingAgreementsInForce } from './agreements.ts';
import { applicationRateLimit } from './routes.ts';

let env: TestEnv;
let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  // Behind a trusted proxy, so that each test can come from its own address (the rate limit is per address).
  env = await startTestApp({ TRUST_PROXY: 'true' });
  admin = await makeUser(env, { roles: ['administrator'] });
});
afterAll(async () => env?.close());

const someId = '00000000-0000-4000-8000-000000000000';
let ipCounter = 1;
const nextIp = () => `198.51.100.${ipCounter++}`;
const day = (offset: number) => new Date(env.clock.now().getTime() + offset * 86400_000).toISOString().slice(0, 10);
const auditOf = (action: string, targetId?: string) => {
  let q = env.ctx.database.db.selectFrom('audit_log').selectAll().where('action', '=', action);
  if (targetId) q = q.where('target_id', '=', targetId);
  return q.orderBy('occurred_at').execute();
};

const validForm = (over: Record<string, unknown> = {}) => ({
  organisationName: 'Northwind Threat Labs',
  sector: 'cybersecurity',
  countryCode: 'sg',
  contactName: 'Ada Tan',
  email: 'Ada.Tan@Northwind.example',
  phone: '+65 6123 4567',
  kinds: ['data_sharing', 'training_support'],
  message: 'We track phishing kits in the region and would like to share indicators.',
  website: '',
  ...over,
});

/** An anonymous visitor from one address: takes a form token, waits as a person would, sends. */
async function visitor(ip = nextIp()) {
  const client = new TestClient(env.baseUrl);
  const headers = { 'x-forwarded-for': ip };
  const token = async () => {
    const res = await client.request('GET', '/api/partner-applications/form-token', undefined, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.token as string;
  };
  const send = (body: unknown) => client.request('POST', '/api/partner-applications', body, headers);
  return { client, token, send, ip };
}

async function submitted(over: Record<string, unknown> = {}) {
  const v = await visitor();
  const formToken = await v.token();
  env.clock.advance(30);
  const res = await v.send({ ...validForm(over), formToken });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const row = await env.ctx.database.db.selectFrom('partner_applications').selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return row;
}

describe('the public "Become a partner" form', () => {
  it('stores a valid application, with no account, normalised, and audits it', async () => {
    const v = await visitor();
    const tokenReply = await v.client.request('GET', '/api/partner-applications/form-token', undefined, { 'x-forwarded-for': v.ip });
    expect(tokenReply.body).toMatchObject({ minSeconds: 5 });
    env.clock.advance(20);
    const before = await rowCount(env, 'partner_applications');
    const res = await v.send({ ...validForm({ organisationName: '  Northwind Threat Labs ' }), formToken: tokenReply.body.token });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ received: true });
    expect(await rowCount(env, 'partner_applications')).toBe(before + 1);
    const row = await env.ctx.database.db.selectFrom('partner_applications').selectAll().orderBy('received_at', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ organisation_name: 'Northwind Threat Labs', sector: 'cybersecurity', country_code: 'SG', email: 'ada.tan@northwind.example', status: 'received', organisation_id: null });
    expect(JSON.parse(row.kinds)).toEqual(['data_sharing', 'training_support']);
    const audit = await auditOf('partner_application.received', row.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_user_id: null, ip: v.ip, outcome: 'success' });
  });

  it('refuses invalid fields with 400 naming the field, storing nothing', async () => {
    const before = await rowCount(env, 'partner_applications');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ sector: 'retail' }, /^body\.sector/],
      [{ countryCode: 'XX' }, /^body\.countryCode: not an INTERPOL member/],
      [{ kinds: [] }, /^body\.kinds: choose at least one/],
      [{ kinds: ['data_sharing', 'data_sharing'] }, /^body\.kinds: each kind once/],
      [{ kinds: ['lobbying'] }, /^body\.kinds/],
      [{ message: 'x'.repeat(5001) }, /^body\.message/],
      [{ message: '   ' }, /^body\.message/],
      [{ email: 'not-an-address' }, /^body\.email/],
      [{ phone: 'call me maybe' }, /^body\.phone/],
      [{ contactName: 'A\nB' }, /^body\.contactName: must be one line/],
      [{ organisationName: undefined }, /^body\.organisationName/],
      [{ role: 'administrator' }, /^body/],
    ];
    for (const [over, message] of cases) {
      const v = await visitor();
      const formToken = await v.token();
      env.clock.advance(30);
      const res = await v.send({ ...validForm(over), formToken });
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message, JSON.stringify(over).slice(0, 80)).toMatch(message);
    }
    expect(await rowCount(env, 'partner_applications')).toBe(before);
  });

  it('discards a filled honeypot without storing anything, answering like a success', async () => {
    const before = { applications: await rowCount(env, 'partner_applications'), audit: await rowCount(env, 'audit_log'), events: await rowCount(env, 'partner_application_events') };
    const v = await visitor();
    const formToken = await v.token();
    env.clock.advance(30);
    const res = await v.send({ ...validForm(), website: 'http://spam.example', formToken });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ received: true });
    expect({ applications: await rowCount(env, 'partner_applications'), audit: await rowCount(env, 'audit_log'), events: await rowCount(env, 'partner_application_events') }).toEqual(before);
  });

  it('refuses a form sent too fast, a forged token and a stale one', async () => {
    const before = await rowCount(env, 'partner_applications');
    const v = await visitor();
    const formToken = await v.token();
    env.clock.advance(1);
    const fast = await v.send({ ...validForm(), formToken });
    expectError(fast, 429, 'too_many_requests');
    expect(fast.body.error.message).toMatch(/too quickly/);
    expect(Number(fast.headers.get('retry-after'))).toBeGreaterThan(0);

    const [issued, nonce, mac] = formToken.split('.');
    const backdated = `${Number(issued) - 60_000}.${nonce}.${mac}`;
    for (const bad of [backdated, 'garbage-token-value', `${issued}.${nonce}.${'A'.repeat(mac!.length)}`]) {
      const res = await (await visitor()).send({ ...validForm(), formToken: bad });
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message).toMatch(/^body\.formToken: invalid form token/);
    }
    env.clock.advance(25 * 3600);
    const stale = await (await visitor()).send({ ...validForm(), formToken });
    expectError(stale, 400, 'validation_failed');
    expect(stale.body.error.message).toMatch(/^body\.formToken: the form has expired/);
    expect(await rowCount(env, 'partner_applications')).toBe(before);
  });

  it(`limits one address to ${applicationRateLimit.max} submissions an hour, valid or not`, async () => {
    const v = await visitor();
    const formToken = await v.token();
    env.clock.advance(30);
    for (let i = 0; i < applicationRateLimit.max - 1; i++) expect((await v.send({ ...validForm(), formToken })).status).toBe(202);
    expectError(await v.send({ ...validForm({ sector: 'x' }), formToken }), 400, 'validation_failed');
    const before = await rowCount(env, 'partner_applications');
    const limited = await v.send({ ...validForm(), formToken });
    expectError(limited, 429, 'too_many_requests');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await rowCount(env, 'partner_applications')).toBe(before);
    // Another address is not affected.
    const other = await visitor();
    expect((await other.send({ ...validForm(), formToken })).status).toBe(202);
  });
});

describe('the applications pipeline', () => {
  it('is for administrators only', async () => {
    const trainer = await signInAgain(env, (await makeUser(env, { roles: ['trainer'] })).email);
    const analystOrg = await makeOrganisation(env, { kind: 'partner' });
    const analyst = await signInAgain(env, (await makeUser(env, { roles: ['partner_analyst'], organisationId: analystOrg.id })).email);
    const app = await submitted();
    for (const client of [trainer, analyst]) {
      expectError(await client.get('/api/partner-applications'), 403, 'forbidden');
      expectError(await client.get(`/api/partner-applications/${app.id}`), 403, 'forbidden');
      expectError(await client.post(`/api/partner-applications/${app.id}/transitions`, { to: 'in_review' }), 403, 'forbidden');
      expectError(await client.post(`/api/partner-applications/${app.id}/notes`, { note: 'x' }), 403, 'forbidden');
    }
  });

  it('moves received → in review → negotiating → accepted, with notes and history, creating the partner organisation', async () => {
    const row = await submitted({ organisationName: 'Harbour Bank Security', sector: 'banking', countryCode: 'GB', kinds: ['data_sharing'] });
    const browser = await adminClient(env, admin);
    const listed = await browser.get('/api/partner-applications?status=received&kind=data_sharing&search=harbour');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([row.id]);
    expect(listed.body.items[0]).toMatchObject({ organisationName: 'Harbour Bank Security', region: 'europe', kinds: ['data_sharing'] });

    const skip = await browser.post(`/api/partner-applications/${row.id}/transitions`, { to: 'accepted' });
    expectError(skip, 409, 'conflict');
    expect(skip.body.error.message).toMatch(/^to: an application received cannot move to accepted/);

    let res = await browser.post(`/api/partner-applications/${row.id}/transitions`, { to: 'in_review', note: 'Looks serious' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'in_review', nextStatuses: ['negotiating', 'declined'] });
    env.clock.advance(60);
    res = await browser.post(`/api/partner-applications/${row.id}/notes`, { note: 'Called the CISO; draft MoU sent.' });
    expect(res.status).toBe(201);
    env.clock.advance(60);
    res = await browser.post(`/api/partner-applications/${row.id}/transitions`, { to: 'negotiating' });
    env.clock.advance(60);
    res = await browser.post(`/api/partner-applications/${row.id}/transitions`, { to: 'accepted', note: 'MoU signed' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', nextStatuses: [] });
    expect(res.body.history.map((e: { kind: string; toStatus: string | null; note: string | null; authorEmail: string | null }) => [e.kind, e.toStatus, e.note, e.authorEmail])).toEqual([
      ['received', 'received', null, null],
      ['status', 'in_review', 'Looks serious', admin.email],
      ['note', null, 'Called the CISO; draft MoU sent.', admin.email],
      ['status', 'negotiating', null, admin.email],
      ['status', 'accepted', 'MoU signed', admin.email],
    ]);
    const org = await browser.get(`/api/organisations/${res.body.organisationId}`);
    expect(org.body).toMatchObject({ name: 'Harbour Bank Security', kind: 'partner', sector: 'banking', countryCode: 'GB', status: 'active' });
    expect((await auditOf('partner_application.status_changed', row.id)).map((a) => JSON.parse(a.details))).toEqual([
      { from: 'received', to: 'in_review' },
      { from: 'in_review', to: 'negotiating' },
      { from: 'negotiating', to: 'accepted', organisationId: res.body.organisationId },
    ]);
    expect(await auditOf('partner_application.noted', row.id)).toHaveLength(1);
    expect(await auditOf('organisation.created', res.body.organisationId)).toHaveLength(1);

    // The history is append-only in the database itself.
    const db = env.ctx.database.db;
    await expect(db.updateTable('partner_application_events').set({ note: 'rewritten' }).where('application_id', '=', row.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('partner_application_events').where('application_id', '=', row.id).execute()).rejects.toThrow(/append-only/);
    // Final: nothing moves it any more; the detail reads the same.
    expectError(await browser.post(`/api/partner-applications/${row.id}/transitions`, { to: 'declined' }), 409, 'conflict');
    expect((await browser.get(`/api/partner-applications/${row.id}`)).body).toEqual(res.body);
  });

  it('links an existing partner organisation on acceptance, never a police unit, and may decline', async () => {
    const browser = await adminClient(env, admin);
    const partner = await makeOrganisation(env, { kind: 'partner', name: 'Existing Partner Ltd' });
    const police = await makeOrganisation(env);
    const row = await submitted({ organisationName: 'Existing Partner Ltd' });
    for (const to of ['in_review', 'negotiating']) await browser.post(`/api/partner-applications/${row.id}/transitions`, { to });
    const orgsBefore = await rowCount(env, 'organisations');
    // Same name as an existing organisation: creating a new one conflicts, and says how to link.
    const dup = await browser.post(`/api/partner-applications/${row.id}/transitions`, { to: 'accepted' });
    expectError(dup, 409, 'conflict');
    expect(dup.body.error.message).toMatch(/^organisationId: .*link it/);
    expectError(await browser.post(`/api/partner-applications/${row.id}/transitions`, { to: 'accepted', organisationId: police.id }), 409, 'conflict');
    expectError(await browser.post(`/api/partner-applications/${row.id}/transitions`, { to: 'accepted', organisationId: someId }), 404, 'not_found');
    expect((await browser.get(`/api/partner-applications/${row.id}`)).body.status).toBe('negotiating');
    const res = await browser.post(`/api/partner-applications/${row.id}/transitions`, { to: 'accepted', organisationId: partner.id });
    expect(res.body).toMatchObject({ status: 'accepted', organisationId: partner.id });
    expect(await rowCount(env, 'organisations')).toBe(orgsBefore);

    const other = await submitted();
    const declined = await browser.post(`/api/partner-applications/${other.id}/transitions`, { to: 'declined', note: 'Out of scope' });
    expect(declined.body).toMatchObject({ status: 'declined', organisationId: null });
    expectError(await browser.post(`/api/partner-applications/${other.id}/transitions`, { to: 'in_review', organisationId: partner.id }), 409, 'conflict');
    expectError(await browser.get(`/api/partner-applications/${someId}`), 404, 'not_found');
    expectError(await browser.post(`/api/partner-applications/${other.id}/transitions`, { to: 'archived' }), 400, 'validation_failed');
  });
});

describe('agreements', () => {
  let partner: Awaited<ReturnType<typeof makeOrganisation>>;
  let otherPartner: Awaited<ReturnType<typeof makeOrganisation>>;
  let unit: Awaited<ReturnType<typeof makeOrganisation>>;
  beforeAll(async () => {
    partner = await makeOrganisation(env, { kind: 'partner' });
    otherPartner = await makeOrganisation(env, { kind: 'partner' });
    unit = await makeOrganisation(env);
  });
  let refCounter = 0;
  const sharing = (over: Record<string, unknown> = {}) => ({
    organisationId: partner.id,
    kind: 'data_sharing',
    title: 'Phishing and BEC data sharing',
    reference: `DSA-${++refCounter}-${Date.now()}`,
    startsOn: day(-10),
    endsOn: day(355),
    dataCategories: ['phishing', 'bec'],
    maxTlp: 'amber',
    scopeOrganisationIds: [unit.id],
    scopeRegions: ['asia_south_pacific'],
    ...over,
  });

  it('records a data-sharing agreement as a draft, then activates, suspends and resumes it, audited', async () => {
    const browser = await adminClient(env, admin);
    const res = await browser.post('/api/partner-agreements', sharing());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ organisationId: partner.id, organisationName: partner.name, status: 'draft', maxTlp: 'amber', dataCategories: ['phishing', 'bec'], scopeOrganisationIds: [unit.id], scopeRegions: ['asia_south_pacific'], daysLeft: 355 });
    const id = res.body.id;
    expect(await sharingAgreementsInForce(env.ctx.database.db, partner.id, env.clock.now())).toEqual([]);
    expect((await browser.post(`/api/partner-agreements/${id}/status`, { status: 'active' })).body.status).toBe('active');
    const inForce = await sharingAgreementsInForce(env.ctx.database.db, partner.id, env.clock.now());
    expect(inForce).toEqual([{ id, reference: res.body.reference, startsOn: day(-10), endsOn: day(355), dataCategories: ['phishing', 'bec'], maxTlp: 'amber', scopeOrganisationIds: [unit.id], scopeRegions: ['asia_south_pacific'] }]);
    // Not yet begun on a day before its start; not for another partner.
    expect(await sharingAgreementsInForce(env.ctx.database.db, partner.id, new Date(env.clock.now().getTime() - 20 * 86400_000))).toEqual([]);
    expect(await sharingAgreementsInForce(env.ctx.database.db, otherPartner.id, env.clock.now())).toEqual([]);
    expect((await browser.post(`/api/partner-agreements/${id}/status`, { status: 'suspended', reason: 'Breach under review' })).body.status).toBe('suspended');
    expect(await sharingAgreementsInForce(env.ctx.database.db, partner.id, env.clock.now())).toEqual([]);
    expectError(await browser.post(`/api/partner-agreements/${id}/status`, { status: 'suspended' }), 409, 'conflict');
    expect((await browser.post(`/api/partner-agreements/${id}/status`, { status: 'active' })).body.status).toBe('active');
    const patched = await browser.patch(`/api/partner-agreements/${id}`, { maxTlp: 'green', scopeOrganisationIds: [] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ maxTlp: 'green', scopeOrganisationIds: [], scopeRegions: ['asia_south_pacific'] });
    expect((await auditOf('partner_agreement.status_changed', id)).map((a) => JSON.parse(a.details))).toEqual([
      { from: 'draft', to: 'active' },
      { from: 'active', to: 'suspended', reason: 'Breach under review' },
      { from: 'suspended', to: 'active' },
    ]);
    expect(await auditOf('partner_agreement.created', id)).toHaveLength(1);
    expect(await auditOf('partner_agreement.updated', id)).toHaveLength(1);
  });

  it('refuses contradictory or invalid settings, naming the field, writing nothing', async () => {
    const browser = await adminClient(env, admin);
    const before = await rowCount(env, 'partner_agreements');
    const training = { organisationId: partner.id, kind: 'training_support', title: 'Forensics course', reference: 'TRN-1', startsOn: day(0) };
    const cases: Array<[unknown, RegExp]> = [
      [sharing({ endsOn: day(-11) }), /^body\.endsOn: must be on or after startsOn/],
      [{ ...training, maxTlp: 'green' }, /^body\.maxTlp: only a data-sharing agreement/],
      [{ ...training, dataCategories: ['phishing'] }, /^body\.dataCategories: only a data-sharing agreement/],
      [{ ...training, scopeRegions: ['europe'] }, /^body\.scopeRegions: only a data-sharing agreement/],
      [sharing({ dataCategories: [] }), /^body\.dataCategories: a data-sharing agreement covers at least one/],
      [sharing({ maxTlp: null }), /^body\.maxTlp: a data-sharing agreement sets/],
      [sharing({ scopeOrganisationIds: [], scopeRegions: [] }), /^body\.scopeOrganisationIds: a data-sharing agreement names/],
      [sharing({ scopeOrganisationIds: [otherPartner.id] }), /^body\.scopeOrganisationIds: .* is not a police organisation/],
      [sharing({ organisationId: unit.id }), /^body\.organisationId: not a partner organisation/],
      [sharing({ organisationId: someId }), /^body\.organisationId: not a partner organisation/],
      [sharing({ maxTlp: 'amber+strict' }), /^body\.maxTlp/],
      [sharing({ scopeRegions: ['oceania'] }), /^body\.scopeRegions/],
      [sharing({ dataCategories: ['bitcoin'] }), /^body\.dataCategories/],
      [sharing({ startsOn: '23/11/2026' }), /^body\.startsOn/],
      [sharing({ status: 'active' }), /^body/],
    ];
    for (const [body, message] of cases) {
      const res = await browser.post('/api/partner-agreements', body);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message, JSON.stringify(body).slice(0, 120)).toMatch(message);
    }
    expect(await rowCount(env, 'partner_agreements')).toBe(before);

    const created = await browser.post('/api/partner-agreements', training);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: 'training_support', maxTlp: null, dataCategories: [], endsOn: null, daysLeft: null });
    const dup = await browser.post('/api/partner-agreements', { ...training, title: 'Another' });
    expectError(dup, 409, 'conflict');
    expect(dup.body.error.message).toMatch(/^reference/);
    expectError(await browser.patch(`/api/partner-agreements/${created.body.id}`, { maxTlp: 'red' }), 400, 'validation_failed');
    expectError(await browser.patch(`/api/partner-agreements/${created.body.id}`, { endsOn: day(-1) }), 400, 'validation_failed');
    expectError(await browser.patch(`/api/partner-agreements/${created.body.id}`, {}), 400, 'validation_failed');
    expectError(await browser.post(`/api/partner-agreements/${created.body.id}/status`, { status: 'suspended' }), 409, 'conflict');
  });

  it('shows a partner analyst its own organisation’s agreements only (404 for others), and police users none', async () => {
    const browser = await adminClient(env, admin);
    const mine = (await browser.post('/api/partner-agreements', sharing())).body;
    const theirs = (await browser.post('/api/partner-agreements', sharing({ organisationId: otherPartner.id }))).body;
    const analyst = await signInAgain(env, (await makeUser(env, { roles: ['partner_analyst'], organisationId: partner.id })).email);
    const list = await analyst.get('/api/partner-agreements?pageSize=200');
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(new Set(list.body.items.map((a: { organisationId: string }) => a.organisationId))).toEqual(new Set([partner.id]));
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(mine.id);
    expect((await analyst.get(`/api/partner-agreements/${mine.id}`)).body).toMatchObject({ id: mine.id });
    const hidden = await analyst.get(`/api/partner-agreements/${theirs.id}`);
    expectError(hidden, 404, 'not_found');
    expect(hidden.body).toEqual((await analyst.get(`/api/partner-agreements/${someId}`)).body);
    expect((await analyst.get(`/api/partner-agreements?organisationId=${otherPartner.id}`)).body.total).toBe(0);
    expect((await analyst.get('/api/partner-agreements/expiring?days=366')).body.items.every((a: { organisationId: string }) => a.organisationId === partner.id)).toBe(true);
    expectError(await analyst.post('/api/partner-agreements', sharing()), 403, 'forbidden');
    expectError(await analyst.patch(`/api/partner-agreements/${mine.id}`, { title: 'Mine now' }), 403, 'forbidden');
    expectError(await analyst.post(`/api/partner-agreements/${mine.id}/status`, { status: 'active' }), 403, 'forbidden');
    for (const roles of [['trainer'], ['expert'], ['participant']] as const) {
      const police = await signInAgain(env, (await makeUser(env, { roles: [...roles], organisationId: unit.id })).email);
      expectError(await police.get('/api/partner-agreements'), 403, 'forbidden');
      expectError(await police.get(`/api/partner-agreements/${mine.id}`), 403, 'forbidden');
    }
  });

  it('reminds of agreements ending soon, and reads them as expired after their end date', async () => {
    const browser = await adminClient(env, admin);
    const soon = (await browser.post('/api/partner-agreements', sharing({ endsOn: day(10) }))).body;
    await browser.post(`/api/partner-agreements/${soon.id}/status`, { status: 'active' });
    const later = (await browser.post('/api/partner-agreements', sharing({ endsOn: day(40) }))).body;
    await browser.post(`/api/partner-agreements/${later.id}/status`, { status: 'active' });
    const draft = (await browser.post('/api/partner-agreements', sharing({ endsOn: day(5) }))).body;

    const expiring = await browser.get('/api/partner-agreements/expiring');
    expect(expiring.status).toBe(200);
    const ids = expiring.body.items.map((a: { id: string }) => a.id);
    expect(expiring.body.days).toBe(30);
    expect(ids).toContain(soon.id);
    expect(ids).not.toContain(later.id);
    expect(ids).not.toContain(draft.id);
    expect(expiring.body.items.find((a: { id: string }) => a.id === soon.id).daysLeft).toBe(10);
    expect((await browser.get('/api/partner-agreements/expiring?days=60')).body.items.map((a: { id: string }) => a.id)).toContain(later.id);
    expectError(await browser.get('/api/partner-agreements/expiring?days=0'), 400, 'validation_failed');
    expect((await sharingAgreementsInForce(env.ctx.database.db, partner.id, env.clock.now())).map((a) => a.id)).toContain(soon.id);

    env.clock.advance(11 * 86400);
    const fresh = await adminClient(env, admin);
    const read = await fresh.get(`/api/partner-agreements/${soon.id}`);
    expect(read.body).toMatchObject({ status: 'expired', storedStatus: 'active', daysLeft: null });
    expect((await sharingAgreementsInForce(env.ctx.database.db, partner.id, env.clock.now())).map((a) => a.id)).not.toContain(soon.id);
    expect((await fresh.get(`/api/partner-agreements?status=expired&organisationId=${partner.id}&pageSize=200`)).body.items.map((a: { id: string }) => a.id)).toContain(soon.id);
    expect((await fresh.get(`/api/partner-agreements?status=active&organisationId=${partner.id}&pageSize=200`)).body.items.map((a: { id: string }) => a.id)).not.toContain(soon.id);
    expect((await fresh.get('/api/partner-agreements/expiring')).body.items.map((a: { id: string }) => a.id)).not.toContain(soon.id);
    expectError(await fresh.patch(`/api/partner-agreements/${soon.id}`, { endsOn: day(100) }), 409, 'conflict');
    expectError(await fresh.post(`/api/partner-agreements/${soon.id}/status`, { status: 'active' }), 409, 'conflict');
    // A draft whose end has passed cannot be activated before its dates are fixed.
    const stale = await fresh.post(`/api/partner-agreements/${draft.id}/status`, { status: 'active' });
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.message).toMatch(/end date has passed/);
    // Ending one early is a stored transition.
    const ended = await fresh.post(`/api/partner-agreements/${later.id}/status`, { status: 'expired', reason: 'Partner withdrew' });
    expect(ended.body).toMatchObject({ status: 'expired', storedStatus: 'expired' });
    expect((await sharingAgreementsInForce(env.ctx.database.db, partner.id, env.clock.now())).map((a) => a.id)).not.toContain(later.id);
  });
});

describe('secondments', () => {
  it('records an expert sent by a partner to a police unit, with its status from the dates, isolated like agreements', async () => {
    const browser = await adminClient(env, admin);
    const partner = await makeOrganisation(env, { kind: 'partner' });
    const otherPartner = await makeOrganisation(env, { kind: 'partner' });
    const host = await makeOrganisation(env);
    const agreement = (await browser.post('/api/partner-agreements', { organisationId: partner.id, kind: 'expert_secondment', title: 'Analyst exchange', reference: `SEC-${Date.now()}`, startsOn: day(0), endsOn: day(365) })).body;
    const training = (await browser.post('/api/partner-agreements', { organisationId: partner.id, kind: 'training_support', title: 'Courses', reference: `TRS-${Date.now()}`, startsOn: day(0) })).body;
    const body = { organisationId: partner.id, agreementId: agreement.id, hostOrganisationId: host.id, expertName: 'Lina Costa', expertEmail: 'Lina@Partner.example', startsOn: day(5), endsOn: day(95), objectives: 'Malware triage for the ransomware desk' };
    const res = await browser.post('/api/partner-secondments', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ organisationName: partner.name, hostOrganisationName: host.name, expertEmail: 'lina@partner.example', status: 'planned' });
    expect(await auditOf('partner_secondment.created', res.body.id)).toHaveLength(1);

    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ endsOn: day(4) }, /^body\.endsOn: must be on or after startsOn/],
      [{ hostOrganisationId: otherPartner.id }, /^body\.hostOrganisationId: not a police organisation/],
      [{ organisationId: host.id }, /^body\.organisationId: not a partner organisation/],
      [{ agreementId: training.id }, /^body\.agreementId: not an expert-secondment agreement/],
      [{ organisationId: otherPartner.id }, /^body\.agreementId: not an agreement of this partner/],
      [{ objectives: '' }, /^body\.objectives/],
    ];
    const before = await rowCount(env, 'partner_secondments');
    for (const [over, message] of cases) {
      const bad = await browser.post('/api/partner-secondments', { ...body, ...over });
      expectError(bad, 400, 'validation_failed');
      expect(bad.body.error.message, JSON.stringify(over)).toMatch(message);
    }
    expect(await rowCount(env, 'partner_secondments')).toBe(before);

    const analyst = await signInAgain(env, (await makeUser(env, { roles: ['partner_analyst'], organisationId: partner.id })).email);
    const outsider = await signInAgain(env, (await makeUser(env, { roles: ['partner_analyst'], organisationId: otherPartner.id })).email);
    expect((await analyst.get(`/api/partner-secondments/${res.body.id}`)).body.id).toBe(res.body.id);
    expect((await analyst.get('/api/partner-secondments')).body.items.map((s: { id: string }) => s.id)).toEqual([res.body.id]);
    expectError(await outsider.get(`/api/partner-secondments/${res.body.id}`), 404, 'not_found');
    expect((await outsider.get('/api/partner-secondments')).body.total).toBe(0);
    expectError(await analyst.patch(`/api/partner-secondments/${res.body.id}`, { cancelled: true }), 403, 'forbidden');

    env.clock.advance(6 * 86400);
    const fresh = await adminClient(env, admin);
    expect((await fresh.get(`/api/partner-secondments/${res.body.id}`)).body.status).toBe('in_progress');
    expect((await fresh.get(`/api/partner-secondments?status=in_progress&organisationId=${partner.id}`)).body.total).toBe(1);
    const cancelled = await fresh.patch(`/api/partner-secondments/${res.body.id}`, { cancelled: true });
    expect(cancelled.body.status).toBe('cancelled');
    expectError(await fresh.patch(`/api/partner-secondments/${res.body.id}`, { startsOn: day(200) }), 400, 'validation_failed');
    expect(await auditOf('partner_secondment.updated', res.body.id)).toHaveLength(1);
  });
});
