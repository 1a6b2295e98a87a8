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

/**
 * Standings kept up to date one item at a time. When a solve changes a decaying
 * objective's value, only the teams holding credit on that objective are
 * recomputed. Items may arrive in any order (events from other processes); the
 * result depends only on the set of items applied.
 */
export class Standings {
  private readonly points: ReadonlyMap<string, number>;
  private readonly rule: ScoringRule;
  private readonly teams = new Map<string, TeamStanding>();
  /** objective → team → best credit (‰) */
  private readonly credit = new Map<string, Map<string, number>>();
  /** objective → team → time of the full solve */
  private readonly solved = new Map<string, Map<string, string>>();
  /** `${objective}\u0000${team}` → points earned there */
  private readonly earnedBy = new Map<string, number>();

  constructor(definition: Pick<ScenarioDefinition, 'objectives' | 'scoring'>) {
    this.points = new Map(definition.objectives.map((o) => [o.id, o.points]));
    this.rule = definition.scoring;
  }

  private team(teamId: string): TeamStanding {
    let t = this.teams.get(teamId);
    if (!t) {
      t = { teamId, score: 0, solvedCount: 0, lastScoreAt: null };
      this.teams.set(teamId, t);
    }
    return t;
  }

  /** Applies one item; returns the teams whose score or solved count changed. */
  apply(item: ScoreItem): string[] {
    const team = this.team(item.teamId);
    if (item.kind === 'hint') {
      team.score -= item.cost;
      team.lastScoreAt = later(team.lastScoreAt, item.at);
      return [item.teamId];
    }
    if (item.kind === 'adjustment') {
      team.score += item.points;
      team.lastScoreAt = later(team.lastScoreAt, item.at);
      return [item.teamId];
    }
    const points = this.points.get(item.objectiveKey);
    if (points === undefined) return [];
    const holders = this.credit.get(item.objectiveKey) ?? new Map<string, number>();
    this.credit.set(item.objectiveKey, holders);
    const solvers = this.solved.get(item.objectiveKey) ?? new Map<string, string>();
    this.solved.set(item.objectiveKey, solvers);
    const before = holders.get(item.teamId) ?? 0;
    const changed = new Set<string>();
    if (item.permille > before) {
      holders.set(item.teamId, item.permille);
      team.lastScoreAt = later(team.lastScoreAt, item.at);
      changed.add(item.teamId);
    }
    if (item.permille >= fullCredit) {
      const at = solvers.get(item.teamId);
      if (at === undefined) {
        solvers.set(item.teamId, item.at);
        team.solvedCount += 1;
        changed.add(item.teamId);
      } else if (item.at < at) {
        solvers.set(item.teamId, item.at);
      }
    }
    if (changed.size === 0) return [];
    // The value may have changed for everyone holding credit on this objective.
    const value = objectiveValue(points, this.rule, solvers.size);
    for (const [teamId, permille] of holders) {
      const key = `${item.objectiveKey}\u0000${teamId}`;
      const now = earned(value, permille);
      const was = this.earnedBy.get(key) ?? 0;
      if (now !== was) {
        this.earnedBy.set(key, now);
        this.team(teamId).score += now - was;
        changed.add(teamId);
      }
    }
    return [...changed];
  }

  standing(teamId: string): TeamStanding {
    return { ...(this.teams.get(teamId) ?? { teamId, score: 0, solvedCount: 0, lastScoreAt: null }) };
  }

  /** Teams with at least one item. */
  all(): TeamStanding[] {
    return [...this.teams.values()].map((t) => ({ ...t }));
  }

  solves(objectiveKey: string): number {
    return this.solved.get(objectiveKey)?.size ?? 0;
  }

  value(objectiveKey: string): number {
    return objectiveValue(this.points.get(objectiveKey) ?? 0, this.rule, Math.max(1, this.solves(objectiveKey)));
  }

  creditOf(teamId: string, objectiveKey: string): number {
    return this.credit.get(objectiveKey)?.get(teamId) ?? 0;
  }

  /** The first team to solve each objective (earliest time; same instant: smaller team id). */
  firstSolves(): FirstSolve[] {
    const out: FirstSolve[] = [];
    for (const [objectiveKey, solvers] of this.solved) {
      let first: FirstSolve | null = null;
      for (const [teamId, solvedAt] of solvers) {
        if (!first || solvedAt < first.solvedAt || (solvedAt === first.solvedAt && teamId < first.teamId)) first = { objectiveKey, teamId, solvedAt };
      }
      if (first) out.push(first);
    }
    return out.sort((a, b) => (a.solvedAt < b.solvedAt ? -1 : a.solvedAt > b.solvedAt ? 1 : a.objectiveKey.localeCompare(b.objectiveKey)));
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

const byTime = (a: ScoreItem, b: ScoreItem) => (a.at < b.at ? -1 : a.at > b.at ? 1 : itemKey(a) < itemKey(b) ? -1 : 1);

/**
 * Replays items in time order (those before `cutoff` only, when given): the
 * standings at that moment and each team's score after every change, for the
 * score-over-time chart and for the frozen scoreboard.
 */
export function replay(definition: Pick<ScenarioDefinition, 'objectives' | 'scoring'>, items: readonly ScoreItem[], cutoff: string | null = null) {
  const standings = new Standings(definition);
  const series = new Map<string, SeriesPoint[]>();
  for (const item of [...items].sort(byTime)) {
    if (cutoff !== null && item.at >= cutoff) break;
    for (const teamId of standings.apply(item)) {
      const points = series.get(teamId) ?? [];
      const score = standings.standing(teamId).score;
      const last = points.at(-1);
      if (last && last.at === item.at) last.score = score;
      else if (!last || last.score !== score) points.push({ at: item.at, score });
      series.set(teamId, points);
    }
  }
  return { standings, series };
}
