import { expect } from 'vitest';
import type { Database } from '../core/db/schema.ts';
import { totpNow } from '../core/auth/totp.ts';
import { makeUser, TestClient, type Reply, type TestEnv } from './harness.ts';

// Assertions and shortcuts shared by the integration tests.

/** The reply is an error in the one shape every error has, with this status and code. */
export function expectError(res: Reply, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }, JSON.stringify(res.body)).toEqual({ status, code });
  expectErrorShape(res.body);
}

/** Exactly { error: { code, message, details? } }: nothing else, no stack trace. */
export function expectErrorShape(body: unknown) {
  expect(body).toBeTypeOf('object');
  const b = body as Record<string, unknown>;
  expect(Object.keys(b)).toEqual(['error']);
  const error = b.error as Record<string, unknown>;
  expect(typeof error.code).toBe('string');
  expect(typeof error.message).toBe('string');
  for (const key of Object.keys(error)) expect(['code', 'message', 'details']).toContain(key);
  expect(JSON.stringify(body)).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
}

export async function rowCount(env: TestEnv, table: keyof Database): Promise<number> {
  const { n } = await env.ctx.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Row counts of every table, to prove that a refused request wrote nothing. */
export async function rowCounts(env: TestEnv): Promise<Record<string, number>> {
  const tables: Array<keyof Database> = ['organisations', 'users', 'user_roles', 'role_policies', 'sessions', 'api_tokens', 'password_resets', 'audit_log'];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = await rowCount(env, t);
  return out;
}

export async function userRow(env: TestEnv, id: string) {
  return env.ctx.database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function sessionsOf(env: TestEnv, userId: string) {
  return env.ctx.database.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

/** Another signed-in browser for an existing user. */
export async function signInAgain(env: TestEnv, email: string, password?: string) {
  const client = new TestClient(env.baseUrl);
  await client.signIn(email, password);
  return client;
}

/** A signed-in administrator; signed in afresh so that moving the clock in an earlier test does not matter. */
export async function adminClient(env: TestEnv, admin?: { email: string }) {
  const user = admin ?? (await makeUser(env, { roles: ['administrator'] }));
  return signInAgain(env, user.email);
}

/** Enrols the second factor through the API from a fully signed-in session; returns the secret. */
export async function enrolTotp(env: TestEnv, client: TestClient): Promise<string> {
  const setup = await client.post('/api/me/totp/setup');
  expect(setup.status).toBe(200);
  const enabled = await client.post('/api/me/totp/enable', { code: totpNow(setup.body.secret, env.clock.now()) });
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
  return setup.body.secret as string;
}
