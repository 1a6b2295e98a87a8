import type { AppContext } from '../../core/http/types.ts';
import type { Actor } from '../../core/permissions.ts';
import { notFound } from '../../core/errors.ts';
import { requireExerciseRole } from '../exercises/access.ts';
import type { CustodyEntry, CustodyQuery } from './schemas.ts';

// Reading the chain of custody. The one visibility rule: a team sees the
// entries of its own evidence only (naming another team answers 404);
// trainers, experts and administrators see the whole chain.

export async function listCustody(ctx: AppContext, actor: Actor, exerciseId: string, query: CustodyQuery) {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  let teamId: string | null = null;
  if (role.kind === 'participant') {
    if (query.teamId !== undefined && query.teamId !== role.teamId) throw notFound('Team');
    teamId = role.teamId;
  } else if (query.teamId !== undefined) {
    const team = await db.selectFrom('teams').select('id').where('id', '=', query.teamId).where('exercise_id', '=', exerciseId).executeTakeFirst();
    if (!team) throw notFound('Team');
    teamId = team.id;
  }
  let q = db.selectFrom('custody_log').where('custody_log.exercise_id', '=', exerciseId);
  if (teamId !== null) q = q.where('custody_log.team_id', '=', teamId);
  if (query.evidenceKey) q = q.where('custody_log.evidence_key', '=', query.evidenceKey);
  if (query.action) q = q.where('custody_log.action', '=', query.action);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .leftJoin('users', 'users.id', 'custody_log.actor_user_id')
    .leftJoin('teams', 'teams.id', 'custody_log.team_id')
    .selectAll('custody_log')
    .select(['users.display_name as actor_name', 'teams.name as team_name'])
    .orderBy('custody_log.position', query.sort === 'position' ? 'asc' : 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const items: CustodyEntry[] = rows.map((r) => ({
    id: r.id,
    position: Number(r.position),
    teamId: r.team_id,
    teamName: r.team_name,
    evidenceKey: r.evidence_key,
    sha256: r.sha256,
    action: r.action,
    actor: r.actor_user_id ? { userId: r.actor_user_id, displayName: r.actor_name ?? '' } : null,
    occurredAt: r.occurred_at,
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
  return { items, total: Number(total), page: query.page, pageSize: query.pageSize };
}
