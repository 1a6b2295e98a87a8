import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { notFound } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import type { LocalizedText } from '../scenarios/definition.ts';
import { renderTemplate } from '../scenarios/templates.ts';
import { definitionOf, publishReleases } from '../exercises/releases.ts';
import { loadExercise } from '../exercises/service.ts';
import { requireExerciseRole } from '../exercises/access.ts';
import { requireTeamMember, teamScope } from './access.ts';
import { isReleased, loadForPlay, lockedError, unmetPrerequisites } from './answers.ts';
import { freezeCutoff } from './freeze.ts';
import { publishScoreChanges, type ScoreChange } from './scoreboard.ts';
import type { z } from 'zod';
import type { hintUnlockResult, listQuery } from './schemas.ts';

// Hints: a team member unlocks one (it costs its points once, whoever unlocks
// it: the primary key of hint_unlocks decides) and reads it rendered with the
// team's values. A hint is there for a team when its objective is released to
// it (or it belongs to no objective), and can be unlocked once that objective
// is no longer locked by its prerequisites.

const render = (text: LocalizedText, values: Record<string, string>): LocalizedText =>
  Object.fromEntries(Object.entries(text).map(([lang, t]) => [lang, renderTemplate(t, values)]));

export async function unlockHint(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, hintKey: string): Promise<z.infer<typeof hintUnlockResult>> {
  const { db } = ctx.database;
  const now = ctx.clock.now();
  const { result, change, teamId, releases } = await db.transaction().execute(async (tx) => {
    const teamId = await requireTeamMember(tx, actor, exerciseId);
    const exercise = await loadExercise(tx, exerciseId);
    const definition = await definitionOf(ctx, tx, exercise.scenario_id);
    const team = await tx.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirstOrThrow();
    const values = JSON.parse(team.variables) as Record<string, string>;
    const hint = definition.hints.find((h) => h.id === hintKey);
    const present = (unlockedAt: string, alreadyUnlocked: boolean, cost: number) => ({ hintKey, objectiveKey: hint?.objective ?? null, cost, text: render(hint!.text, values), unlockedAt, alreadyUnlocked });
    const existing = hint && (await tx.selectFrom('hint_unlocks').selectAll().where('team_id', '=', teamId).where('hint_key', '=', hintKey).executeTakeFirst());
    // Already unlocked: read again, at any time, for nothing.
    if (existing) return { result: present(existing.unlocked_at, true, existing.cost), change: null, teamId, releases: null };

    const { fresh } = await loadForPlay(ctx, tx, exerciseId, teamId, now);
    if (!hint) throw notFound('Hint');
    const objective = hint.objective ? definition.objectives.find((o) => o.id === hint.objective) : undefined;
    if (objective) {
      if (!(await isReleased(tx, teamId, objective.id))) throw notFound('Hint');
      const missing = await unmetPrerequisites(tx, teamId, objective);
      if (missing.length > 0) throw lockedError(missing);
    }
    const frozen = (await freezeCutoff(tx, exercise, now)) !== null;
    const at = iso(now);
    const inserted = await tx
      .insertInto('hint_unlocks')
      .values({ exercise_id: exerciseId, team_id: teamId, hint_key: hintKey, cost: hint.cost, unlocked_by: actor.userId, unlocked_at: at })
      .onConflict((oc) => oc.columns(['team_id', 'hint_key']).doNothing())
      .returning('unlocked_at')
      .executeTakeFirst();
    if (!inserted) {
      // A team mate unlocked it at the same moment.
      const row = await tx.selectFrom('hint_unlocks').selectAll().where('team_id', '=', teamId).where('hint_key', '=', hintKey).executeTakeFirstOrThrow();
      return { result: present(row.unlocked_at, true, row.cost), change: null, teamId, releases: fresh };
    }
    const change: ScoreChange = { exerciseId, item: { kind: 'hint', teamId, hintKey, cost: hint.cost, at }, frozen };
    return { result: present(at, false, hint.cost), change, teamId, releases: fresh };
  });
  if (releases) publishReleases(ctx, exerciseId, teamId, releases);
  if (change) {
    publishScoreChanges(ctx, [change], actor.userId);
    const data = { hintKey, objectiveKey: result.objectiveKey, cost: result.cost, userId: actor.userId };
    ctx.events.publish({ channel: `team:${teamId}`, type: 'hint_unlocked', data: { exerciseId, ...data } });
    ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'hint_unlocked', data: { teamId, ...data } });
  }
  return result;
}

/** Hint unlocks the caller may see: staff every team's (or one team's), a participant its own team's. */
export async function listHintUnlocks(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, query: z.infer<typeof listQuery>) {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const scope = teamScope(role, query.teamId);
  if (scope && !(await db.selectFrom('teams').select('id').where('id', '=', scope).where('exercise_id', '=', exerciseId).executeTakeFirst())) throw notFound('Team');
  const exercise = await loadExercise(db, exerciseId);
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  let q = db
    .selectFrom('hint_unlocks')
    .innerJoin('teams', 'teams.id', 'hint_unlocks.team_id')
    .innerJoin('users', 'users.id', 'hint_unlocks.unlocked_by')
    .where('hint_unlocks.exercise_id', '=', exerciseId);
  if (scope) q = q.where('hint_unlocks.team_id', '=', scope);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .select(['hint_unlocks.team_id', 'teams.name', 'hint_unlocks.hint_key', 'hint_unlocks.cost', 'hint_unlocks.unlocked_by', 'users.display_name', 'hint_unlocks.unlocked_at'])
    .orderBy('hint_unlocks.unlocked_at', 'desc')
    .orderBy('hint_unlocks.hint_key')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const objectiveOf = new Map(definition.hints.map((h) => [h.id, h.objective ?? null]));
  return {
    items: rows.map((r) => ({ teamId: r.team_id, teamName: r.name, hintKey: r.hint_key, objectiveKey: objectiveOf.get(r.hint_key) ?? null, cost: r.cost, unlockedBy: r.unlocked_by, unlockedByName: r.display_name, unlockedAt: r.unlocked_at })),
    total: Number(total),
    page: query.page,
    pageSize: query.pageSize,
  };
}
