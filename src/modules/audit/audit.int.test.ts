import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeUser, startTestApp, TestClient, testPassword, type TestEnv } from '../../test/harness.ts';
import { totpNow } from '../../core/auth/totp.ts';
import { adminClient, enrolTotp, expectError, rowCount, signInAgain } from '../../test/expect.ts';

let env: TestEnv;
let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  env = await startTestApp();
  admin = await makeUser(env, { roles: ['administrator'] });
});
afterAll(async () => env?.close());

type Entry = {
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorOrganisationId: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
};

async function search(query: string) {
  const res = await (await adminClient(env, admin)).get(`/api/audit?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: Entry[]; total: number; page: number; pageSize: number };
}

/** The newest entry of this action about (or by) this user. */
async function latest(action: string, userId: string) {
  const { items } = await search(`action=${action}&pageSize=200`);
  const entry = items.find((e) => e.actorUserId === userId || e.targetId === userId);
  expect(entry, `${action} for ${userId}`).toBeDefined();
  return entry!;
}

describe('audit log', () => {
  it('records sign-in successes and failures with actor, organisation, IP, outcome and time', async () => {
    const user = await makeUser(env);
    const client = new TestClient(env.baseUrl);
    const failed = await client.post('/api/auth/sign-in', { email: user.email, password: 'wrong password' });
    expect(failed.status).toBe(401);
    const failure = (await search(`action=auth.sign_in&outcome=failure&actor=${encodeURIComponent(user.email)}`)).items[0]!;
    expect(failure).toMatchObject({
      actorUserId: user.id,
      actorEmail: user.email,
      actorOrganisationId: user.organisation_id,
      outcome: 'failure',
      ip: '127.0.0.1',
      occurredAt: env.clock.now().toISOString(),
      details: { reason: 'wrong_password' },
    });
    expect(failure.requestId).toBe(failed.headers.get('x-request-id'));

    env.clock.advance(1);
    await client.signIn(user.email);
    const success = (await search(`action=auth.sign_in&outcome=success&actor=${encodeURIComponent(user.email)}`)).items[0]!;
    expect(success).toMatchObject({ actorUserId: user.id, actorOrganisationId: user.organisation_id, ip: '127.0.0.1', occurredAt: env.clock.now().toISOString(), details: { stage: 'active' } });

    // Unknown accounts are recorded under the e-mail that was tried.
    await client.post('/api/auth/sign-in', { email: 'nobody.known@example.org', password: testPassword });
    expect((await search('action=auth.sign_in&actor=nobody.known')).items[0]).toMatchObject({ actorUserId: null, actorEmail: 'nobody.known@example.org', outcome: 'failure', details: { reason: 'unknown_account' } });
  });

  it('records enabling and disabling the second factor', async () => {
    const user = await makeUser(env);
    const client = await signInAgain(env, user.email);
    const secret = await enrolTotp(env, client);
    expect(await latest('auth.totp_enabled', user.id)).toMatchObject({ outcome: 'success', actorOrganisationId: user.organisation_id, ip: '127.0.0.1' });
    env.clock.advance(30);
    expect((await client.post('/api/me/totp/disable', { password: testPassword, code: totpNow(secret, env.clock.now()) })).status).toBe(204);
    expect(await latest('auth.totp_disabled', user.id)).toMatchObject({ outcome: 'success', actorEmail: user.email, occurredAt: env.clock.now().toISOString() });
  });

  it('records role changes, disabling, reset links and their use, by the administrator who acted', async () => {
    const user = await makeUser(env);
    const browser = await adminClient(env, admin);
    const byAdmin = { actorUserId: admin.id, actorEmail: admin.email, actorOrganisationId: admin.organisation_id, outcome: 'success', ip: '127.0.0.1', targetType: 'user', targetId: user.id };

    expect((await browser.patch(`/api/users/${user.id}`, { roles: ['trainer'] })).status).toBe(200);
    expect(await latest('user.roles_changed', user.id)).toMatchObject({ ...byAdmin, details: { before: ['participant'], after: ['trainer'] } });

    const reset = await browser.post(`/api/users/${user.id}/password-reset`);
    expect(await latest('auth.password_reset_issued', user.id)).toMatchObject(byAdmin);
    const token = reset.body.url.split('/').at(-1);
    expect((await new TestClient(env.baseUrl).post(`/api/auth/password-reset/${token}`, { password: 'a new long passphrase' })).status).toBe(204);
    expect(await latest('auth.password_reset_used', user.id)).toMatchObject({ actorUserId: user.id, targetId: user.id, outcome: 'success', ip: '127.0.0.1' });
    // The secret link itself is never written to the log.
    expect(JSON.stringify((await search('pageSize=200')).items)).not.toContain(token);

    expect((await browser.patch(`/api/users/${user.id}`, { status: 'disabled' })).status).toBe(200);
    expect(await latest('user.disabled', user.id)).toMatchObject({ ...byAdmin, occurredAt: env.clock.now().toISOString() });
  });

  it('records token creation without the token', async () => {
    const user = await makeUser(env);
    const client = await signInAgain(env, user.email);
    const created = await client.post('/api/me/tokens', { name: 'Exporter', scopes: ['read'], expiresInDays: 7 });
    const entry = await latest('auth.token_created', user.id);
    expect(entry).toMatchObject({ actorUserId: user.id, targetType: 'api_token', targetId: created.body.id, outcome: 'success', details: { name: 'Exporter', scopes: ['read'] } });
    expect(JSON.stringify(entry)).not.toContain(created.body.token);
  });

  it('filters by action, outcome, actor and time range, and pages', async () => {
    const actor = await makeUser(env, { email: `filter-${Date.now()}@audit.example.org` });
    const client = new TestClient(env.baseUrl);
    env.clock.advance(3600);
    const from = env.clock.now().toISOString();
    for (let i = 0; i < 3; i++) {
      env.clock.advance(10);
      await client.post('/api/auth/sign-in', { email: actor.email, password: `wrong ${i}` });
    }
    env.clock.advance(10);
    await client.signIn(actor.email);
    const to = env.clock.now().toISOString();
    env.clock.advance(3600);

    const all = await search(`actor=${encodeURIComponent(actor.email)}`);
    expect(all.total).toBe(4);
    // Newest first by default; oldest first on request.
    expect(all.items.map((e) => e.outcome)).toEqual(['success', 'failure', 'failure', 'failure']);
    expect((await search(`actor=${encodeURIComponent(actor.email)}&sort=occurredAt`)).items.map((e) => e.outcome)).toEqual(['failure', 'failure', 'failure', 'success']);
    expect((await search(`actor=${encodeURIComponent(actor.email.toUpperCase())}`)).total).toBe(4);

    expect((await search(`actor=${encodeURIComponent(actor.email)}&outcome=failure`)).total).toBe(3);
    expect((await search(`actor=${encodeURIComponent(actor.email)}&action=auth.sign_out`)).total).toBe(0);
    expect((await search(`actor=${encodeURIComponent(actor.email)}&organisationId=${actor.organisation_id}`)).total).toBe(4);

    // Time range: both ends included.
    const inRange = await search(`from=${from}&to=${to}`);
    expect(inRange.total).toBe(4);
    expect(inRange.items.every((e) => e.occurredAt >= from && e.occurredAt <= to)).toBe(true);
    const firstTwo = new Date(new Date(from).getTime() + 20_000).toISOString();
    expect((await search(`from=${from}&to=${firstTwo}`)).total).toBe(2);

    const page1 = await search(`actor=${encodeURIComponent(actor.email)}&pageSize=3&page=1`);
    const page2 = await search(`actor=${encodeURIComponent(actor.email)}&pageSize=3&page=2`);
    expect(page1).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(page1.items).toHaveLength(3);
    expect(page2.items).toHaveLength(1);
    expect(new Set([...page1.items, ...page2.items].map((e) => e.id)).size).toBe(4);
    expect(page2.items[0]).toEqual(all.items[3]);
  });

  it('refuses bad filters', async () => {
    const browser = await adminClient(env, admin);
    for (const [query, field] of [
      ['action=auth.everything', 'querystring.action'],
      ['outcome=maybe', 'querystring.outcome'],
      ['from=yesterday', 'querystring.from'],
      ['organisationId=1', 'querystring.organisationId'],
      ['pageSize=1000', 'querystring.pageSize'],
    ]) {
      const res = await browser.get(`/api/audit?${query}`);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.message.startsWith(field), res.body.error.message).toBe(true);
    }
  });

  it('is for administrators only', async () => {
    for (const roles of [['participant'], ['trainer'], ['expert']] as const) {
      const client = await signInAgain(env, (await makeUser(env, { roles: [...roles] })).email);
      expectError(await client.get('/api/audit'), 403, 'forbidden');
    }
    expectError(await new TestClient(env.baseUrl).get('/api/audit'), 401, 'unauthenticated');
  });

  it('cannot be changed or deleted, even with direct database access', async () => {
    const { db } = env.ctx.database;
    const entry = await db.selectFrom('audit_log').selectAll().orderBy('occurred_at').executeTakeFirstOrThrow();
    const count = await rowCount(env, 'audit_log');
    await expect(db.updateTable('audit_log').set({ outcome: 'success', actor_email: 'someone.else@example.org' }).where('id', '=', entry.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').where('id', '=', entry.id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(sql`update audit_log set details = '{}'`.execute(db)).rejects.toThrow(/append-only/);
    // Inside a transaction the refusal rolls the whole transaction back.
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.updateTable('users').set({ display_name: 'Covered Tracks' }).where('id', '=', admin.id).execute();
        await tx.deleteFrom('audit_log').where('id', '=', entry.id).execute();
      }),
    ).rejects.toThrow(/append-only/);
    expect((await db.selectFrom('users').select('display_name').where('id', '=', admin.id).executeTakeFirstOrThrow()).display_name).toBe(admin.display_name);
    expect(await db.selectFrom('audit_log').selectAll().where('id', '=', entry.id).executeTakeFirstOrThrow()).toEqual(entry);
    expect(await rowCount(env, 'audit_log')).toBe(count);
    // Appending still works.
    await signInAgain(env, admin.email);
    expect(await rowCount(env, 'audit_log')).toBe(count + 1);
  });
});
