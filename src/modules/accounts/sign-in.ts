import type { AppContext } from '../../core/http/types.ts';
import type { Tx } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { decoyHash, verifyPassword } from '../../core/auth/passwords.ts';
import { createSession, revokeSession } from '../../core/auth/sessions.ts';
import { verifyTotp } from '../../core/auth/totp.ts';
import { recordAudit } from '../audit/service.ts';
import { assertNotThrottled, clearAccountFailures, recordFailure } from './throttle.ts';
import { presentSession, totpRequiredFor } from './presenters.ts';
import type { SignInBody } from './schemas.ts';

export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string };

/** The sign-in before this one is kept, to be shown to the user. */
async function recordSignIn(tx: Tx, userId: string, at: string) {
  await tx
    .updateTable('users')
    .set((eb) => ({ previous_sign_in_at: eb.ref('last_sign_in_at'), last_sign_in_at: at }))
    .where('id', '=', userId)
    .execute();
}

const sessionPolicy = (ctx: AppContext) => ({ idleMinutes: ctx.config.sessionIdleMinutes, maxHours: ctx.config.sessionMaxHours });

/**
 * Checks the password and opens a session. With a second factor enrolled the
 * session waits for the code ('totp'); when a role requires one that the user
 * has not enrolled, it may only enrol ('enrol').
 */
export async function signIn(ctx: AppContext, body: SignInBody, meta: RequestMeta) {
  const { db } = ctx.database;
  await assertNotThrottled(db, ctx.clock, body.email, meta.ip);
  const user = await db.selectFrom('users').selectAll().where('email', '=', body.email).executeTakeFirst();
  const passwordOk = await verifyPassword(user?.password_hash ?? (await decoyHash()), body.password);
  // The password check is slow on purpose: parallel guesses that failed while
  // it ran may have locked the account or address since. Checking again here
  // bounds a burst to about the limit, and a right password arriving after
  // the lock gets the same answer as a wrong one (no oracle).
  await assertNotThrottled(db, ctx.clock, body.email, meta.ip);
  if (!user || !passwordOk) {
    await recordFailure(db, ctx.clock, ctx.config.login, body.email, meta.ip);
    await recordAudit(db, ctx.clock, {
      action: 'auth.sign_in',
      outcome: 'failure',
      actor: user ? { userId: user.id, email: user.email, organisationId: user.organisation_id } : { userId: null, email: body.email, organisationId: null },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { reason: user ? 'wrong_password' : 'unknown_account' },
    });
    throw new AppError('invalid_credentials', 'Wrong e-mail address or password');
  }
  const actor = { userId: user.id, email: user.email, organisationId: user.organisation_id };
  if (user.status !== 'active') {
    await recordAudit(db, ctx.clock, { action: 'auth.sign_in', outcome: 'denied', actor, ip: meta.ip, requestId: meta.requestId, details: { reason: 'account_disabled' } });
    throw new AppError('account_disabled', 'This account is disabled. Contact your administrator.');
  }
  await clearAccountFailures(db, body.email);
  const roles = (await db.selectFrom('user_roles').select('role').where('user_id', '=', user.id).execute()).map((r) => r.role);
  const stage: 'totp' | 'enrol' | 'active' = user.totp_enabled === 1 ? 'totp' : (await totpRequiredFor(db, roles)) ? 'enrol' : 'active';
  const opened = await db.transaction().execute(async (tx) => {
    const session = await createSession(tx, ctx.clock, sessionPolicy(ctx), { userId: user.id, stage, ip: meta.ip, userAgent: meta.userAgent });
    if (stage === 'active') await recordSignIn(tx, user.id, iso(ctx.clock.now()));
    await recordAudit(tx, ctx.clock, { action: 'auth.sign_in', outcome: 'success', actor, ip: meta.ip, requestId: meta.requestId, details: { stage } });
    return session;
  });
  return { token: opened.token, stage, session: await presentSession(db, user.id, stage, opened.csrfToken) };
}

/** Completes a sign-in with the authenticator code; the half session is replaced by a fresh one. */
export async function completeSecondFactor(ctx: AppContext, sessionId: string, userId: string, code: string, meta: RequestMeta) {
  const { db } = ctx.database;
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  await assertNotThrottled(db, ctx.clock, user.email, meta.ip);
  const actor = { userId: user.id, email: user.email, organisationId: user.organisation_id };
  const now = ctx.clock.now();
  const step = user.totp_secret ? verifyTotp(user.totp_secret, code, now, user.totp_last_step) : null;
  if (step === null) {
    await recordFailure(db, ctx.clock, ctx.config.login, user.email, meta.ip);
    await recordAudit(db, ctx.clock, { action: 'auth.second_factor', outcome: 'failure', actor, ip: meta.ip, requestId: meta.requestId });
    throw new AppError('totp_invalid', 'This code is not valid. Enter the current code from your authenticator app.');
  }
  await clearAccountFailures(db, user.email);
  const opened = await db.transaction().execute(async (tx) => {
    await revokeSession(tx, ctx.clock, sessionId);
    const session = await createSession(tx, ctx.clock, sessionPolicy(ctx), { userId, stage: 'active', ip: meta.ip, userAgent: meta.userAgent });
    await tx.updateTable('users').set({ totp_last_step: step }).where('id', '=', userId).execute();
    await recordSignIn(tx, userId, iso(now));
    await recordAudit(tx, ctx.clock, { action: 'auth.second_factor', outcome: 'success', actor, ip: meta.ip, requestId: meta.requestId });
    return session;
  });
  return { token: opened.token, session: await presentSession(db, userId, 'active', opened.csrfToken) };
}

/** After enrolment from an 'enrol' session, the user is signed in fully with a fresh session. */
export async function upgradeEnrolledSession(ctx: AppContext, sessionId: string, userId: string, meta: RequestMeta) {
  const { db } = ctx.database;
  const opened = await db.transaction().execute(async (tx) => {
    await revokeSession(tx, ctx.clock, sessionId);
    await recordSignIn(tx, userId, iso(ctx.clock.now()));
    return createSession(tx, ctx.clock, sessionPolicy(ctx), { userId, stage: 'active', ip: meta.ip, userAgent: meta.userAgent });
  });
  return { token: opened.token, session: await presentSession(db, userId, 'active', opened.csrfToken) };
}

export async function signOut(ctx: AppContext, sessionId: string, actor: { userId: string; email: string; organisationId: string }, meta: RequestMeta) {
  await ctx.database.db.transaction().execute(async (tx) => {
    await revokeSession(tx, ctx.clock, sessionId);
    await recordAudit(tx, ctx.clock, { action: 'auth.sign_out', outcome: 'success', actor, ip: meta.ip, requestId: meta.requestId });
  });
}
