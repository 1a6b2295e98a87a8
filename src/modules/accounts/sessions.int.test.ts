import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, startTestApp, TestClient, testPassword, type TestEnv } from '../../test/harness.ts';
import { adminClient, expectError, sessionsOf, signInAgain, userRow } from '../../test/expect.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => env?.close());

/** A user signed in from two browsers. */
async function twoBrowsers() {
  const user = await makeUser(env);
  const first = await signInAgain(env, user.email);
  const second = await signInAgain(env, user.email);
  return { user, first, second };
}

describe('sessions', () => {
  it('end at sign-out: the cookie is cleared and no longer works', async () => {
    const { user, first, second } = await twoBrowsers();
    const cookie = first.cookie;
    const out = await first.post('/api/auth/sign-out');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^cybercap_session=;/);
    expect(first.cookie).toBeUndefined();
    const replay = new TestClient(env.baseUrl);
    replay.cookie = cookie;
    expectError(await replay.get('/api/me'), 401, 'unauthenticated');
    // The other browser stays signed in.
    expect((await second.get('/api/me')).status).toBe(200);
    const rows = await sessionsOf(env, user.id);
    expect(rows.filter((s) => s.revoked_at !== null)).toHaveLength(1);
  });

  it('list my open sessions, marking the current one', async () => {
    const { first } = await twoBrowsers();
    const list = await first.get('/api/me/sessions');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    expect(list.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ ip: '127.0.0.1' });
    expect(Object.keys(list.body[0]).sort()).toEqual(['createdAt', 'current', 'id', 'ip', 'lastSeenAt', 'userAgent']);
  });

  it('end when I revoke one of mine from another session', async () => {
    const { user, first, second } = await twoBrowsers();
    const list = await second.get('/api/me/sessions');
    const firstId = list.body.find((s: { current: boolean }) => !s.current).id;
    const res = await second.delete(`/api/me/sessions/${firstId}`);
    expect(res.status).toBe(204);
    expectError(await first.get('/api/me'), 401, 'unauthenticated');
    expect((await second.get('/api/me')).status).toBe(200);
    const rows = await sessionsOf(env, user.id);
    expect(rows.find((s) => s.id === firstId)?.revoked_at).not.toBeNull();
    // Gone from the list, and a second revocation finds nothing.
    expect((await second.get('/api/me/sessions')).body.map((s: { id: string }) => s.id)).not.toContain(firstId);
    expectError(await second.delete(`/api/me/sessions/${firstId}`), 404, 'not_found');
  });

  it("cannot end someone else's session (404, still open)", async () => {
    const { user: victim, first: victimBrowser } = await twoBrowsers();
    const { first: intruder } = await twoBrowsers();
    const victimSession = (await sessionsOf(env, victim.id))[0]!;
    expectError(await intruder.delete(`/api/me/sessions/${victimSession.id}`), 404, 'not_found');
    expect((await sessionsOf(env, victim.id))[0]!.revoked_at).toBeNull();
    expect((await victimBrowser.get('/api/me')).status).toBe(200);
  });

  it('end when an administrator revokes them all', async () => {
    const { user, first, second } = await twoBrowsers();
    const admin = await adminClient(env);
    const res = await admin.post(`/api/users/${user.id}/sessions/revoke`);
    expect(res.status).toBe(204);
    expectError(await first.get('/api/me'), 401, 'unauthenticated');
    expectError(await second.get('/api/me'), 401, 'unauthenticated');
    expect((await sessionsOf(env, user.id)).every((s) => s.revoked_at !== null)).toBe(true);
    // The administrator's own session is untouched, and the user can sign in again.
    expect((await admin.get('/api/me')).status).toBe(200);
    await signInAgain(env, user.email);
  });

  it('stop working while the account is disabled, however it was disabled', async () => {
    const { user, first } = await twoBrowsers();
    // Straight in the database (as a script or the CLI might): no revocation happened.
    await env.ctx.database.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    expectError(await first.get('/api/me'), 401, 'unauthenticated');
    expect((await sessionsOf(env, user.id)).every((s) => s.revoked_at === null)).toBe(true);
    await env.ctx.database.db.updateTable('users').set({ status: 'active' }).where('id', '=', user.id).execute();
  });

  it('end, except the current one, when the password changes', async () => {
    const { user, first, second } = await twoBrowsers();
    const newPassword = 'a brand new long passphrase';
    const res = await first.post('/api/me/password', { currentPassword: testPassword, newPassword });
    expect(res.status).toBe(204);
    expect((await first.get('/api/me')).status).toBe(200);
    expectError(await second.get('/api/me'), 401, 'unauthenticated');
    expectError(await new TestClient(env.baseUrl).post('/api/auth/sign-in', { email: user.email, password: testPassword }), 401, 'invalid_credentials');
    await signInAgain(env, user.email, newPassword);
  });

  it('stay when the current password given for a change is wrong, and the password is unchanged', async () => {
    const { user, first, second } = await twoBrowsers();
    const before = await userRow(env, user.id);
    const res = await first.post('/api/me/password', { currentPassword: 'not my password', newPassword: 'a brand new long passphrase' });
    expectError(res, 400, 'validation_failed');
    expect(res.body.error.details).toEqual([{ path: 'body.currentPassword', message: 'the current password is wrong' }]);
    const tooShort = await first.post('/api/me/password', { currentPassword: testPassword, newPassword: 'short' });
    expectError(tooShort, 400, 'validation_failed');
    expect(tooShort.body.error.message).toMatch(/^body\.newPassword/);
    expect((await userRow(env, user.id)).password_hash).toBe(before.password_hash);
    expect((await second.get('/api/me')).status).toBe(200);
  });

  it('end after the idle timeout, and activity keeps them alive', async () => {
    const { first, second } = await twoBrowsers();
    const idleSeconds = env.ctx.config.sessionIdleMinutes * 60;
    env.clock.advance(idleSeconds - 60);
    // Activity in one browser moves its idle deadline, not the other's.
    expect((await first.get('/api/me')).status).toBe(200);
    env.clock.advance(61);
    expectError(await second.get('/api/me'), 401, 'unauthenticated');
    expect((await first.get('/api/me')).status).toBe(200);
    env.clock.advance(idleSeconds);
    expectError(await first.get('/api/me'), 401, 'unauthenticated');
  });

  it('end at the maximum age even when in constant use', async () => {
    const { first } = await twoBrowsers();
    const maxSeconds = env.ctx.config.sessionMaxHours * 3600;
    const step = Math.min(env.ctx.config.sessionIdleMinutes * 60 - 60, 6 * 3600);
    let elapsed = 0;
    while (elapsed + step < maxSeconds) {
      env.clock.advance(step);
      elapsed += step;
      expect((await first.get('/api/me')).status, `after ${elapsed} s`).toBe(200);
    }
    env.clock.advance(maxSeconds - elapsed);
    expectError(await first.get('/api/me'), 401, 'unauthenticated');
  });

  it('get a new cookie at each sign-in, even when the browser already carries one', async () => {
    const user = await makeUser(env);
    const client = await signInAgain(env, user.email);
    const planted = client.cookie;
    await client.signIn(user.email);
    expect(client.cookie).toBeDefined();
    expect(client.cookie).not.toBe(planted);
  });
});
