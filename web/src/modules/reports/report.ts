import type { ActivityKind, ExerciseReport, TimelineItem } from './api.ts';

// Pure helpers of the report panels: durations, timeline groups and chart rows.

/** h:mm:ss of game time (the same in every language, like a stopwatch). */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The timeline filter's groups: what a trainer looks for when replaying. */
export const kindGroups = {
  evidence: ['evidence_released', 'evidence_acquired'],
  answers: ['answer', 'objective_solved'],
  hints: ['hint_unlocked'],
  briefings: ['inject_received', 'announcement'],
  score: ['score_adjusted'],
  caseFile: ['case_file_saved', 'case_file_submitted', 'case_file_evaluated'],
  legal: ['legal_request_sent', 'legal_request_replied'],
  advice: ['advice_requested', 'advice_replied'],
} as const satisfies Record<string, readonly ActivityKind[]>;
export type KindGroup = keyof typeof kindGroups;
export const kindGroupIds = Object.keys(kindGroups) as KindGroup[];

export const groupOf = (kind: ActivityKind): KindGroup => kindGroupIds.find((g) => (kindGroups[g] as readonly string[]).includes(kind)) ?? 'score';

/** Items of the chosen groups (all when none is chosen). */
export function filterTimeline(items: readonly TimelineItem[], groups: readonly KindGroup[]): TimelineItem[] {
  if (groups.length === 0) return [...items];
  const wanted = new Set<string>(groups.flatMap((g) => kindGroups[g]));
  return items.filter((i) => wanted.has(i.kind));
}

/** What an item concerns: an objective, an exhibit, a hint, an inject, a party, a version. */
export function subjectOf(item: TimelineItem): string | null {
  const d = item.details;
  const subject = d.objectiveKey ?? d.evidenceKey ?? d.hintKey ?? d.injectKey ?? d.party ?? null;
  if (subject !== null) return String(subject);
  return typeof d.version === 'number' ? `v${d.version}` : null;
}

/** Points an item brought or cost, if any. */
export function pointsOf(item: TimelineItem): number | null {
  const d = item.details;
  // An advice penalty records the points taken away as a positive number.
  if (typeof d.points === 'number' && d.points !== 0) return d.reply === 'penalty' ? -Math.abs(d.points) : d.points;
  if (typeof d.cost === 'number' && d.cost !== 0) return -d.cost;
  return null;
}

/** Solve rate (percent) and median time (minutes) per objective, for the bar charts. */
export function objectiveRows(report: Pick<ExerciseReport, 'objectives'>) {
  return report.objectives.map((o) => ({
    objective: o.key,
    solveRate: Math.round(o.solveRate * 100),
    medianMinutes: o.medianSecondsToSolve === null ? 0 : Math.round((o.medianSecondsToSolve / 60) * 10) / 10,
  }));
}

/** Skills by name (`label`, from the slug) as percentages of the points available, for the radar or bars. */
export function skillRows(skills: ReadonlyArray<{ skill: string; pointsEarned: number; pointsAvailable: number; solved: number; total: number }>, label: (slug: string) => string) {
  return skills.map((s) => ({ skill: s.skill, label: label(s.skill), percent: s.pointsAvailable === 0 ? 0 : Math.round((s.pointsEarned / s.pointsAvailable) * 100), solved: s.solved, total: s.total }));
}

/**
 * The chart of a skills profile: a radar needs three axes, and its labels stay legible up to
 * six around the report's side card; more skills (ten in Cold Ward) are bars, one per line.
 */
export const skillChart = (count: number): 'radar' | 'bars' => (count >= 3 && count <= 6 ? 'radar' : 'bars');

/** Advice reply times in minutes, one bar per request in the order raised. */
export function replyRows(report: Pick<ExerciseReport, 'advice'>, teamName: (teamId: string) => string) {
  return report.advice.replyTimes.map((r, i) => ({ request: `${i + 1}`, team: teamName(r.teamId), minutes: Math.round((r.seconds / 60) * 10) / 10 }));
}
