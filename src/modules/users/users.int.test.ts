import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, startTestApp, TestClient, type TestEnv } from '../../test/harness.ts';
import { adminClient, expectError, rowCount, rowCounts, signInAgain, userRow } from '../../test/expect.ts';

let env: TestEnv;
let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  env = await startTestApp();
  admin = await makeUser(env, { roles: ['administrator'], displayName: 'Admin Person' });
});
afterAll(async () => env?.close());

const rolesOf = async (userId: string) =>
  (await env.ctx.database.db.selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role').execute()).map((r) => r.role);

describe('user administration', () => {
  it('creates an account in an organisation', async () => {
    const browser = await adminClient(env, admin);
    const org = await makeOrganisation(env, { countryCode: 'KE' });
    const res = await browser.post('/api/users', { email: 'Grace.W@Example.org', displayName: '  Grace Wanjiru ', organisationId: org.id, roles: ['participant', 'working_group_member'], locale: 'fr', password: 'a long enough password' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      email: 'grace.w@example.org',
      displayName: 'Grace Wanjiru',
      organisation: { id: org.id, name: org.name, countryCode: 'KE' },
      roles: ['participant', 'working_group_member'],
      status: 'active',
      locale: 'fr',
      totpEnabled: false,
      lastSignInAt: null,
    });
    const row = await userRow(env, res.body.user.id);
    expect(row.organisation_id).toBe(org.id);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await rolesOf(row.id)).toEqual(['participant', 'working_group_member']);
    expect((await browser.get(`/api/users/${row.id}`)).body).toEqual(res.body.user);
  });

  it('refuses a duplicate e-mail address with 409 naming the field, writing nothing', async () => {
    const browser = await adminClient(env, admin);
    const existing = await makeUser(env);
    const before = await rowCounts(env);
    const res = await browser.post('/api/users', { email: existing.email.toUpperCase(), displayName: 'Twin', organisationId: existing.organisation_id, roles: ['participant'] });
    expectError(res, 409, 'conflict');
    expect(res.body.error.message).toMatch(/^email/);
    expect(res.body.error.details).toEqual([{ path: 'body.email', message: 'already exists' }]);
    expect(await rowCounts(env)).toEqual(before);
  });

  it('validates the new account and writes nothing when refused', async () => {
    const browser = await adminClient(env, admin);
    const org = await makeOrganisation(env);
    const valid = { email: 'valid@example.org', displayName: 'Valid Name', organisationId: org.id, roles: ['participant'] };
    const before = await rowCounts(env);
    const cases: Array<[unknown, RegExp, string?]> = [
      [{ ...valid, email: 'not an address' }, /^body\.email/],
      [{ ...valid, email: 42 }, /^body\.email/],
      [{ ...valid, displayName: 'x'.repeat(10_000) }, /^body\.displayName/],
      [{ ...valid, displayName: ' ' }, /^body\.displayName/],
      [{ ...valid, roles: [] }, /^body\.roles/],
      [{ ...valid, roles: ['participant', 'participant'] }, /^body\.roles/],
      [{ ...valid, roles: ['superuser'] }, /^body\.roles\.0/],
      [{ ...valid, organisationId: 'org-1' }, /^body\.organisationId/],
      [{ ...valid, organisationId: '00000000-0000-4000-8000-000000000000' }, /^body\.organisationId/],
      [{ ...valid, password: 'short' }, /^body\.password/],
      [{ ...valid, locale: 'de' }, /^body\.locale/],
      [{ ...valid, isAdmin: true }, /isAdmin/],
      ['{"email":', /^body/, 'bad_request'],
    ];
    for (const [body, message, code] of cases) {
      const res = await browser.post('/api/users', body);
      expectError(res, 400, code ?? 'validation_failed');
      expect(res.body.error.message, JSON.stringify(body).slice(0, 80)).toMatch(message);
    }
    expect(await rowCounts(env)).toEqual(before);
  });

  it('changes roles and records the change', async () => {
    const browser = await adminClient(env, admin);
    const user = await makeUser(env, { roles: ['participant'] });
    const res = await browser.patch(`/api/users/${user.id}`, { roles: ['expert', 'trainer'] });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['trainer', 'expert']);
    expect(await rolesOf(user.id)).toEqual(['expert', 'trainer']);
    // The user's next request carries the new roles.
    const client = await signInAgain(env, user.email);
    expect((await client.get('/api/auth/session')).body.user.roles).toEqual(['expert', 'trainer']);
    const audit = await env.ctx.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.roles_changed').where('target_id', '=', user.id).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toEqual({ before: ['participant'], after: ['expert', 'trainer'] });
  });

  it('updates name, organisation, language and status', async () => {
    const browser = await adminClient(env, admin);
    const user = await makeUser(env);
    const org = await makeOrganisation(env);
    const res = await browser.patch(`/api/users/${user.id}`, { displayName: 'Renamed Person', organisationId: org.id, locale: 'ar' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Renamed Person', organisation: { id: org.id }, locale: 'ar' });
    const row = await userRow(env, user.id);
    expect({ name: row.display_name, org: row.organisation_id, locale: row.locale }).toEqual({ name: 'Renamed Person', org: org.id, locale: 'ar' });

    expect((await browser.patch(`/api/users/${user.id}`, { status: 'disabled' })).body.status).toBe('disabled');
    expect((await browser.patch(`/api/users/${user.id}`, { status: 'active' })).body.status).toBe('active');
    expect((await signInAgain(env, user.email)).cookie).toBeDefined();
  });

  it('refuses invalid updates and unknown users, changing nothing', async () => {
    const browser = await adminClient(env, admin);
    const user = await makeUser(env);
    const before = await userRow(env, user.id);
    const cases: Array<[unknown, RegExp]> = [
      [{}, /^body/],
      [{ status: 'deleted' }, /^body\.status/],
      [{ displayName: 'x'.repeat(10_000) }, /^body\.displayName/],
      [{ organisationId: '00000000-0000-4000-8000-000000000000' }, /^body\.organisationId/],
      [{ email: 'new@example.org' }, /email/],
    ];
    for (const [body, message] of cases) {
      const res = await browser.patch(`/api/users/${user.id}`, body);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message).toMatch(message);
    }
    expect(await userRow(env, user.id)).toEqual(before);
    expectError(await browser.patch('/api/users/00000000-0000-4000-8000-000000000000', { displayName: 'Nobody' }), 404, 'not_found');
    expectError(await browser.get('/api/users/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    const badId = await browser.get('/api/users/123');
    expectError(badId, 400, 'validation_failed');
    expect(badId.body.error.message).toMatch(/^params\.id/);
  });

  it('cannot disable themselves or drop their own administrator role', async () => {
    const self = await makeUser(env, { roles: ['administrator'] });
    const browser = await signInAgain(env, self.email);
    expectError(await browser.patch(`/api/users/${self.id}`, { status: 'disabled' }), 409, 'conflict');
    expectError(await browser.patch(`/api/users/${self.id}`, { roles: ['trainer'] }), 409, 'conflict');
    expect((await userRow(env, self.id)).status).toBe('active');
    expect(await rolesOf(self.id)).toEqual(['administrator']);
    expect((await browser.get('/api/me')).status).toBe(200);
    // Other changes to oneself are fine.
    expect((await browser.patch(`/api/users/${self.id}`, { roles: ['administrator', 'trainer'] })).status).toBe(200);
  });

  it('are only for administrators', async () => {
    const participant = await makeUser(env);
    const browser = await signInAgain(env, participant.email);
    const colleague = await makeUser(env, { organisationId: participant.organisation_id });
    const before = await rowCounts(env);
    expectError(await browser.post('/api/users', { email: 'sneaky@example.org', displayName: 'Sneaky', organisationId: participant.organisation_id, roles: ['administrator'] }), 403, 'forbidden');
    expectError(await browser.patch(`/api/users/${participant.id}`, { roles: ['administrator'] }), 403, 'forbidden');
    expectError(await browser.patch(`/api/users/${colleague.id}`, { status: 'disabled' }), 403, 'forbidden');
    expectError(await browser.post(`/api/users/${colleague.id}/sessions/revoke`), 403, 'forbidden');
    expect(await rowCounts(env)).toEqual(before);
    expect(await rolesOf(participant.id)).toEqual(['participant']);
    expect((await userRow(env, colleague.id)).status).toBe('active');
  });
});

describe('user lists', () => {
  let org: Awaited<ReturnType<typeof makeOrganisation>>;
  const names = ['Delta Dupont', 'alpha Ahmed', 'Charlie Chen', 'Echo Evans', 'Bravo Baker'];
  let users: Array<Awaited<ReturnType<typeof makeUser>>>;
  beforeAll(async () => {
    org = await makeOrganisation(env);
    users = [];
    for (const [i, displayName] of names.entries()) {
      env.clock.advance(1);
      users.push(await makeUser(env, { organisationId: org.id, displayName, email: `${displayName.split(' ')[0]!.toLowerCase()}@list.example.org`, roles: i % 2 === 0 ? ['participant'] : ['trainer'] }));
    }
    await env.ctx.database.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', users[3]!.id).execute();
  });

  const list = async (query: string) => {
    const res = await (await adminClient(env, admin)).get(`/api/users?organisationId=${org.id}&${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: Array<{ displayName: string; email: string }>; total: number; page: number; pageSize: number };
  };
  const namesIn = (page: { items: Array<{ displayName: string }> }) => page.items.map((u) => u.displayName);

  it('sort by name without regard to case, both ways', async () => {
    expect(namesIn(await list('sort=displayName'))).toEqual(['alpha Ahmed', 'Bravo Baker', 'Charlie Chen', 'Delta Dupont', 'Echo Evans']);
    expect(namesIn(await list('sort=-displayName'))).toEqual(['Echo Evans', 'Delta Dupont', 'Charlie Chen', 'Bravo Baker', 'alpha Ahmed']);
  });

  it('sort by e-mail and creation time', async () => {
    expect((await list('sort=email')).items.map((u) => u.email.split('@')[0])).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(namesIn(await list('sort=createdAt'))).toEqual(names);
    expect(namesIn(await list('sort=-createdAt'))).toEqual([...names].reverse());
  });

  it('sort by last sign-in with the never-signed-in last, on every engine', async () => {
    await signInAgain(env, users[2]!.email);
    env.clock.advance(5);
    await signInAgain(env, users[0]!.email);
    expect(namesIn(await list('sort=-lastSignInAt')).slice(0, 2)).toEqual(['Delta Dupont', 'Charlie Chen']);
    expect(namesIn(await list('sort=lastSignInAt')).slice(0, 2)).toEqual(['Charlie Chen', 'Delta Dupont']);
    const never = namesIn(await list('sort=lastSignInAt&pageSize=5')).slice(2);
    expect(never.sort()).toEqual(['Bravo Baker', 'Echo Evans', 'alpha Ahmed'].sort());
  });

  it('page with total, page and pageSize', async () => {
    const page2 = await list('sort=displayName&pageSize=2&page=2');
    expect(page2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(namesIn(page2)).toEqual(['Charlie Chen', 'Delta Dupont']);
    const page3 = await list('sort=displayName&pageSize=2&page=3');
    expect(namesIn(page3)).toEqual(['Echo Evans']);
    const beyond = await list('sort=displayName&pageSize=2&page=9');
    expect(beyond).toMatchObject({ items: [], total: 5, page: 9 });
    const defaults = await list('');
    expect(defaults).toMatchObject({ total: 5, page: 1, pageSize: 25 });
  });

  it('filter by search (name or e-mail, any case), role and status', async () => {
    expect(namesIn(await list('search=BRAVO'))).toEqual(['Bravo Baker']);
    expect(namesIn(await list('search=chen'))).toEqual(['Charlie Chen']);
    expect(namesIn(await list('search=echo%40list'))).toEqual(['Echo Evans']);
    expect(namesIn(await list('search=%25'))).toHaveLength(5);
    expect(namesIn(await list('role=trainer'))).toEqual(['alpha Ahmed', 'Echo Evans']);
    expect(namesIn(await list('status=disabled'))).toEqual(['Echo Evans']);
    expect((await list('status=active')).total).toBe(4);
    expect((await list('role=trainer&status=active')).total).toBe(1);
  });

  it('refuse bad query parameters', async () => {
    const browser = await adminClient(env, admin);
    for (const [query, field] of [
      ['pageSize=0', 'querystring.pageSize'],
      ['pageSize=201', 'querystring.pageSize'],
      ['page=abc', 'querystring.page'],
      ['sort=password', 'querystring.sort'],
      ['role=god', 'querystring.role'],
      ['organisationId=1', 'querystring.organisationId'],
    ]) {
      const res = await browser.get(`/api/users?${query}`);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message.startsWith(field), res.body.error.message).toBe(true);
    }
  });

  it('show a participant only the colleagues of their own organisation', async () => {
    const browser = await signInAgain(env, users[0]!.email);
    const res = await browser.get('/api/users?pageSize=200');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(5);
    expect(res.body.items.every((u: { organisation: { id: string } }) => u.organisation.id === org.id)).toBe(true);
    // Asking for another organisation gives nothing, not its members.
    expect((await browser.get(`/api/users?organisationId=${admin.organisation_id}`)).body).toMatchObject({ items: [], total: 0 });
    expect(await rowCount(env, 'users')).toBeGreaterThan(5);
    // Anonymous: no list at all.
    expectError(await new TestClient(env.baseUrl).get('/api/users'), 401, 'unauthenticated');
  });
});
