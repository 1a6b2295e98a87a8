import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, startTestApp, TestClient, testPassword, type TestEnv } from '../../test/harness.ts';
import { sha256 } from '../../core/ids.ts';
import { adminClient, expectError, rowCount, sessionsOf, signInAgain, userRow } from '../../test/expect.ts';

let env: TestEnv;
let admin: { email: string };
beforeAll(async () => {
  env = await startTestApp();
  admin = await makeUser(env, { roles: ['administrator'] });
});
afterAll(async () => env?.close());

const newPassword = 'a freshly chosen passphrase';
const anonymous = () => new TestClient(env.baseUrl);

/** An administrator issues a link for the user; returns its token (the last segment of the URL). */
async function issue(userId: string) {
  const res = await (await adminClient(env, admin)).post(`/api/users/${userId}/password-reset`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.url).toMatch(/^\/reset-password\/[\w-]{40,}$/);
  return { token: res.body.url.split('/').at(-1) as string, expiresAt: res.body.expiresAt as string };
}

async function canSignIn(email: string, password: string) {
  return (await anonymous().post('/api/auth/sign-in', { email, password })).status === 200;
}

describe('password reset', () => {
  it('lets the user choose a new password once, ending every open session', async () => {
    const user = await makeUser(env);
    const browsers = [await signInAgain(env, user.email), await signInAgain(env, user.email)];
    const { token, expiresAt } = await issue(user.id);
    expect(new Date(expiresAt).getTime()).toBe(env.clock.now().getTime() + env.ctx.config.passwordResetHours * 3600_000);
    // Stored as a hash only.
    const stored = await env.ctx.database.db.selectFrom('password_resets').selectAll().where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toBe(sha256(token));

    const described = await anonymous().get(`/api/auth/password-reset/${token}`);
    expect(described.status).toBe(200);
    expect(described.body).toEqual({ email: user.email, displayName: user.display_name, expiresAt });

    const done = await anonymous().post(`/api/auth/password-reset/${token}`, { password: newPassword });
    expect(done.status).toBe(204);
    expect(await canSignIn(user.email, testPassword)).toBe(false);
    expect(await canSignIn(user.email, newPassword)).toBe(true);
    for (const b of browsers) expectError(await b.get('/api/me'), 401, 'unauthenticated');
    const sessions = await sessionsOf(env, user.id);
    expect(sessions.slice(0, 2).every((s) => s.revoked_at !== null)).toBe(true);

    // The link works once.
    expectError(await anonymous().get(`/api/auth/password-reset/${token}`), 404, 'not_found');
    expectError(await anonymous().post(`/api/auth/password-reset/${token}`, { password: 'yet another passphrase' }), 404, 'not_found');
    expect(await canSignIn(user.email, newPassword)).toBe(true);
  });

  it('expires after PASSWORD_RESET_HOURS', async () => {
    const user = await makeUser(env);
    const { token } = await issue(user.id);
    const hashBefore = (await userRow(env, user.id)).password_hash;
    env.clock.advance(env.ctx.config.passwordResetHours * 3600 - 60);
    expect((await anonymous().get(`/api/auth/password-reset/${token}`)).status).toBe(200);
    env.clock.advance(60);
    expectError(await anonymous().get(`/api/auth/password-reset/${token}`), 404, 'not_found');
    expectError(await anonymous().post(`/api/auth/password-reset/${token}`, { password: newPassword }), 404, 'not_found');
    expect((await userRow(env, user.id)).password_hash).toBe(hashBefore);
  });

  it('is voided by a newer link', async () => {
    const user = await makeUser(env);
    const older = await issue(user.id);
    const newer = await issue(user.id);
    expectError(await anonymous().get(`/api/auth/password-reset/${older.token}`), 404, 'not_found');
    expectError(await anonymous().post(`/api/auth/password-reset/${older.token}`, { password: newPassword }), 404, 'not_found');
    expect(await canSignIn(user.email, testPassword)).toBe(true);
    expect((await anonymous().post(`/api/auth/password-reset/${newer.token}`, { password: newPassword })).status).toBe(204);
    expect(await canSignIn(user.email, newPassword)).toBe(true);
  });

  it('refuses a weak password and keeps the link usable', async () => {
    const user = await makeUser(env);
    const { token } = await issue(user.id);
    const weak = await anonymous().post(`/api/auth/password-reset/${token}`, { password: 'short' });
    expectError(weak, 400, 'validation_failed');
    expect(weak.body.error.message).toMatch(/^body\.password/);
    expect((await anonymous().get(`/api/auth/password-reset/${token}`)).status).toBe(200);
    expect(await canSignIn(user.email, testPassword)).toBe(true);
  });

  it('does not work for a disabled account', async () => {
    const user = await makeUser(env);
    const { token } = await issue(user.id);
    await env.ctx.database.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    expectError(await anonymous().get(`/api/auth/password-reset/${token}`), 404, 'not_found');
    expectError(await anonymous().post(`/api/auth/password-reset/${token}`, { password: newPassword }), 404, 'not_found');
  });

  it('answers 404 for an unknown link and 400 for a malformed one', async () => {
    expectError(await anonymous().get(`/api/auth/password-reset/${'a'.repeat(43)}`), 404, 'not_found');
    const short = await anonymous().get('/api/auth/password-reset/abc');
    expectError(short, 400, 'validation_failed');
    expect(short.body.error.message).toMatch(/^params\.token/);
  });

  it('can only be issued by an administrator, for an existing user', async () => {
    const user = await makeUser(env);
    const participant = await signInAgain(env, (await makeUser(env)).email);
    const before = await rowCount(env, 'password_resets');
    expectError(await participant.post(`/api/users/${user.id}/password-reset`), 403, 'forbidden');
    const adminBrowser = await adminClient(env, admin);
    expectError(await adminBrowser.post('/api/users/00000000-0000-4000-8000-000000000000/password-reset'), 404, 'not_found');
    expect(await rowCount(env, 'password_resets')).toBe(before);
  });

  it('is issued when an account is created without a password', async () => {
    const adminBrowser = await adminClient(env, admin);
    const org = await makeOrganisation(env);
    const created = await adminBrowser.post('/api/users', { email: 'New.Colleague@Example.org', displayName: 'New Colleague', organisationId: org.id, roles: ['participant'] });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email: 'new.colleague@example.org', status: 'active', roles: ['participant'] });
    expect(created.body.passwordReset.url).toMatch(/^\/reset-password\//);
    const token = created.body.passwordReset.url.split('/').at(-1);
    expect((await anonymous().get(`/api/auth/password-reset/${token}`)).body.email).toBe('new.colleague@example.org');
    expect((await anonymous().post(`/api/auth/password-reset/${token}`, { password: newPassword })).status).toBe(204);
    expect(await canSignIn('new.colleague@example.org', newPassword)).toBe(true);

    // With a chosen password, no link.
    const withPassword = await adminBrowser.post('/api/users', { email: 'chosen@example.org', displayName: 'Chosen', organisationId: org.id, roles: ['trainer'], password: 'chosen by the admin' });
    expect(withPassword.status).toBe(201);
    expect(withPassword.body.passwordReset).toBeNull();
    expect(await canSignIn('chosen@example.org', 'chosen by the admin')).toBe(true);
  });
});

describe('password reset links with PUBLIC_URL', () => {
  let publicEnv: TestEnv;
  beforeAll(async () => {
    publicEnv = await startTestApp({ PUBLIC_URL: 'https://cybercap.example.org' });
  });
  afterAll(async () => publicEnv?.close());

  it('are absolute URLs on the public address', async () => {
    const adminBrowser = await adminClient(publicEnv);
    const user = await makeUser(publicEnv);
    const res = await adminBrowser.post(`/api/users/${user.id}/password-reset`);
    expect(res.status).toBe(200);
    expect(res.body.url).toMatch(/^https:\/\/cybercap\.example\.org\/reset-password\/[\w-]{40,}$/);
  });
});
