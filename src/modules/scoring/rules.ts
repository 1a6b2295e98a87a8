import type { ScenarioDefinition } from '../scenarios/definition.ts';

// The scoring rule, as pure functions (docs/scoring.md explains it to authors
// and trainers). A team's score is the sum of its objectives' values times its
// credit, minus the hints it unlocked, plus its adjustments (bonuses, advice
// penalties). With decay, an objective's value falls with the number of teams
// that solved it, for every solver alike (retroactively, as in CTFd).

export type ScoringRule = ScenarioDefinition['scoring'];

const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/** The value of an objective worth `points` once `solves` teams have solved it (the first solver gets all). */
export function objectiveValue(points: number, rule: Pick<ScoringRule, 'mode' | 'minimumPercent' | 'solvesToMinimum'>, solves: number): number {
  if (rule.mode !== 'decay' || points === 0) return points;
  const minimum = ceilDiv(points * rule.minimumPercent, 100);
  const n = Math.max(0, solves - 1);
  // points × (1 − n / solvesToMinimum × (1 − minimumPercent / 100)), computed on integers and rounded up.
  const value = ceilDiv(points * 100 * rule.solvesToMinimum - points * (100 - rule.minimumPercent) * n, 100 * rule.solvesToMinimum);
  return Math.max(minimum, value);
}

/** What a team earns on an objective: its value times the team's credit (‰), rounded. */
export const earned = (value: number, permille: number) => Math.round((value * permille) / 1000);

/** Full credit: the objective is solved. */
export const fullCredit = 1000;

/** One fact that counts in a score. Each has a key, so applying it twice changes nothing. */
export type ScoreItem =
  | { kind: 'credit'; teamId: string; objectiveKey: string; permille: number; at: string }
  | { kind: 'hint'; teamId: string; hintKey: string; cost: number; at: string }
  | { kind: 'adjustment'; id: string; teamId: string; points: number; at: string };

export function itemKey(item: ScoreItem): string {
  switch (item.kind) {
    case 'credit':
      return `c\u0000${item.teamId}\u0000${item.objectiveKey}\u0000${item.permille}`;
    case 'hint':
      return `h\u0000${item.teamId}\u0000${item.hintKey}`;
    case 'adjustment':
      return `a\u0000${item.id}`;
  }
}

export type TeamStanding = { teamId: string; score: number; solvedCount: number; lastScoreAt: string | null };
export type FirstSolve = { objectiveKey: string; teamId: string; solvedAt: string };

const later = (a: string | null, b: string) => (a === null || b > a ? b : a);

type TeamState = { base: number; credits: Map<string, number>; solvedCount: number; lastScoreAt: string | null };

/** What an item changed: anything at all, and which objective's value (decay), if any. */
export type Applied = { changed: boolean; revalued: string | null };

/**
 * Standings kept up to date one item at a time, in O(1) per item. A team's
 * score is computed when asked, from its credits and the objectives' current
 * values (O(objectives)), so a solve that lowers a decaying objective's value
 * costs nothing for the teams that solved it earlier. Items may arrive in any
 * order (events from other processes): the result depends only on the set of
 * items applied, given that a team's credit on an objective only grows in time
 * (as stored).
 */
export class Standings {
  private readonly points: ReadonlyMap<string, number>;
  private readonly rule: ScoringRule;
  private readonly teams = new Map<string, TeamState>();
  /** objective → team → time of its full solve */
  private readonly solved = new Map<string, Map<string, string>>();
  /** objective → current value */
  private readonly values = new Map<string, number>();
  private readonly first = new Map<string, FirstSolve>();

  constructor(definition: Pick<ScenarioDefinition, 'objectives' | 'scoring'>) {
    this.points = new Map(definition.objectives.map((o) => [o.id, o.points]));
    this.rule = definition.scoring;
  }

  private team(teamId: string): TeamState {
    let t = this.teams.get(teamId);
    if (!t) {
      t = { base: 0, credits: new Map(), solvedCount: 0, lastScoreAt: null };
      this.teams.set(teamId, t);
    }
    return t;
  }

  apply(item: ScoreItem): Applied {
    const team = this.team(item.teamId);
    if (item.kind !== 'credit') {
      team.base += item.kind === 'hint' ? -item.cost : item.points;
      team.lastScoreAt = later(team.lastScoreAt, item.at);
      return { changed: true, revalued: null };
    }
    if (!this.points.has(item.objectiveKey)) return { changed: false, revalued: null };
    let changed = false;
    let revalued: string | null = null;
    if (item.permille > (team.credits.get(item.objectiveKey) ?? 0)) {
      team.credits.set(item.objectiveKey, item.permille);
      team.lastScoreAt = later(team.lastScoreAt, item.at);
      changed = true;
    }
    if (item.permille >= fullCredit) {
      const solvers = this.solved.get(item.objectiveKey) ?? new Map<string, string>();
      this.solved.set(item.objectiveKey, solvers);
      const at = solvers.get(item.teamId);
      if (at === undefined || item.at < at) {
        if (at === undefined) {
          team.solvedCount += 1;
          const value = objectiveValue(this.points.get(item.objectiveKey)!, this.rule, solvers.size + 1);
          if (value !== this.value(item.objectiveKey)) revalued = item.objectiveKey;
          this.values.set(item.objectiveKey, value);
          changed = true;
        }
        solvers.set(item.teamId, item.at);
        const first = this.first.get(item.objectiveKey);
        if (!first || item.at < first.solvedAt || (item.at === first.solvedAt && item.teamId < first.teamId)) {
          this.first.set(item.objectiveKey, { objectiveKey: item.objectiveKey, teamId: item.teamId, solvedAt: item.at });
        }
      }
    }
    return { changed, revalued };
  }

  score(teamId: string): number {
    const t = this.teams.get(teamId);
    if (!t) return 0;
    let score = t.base;
    for (const [objectiveKey, permille] of t.credits) score += earned(this.value(objectiveKey), permille);
    return score;
  }

  standing(teamId: string): TeamStanding {
    const t = this.teams.get(teamId);
    return { teamId, score: this.score(teamId), solvedCount: t?.solvedCount ?? 0, lastScoreAt: t?.lastScoreAt ?? null };
  }

  /** Teams with at least one item. */
  all(): TeamStanding[] {
    return [...this.teams.keys()].map((teamId) => this.standing(teamId));
  }

  teamIds(): string[] {
    return [...this.teams.keys()];
  }

  solves(objectiveKey: string): number {
    return this.solved.get(objectiveKey)?.size ?? 0;
  }

  /** The objective's current value (its full points until someone solves it). */
  value(objectiveKey: string): number {
    return this.values.get(objectiveKey) ?? this.points.get(objectiveKey) ?? 0;
  }

  creditOf(teamId: string, objectiveKey: string): number {
    return this.teams.get(teamId)?.credits.get(objectiveKey) ?? 0;
  }

  /** The first team to solve each objective (earliest time; same instant: smaller team id), in time order. */
  firstSolves(): FirstSolve[] {
    return [...this.first.values()].sort((a, b) => (a.solvedAt < b.solvedAt ? -1 : a.solvedAt > b.solvedAt ? 1 : a.objectiveKey.localeCompare(b.objectiveKey)));
  }
}

/**
 * Ranking order: higher score first; equal scores go to the team that reached
 * its score earlier (its last scoring event; a team without any counts as
 * having had it from the start); then by name, so that the order is stable.
 */
export function compareStandings(a: TeamStanding & { name: string }, b: TeamStanding & { name: string }): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.lastScoreAt !== b.lastScoreAt) {
    if (a.lastScoreAt === null) return -1;
    if (b.lastScoreAt === null) return 1;
    return a.lastScoreAt < b.lastScoreAt ? -1 : 1;
  }
  return a.name.localeCompare(b.name) || a.teamId.localeCompare(b.teamId);
}

export type SeriesPoint = { at: string; score: number };

/** Items in the order they happened (ties: by key, so that every process replays alike). */
export const byTime = (a: ScoreItem, b: ScoreItem) => (a.at < b.at ? -1 : a.at > b.at ? 1 : itemKey(a) < itemKey(b) ? -1 : itemKey(a) > itemKey(b) ? 1 : 0);

/** At most `max` points: the last point of each of `max` equal spans of time (and the first point). */
export function downsample(points: SeriesPoint[], max: number): SeriesPoint[] {
  if (points.length <= max) return points;
  const from = new Date(points[0]!.at).getTime();
  const span = Math.max(1, new Date(points.at(-1)!.at).getTime() - from);
  const out: SeriesPoint[] = [points[0]!];
  let bucket = 0;
  for (const p of points.slice(1)) {
    const b = Math.min(max - 1, Math.floor(((new Date(p.at).getTime() - from) / span) * (max - 1)));
    if (b === bucket && out.length > 1) out[out.length - 1] = p;
    else out.push(p);
    bucket = b;
  }
  return out;
}

/**
 * One team's score over time, as CTFd draws it: a point at each of the team's
 * own scoring items (before `cutoff`), its objectives counted at their value
 * now (with decay, earlier points are drawn with today's values, so that the
 * line ends at the current score). `items` are the team's, in time order.
 */
export function teamSeries(items: readonly ScoreItem[], valueOf: (objectiveKey: string) => number, cutoff: string | null = null): SeriesPoint[] {
  const credits = new Map<string, number>();
  let base = 0;
  const points: SeriesPoint[] = [];
  for (const item of items) {
    if (cutoff !== null && item.at >= cutoff) break;
    if (item.kind === 'credit') {
      if (item.permille <= (credits.get(item.objectiveKey) ?? 0)) continue;
      credits.set(item.objectiveKey, item.permille);
    } else base += item.kind === 'hint' ? -item.cost : item.points;
    let score = base;
    for (const [objectiveKey, permille] of credits) score += earned(valueOf(objectiveKey), permille);
    const last = points.at(-1);
    if (last && last.at === item.at) last.score = score;
    else points.push({ at: item.at, score });
  }
  return points;
}

export type ReplayOptions = {
  /** Teams whose score over time is wanted (null: every team). */
  seriesFor?: ReadonlySet<string> | null;
  /** The items are already in time order. */
  sorted?: boolean;
};

/**
 * Replays items in time order (those before `cutoff` only, when given): the
 * standings at that moment and the score of the chosen teams after every
 * change, for the score-over-time chart and for the frozen scoreboard.
 */
export function replay(definition: Pick<ScenarioDefinition, 'objectives' | 'scoring'>, items: readonly ScoreItem[], cutoff: string | null = null, options: ReplayOptions = {}) {
  const standings = new Standings(definition);
  const wanted = options.seriesFor ?? null;
  const series = new Map<string, SeriesPoint[]>();
  const record = (teamId: string, at: string) => {
    const points = series.get(teamId) ?? [];
    const score = standings.score(teamId);
    const last = points.at(-1);
    if (last && last.at === at) last.score = score;
    else if (!last || last.score !== score) points.push({ at, score });
    series.set(teamId, points);
  };
  for (const item of options.sorted ? items : [...items].sort(byTime)) {
    if (cutoff !== null && item.at >= cutoff) break;
    const { changed, revalued } = standings.apply(item);
    if (!changed) continue;
    if (!wanted || wanted.has(item.teamId)) record(item.teamId, item.at);
    if (revalued) {
      // The objective's value changed for every team holding credit on it.
      for (const teamId of wanted ?? standings.teamIds()) if (teamId !== item.teamId && standings.creditOf(teamId, revalued) > 0) record(teamId, item.at);
    }
  }
  return { standings, series };
}
