import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { conflict } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { requireExerciseRole, requireOrganiser } from './access.ts';
import { loadExercise } from './service.ts';

/** A trainer's free message to every team, delivered live. */
export async function announce(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, message: string, meta: { ip: string | null; requestId: string }) {
  const { db } = ctx.database;
  const row = { id: newId(), exercise_id: exerciseId, message, author_id: actor.userId, created_at: iso(ctx.clock.now()) };
  await db.transaction().execute(async (tx) => {
    await requireOrganiser(tx, actor, exerciseId);
    if ((await loadExercise(tx, exerciseId)).status === 'ended') throw conflict('The exercise has ended', { reason: 'ended' });
    await tx.insertInto('announcements').values(row).execute();
    await recordAudit(tx, ctx.clock, { action: 'exercise.announced', outcome: 'success', actor: actor, target: { type: 'exercise', id: exerciseId }, ip: meta.ip, requestId: meta.requestId });
  });
  const announcement = { id: row.id, message: row.message, createdAt: row.created_at };
  ctx.events.publish({ channel: `exercise:${exerciseId}`, type: 'announcement', data: { exerciseId, ...announcement } });
  return announcement;
}

export async function listAnnouncements(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string) {
  const { db } = ctx.database;
  await requireExerciseRole(db, actor, exerciseId);
  const rows = await db.selectFrom('announcements').select(['id', 'message', 'created_at']).where('exercise_id', '=', exerciseId).orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, message: r.message, createdAt: r.created_at }));
}
