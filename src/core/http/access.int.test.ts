import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, startTestApp, TestClient, testPassword, type TestEnv } from '../../test/harness.ts';
import { expectError, rowCounts, sessionsOf, signInAgain, userRow } from '../../test/expect.ts';

let env: TestEnv;
// Two organisations: the participant's own (with a colleague) and another one.
let ownOrg: Awaited<ReturnType<typeof makeOrganisation>>;
let otherOrg: Awaited<ReturnType<typeof makeOrganisation>>;
let participant: Awaited<ReturnType<typeof makeUser>>;
let colleague: Awaited<ReturnType<typeof makeUser>>;
let stranger: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  env = await startTestApp();
  ownOrg = await makeOrganisation(env);
  otherOrg = await makeOrganisation(env, { kind: 'partner', countryCode: 'GB' });
  participant = await makeUser(env, { organisationId: ownOrg.id });
  colleague = await makeUser(env, { organisationId: ownOrg.id, roles: ['expert'] });
  stranger = await makeUser(env, { organisationId: otherOrg.id });
});
afterAll(async () => env?.close());

const someId = '00000000-0000-4000-8000-000000000000';

describe('access control', () => {
  it('answers 401 to anonymous requests on every protected route', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/me'],
      ['PATCH', '/api/me', { displayName: 'Anonymous' }],
      ['POST', '/api/me/password', { currentPassword: 'x', newPassword: 'xxxxxxxxxxxxxxxx' }],
      ['POST', '/api/me/totp/setup', {}],
      ['POST', '/api/me/totp/enable', { code: '123456' }],
      ['POST', '/api/me/totp/disable', { password: 'x', code: '123456' }],
      ['GET', '/api/me/tokens'],
      ['POST', '/api/me/tokens', { name: 'x', scopes: ['read'], expiresInDays: 1 }],
      ['DELETE', `/api/me/tokens/${someId}`],
      ['GET', '/api/me/sessions'],
      ['DELETE', `/api/me/sessions/${someId}`],
      ['GET', '/api/auth/session'],
      ['POST', '/api/auth/sign-out', {}],
      ['POST', '/api/auth/second-factor', { code: '123456' }],
      ['GET', '/api/users'],
      ['GET', `/api/users/${participant.id}`],
      ['POST', '/api/users', { email: 'a@example.org' }],
      ['PATCH', `/api/users/${participant.id}`, { status: 'disabled' }],
      ['POST', `/api/users/${participant.id}/password-reset`, {}],
      ['POST', `/api/users/${participant.id}/totp-reset`, {}],
      ['POST', `/api/users/${participant.id}/sessions/revoke`, {}],
      ['GET', '/api/security/role-policies'],
      ['PUT', '/api/security/role-policies/participant', { requireTotp: true }],
      ['GET', '/api/organisations'],
      ['GET', `/api/organisations/${ownOrg.id}`],
      ['POST', '/api/organisations', { kind: 'partner' }],
      ['PATCH', `/api/organisations/${ownOrg.id}`, { name: 'x' }],
      ['GET', '/api/audit'],
      ['GET', '/api/reference/countries'],
      ['GET', '/api/reference/regions'],
      ['GET', '/api/scenarios'],
      ['POST', '/api/scenarios', {}],
      ['GET', `/api/scenarios/${someId}`],
      ['POST', '/api/scenarios/validate', {}],
      ['GET', `/api/scenarios/${someId}/export`],
      ['GET', '/api/exercises'],
      ['POST', '/api/exercises', {}],
      ['GET', `/api/exercises/${someId}`],
      ['POST', `/api/exercises/${someId}/control`, { action: 'start' }],
      ['GET', `/api/exercises/${someId}/staff`],
      ['POST', `/api/exercises/${someId}/staff`, {}],
      ['GET', `/api/exercises/${someId}/teams`],
      ['POST', `/api/exercises/${someId}/teams`, { name: 'x' }],
      ['GET', `/api/exercises/${someId}/teams/${someId}`],
      ['PATCH', `/api/exercises/${someId}/teams/${someId}`, { name: 'x' }],
      ['POST', `/api/exercises/${someId}/teams/${someId}/members`, {}],
      ['DELETE', `/api/exercises/${someId}/teams/${someId}/members/${someId}`],
      ['POST', '/api/teams/join', { code: 'ABCD-EFGH' }],
      ['POST', `/api/exercises/${someId}/injects`, {}],
      ['GET', `/api/exercises/${someId}/play`],
      ['GET', `/api/exercises/${someId}/announcements`],
      ['POST', `/api/exercises/${someId}/announcements`, { message: 'x' }],
      ['POST', `/api/exercises/${someId}/objectives/${someId}/answers`, { answer: 'x' }],
      ['POST', `/api/exercises/${someId}/hints/${someId}/unlock`, {}],
      ['GET', `/api/exercises/${someId}/submissions`],
      ['GET', `/api/exercises/${someId}/teams/${someId}/submissions`],
      ['GET', `/api/exercises/${someId}/hint-unlocks`],
      ['GET', `/api/exercises/${someId}/teams/${someId}/hint-unlocks`],
      ['GET', `/api/exercises/${someId}/adjustments`],
      ['GET', `/api/exercises/${someId}/teams/${someId}/adjustments`],
      ['POST', `/api/exercises/${someId}/teams/${someId}/adjustments`, { points: 5, reason: 'Good work' }],
      ['GET', `/api/exercises/${someId}/legal/parties`],
      ['GET', `/api/exercises/${someId}/legal/requests`],
      ['GET', `/api/exercises/${someId}/legal/requests/${someId}`],
      ['POST', `/api/exercises/${someId}/legal/requests`, { party: 'isp', type: 'preservation', identifiers: [{ kind: 'account', value: 'x' }], justification: '' }],
      ['GET', `/api/exercises/${someId}/legal/summary`],
      ['GET', `/api/exercises/${someId}/advice`],
      ['POST', `/api/exercises/${someId}/advice`, { subject: 'x', text: 'x' }],
      ['GET', `/api/exercises/${someId}/advice/queue`],
      ['GET', `/api/exercises/${someId}/advice/stats`],
      ['POST', `/api/exercises/${someId}/advice/broadcast`, { message: 'x' }],
      ['GET', `/api/exercises/${someId}/advice/${someId}`],
      ['POST', `/api/exercises/${someId}/advice/${someId}/messages`, { text: 'x' }],
      ['POST', `/api/exercises/${someId}/advice/${someId}/claim`, {}],
      ['POST', `/api/exercises/${someId}/advice/${someId}/unclaim`, {}],
      ['POST', `/api/exercises/${someId}/advice/${someId}/hints`, { hintKey: 'h1' }],
      ['POST', `/api/exercises/${someId}/advice/${someId}/penalty`, {}],
      ['POST', `/api/exercises/${someId}/advice/${someId}/close`, {}],
      ['GET', `/api/exercises/${someId}/case-file`],
      ['PUT', `/api/exercises/${someId}/case-file`, { baseVersion: 0, charges: [] }],
      ['POST', `/api/exercises/${someId}/case-file/entities`, { kind: 'wallet', value: 'x' }],
      ['DELETE', `/api/exercises/${someId}/case-file/entities/${someId}`],
      ['POST', `/api/exercises/${someId}/case-file/events`, { at: '2026-01-01T00:00:00Z', description: 'x' }],
      ['DELETE', `/api/exercises/${someId}/case-file/events/${someId}`],
      ['GET', `/api/exercises/${someId}/case-file/versions`],
      ['GET', `/api/exercises/${someId}/case-file/versions/${someId}`],
      ['POST', `/api/exercises/${someId}/case-file/submit`, { version: 1 }],
      ['GET', `/api/exercises/${someId}/case-file/report.pdf`],
      ['GET', `/api/exercises/${someId}/case-files`],
      ['POST', `/api/exercises/${someId}/case-files/${someId}/evaluations`, { elements: [] }],
      ['GET', `/api/exercises/${someId}/report`],
      ['GET', `/api/exercises/${someId}/report.json`],
      ['GET', `/api/exercises/${someId}/report.csv`],
      ['GET', `/api/exercises/${someId}/report.pdf`],
      ['GET', `/api/exercises/${someId}/teams/${someId}/report`],
      ['GET', `/api/exercises/${someId}/teams/${someId}/report.json`],
      ['GET', `/api/exercises/${someId}/teams/${someId}/report.csv`],
      ['GET', `/api/exercises/${someId}/teams/${someId}/report.pdf`],
      ['GET', `/api/exercises/${someId}/scoreboard`],
      ['GET', `/api/exercises/${someId}/board`],
      ['GET', `/api/exercises/${someId}/events`],
      ['GET', `/api/exercises/${someId}/evidence`],
      ['GET', `/api/exercises/${someId}/evidence/${someId}`],
      ['GET', `/api/exercises/${someId}/evidence/${someId}/content`],
      ['GET', `/api/exercises/${someId}/custody`],
      ['GET', `/api/exercises/${someId}/custody/verify`],
      ['GET', '/api/partner-applications'],
      ['GET', `/api/partner-applications/${someId}`],
      ['POST', `/api/partner-applications/${someId}/transitions`, { to: 'in_review' }],
      ['POST', `/api/partner-applications/${someId}/notes`, { note: 'x' }],
      ['GET', '/api/partner-agreements'],
      ['GET', '/api/partner-agreements/expiring'],
      ['GET', `/api/partner-agreements/${someId}`],
      ['POST', '/api/partner-agreements', {}],
      ['PATCH', `/api/partner-agreements/${someId}`, { title: 'x' }],
      ['POST', `/api/partner-agreements/${someId}/status`, { status: 'active' }],
      ['GET', '/api/partner-secondments'],
      ['GET', `/api/partner-secondments/${someId}`],
      ['POST', '/api/partner-secondments', {}],
      ['PATCH', `/api/partner-secondments/${someId}`, { expertName: 'x' }],
      ['GET', `/api/partner-agreements/${someId}/documents`],
      ['POST', `/api/partner-agreements/${someId}/documents`, {}],
      ['GET', `/api/partner-agreements/${someId}/documents/${someId}/content`],
      ['DELETE', `/api/partner-agreements/${someId}/documents/${someId}`],
      ['GET', `/api/partner-secondments/${someId}/reports`],
      ['POST', `/api/partner-secondments/${someId}/reports`, {}],
      ['POST', `/api/partner-secondments/${someId}/reports/${someId}/attachment`, {}],
      ['GET', `/api/partner-secondments/${someId}/reports/${someId}/attachment`],
      ['GET', '/api/partner-offers'],
      ['GET', `/api/partner-offers/${someId}`],
      ['POST', '/api/partner-offers', {}],
      ['PATCH', `/api/partner-offers/${someId}`, { name: 'x' }],
      ['POST', `/api/partner-offers/${someId}/requests`, { purpose: 'x' }],
      ['GET', '/api/partner-access-requests'],
      ['GET', `/api/partner-access-requests/${someId}`],
      ['POST', `/api/partner-access-requests/${someId}/decision`, { decision: 'refuse' }],
      ['POST', `/api/partner-access-requests/${someId}/revoke`, {}],
      ['GET', '/api/sharing/reports'],
      ['GET', '/api/sharing/recipients'],
      ['POST', '/api/sharing/reports', {}],
      ['GET', `/api/sharing/reports/${someId}`],
      ['PATCH', `/api/sharing/reports/${someId}`, { title: 'x' }],
      ['GET', '/api/sharing/indicators'],
      ['GET', `/api/sharing/indicators/${someId}`],
      ['GET', `/api/sharing/indicators/${someId}/correlations`],
      ['POST', `/api/sharing/indicators/${someId}/sightings`, { kind: 'seen' }],
      ['GET', '/api/sharing/log'],
      ['GET', '/api/sharing/log/verify'],
      ['POST', '/api/sharing/stix/bundles', {}],
      ['GET', `/api/sharing/reports/${someId}/stix`],
      ['GET', '/api/sharing/stix'],
      ['GET', '/taxii2/'],
      ['GET', '/taxii2/api/'],
      ['GET', '/taxii2/api/collections/'],
      ['GET', `/taxii2/api/collections/${someId}/`],
      ['GET', `/taxii2/api/collections/${someId}/objects/`],
      ['GET', `/taxii2/api/collections/${someId}/objects/${someId}/`],
      ['GET', `/taxii2/api/collections/${someId}/objects/${someId}/versions/`],
      ['GET', `/taxii2/api/collections/${someId}/manifest/`],
      ['GET', '/api/sharing/notifications'],
      ['GET', '/api/sharing/notifications/unread'],
      ['POST', '/api/sharing/notifications/read', {}],
    ];
    const before = await rowCounts(env);
    const anonymous = new TestClient(env.baseUrl);
    for (const [method, url, body] of routes) {
      const res = await anonymous.request(method, url, body);
      expect(`${method} ${url} → ${res.status} ${res.body?.error?.code}`).toBe(`${method} ${url} → 401 unauthenticated`);
      expectError(res, 401, 'unauthenticated');
    }
    expect(await rowCounts(env)).toEqual(before);
    // Every route in the OpenAPI document is in the list above, or public.
    const publicRoutes = ['POST /api/auth/sign-in', 'GET /api/auth/password-reset/{}', 'POST /api/auth/password-reset/{}', 'GET /api/partner-applications/form-token', 'POST /api/partner-applications'];
    const listed = new Set(routes.map(([m, u]) => `${m} ${u.replace(/[0-9a-f-]{36}/g, '{}').replace('/participant', '/{}')}`));
    const documented = Object.entries((await anonymous.get('/api/openapi.json')).body.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{\w+\}/g, '{}')}`));
    expect(documented.filter((r) => !listed.has(r) && !publicRoutes.includes(r))).toEqual([]);
  });

  it('answers 403 to a participant on administrator routes and writes nothing', async () => {
    const client = await signInAgain(env, participant.email);
    const before = await rowCounts(env);
    const attempts: Array<[string, string, unknown?]> = [
      ['POST', '/api/users', { email: 'new.admin@example.org', displayName: 'New Admin', organisationId: ownOrg.id, roles: ['administrator'], password: 'a long enough password' }],
      ['PATCH', `/api/users/${participant.id}`, { roles: ['administrator'] }],
      ['PATCH', `/api/users/${colleague.id}`, { status: 'disabled' }],
      ['POST', `/api/users/${colleague.id}/password-reset`, {}],
      ['POST', `/api/users/${colleague.id}/totp-reset`, {}],
      ['POST', `/api/users/${colleague.id}/sessions/revoke`, {}],
      ['GET', '/api/audit'],
      ['GET', '/api/security/role-policies'],
      ['PUT', '/api/security/role-policies/participant', { requireTotp: true }],
      ['POST', '/api/organisations', { kind: 'partner', name: 'Participant Partner', countryCode: 'GB', sector: 'it' }],
      ['PATCH', `/api/organisations/${ownOrg.id}`, { name: 'Renamed By Participant' }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await client.request(method, url, body);
      expect(`${method} ${url} → ${res.status}`).toBe(`${method} ${url} → 403`);
      expectError(res, 403, 'forbidden');
    }
    expect(await rowCounts(env)).toEqual(before);
    expect((await userRow(env, participant.id)).status).toBe('active');
    expect((await userRow(env, colleague.id)).status).toBe('active');
    const session = await client.get('/api/auth/session');
    expect(session.body.user.roles).toEqual(['participant']);
    expect(session.body.permissions).not.toContain('users.manage');
    expect(session.body.permissions).toContain('users.read');
  });

  it("hides other organisations' objects from a participant (404), while their own are readable", async () => {
    const client = await signInAgain(env, participant.email);
    expectError(await client.get(`/api/organisations/${otherOrg.id}`), 404, 'not_found');
    expectError(await client.get(`/api/users/${stranger.id}`), 404, 'not_found');
    // The answer is the same as for objects that do not exist.
    expect((await client.get(`/api/users/${stranger.id}`)).body).toEqual((await client.get(`/api/users/${someId}`)).body);

    expect((await client.get(`/api/organisations/${ownOrg.id}`)).body).toMatchObject({ id: ownOrg.id, memberCount: 2 });
    expect((await client.get(`/api/users/${colleague.id}`)).body).toMatchObject({ id: colleague.id, roles: ['expert'] });
    expect((await client.get(`/api/users/${participant.id}`)).status).toBe(200);

    const users = await client.get('/api/users?pageSize=200');
    expect(users.body.items.map((u: { id: string }) => u.id).sort()).toEqual([participant.id, colleague.id].sort());
    expect(users.body.total).toBe(2);
    const orgs = await client.get('/api/organisations?pageSize=200');
    expect(orgs.body.items.map((o: { id: string }) => o.id)).toEqual([ownOrg.id]);
    expect(orgs.body.total).toBe(1);
    expect((await client.get(`/api/organisations?kind=partner`)).body.total).toBe(0);
  });

  it('refuses a state-changing request with a cookie but without the right CSRF token, changing nothing', async () => {
    const client = await signInAgain(env, participant.email);
    const csrf = client.csrf!;
    const before = await rowCounts(env);
    const userBefore = await userRow(env, participant.id);
    for (const token of [undefined, 'wrong-token', `${csrf}x`, '']) {
      client.sendCsrf = false;
      const headers: Record<string, string> = token === undefined ? {} : { 'x-csrf-token': token };
      expectError(await client.request('PATCH', '/api/me', { displayName: 'Forged Name' }, headers), 403, 'csrf_failed');
      expectError(await client.request('POST', '/api/me/tokens', { name: 'forged', scopes: ['read', 'write'], expiresInDays: 365 }, headers), 403, 'csrf_failed');
      expectError(await client.request('POST', '/api/me/password', { currentPassword: testPassword, newPassword: 'forged new password' }, headers), 403, 'csrf_failed');
      expectError(await client.request('POST', '/api/auth/sign-out', {}, headers), 403, 'csrf_failed');
      expectError(await client.request('POST', '/api/me/totp/setup', {}, headers), 403, 'csrf_failed');
      // A form post (text/plain needs no CORS preflight) is refused the same way.
      expectError(await client.request('POST', '/api/me/tokens', '{"name":"forged","scopes":["write"],"expiresInDays":365}', { ...headers, 'content-type': 'text/plain' }), 403, 'csrf_failed');
    }
    expect(await rowCounts(env)).toEqual(before);
    expect(await userRow(env, participant.id)).toEqual(userBefore);
    // Another session's token does not fit this one.
    const other = await signInAgain(env, participant.email);
    client.sendCsrf = false;
    expectError(await client.request('PATCH', '/api/me', { displayName: 'Forged Name' }, { 'x-csrf-token': other.csrf! }), 403, 'csrf_failed');

    // With the token the same request works, and reads never need it.
    client.sendCsrf = true;
    expect((await client.patch('/api/me', { displayName: 'Real Change' })).status).toBe(200);
    client.sendCsrf = false;
    expect((await client.get('/api/me')).status).toBe(200);
    expect((await sessionsOf(env, participant.id)).filter((s) => s.revoked_at === null).length).toBeGreaterThanOrEqual(2);
    await env.ctx.database.db.updateTable('users').set({ display_name: userBefore.display_name }).where('id', '=', participant.id).execute();
  });

  it('needs no CSRF token to sign in, which opens a fresh session', async () => {
    const client = new TestClient(env.baseUrl);
    client.sendCsrf = false;
    expect((await client.post('/api/auth/sign-in', { email: colleague.email, password: testPassword })).status).toBe(200);
  });

  it("answers 404 for another user's API token id, which keeps working", async () => {
    const owner = await signInAgain(env, stranger.email);
    const created = await owner.post('/api/me/tokens', { name: 'owned', scopes: ['read'], expiresInDays: 5 });
    expect(created.status).toBe(201);
    const intruder = await signInAgain(env, participant.email);
    expectError(await intruder.delete(`/api/me/tokens/${created.body.id}`), 404, 'not_found');
    const api = new TestClient(env.baseUrl);
    api.bearer = created.body.token;
    expect((await api.get('/api/me')).body.id).toBe(stranger.id);
  });

  it('lets an API token do no more than its owner may', async () => {
    const owner = await signInAgain(env, participant.email);
    const created = await owner.post('/api/me/tokens', { name: 'rw', scopes: ['read', 'write'], expiresInDays: 5 });
    const api = new TestClient(env.baseUrl);
    api.bearer = created.body.token;
    const before = await rowCounts(env);
    expectError(await api.get('/api/audit'), 403, 'forbidden');
    expectError(await api.post('/api/organisations', { kind: 'partner', name: 'Token Partner', countryCode: 'GB', sector: 'it' }), 403, 'forbidden');
    expectError(await api.get(`/api/users/${stranger.id}`), 404, 'not_found');
    expect(await rowCounts(env)).toEqual(before);
  });
});
