import type { z } from 'zod';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { notFound } from '../../core/errors.ts';
import { isStaff, requireExerciseRole } from '../exercises/access.ts';
import { teamScope } from './access.ts';
import type { submissionsQuery } from './schemas.ts';

// The answers given, without their values: staff see every team's (with a
// fingerprint of the keyed digest, to spot an answer passed from one team to
// another), a participant its own team's.

export async function listSubmissions(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, query: z.infer<typeof submissionsQuery>) {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const scope = teamScope(role, query.teamId);
  if (scope && !(await db.selectFrom('teams').select('id').where('id', '=', scope).where('exercise_id', '=', exerciseId).executeTakeFirst())) throw notFound('Team');
  let q = db.selectFrom('submissions').innerJoin('teams', 'teams.id', 'submissions.team_id').innerJoin('users', 'users.id', 'submissions.user_id').where('submissions.exercise_id', '=', exerciseId);
  if (scope) q = q.where('submissions.team_id', '=', scope);
  if (query.objectiveKey) q = q.where('submissions.objective_key', '=', query.objectiveKey);
  if (query.outcome) q = q.where('submissions.outcome', '=', query.outcome);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .select(['submissions.id', 'submissions.team_id', 'teams.name', 'submissions.user_id', 'users.display_name', 'submissions.objective_key', 'submissions.submitted_at', 'submissions.outcome', 'submissions.credit_permille', 'submissions.answer_digest'])
    .orderBy('submissions.submitted_at', 'desc')
    .orderBy('submissions.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const staff = isStaff(role);
  return {
    items: rows.map((r) => ({
      id: r.id,
      teamId: r.team_id,
      teamName: r.name,
      userId: r.user_id,
      userDisplayName: r.display_name,
      objectiveKey: r.objective_key,
      submittedAt: r.submitted_at,
      outcome: r.outcome,
      creditPercent: r.credit_permille / 10,
      answerFingerprint: staff ? r.answer_digest.slice(0, 12) : null,
    })),
    total: Number(total),
    page: query.page,
    pageSize: query.pageSize,
  };
}
