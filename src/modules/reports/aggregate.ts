import { median } from '../advice/stats.ts';

// The arithmetic of the after-action report, as pure functions: game time at a
// past moment (pauses taken from the exercise's control history), per-objective
// solve rates and medians, the hardest objectives, and a team's skills profile.

export { median };

export type Pause = { from: string; to: string | null };

/**
 * The pauses of an exercise from its control actions in time order (pause,
 * resume; an end while paused closes the pause at the end).
 */
export function pausesOf(controls: ReadonlyArray<{ at: string; action: string }>): Pause[] {
  const pauses: Pause[] = [];
  for (const c of controls) {
    const open = pauses.at(-1);
    if (c.action === 'pause' && (!open || open.to !== null)) pauses.push({ from: c.at, to: null });
    else if ((c.action === 'resume' || c.action === 'end') && open && open.to === null) open.to = c.at;
  }
  return pauses;
}

/** Game seconds at a wall time: from the start, less the pauses before it (never negative). */
export function gameSecondsAt(startedAt: string | null, pauses: readonly Pause[], at: string): number {
  if (!startedAt) return 0;
  const start = Date.parse(startedAt);
  const t = Date.parse(at);
  if (t <= start) return 0;
  let paused = 0;
  for (const p of pauses) {
    const from = Math.max(start, Date.parse(p.from));
    const to = Math.min(t, p.to === null ? t : Date.parse(p.to));
    if (to > from) paused += to - from;
  }
  return Math.max(0, Math.round((t - start - paused) / 1000));
}

export type ObjectiveInput = { key: string; points: number; skills: readonly string[] };
export type Solve = { teamId: string; objectiveKey: string; secondsToSolve: number };

/** Solve rate (over the exercise's teams) and median time to solve of each objective. */
export function objectiveStats(objectives: readonly ObjectiveInput[], teamCount: number, solves: readonly Solve[]) {
  return objectives.map((o) => {
    const mine = solves.filter((s) => s.objectiveKey === o.key);
    return {
      key: o.key,
      solves: mine.length,
      solveRate: teamCount === 0 ? 0 : mine.length / teamCount,
      medianSecondsToSolve: median(mine.map((s) => s.secondsToSolve)),
    };
  });
}

/**
 * Objectives hardest first: lowest solve rate, then longest median time to solve
 * (an objective nobody solved has no median and comes first among its rate), then key.
 */
export function hardestObjectives(stats: ReadonlyArray<{ key: string; solveRate: number; medianSecondsToSolve: number | null }>, limit = 5): string[] {
  const slowness = (m: number | null) => (m === null ? Number.POSITIVE_INFINITY : m);
  return [...stats]
    .sort((a, b) => a.solveRate - b.solveRate || slowness(b.medianSecondsToSolve) - slowness(a.medianSecondsToSolve) || a.key.localeCompare(b.key))
    .slice(0, limit)
    .map((s) => s.key);
}

/**
 * Per skill tagged on the objectives: points earned over points available, and
 * objectives solved over objectives tagged. Skills in first-seen order.
 */
export function skillsProfile(objectives: ReadonlyArray<{ skills: readonly string[]; points: number; pointsEarned: number; solved: boolean }>) {
  const rows = new Map<string, { skill: string; pointsEarned: number; pointsAvailable: number; solved: number; total: number }>();
  for (const o of objectives)
    for (const skill of new Set(o.skills)) {
      const row = rows.get(skill) ?? { skill, pointsEarned: 0, pointsAvailable: 0, solved: 0, total: 0 };
      row.pointsEarned += o.pointsEarned;
      row.pointsAvailable += o.points;
      row.total += 1;
      if (o.solved) row.solved += 1;
      rows.set(skill, row);
    }
  return [...rows.values()];
}
