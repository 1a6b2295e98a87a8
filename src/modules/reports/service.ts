import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { ExerciseTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { iso } from '../../core/clock.ts';
import { forbidden, notFound } from '../../core/errors.ts';
import { isStaff, requireExerciseRole } from '../exercises/access.ts';
import { definitionOf } from '../exercises/releases.ts';
import { loadExercise } from '../exercises/service.ts';
import type { ScenarioDefinition } from '../scenarios/definition.ts';
import { renderTemplate } from '../scenarios/templates.ts';
import { teamScope } from '../scoring/access.ts';
import { freezeCutoff } from '../scoring/freeze.ts';
import { downsample, earned, replay, type SeriesPoint } from '../scoring/rules.ts';
import { loadItems } from '../scoring/scoreboard.ts';
import { rank } from '../scoring/standings.ts';
import { adviceActivity } from '../advice/activity.ts';
import { adviceStats } from '../advice/summary.ts';
import { secondsBetween } from '../advice/stats.ts';
import { caseFileActivity } from '../casefile/activity.ts';
import { seesAutomaticCheck } from '../casefile/assess.ts';
import { caseFileSummaries, type CaseFileSummary } from '../casefile/summary.ts';
import { legalActivity } from '../legal/activity.ts';
import type { ActivityReader, TeamActivity } from './activity.ts';
import { gameSecondsAt, hardestObjectives, objectiveStats, pausesOf, skillsProfile } from './aggregate.ts';
import { briefingActivity, evidenceActivity, scoringActivity } from './engine-activity.ts';
import type { CaseFileEvaluation, ExerciseReport, TeamObjective, TeamReport, TimelineItem } from './schemas.ts';

// The after-action report. A team's: its replay timeline merged from every
// module's reader, its objectives with times and attempts, its skills profile
// and its case-file evaluation. The exercise's (staff): solve rates and median
// times per objective, the hardest ones, the advice desk's load and reply
// times, and the teams side by side. Access: staff any team; a participant its
// own team only (another team's report is answered 404, like a team that does
// not exist), with the standings its participants may see (as of the scoreboard
// freeze; in training, its own items only); anyone without a part in the exercise 404.

const readers: ActivityReader[] = [evidenceActivity, scoringActivity, briefingActivity, caseFileActivity, legalActivity, adviceActivity];
const seriesPoints = 200;

type Exercise = Selectable<ExerciseTable>;

/**
 * Everything both reports start from, read once. A team's report counts what its participants may
 * see of the standings, since with decay an objective's value tells how many teams solved it:
 * `cutoff`, the standings as of the scoreboard freeze; `onlyTeam`, that team's items alone (a
 * training exercise, whose participants see no standings).
 */
async function basis(ctx: AppContext, exercise: Exercise, view: { cutoff?: string | null; onlyTeam?: string } = {}) {
  const { db } = ctx.database;
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  const [teams, releases, scores, attempts, controls, scenario] = await Promise.all([
    db.selectFrom('teams').select(['id', 'name', 'variables']).where('exercise_id', '=', exercise.id).orderBy('name').orderBy('id').execute(),
    db
      .selectFrom('team_releases')
      .innerJoin('teams', 'teams.id', 'team_releases.team_id')
      .select(['team_releases.team_id', 'team_releases.item_key', 'team_releases.released_at'])
      .where('teams.exercise_id', '=', exercise.id)
      .where('team_releases.kind', '=', 'objective')
      .execute(),
    db.selectFrom('objective_scores').select(['team_id', 'objective_key', 'credit_permille', 'solved_at']).where('exercise_id', '=', exercise.id).execute(),
    db
      .selectFrom('submissions')
      .select(['team_id', 'objective_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('exercise_id', '=', exercise.id)
      .groupBy(['team_id', 'objective_key'])
      .execute(),
    db
      .selectFrom('audit_log')
      .select(['occurred_at', 'details'])
      .where('action', '=', 'exercise.controlled')
      .where('occurred_at', '>=', exercise.created_at)
      .where('target_id', '=', exercise.id)
      .orderBy('occurred_at')
      .execute(),
    db.selectFrom('scenarios').select('title').where('id', '=', exercise.scenario_id).executeTakeFirstOrThrow(),
  ]);
  const pauses = pausesOf(controls.map((c) => ({ at: c.occurred_at, action: String((JSON.parse(c.details) as { action?: unknown }).action ?? '') })));
  const items = await loadItems(db, exercise.id);
  const { standings, series } = replay(definition, view.onlyTeam ? items.filter((i) => i.teamId === view.onlyTeam) : items, view.cutoff ?? null);
  const cell = (teamId: string, key: string) => `${teamId}\u0000${key}`;
  const released = new Map(releases.map((r) => [cell(r.team_id, r.item_key), r.released_at]));
  const score = new Map(scores.map((s) => [cell(s.team_id, s.objective_key), s]));
  const tries = new Map(attempts.map((a) => [cell(a.team_id, a.objective_key), Number(a.n)]));
  const game = (at: string) => gameSecondsAt(exercise.started_at, pauses, at);

  /** A team's row of each objective of the scenario. */
  const objectivesOf = (teamId: string) =>
    definition.objectives.map((o) => {
      const releasedAt = released.get(cell(teamId, o.id)) ?? null;
      const s = score.get(cell(teamId, o.id));
      const solvedAt = s && s.solved_at && s.credit_permille >= 1000 ? s.solved_at : null;
      const value = standings.value(o.id);
      const solvedGameSeconds = solvedAt ? game(solvedAt) : null;
      return {
        key: o.id,
        points: value,
        skills: o.skills,
        released: releasedAt !== null,
        releasedAt,
        solved: solvedAt !== null,
        solvedAt,
        solvedGameSeconds,
        secondsToSolve: solvedGameSeconds === null ? null : Math.max(0, solvedGameSeconds - (releasedAt ? game(releasedAt) : 0)),
        attempts: tries.get(cell(teamId, o.id)) ?? 0,
        creditPercent: (s?.credit_permille ?? 0) / 10,
        pointsEarned: earned(value, s?.credit_permille ?? 0),
      };
    });
  const seriesOf = (teamId: string): SeriesPoint[] => {
    const start = exercise.started_at ? [{ at: exercise.started_at, score: 0 }] : [];
    return downsample([...start, ...(series.get(teamId) ?? [])], seriesPoints);
  };
  return { definition, teams, standings, objectivesOf, seriesOf, game, scenarioTitle: JSON.parse(scenario.title) as Record<string, string> };
}

function head(exercise: Exercise, scenarioTitle: Record<string, string>, now: Date) {
  return {
    exerciseId: exercise.id,
    exerciseTitle: exercise.title,
    scenarioTitle,
    status: exercise.status,
    startedAt: exercise.started_at,
    endedAt: exercise.ended_at,
    generatedAt: iso(now),
  };
}

async function activityOf(db: Db, exerciseId: string, teamId: string | null): Promise<TeamActivity[]> {
  const lists = await Promise.all(readers.map((read) => read(db, exerciseId, teamId)));
  // Stable: items at the same instant keep the readers' order (released before acquired, sent before replied).
  return lists.flat().sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

async function namesOf(db: Db, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** `automatic`: whether the caller may see the automatic check (`seesAutomaticCheck`). */
function caseFileOf(definition: ScenarioDefinition, summary: CaseFileSummary | undefined, automatic: boolean): CaseFileEvaluation | null {
  if (!definition.prosecution) return null;
  const final = (summary?.readiness ?? null) !== null;
  return {
    status: summary?.status ?? 'draft',
    submittedAt: summary?.submittedAt ?? null,
    readiness: summary?.readiness ?? null,
    provisionalReadiness: automatic ? (summary?.provisionalReadiness ?? 0) : null,
    charges: definition.prosecution.charges.map((c) => ({ chargeId: c.id, title: c.title, ready: (automatic || final) && (summary?.charges.find((x) => x.chargeId === c.id)?.ready ?? false) })),
  };
}

const renderPrompt = (prompt: Record<string, string>, values: Record<string, string> | null) =>
  values ? Object.fromEntries(Object.entries(prompt).map(([lang, text]) => [lang, renderTemplate(text, values)])) : prompt;

/** One team's report: staff any team of the exercise, a participant its own. */
export async function teamReport(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string): Promise<TeamReport> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  teamScope(role, teamId);
  const staff = isStaff(role);
  const exercise = await loadExercise(db, exerciseId);
  const b = await basis(ctx, exercise, staff ? {} : exercise.mode === 'training' ? { onlyTeam: teamId } : { cutoff: await freezeCutoff(db, exercise, ctx.clock.now()) });
  const team = b.teams.find((t) => t.id === teamId);
  if (!team) throw notFound('Team');
  const values = JSON.parse(team.variables) as Record<string, string>;
  const prompts = new Map(b.definition.objectives.map((o) => [o.id, o.prompt as Record<string, string>]));

  // A team sees only the objectives it was given; staff see them all.
  const rows = b.objectivesOf(teamId).filter((o) => staff || o.released);
  const objectives: TeamObjective[] = rows.map(({ releasedAt: _releasedAt, ...o }) => ({ ...o, prompt: renderPrompt(prompts.get(o.key) ?? {}, values) }));
  const summaries = b.definition.prosecution ? await caseFileSummaries(ctx, exerciseId) : [];
  const summary = summaries.find((s) => s.teamId === teamId);

  let activity = await activityOf(db, exerciseId, teamId);
  // The team learns of its evaluations once the experts' result is final (as the case file shows it).
  if (!staff && (summary?.readiness ?? null) === null) activity = activity.filter((a) => a.kind !== 'case_file_evaluated');
  const names = await namesOf(db, activity.map((a) => a.actorUserId));
  const timeline: TimelineItem[] = activity.map((a) => ({
    at: a.at,
    gameSeconds: b.game(a.at),
    kind: a.kind,
    actor: a.actorUserId ? { userId: a.actorUserId, displayName: names.get(a.actorUserId) ?? '' } : null,
    details: a.details,
  }));
  const count = (kind: TeamActivity['kind'], where: (a: TeamActivity) => boolean = () => true) => activity.filter((a) => a.kind === kind && where(a)).length;
  const sum = (kind: TeamActivity['kind'], field: string) => activity.filter((a) => a.kind === kind).reduce((s, a) => s + Number(a.details[field] ?? 0), 0);

  return {
    ...head(exercise, b.scenarioTitle, ctx.clock.now()),
    teamId,
    teamName: team.name,
    summary: {
      score: b.standings.score(teamId),
      solved: objectives.filter((o) => o.solved).length,
      objectives: objectives.length,
      attempts: count('answer'),
      hints: count('hint_unlocked'),
      hintPoints: sum('hint_unlocked', 'cost'),
      adviceRequests: count('advice_requested'),
      legalRequests: count('legal_request_sent'),
      legalGranted: count('legal_request_replied', (a) => a.details.outcome === 'granted'),
      legalRefused: count('legal_request_replied', (a) => a.details.outcome === 'refused'),
      adjustmentPoints: sum('score_adjusted', 'points'),
    },
    series: b.seriesOf(teamId),
    objectives,
    skills: skillsProfile(objectives),
    caseFile: caseFileOf(b.definition, summary, seesAutomaticCheck(staff, exercise)),
    timeline,
  };
}

/** The exercise's report, for its staff. */
export async function exerciseReport(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string): Promise<ExerciseReport> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  if (!isStaff(role)) throw forbidden('The exercise report is for the trainers and experts of the exercise');
  const exercise = await loadExercise(db, exerciseId);
  const b = await basis(ctx, exercise);
  const [advice, replies, summaries, legal, hints] = await Promise.all([
    adviceStats(db, exerciseId),
    db.selectFrom('advice_requests').select(['team_id', 'raised_at', 'first_reply_at']).where('exercise_id', '=', exerciseId).where('first_reply_at', 'is not', null).orderBy('raised_at').execute(),
    b.definition.prosecution ? caseFileSummaries(ctx, exerciseId) : Promise.resolve([]),
    legalActivity(db, exerciseId, null),
    db.selectFrom('hint_unlocks').select(['team_id', (eb) => eb.fn.countAll<number>().as('n')]).where('exercise_id', '=', exerciseId).groupBy('team_id').execute(),
  ]);

  const perTeam = new Map(b.teams.map((t) => [t.id, b.objectivesOf(t.id)]));
  const cells = b.teams.flatMap((t) => perTeam.get(t.id)!.map((o) => ({ teamId: t.id, objectiveKey: o.key, released: o.released, solved: o.solved, solvedAt: o.solvedAt, solvedGameSeconds: o.solvedGameSeconds, secondsToSolve: o.secondsToSolve, attempts: o.attempts, pointsEarned: o.pointsEarned })));
  const stats = objectiveStats(
    b.definition.objectives.map((o) => ({ key: o.id, points: o.points, skills: o.skills })),
    b.teams.length,
    cells.filter((c) => c.solved).map((c) => ({ teamId: c.teamId, objectiveKey: c.objectiveKey, secondsToSolve: c.secondsToSolve ?? 0 })),
  );
  const objectives = b.definition.objectives.map((o, i) => ({
    key: o.id,
    prompt: o.prompt as Record<string, string>,
    points: b.standings.value(o.id),
    skills: o.skills,
    released: cells.filter((c) => c.objectiveKey === o.id && c.released).length,
    solves: stats[i]!.solves,
    solveRate: stats[i]!.solveRate,
    medianSecondsToSolve: stats[i]!.medianSecondsToSolve,
    attempts: cells.filter((c) => c.objectiveKey === o.id).reduce((s, c) => s + c.attempts, 0),
  }));

  const ranking = rank(b.standings, b.teams);
  const adviceByTeam = new Map(advice.perTeam.map((p) => [p.teamId, p]));
  const summaryByTeam = new Map(summaries.map((s) => [s.teamId, s]));
  const hintsByTeam = new Map(hints.map((h) => [h.team_id, Number(h.n)]));
  const legalCount = (teamId: string, outcome: string) => legal.filter((a) => a.teamId === teamId && a.kind === 'legal_request_replied' && a.details.outcome === outcome).length;
  const teams = ranking.map((r) => {
    const cf = summaryByTeam.get(r.teamId);
    return {
      teamId: r.teamId,
      teamName: r.name,
      rank: r.rank,
      score: r.score,
      solved: r.solvedCount,
      hints: hintsByTeam.get(r.teamId) ?? 0,
      adviceRequests: adviceByTeam.get(r.teamId)?.requests ?? 0,
      advicePenalties: adviceByTeam.get(r.teamId)?.penalties ?? 0,
      legalGranted: legalCount(r.teamId, 'granted'),
      legalRefused: legalCount(r.teamId, 'refused'),
      readiness: b.definition.prosecution ? (cf?.readiness ?? cf?.provisionalReadiness ?? 0) : null,
      readinessFinal: cf?.readiness !== null && cf?.readiness !== undefined,
      chargesReady: cf?.charges.filter((c) => c.ready).length ?? 0,
    };
  });

  return {
    ...head(exercise, b.scenarioTitle, ctx.clock.now()),
    teamCount: b.teams.length,
    objectives,
    hardest: hardestObjectives(objectives),
    advice: {
      requests: advice.requests,
      answered: advice.answered,
      medianFirstReplySeconds: advice.medianFirstReplySeconds,
      p90FirstReplySeconds: advice.p90FirstReplySeconds,
      replyTimes: replies.map((r) => ({ teamId: r.team_id, raisedAt: r.raised_at, seconds: secondsBetween(r.raised_at, r.first_reply_at!) })),
      perExpert: advice.perExpert,
    },
    chargeCount: b.definition.prosecution?.charges.length ?? 0,
    teams,
    series: ranking.map((r) => ({ teamId: r.teamId, points: b.seriesOf(r.teamId) })),
    cells,
  };
}
