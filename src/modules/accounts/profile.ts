import QRCode from 'qrcode';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { AppError, conflict, forbidden, notFound } from '../../core/errors.ts';
import { addSeconds, iso } from '../../core/clock.ts';
import { newId, newSecret, sha256 } from '../../core/ids.ts';
import { hashPassword, verifyPassword } from '../../core/auth/passwords.ts';
import { forgetSessions, revokeSession, revokeUserSessions } from '../../core/auth/sessions.ts';
import { newTotpSecret, totpUri, verifyTotp } from '../../core/auth/totp.ts';
import { tokenPrefix } from '../../core/auth/api-tokens.ts';
import { recordAudit } from '../audit/service.ts';
import { presentApiToken, presentMe, totpRequiredFor } from './presenters.ts';
import type { RequestMeta } from './sign-in.ts';
import type { PasswordChange, ProfileUpdate, SessionItem, TokenCreate } from './schemas.ts';

async function loadUserRow(ctx: AppContext, userId: string) {
  return ctx.database.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
}

export async function updateProfile(ctx: AppContext, user: AuthenticatedUser, input: ProfileUpdate) {
  const { db } = ctx.database;
  // Resolved with each session: the user's sessions read them again.
  forgetSessions({ userId: user.userId });
  await db
    .updateTable('users')
    .set({
      ...(input.displayName !== undefined && { display_name: input.displayName }),
      ...(input.locale !== undefined && { locale: input.locale }),
      updated_at: iso(ctx.clock.now()),
    })
    .where('id', '=', user.userId)
    .execute();
  return presentMe(db, user.userId);
}

/** Changing the password ends every other session of the user. */
export async function changePassword(ctx: AppContext, user: AuthenticatedUser, sessionId: string, input: PasswordChange, meta: RequestMeta) {
  const row = await loadUserRow(ctx, user.userId);
  if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
    await recordAudit(ctx.database.db, ctx.clock, { action: 'auth.password_changed', outcome: 'failure', actor: user, ip: meta.ip, requestId: meta.requestId });
    throw new AppError('validation_failed', 'currentPassword: the current password is wrong', [{ path: 'body.currentPassword', message: 'the current password is wrong' }]);
  }
  const hash = await hashPassword(input.newPassword);
  await ctx.database.db.transaction().execute(async (tx) => {
    const now = iso(ctx.clock.now());
    await tx.updateTable('users').set({ password_hash: hash, password_changed_at: now, updated_at: now }).where('id', '=', user.userId).execute();
    const ended = await revokeUserSessions(tx, ctx.clock, user.userId, sessionId);
    await recordAudit(tx, ctx.clock, { action: 'auth.password_changed', outcome: 'success', actor: user, ip: meta.ip, requestId: meta.requestId, details: { otherSessionsEnded: ended } });
  });
}

/** Starts enrolment: a new secret is kept aside until a code proves the app has it. */
export async function startTotpSetup(ctx: AppContext, user: AuthenticatedUser) {
  const row = await loadUserRow(ctx, user.userId);
  if (row.totp_enabled === 1) throw conflict('Two-factor authentication is already enabled');
  const secret = newTotpSecret();
  await ctx.database.db.updateTable('users').set({ totp_pending_secret: secret }).where('id', '=', user.userId).execute();
  const otpauthUri = totpUri(secret, row.email);
  const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { secret, otpauthUri, qrSvg };
}

export async function enableTotp(ctx: AppContext, user: AuthenticatedUser, code: string, meta: RequestMeta) {
  const row = await loadUserRow(ctx, user.userId);
  if (row.totp_enabled === 1) throw conflict('Two-factor authentication is already enabled');
  if (!row.totp_pending_secret) throw conflict('Start the set-up first');
  const step = verifyTotp(row.totp_pending_secret, code, ctx.clock.now(), null);
  if (step === null) {
    await recordAudit(ctx.database.db, ctx.clock, { action: 'auth.totp_enabled', outcome: 'failure', actor: user, ip: meta.ip, requestId: meta.requestId });
    throw new AppError('totp_invalid', 'This code is not valid. Enter the current code from your authenticator app.');
  }
  forgetSessions({ userId: user.userId });
  await ctx.database.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ totp_secret: row.totp_pending_secret, totp_pending_secret: null, totp_enabled: 1, totp_last_step: step, updated_at: iso(ctx.clock.now()) })
      .where('id', '=', user.userId)
      .execute();
    await recordAudit(tx, ctx.clock, { action: 'auth.totp_enabled', outcome: 'success', actor: user, ip: meta.ip, requestId: meta.requestId });
  });
}

export async function disableTotp(ctx: AppContext, user: AuthenticatedUser, input: { password: string; code: string }, meta: RequestMeta) {
  const { db } = ctx.database;
  if (await totpRequiredFor(db, user.roles)) throw forbidden('Your role requires two-factor authentication');
  const row = await loadUserRow(ctx, user.userId);
  if (row.totp_enabled !== 1 || !row.totp_secret) throw conflict('Two-factor authentication is not enabled');
  const passwordOk = await verifyPassword(row.password_hash, input.password);
  const step = passwordOk ? verifyTotp(row.totp_secret, input.code, ctx.clock.now(), row.totp_last_step) : null;
  if (step === null) {
    await recordAudit(db, ctx.clock, { action: 'auth.totp_disabled', outcome: 'failure', actor: user, ip: meta.ip, requestId: meta.requestId });
    throw passwordOk
      ? new AppError('totp_invalid', 'This code is not valid. Enter the current code from your authenticator app.')
      : new AppError('validation_failed', 'password: the password is wrong', [{ path: 'body.password', message: 'the password is wrong' }]);
  }
  forgetSessions({ userId: user.userId });
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ totp_secret: null, totp_enabled: 0, totp_last_step: null, updated_at: iso(ctx.clock.now()) }).where('id', '=', user.userId).execute();
    await recordAudit(tx, ctx.clock, { action: 'auth.totp_disabled', outcome: 'success', actor: user, ip: meta.ip, requestId: meta.requestId });
  });
}

export async function listApiTokens(ctx: AppContext, user: AuthenticatedUser) {
  const rows = await ctx.database.db.selectFrom('api_tokens').selectAll().where('user_id', '=', user.userId).orderBy('created_at', 'desc').execute();
  return rows.map(presentApiToken);
}

/** The token is returned once; only its hash is kept. */
export async function createApiToken(ctx: AppContext, user: AuthenticatedUser, input: TokenCreate, meta: RequestMeta) {
  const token = `${tokenPrefix}${newSecret()}`;
  const now = ctx.clock.now();
  const row = {
    id: newId(),
    user_id: user.userId,
    name: input.name,
    token_hash: sha256(token),
    token_prefix: token.slice(0, tokenPrefix.length + 6),
    scopes: JSON.stringify([...new Set(input.scopes)].sort()),
    created_at: iso(now),
    expires_at: iso(addSeconds(now, input.expiresInDays * 86400)),
    last_used_at: null,
    revoked_at: null,
  };
  await ctx.database.db.transaction().execute(async (tx) => {
    await tx.insertInto('api_tokens').values(row).execute();
    await recordAudit(tx, ctx.clock, {
      action: 'auth.token_created',
      outcome: 'success',
      actor: user,
      target: { type: 'api_token', id: row.id },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { name: input.name, scopes: input.scopes, expiresAt: row.expires_at },
    });
  });
  return { ...presentApiToken(row), token };
}

export async function revokeApiToken(ctx: AppContext, user: AuthenticatedUser, tokenId: string, meta: RequestMeta) {
  await ctx.database.db.transaction().execute(async (tx) => {
    const res = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: iso(ctx.clock.now()) })
      .where('id', '=', tokenId)
      .where('user_id', '=', user.userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw notFound('API token');
    await recordAudit(tx, ctx.clock, { action: 'auth.token_revoked', outcome: 'success', actor: user, target: { type: 'api_token', id: tokenId }, ip: meta.ip, requestId: meta.requestId });
  });
}

export async function listSessions(ctx: AppContext, user: AuthenticatedUser, currentSessionId: string | null): Promise<SessionItem[]> {
  const now = ctx.clock.now();
  const idleCutoff = iso(addSeconds(now, -ctx.config.sessionIdleMinutes * 60));
  const rows = await ctx.database.db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', user.userId)
    .where('revoked_at', 'is', null)
    .where('stage', '=', 'active')
    .where('expires_at', '>', iso(now))
    .where('last_seen_at', '>', idleCutoff)
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, ip: r.ip, userAgent: r.user_agent, current: r.id === currentSessionId }));
}

export async function revokeOwnSession(ctx: AppContext, user: AuthenticatedUser, sessionId: string, meta: RequestMeta) {
  await ctx.database.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('sessions').select('id').where('id', '=', sessionId).where('user_id', '=', user.userId).where('revoked_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('Session');
    await revokeSession(tx, ctx.clock, sessionId);
    await recordAudit(tx, ctx.clock, { action: 'auth.session_revoked', outcome: 'success', actor: user, target: { type: 'session', id: sessionId }, ip: meta.ip, requestId: meta.requestId });
  });
}
