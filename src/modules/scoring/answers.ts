import { sql, type Selectable } from 'kysely';
import type { Db, Dialect, Tx } from '../../core/db/index.ts';
import type { ExerciseTable, TeamTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { addSeconds, iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import type { ScenarioDefinition, ScenarioObjective } from '../scenarios/definition.ts';
import { AnswerCheckError, answerDigest, evaluate, prepareCheck, type PreparedCheck } from '../scenarios/answers.ts';
import { definitionOf, fireOnSolve, publishReleases, syncTeamIfDue, type Due } from '../exercises/releases.ts';
import { loadExercise } from '../exercises/service.ts';
import { lockChain } from '../evidence/custody.ts';
import { assertRunningFor, loadTeamMemberPlay } from './access.ts';
import { freezeCutoff } from './freeze.ts';
import { earned, fullCredit, objectiveValue } from './rules.ts';
import { publishScoreChanges, type ScoreChange } from './scoreboard.ts';
import type { AnswerResult } from './schemas.ts';
import { prepared } from '../../core/db/prepared.ts';

// A team member answers an objective. One transaction per answer, holding the
// team's lock (PostgreSQL; SQLite has one writer), so that attempt counts and
// the rate limit are exact. The answer is graded with the team's own values and
// stored as a keyed digest only. Exactly one score per team and objective: the
// insert into objective_scores decides (its primary key), and only the write
// that raises the credit to full is the solve, fires the onSolve injects (in
// the same transaction) and publishes the one `solved` event.

type Loaded = { exercise: Selectable<ExerciseTable>; team: Selectable<TeamTable>; definition: ScenarioDefinition };

/** The team, its exercise and scenario, with the team's releases brought up to date; refused unless the game runs for it. */
export async function loadForPlay(ctx: AppContext, tx: Tx, exerciseId: string, teamId: string, now: Date): Promise<Loaded & { fresh: Due }> {
  const exercise = await loadExercise(tx, exerciseId);
  const team = await tx.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirstOrThrow();
  return prepareForPlay(ctx, tx, exercise, team, now);
}

/** `loadForPlay` with the exercise and team already read. */
async function prepareForPlay(ctx: AppContext, tx: Tx, exercise: Selectable<ExerciseTable>, team: Selectable<TeamTable>, now: Date): Promise<Loaded & { fresh: Due }> {
  assertRunningFor(exercise, team, now);
  const definition = await definitionOf(ctx, tx, exercise.scenario_id);
  const fresh = await syncTeamIfDue(ctx, tx, exercise, definition, team);
  return { exercise, team, definition, fresh };
}

type AnswerState = {
  released: boolean;
  prerequisitesSolved: number;
  credit: number | null;
  solvedAt: string | null;
  attempts: number;
  /** The oldest of the last `max` submissions inside the rate window, when there are `max` of them. */
  rateOldest: string | null;
  frozenAt: string | null;
};

type AnswerStateRow = { released: unknown; prerequisites_solved: unknown; credit: unknown; solved_at: string | null; attempts: unknown; rate_oldest: string | null; frozen_at: string | null };

const answerStateQuery = (requires: number) =>
  prepared((_db: Db | Tx, teamId: string, key: string, since: string, offset: number, exerciseId: string, ...required: string[]) => {
    const prerequisites =
      requires === 0 ? sql`0` : sql`(select count(*) from objective_scores where team_id = ${teamId} and objective_key in (${sql.join(required)}) and solved_at is not null)`;
    return sql<AnswerStateRow>`select
    (select 1 from team_releases where team_id = ${teamId} and kind = 'objective' and item_key = ${key}) as released,
    ${prerequisites} as prerequisites_solved,
    (select credit_permille from objective_scores where team_id = ${teamId} and objective_key = ${key}) as credit,
    (select solved_at from objective_scores where team_id = ${teamId} and objective_key = ${key}) as solved_at,
    (select count(*) from submissions where team_id = ${teamId} and objective_key = ${key}) as attempts,
    (select submitted_at from submissions where team_id = ${teamId} and submitted_at > ${since} order by submitted_at desc limit 1 offset ${offset}) as rate_oldest,
    (select frozen_at from scoreboard_freezes where exercise_id = ${exerciseId}) as frozen_at`;
  });
// One prepared statement per number of prerequisites.
const answerStateQueries = new Map<number, ReturnType<typeof answerStateQuery>>();

/** Everything the answer checks read, in one statement (after the team's lock). */
async function answerState(ctx: AppContext, tx: Tx, exerciseId: string, teamId: string, objective: ScenarioObjective, now: Date): Promise<AnswerState> {
  const { max, windowSeconds } = ctx.config.answerRateLimit;
  const since = iso(addSeconds(now, -windowSeconds));
  const n = objective.requires.length;
  let query = answerStateQueries.get(n);
  if (!query) answerStateQueries.set(n, (query = answerStateQuery(n)));
  const rows = await query(tx, ctx.database.dialect, teamId, objective.id, since, max - 1, exerciseId, ...objective.requires);
  const r = rows[0]!;
  return {
    released: r.released !== null && r.released !== undefined,
    prerequisitesSolved: Number(r.prerequisites_solved),
    credit: r.credit === null || r.credit === undefined ? null : Number(r.credit),
    solvedAt: r.solved_at ?? null,
    attempts: Number(r.attempts),
    rateOldest: r.rate_oldest ?? null,
    frozenAt: r.frozen_at ?? null,
  };
}

function rateLimited(ctx: AppContext, oldestInWindow: string, now: Date): AppError {
  const { windowSeconds } = ctx.config.answerRateLimit;
  const oldest = new Date(oldestInWindow).getTime();
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowSeconds * 1000 - now.getTime()) / 1000));
  return new AppError('too_many_requests', `Too many answers from your team: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

export async function isReleased(tx: Tx, teamId: string, objectiveKey: string): Promise<boolean> {
  const row = await tx.selectFrom('team_releases').select('item_key').where('team_id', '=', teamId).where('kind', '=', 'objective').where('item_key', '=', objectiveKey).executeTakeFirst();
  return !!row;
}

/** The prerequisites the team has not solved yet. */
export async function unmetPrerequisites(tx: Tx, teamId: string, objective: ScenarioObjective): Promise<string[]> {
  if (objective.requires.length === 0) return [];
  const solved = await tx.selectFrom('objective_scores').select('objective_key').where('team_id', '=', teamId).where('objective_key', 'in', objective.requires).where('solved_at', 'is not', null).execute();
  const have = new Set(solved.map((s) => s.objective_key));
  return objective.requires.filter((r) => !have.has(r));
}

export const lockedError = (requires: string[]) => new AppError('conflict', 'This objective is locked until its prerequisites are solved', { reason: 'locked', requires });

const solvedCountQuery = prepared((db: Db | Tx, exerciseId: string, objectiveKey: string) =>
  db
    .selectFrom('objective_scores')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('exercise_id', '=', exerciseId)
    .where('objective_key', '=', objectiveKey)
    .where('solved_at', 'is not', null),
);
const solvedCount = async (tx: Tx, dialect: Dialect, exerciseId: string, objectiveKey: string) => Number((await solvedCountQuery(tx, dialect, exerciseId, objectiveKey))[0]!.n);

const insertSubmission = prepared((db: Db | Tx, id: string, exerciseId: string, teamId: string, userId: string, objectiveKey: string, at: string, outcome: string, permille: number, digest: string) =>
  db.insertInto('submissions').values({ id, exercise_id: exerciseId, team_id: teamId, user_id: userId, objective_key: objectiveKey, submitted_at: at, outcome: outcome as 'correct', credit_permille: permille, answer_digest: digest }),
);

const raiseCredit = prepared((db: Db | Tx, exerciseId: string, teamId: string, objectiveKey: string, permille: number, solvedAt: string | null, at: string) =>
  db
    .insertInto('objective_scores')
    .values({ exercise_id: exerciseId, team_id: teamId, objective_key: objectiveKey, credit_permille: permille, solved_at: solvedAt, updated_at: at })
    .onConflict((oc) =>
      oc
        .columns(['team_id', 'objective_key'])
        .doUpdateSet((eb) => ({ credit_permille: eb.ref('excluded.credit_permille'), solved_at: eb.ref('excluded.solved_at'), updated_at: eb.ref('excluded.updated_at') }))
        // Only a higher credit replaces the best one; full credit can never be replaced.
        .where((eb) => eb('objective_scores.credit_permille', '<', eb.ref('excluded.credit_permille'))),
    )
    .returning(['credit_permille', 'solved_at']),
);

// A team's check of an objective (its values rendered, its pattern compiled) is the same at
// every answer: kept per objective of a loaded definition and per team's values, up to a bound.
const preparedChecks = new WeakMap<ScenarioObjective, Map<string, PreparedCheck>>();
const preparedPerObjective = 5_000;

function teamCheck(objective: ScenarioObjective, variables: string): PreparedCheck {
  let perTeam = preparedChecks.get(objective);
  if (!perTeam) preparedChecks.set(objective, (perTeam = new Map()));
  let check = perTeam.get(variables);
  if (!check) {
    check = prepareCheck(objective.answer, JSON.parse(variables) as Record<string, string>);
    if (perTeam.size >= preparedPerObjective) perTeam.clear();
    perTeam.set(variables, check);
  }
  return check;
}

export async function submitAnswer(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, objectiveKey: string, answer: string): Promise<AnswerResult> {
  const { db, dialect } = ctx.database;
  const now = ctx.clock.now();
  const at = iso(now);
  const changes: ScoreChange[] = [];

  const { result, teamId, releases, solve, injects } = await db.transaction().execute(async (tx) => {
    let solve: { first: boolean } | null = null;
    let injects: string[] = [];
    // One statement for the caller's part, the exercise and the team (plus the team's lock on PostgreSQL).
    const play = await loadTeamMemberPlay(tx, dialect, actor, exerciseId);
    const teamId = play.team.id;
    const { exercise, team, definition, fresh } = await prepareForPlay(ctx, tx, play.exercise, play.team, now);
    let releases = fresh;
    const objective = definition.objectives.find((o) => o.id === objectiveKey);
    // Unreleased objectives do not exist for the team.
    if (!objective) throw notFound('Objective');
    const state = await answerState(ctx, tx, exerciseId, teamId, objective, now);
    if (!state.released) throw notFound('Objective');
    if (state.prerequisitesSolved < objective.requires.length) {
      const missing = await unmetPrerequisites(tx, teamId, objective);
      if (missing.length > 0) throw lockedError(missing);
    }
    const current = state.credit === null ? undefined : { credit_permille: state.credit, solved_at: state.solvedAt };
    if (current?.solved_at) throw new AppError('conflict', 'Your team has already solved this objective', { reason: 'solved' });
    const attempts = state.attempts;
    if (objective.maxAttempts && Number(attempts) >= objective.maxAttempts) {
      throw new AppError('conflict', `No attempts left: this objective allows ${objective.maxAttempts}`, { reason: 'no_attempts', maxAttempts: objective.maxAttempts });
    }
    if (state.rateOldest !== null) throw rateLimited(ctx, state.rateOldest, now);

    let check: PreparedCheck;
    try {
      check = teamCheck(objective, team.variables);
    } catch (error) {
      // The scenario's check does not work with this team's values (the validator should have said so).
      // Say where, never what: the message of the error holds the expected value.
      if (error instanceof AnswerCheckError) throw new AppError('internal', 'This objective cannot be checked: ask a trainer to look at the scenario', { objectiveKey, field: error.field });
      throw error;
    }
    const graded = evaluate(check, answer);
    const permille = graded.outcome === 'correct' ? fullCredit : graded.outcome === 'partial' ? Math.min(fullCredit - 1, Math.max(1, Math.round(graded.credit * 1000))) : 0;
    const caseSensitive = 'caseSensitive' in objective.answer ? objective.answer.caseSensitive : false;
    if (graded.outcome === 'correct' && definition.injects.some((i) => 'onSolve' in i.trigger && i.trigger.onSolve === objectiveKey)) {
      // The solve will release evidence, which appends to the exercise's chain of custody under the
      // exercise's lock. Take it before writing anything that references the exercise: holding the
      // foreign-key share lock of those writes while waiting for it could deadlock with another team's solve.
      await lockChain(tx, dialect, exerciseId);
    }
    const frozen = (await freezeCutoff(tx, exercise, now, state.frozenAt)) !== null;
    await insertSubmission(tx, dialect, newId(), exerciseId, teamId, actor.userId, objectiveKey, at, graded.outcome, permille, answerDigest(exercise.seed, answer, { caseSensitive }));

    let pointsAwarded = 0;
    if (permille > 0) {
      const solvesBefore = await solvedCount(tx, dialect, exerciseId, objectiveKey);
      const [raised] = await raiseCredit(tx, dialect, exerciseId, teamId, objectiveKey, permille, permille >= fullCredit ? at : null, at);
      if (raised) {
        const solvedNow = raised.credit_permille >= fullCredit && raised.solved_at !== null;
        const rule = definition.scoring;
        const before = earned(objectiveValue(objective.points, rule, Math.max(1, solvesBefore)), current?.credit_permille ?? 0);
        const after = earned(objectiveValue(objective.points, rule, Math.max(1, solvesBefore + (solvedNow ? 1 : 0))), raised.credit_permille);
        pointsAwarded = after - before;
        changes.push({ exerciseId, item: { kind: 'credit', teamId, objectiveKey, permille: raised.credit_permille, at }, frozen });
        if (solvedNow) {
          solve = { first: solvesBefore === 0 };
          const fired = await fireOnSolve(ctx, tx, exercise, definition, team, objectiveKey);
          injects = fired.injects;
          releases = { evidence: [...releases.evidence, ...fired.due.evidence], objectives: [...releases.objectives, ...fired.due.objectives] };
        }
      }
    }
    const result: AnswerResult = {
      objectiveKey,
      outcome: graded.outcome,
      creditPercent: permille / 10,
      pointsAwarded,
      attemptsLeft: objective.maxAttempts ? objective.maxAttempts - Number(attempts) - 1 : null,
      solved: solve !== null,
      submittedAt: at,
    };
    return { result, teamId, releases, solve, injects };
  });

  // After commit: nobody hears of a change that rolled back.
  publishScoreChanges(ctx, changes, actor.userId);
  const said = { objectiveKey, outcome: result.outcome, creditPercent: result.creditPercent, userId: actor.userId };
  ctx.events.publish({ channel: `team:${teamId}`, type: 'answer', data: { exerciseId, ...said, attemptsLeft: result.attemptsLeft } });
  ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'answer', data: { teamId, ...said } });
  if (solve) {
    ctx.events.publish({ channel: `team:${teamId}`, type: 'solved', data: { exerciseId, objectiveKey, pointsAwarded: result.pointsAwarded } });
    ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'solved', data: { teamId, objectiveKey, firstSolve: solve.first } });
  }
  for (const inject of injects) ctx.events.publish({ channel: `team:${teamId}`, type: 'inject', data: { exerciseId, inject } });
  publishReleases(ctx, exerciseId, teamId, releases);
  return result;
}
