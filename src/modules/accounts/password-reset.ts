import type { Db, Tx } from '../../core/db/index.ts';
import type { AppContext } from '../../core/http/types.ts';
import { addSeconds, iso, type Clock } from '../../core/clock.ts';
import { newId, newSecret, sha256 } from '../../core/ids.ts';
import { notFound } from '../../core/errors.ts';
import { hashPassword } from '../../core/auth/passwords.ts';
import { revokeUserSessions } from '../../core/auth/sessions.ts';
import type { Config } from '../../core/config.ts';
import { recordAudit } from '../audit/service.ts';
import { clearAccountFailures } from './throttle.ts';
import type { RequestMeta } from './sign-in.ts';

// No e-mail server is assumed: an administrator issues a one-time link and
// hands it to the user. Issuing a new link voids the previous ones.
export async function issuePasswordReset(tx: Tx, clock: Clock, config: Config, userId: string, issuedBy: string) {
  const token = newSecret();
  const now = clock.now();
  const expiresAt = iso(addSeconds(now, config.passwordResetHours * 3600));
  await tx.updateTable('password_resets').set({ used_at: iso(now) }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
  await tx
    .insertInto('password_resets')
    .values({ id: newId(), user_id: userId, token_hash: sha256(token), issued_by: issuedBy, created_at: iso(now), expires_at: expiresAt, used_at: null })
    .execute();
  const path = `/reset-password/${token}`;
  return { url: config.publicUrl ? new URL(path, config.publicUrl).toString() : path, expiresAt };
}

async function findValidReset(db: Db | Tx, clock: Clock, token: string) {
  const row = await db
    .selectFrom('password_resets')
    .innerJoin('users', 'users.id', 'password_resets.user_id')
    .select(['password_resets.id', 'password_resets.expires_at', 'users.id as user_id', 'users.email', 'users.display_name', 'users.organisation_id', 'users.status'])
    .where('password_resets.token_hash', '=', sha256(token))
    .where('password_resets.used_at', 'is', null)
    .where('password_resets.expires_at', '>', iso(clock.now()))
    .executeTakeFirst();
  if (!row || row.status !== 'active') throw notFound('Password reset link (it may have expired or been used)');
  return row;
}

export async function describePasswordReset(ctx: AppContext, token: string) {
  const row = await findValidReset(ctx.database.db, ctx.clock, token);
  return { email: row.email, displayName: row.display_name, expiresAt: row.expires_at };
}

/** Sets the new password; the link works once, and every open session of the user ends. */
export async function completePasswordReset(ctx: AppContext, token: string, password: string, meta: RequestMeta) {
  const { db } = ctx.database;
  // This route is public: check the link before the deliberately slow and
  // memory-hungry hashing, so that made-up links cost the server nothing.
  await findValidReset(db, ctx.clock, token);
  const hash = await hashPassword(password);
  await db.transaction().execute(async (tx) => {
    const row = await findValidReset(tx, ctx.clock, token);
    const now = iso(ctx.clock.now());
    const used = await tx.updateTable('password_resets').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw notFound('Password reset link (it may have expired or been used)');
    await tx.updateTable('users').set({ password_hash: hash, password_changed_at: now, updated_at: now }).where('id', '=', row.user_id).execute();
    await revokeUserSessions(tx, ctx.clock, row.user_id);
    await recordAudit(tx, ctx.clock, {
      action: 'auth.password_reset_used',
      outcome: 'success',
      actor: { userId: row.user_id, email: row.email, organisationId: row.organisation_id },
      target: { type: 'user', id: row.user_id },
      ip: meta.ip,
      requestId: meta.requestId,
    });
    await clearAccountFailures(tx, row.email);
  });
}
