import type { Db } from '../../core/db/index.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { isStaff, requireExerciseRole } from '../exercises/access.ts';
import { loadExercise } from '../exercises/service.ts';
import { freezeCutoff } from './freeze.ts';
import { compareStandings, downsample, teamSeries, type Standings } from './rules.ts';
import { scoreboardsOf, type Board } from './scoreboard.ts';
import type { Scoreboard } from './schemas.ts';

// The scoreboard: read from the in-memory board of the exercise (never from
// the submissions). Participants of a competition see it frozen in its last
// minutes; participants of a training exercise see none (hidden, empty lists);
// staff always see it live. The ranking, first solves and the chart of the
// first teams are computed once per change of the board and shared by every
// reader of the same view.

export async function teamsWithCountries(db: Db, exerciseId: string) {
  const teams = await db.selectFrom('teams').select(['id', 'name']).where('exercise_id', '=', exerciseId).orderBy('name').execute();
  const members = await db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['team_members.team_id', 'organisations.country_code'])
    .where('team_members.exercise_id', '=', exerciseId)
    .execute();
  const countries = new Map<string, Set<string>>();
  for (const m of members) countries.set(m.team_id, (countries.get(m.team_id) ?? new Set()).add(m.country_code));
  return teams.map((t) => ({ ...t, countries: [...(countries.get(t.id) ?? [])].sort() }));
}

type TeamRows = Awaited<ReturnType<typeof teamsWithCountries>>;

/** Teams in ranking order, with their standing. */
export function rank(standings: Standings, teams: Array<{ id: string; name: string }>) {
  return teams
    .map((t) => ({ ...standings.standing(t.id), name: t.name }))
    .sort(compareStandings)
    .map((s, i) => ({ ...s, rank: i + 1 }));
}

/** Teams of the chart: the first of the ranking. */
export const seriesTeams = 10;
/** Points per team in the chart, at most. */
export const seriesPoints = 200;
// Team names and countries change seldom: read again at most this often per exercise and process.
const teamsTtlMs = 5000;
const teamCache = new WeakMap<Board, { at: number; rows: TeamRows }>();

async function teamsOf(db: Db, board: Board): Promise<{ at: number; rows: TeamRows }> {
  const cached = teamCache.get(board);
  if (cached && Date.now() - cached.at < teamsTtlMs) return cached;
  const fresh = { at: Date.now(), rows: await teamsWithCountries(db, board.exerciseId) };
  teamCache.set(board, fresh);
  return fresh;
}

export async function getScoreboard(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string): Promise<Scoreboard> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  const exercise = await loadExercise(db, exerciseId);
  const staff = isStaff(role);
  const cutoff = await freezeCutoff(db, exercise, ctx.clock.now());
  const empty = { exerciseId, mode: exercise.mode, freezeActive: cutoff !== null, ranking: [], firstSolves: [], series: [] };
  if (!staff && exercise.mode === 'training') return { ...empty, hidden: true, frozen: false, frozenAt: null, version: 0 };

  const boards = scoreboardsOf(ctx);
  const board = await boards.get(exerciseId);
  const frozen = !staff && cutoff !== null;
  const view = frozen ? cutoff : null;
  const teams = await teamsOf(db, board);
  // The same for every reader of this view until the board changes: computed once.
  const { value: shared, version } = boards.cached(board, `scoreboard:${view ?? 'live'}:${teams.at}:${exercise.started_at}`, () => {
    const standings = boards.standingsAt(board, view);
    const ranking = rank(standings, teams.rows);
    const byId = new Map(teams.rows.map((t) => [t.id, t]));
    const top = ranking.slice(0, seriesTeams).map((r) => r.teamId);
    const valueOf = (objectiveKey: string) => standings.value(objectiveKey);
    const start = exercise.started_at ? [{ at: exercise.started_at, score: 0 }] : [];
    return {
      ranking: ranking.map((s) => ({ rank: s.rank, teamId: s.teamId, teamName: s.name, countries: byId.get(s.teamId)?.countries ?? [], score: s.score, solvedCount: s.solvedCount, lastScoreAt: s.lastScoreAt })),
      firstSolves: standings.firstSolves().flatMap((f) => (byId.has(f.teamId) ? [{ ...f, teamName: byId.get(f.teamId)!.name }] : [])),
      series: top.map((teamId) => ({ teamId, points: downsample([...start, ...teamSeries(board.byTeam.get(teamId) ?? [], valueOf, view)], seriesPoints) })),
    };
  }, boards.lastWrite(exerciseId, actor.userId));
  let firstSolves = shared.firstSolves;
  if (!staff) {
    // Participants hear only of objectives their own team has been given.
    const mine = await db.selectFrom('team_releases').select('item_key').where('team_id', '=', role.teamId).where('kind', '=', 'objective').execute();
    const released = new Set(mine.map((r) => r.item_key));
    firstSolves = firstSolves.filter((f) => released.has(f.objectiveKey));
  }
  return {
    ...empty,
    hidden: false,
    frozen,
    frozenAt: frozen ? cutoff : null,
    // A frozen board does not change; its version would tell of activity behind it.
    version: frozen ? 0 : version,
    ranking: shared.ranking,
    firstSolves,
    series: shared.series,
  };
}
