import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { forbidden } from '../../core/errors.ts';
import { isStaff, requireExerciseRole } from '../exercises/access.ts';
import { definitionOf } from '../exercises/releases.ts';
import { loadExercise, presentClock } from '../exercises/service.ts';
import { adjustmentsOf } from './adjustments.ts';
import { freezeCutoff } from './freeze.ts';
import { earned, fullCredit } from './rules.ts';
import { scoreboardsOf } from './scoreboard.ts';
import { rank } from './standings.ts';
import type { Board } from './schemas.ts';

// The trainers' live board: every team × every objective (released, locked,
// solved, credit, attempts, hints used), each team's clock, score and
// adjustments. Staff only. Scores come from the in-memory board; attempts are
// counted per team and objective in one indexed query of this exercise.

export async function getBoard(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string): Promise<Board> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  if (!isStaff(role)) throw forbidden('The live board is for the trainers and experts of the exercise');
  const exercise = await loadExercise(db, exerciseId);
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  const now = ctx.clock.now();
  const cutoff = await freezeCutoff(db, exercise, now);
  const live = (await scoreboardsOf(ctx).get(exerciseId)).live;

  const teams = await db.selectFrom('teams').select(['id', 'name', 'extra_seconds']).where('exercise_id', '=', exerciseId).orderBy('name').execute();
  const releases = await db
    .selectFrom('team_releases')
    .innerJoin('teams', 'teams.id', 'team_releases.team_id')
    .select(['team_releases.team_id', 'team_releases.item_key'])
    .where('teams.exercise_id', '=', exerciseId)
    .where('team_releases.kind', '=', 'objective')
    .execute();
  const scores = await db.selectFrom('objective_scores').select(['team_id', 'objective_key', 'credit_permille', 'solved_at']).where('exercise_id', '=', exerciseId).execute();
  const attempts = await db
    .selectFrom('submissions')
    .select(['team_id', 'objective_key', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('submitted_at').as('last')])
    .where('exercise_id', '=', exerciseId)
    .groupBy(['team_id', 'objective_key'])
    .execute();
  const hints = await db.selectFrom('hint_unlocks').select(['team_id', 'hint_key', 'cost']).where('exercise_id', '=', exerciseId).execute();
  const { items: adjustments } = await adjustmentsOf(db, exerciseId, null);

  const k = (teamId: string, key: string) => `${teamId}\u0000${key}`;
  const released = new Set(releases.map((r) => k(r.team_id, r.item_key)));
  const scoreBy = new Map(scores.map((s) => [k(s.team_id, s.objective_key), s]));
  const attemptsBy = new Map(attempts.map((a) => [k(a.team_id, a.objective_key), a]));
  const hintObjective = new Map(definition.hints.map((h) => [h.id, h.objective ?? null]));
  const ranks = new Map(rank(live, teams).map((r) => [r.teamId, r.rank]));
  const group = <T extends { team_id?: string; teamId?: string }>(rows: T[]) => {
    const by = new Map<string, T[]>();
    for (const r of rows) {
      const id = (r.team_id ?? r.teamId)!;
      const list = by.get(id);
      if (list) list.push(r);
      else by.set(id, [r]);
    }
    return by;
  };
  const hintsBy = group(hints);
  const adjustmentsBy = group(adjustments);

  return {
    exerciseId,
    mode: exercise.mode,
    clock: presentClock(exercise, now),
    freezeActive: cutoff !== null,
    frozenAt: cutoff,
    objectives: definition.objectives.map((o) => ({ key: o.id, points: o.points, value: live.value(o.id), solves: live.solves(o.id), maxAttempts: o.maxAttempts ?? null, requires: o.requires })),
    teams: teams.map((t) => {
      const standing = live.standing(t.id);
      const teamHints = hintsBy.get(t.id) ?? [];
      const solved = (key: string) => scoreBy.get(k(t.id, key))?.solved_at != null;
      return {
        teamId: t.id,
        name: t.name,
        clock: presentClock(exercise, now, t.extra_seconds),
        rank: ranks.get(t.id) ?? 0,
        score: standing.score,
        solvedCount: standing.solvedCount,
        hintCost: teamHints.reduce((sum, h) => sum + h.cost, 0),
        adjustmentTotal: (adjustmentsBy.get(t.id) ?? []).reduce((sum, a) => sum + a.points, 0),
        cells: definition.objectives.map((o) => {
          const score = scoreBy.get(k(t.id, o.id));
          const tried = attemptsBy.get(k(t.id, o.id));
          const credit = score?.credit_permille ?? 0;
          return {
            objectiveKey: o.id,
            released: released.has(k(t.id, o.id)),
            locked: o.requires.some((r) => !solved(r)),
            solved: credit >= fullCredit,
            creditPercent: credit / 10,
            points: earned(live.value(o.id), credit),
            attempts: Number(tried?.n ?? 0),
            lastAttemptAt: (tried?.last as string | null | undefined) ?? null,
            solvedAt: score?.solved_at ?? null,
            hintsUsed: teamHints.filter((h) => hintObjective.get(h.hint_key) === o.id).map((h) => h.hint_key),
          };
        }),
        generalHintsUsed: teamHints.filter((h) => !hintObjective.get(h.hint_key)).map((h) => h.hint_key),
      };
    }),
    adjustments,
  };
}
