import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iso } from '../clock.ts';
import { makeUser, startTestApp, TestClient, type TestEnv } from '../../test/harness.ts';
import { adminClient, expectError, signInAgain } from '../../test/expect.ts';
import { sessionCacheMs } from './sessions.ts';

// Resolved sessions are cached for a few seconds (src/core/auth/sessions.ts): whatever ends a
// session or changes its user must take effect on the next request, in this process and in the
// others sharing the database.

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

const pg = !!process.env.DATABASE_URL;

describe('session cache', () => {
  it('serves a session from memory for a few seconds, then reads it again', async () => {
    const user = await makeUser(env);
    const client = await signInAgain(env, user.email);
    expect((await client.get('/api/me')).status).toBe(200);
    // Revoked behind the app's back (no revocation call): the cached session still works…
    await env.ctx.database.db.updateTable('sessions').set({ revoked_at: iso(env.clock.now()) }).where('user_id', '=', user.id).execute();
    expect((await client.get('/api/me')).status).toBe(200);
    // …until the cache lets it go.
    await new Promise((resolve) => setTimeout(resolve, sessionCacheMs + 100));
    expectError(await client.get('/api/me'), 401, 'unauthenticated');
  });

  it('forgets a session at sign-out and at a revocation by its owner, at once', async () => {
    const user = await makeUser(env);
    const first = await signInAgain(env, user.email);
    const second = await signInAgain(env, user.email);
    const third = await signInAgain(env, user.email);
    for (const c of [first, second, third]) expect((await c.get('/api/me')).status).toBe(200);
    const cookie = first.cookie;
    expect((await first.post('/api/auth/sign-out')).status).toBe(204);
    const replay = new TestClient(env.baseUrl);
    replay.cookie = cookie;
    expectError(await replay.get('/api/me'), 401, 'unauthenticated');
    const list = await third.get('/api/me/sessions');
    const secondId = list.body.find((s: { current: boolean }) => !s.current).id;
    expect((await third.delete(`/api/me/sessions/${secondId}`)).status).toBe(204);
    expectError(await second.get('/api/me'), 401, 'unauthenticated');
    expect((await third.get('/api/me')).status).toBe(200);
  });

  it("forgets a user's sessions at a password change, an administrator's revocation, a disabled account and a role change, at once", async () => {
    const admin = await adminClient(env);
    const user = await makeUser(env, { roles: ['administrator'] });
    const [a, b] = [await signInAgain(env, user.email), await signInAgain(env, user.email)];
    expect((await b.get('/api/users')).status).toBe(200);
    expect((await a.post('/api/me/password', { currentPassword: user.password, newPassword: 'another long passphrase 2026' })).status).toBe(204);
    expectError(await b.get('/api/users'), 401, 'unauthenticated');
    expect((await a.get('/api/users')).status).toBe(200);

    // A role taken away counts on the next request of a signed-in session.
    expect((await a.get('/api/audit')).status).toBe(200);
    expect((await admin.patch(`/api/users/${user.id}`, { roles: ['participant'] })).status).toBe(200);
    expectError(await a.get('/api/audit'), 403, 'forbidden');
    expect((await admin.patch(`/api/users/${user.id}`, { roles: ['administrator'] })).status).toBe(200);
    expect((await a.get('/api/audit')).status).toBe(200);

    expect((await admin.post(`/api/users/${user.id}/sessions/revoke`)).status).toBe(204);
    expectError(await a.get('/api/me'), 401, 'unauthenticated');

    const c = await signInAgain(env, user.email, 'another long passphrase 2026');
    expect((await c.get('/api/me')).status).toBe(200);
    expect((await admin.patch(`/api/users/${user.id}`, { status: 'disabled' })).status).toBe(200);
    expectError(await c.get('/api/me'), 401, 'unauthenticated');
  });

  it.skipIf(!pg)("two processes on one PostgreSQL: a sign-out, a role change or a disabled account on one counts at once on the other's cache", async () => {
    const other = await startTestApp({}, { shareWith: env, pgEvents: true });
    try {
      const admin = await adminClient(env);
      const user = await makeUser(env, { roles: ['administrator'] });
      const here = await signInAgain(env, user.email);
      // The same session used on the other process: cached there.
      const there = new TestClient(other.baseUrl);
      there.cookie = here.cookie;
      there.csrf = here.csrf;
      expect((await there.get('/api/audit')).status).toBe(200);

      expect((await admin.patch(`/api/users/${user.id}`, { roles: ['participant'] })).status).toBe(200);
      await expect.poll(async () => (await there.get('/api/audit')).status, { timeout: 1000, interval: 20 }).toBe(403);

      const second = await signInAgain(env, user.email);
      const secondThere = new TestClient(other.baseUrl);
      secondThere.cookie = second.cookie;
      expect((await secondThere.get('/api/me')).status).toBe(200);
      expect((await second.post('/api/auth/sign-out')).status).toBe(204);
      await expect.poll(async () => (await secondThere.get('/api/me')).status, { timeout: 1000, interval: 20 }).toBe(401);

      expect((await there.get('/api/me')).status).toBe(200);
      expect((await admin.patch(`/api/users/${user.id}`, { status: 'disabled' })).status).toBe(200);
      await expect.poll(async () => (await there.get('/api/me')).status, { timeout: 1000, interval: 20 }).toBe(401);
    } finally {
      await other.close();
    }
  });
});
