import { z } from 'zod';

// The after-action report of a team and of an exercise, as the API sends them
// (JSON export too) and the web app draws them. Submitted answers never appear.

export const activityKinds = [
  'evidence_released',
  'evidence_acquired',
  'answer',
  'objective_solved',
  'hint_unlocked',
  'inject_received',
  'announcement',
  'score_adjusted',
  'case_file_saved',
  'case_file_submitted',
  'case_file_evaluated',
  'legal_request_sent',
  'legal_request_replied',
  'advice_requested',
  'advice_replied',
] as const;

const localized = z.partialRecord(z.enum(['ar', 'en', 'fr', 'es']), z.string());
const person = z.object({ userId: z.string(), displayName: z.string() });

export const timelineItem = z.object({
  at: z.string(),
  /** Game time from the start (pauses excluded), in seconds. */
  gameSeconds: z.number().int(),
  kind: z.enum(activityKinds),
  actor: person.nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type TimelineItem = z.infer<typeof timelineItem>;

export const seriesPoint = z.object({ at: z.string(), score: z.number() });

export const teamObjective = z.object({
  key: z.string(),
  prompt: localized,
  /** What solving it is worth now (its value, after decay). */
  points: z.number().int(),
  skills: z.array(z.string()),
  released: z.boolean(),
  solved: z.boolean(),
  solvedAt: z.string().nullable(),
  /** Game time of the solve from the start of the exercise. */
  solvedGameSeconds: z.number().int().nullable(),
  /** Game time from the objective's release to the team to its solve. */
  secondsToSolve: z.number().int().nullable(),
  attempts: z.number().int(),
  creditPercent: z.number(),
  pointsEarned: z.number().int(),
});
export type TeamObjective = z.infer<typeof teamObjective>;

export const skillRow = z.object({
  skill: z.string(),
  pointsEarned: z.number().int(),
  pointsAvailable: z.number().int(),
  solved: z.number().int(),
  total: z.number().int(),
});
export type SkillRow = z.infer<typeof skillRow>;

export const caseFileEvaluation = z.object({
  status: z.enum(['draft', 'submitted']),
  submittedAt: z.string().nullable(),
  /** The experts' final readiness (0–1), null until final. */
  readiness: z.number().nullable(),
  /** From the automatic check alone (0–1); null for a team until the exercise has ended, as on its case file. */
  provisionalReadiness: z.number().nullable(),
  /** A team sees a charge ready before the experts' result only once the exercise has ended. */
  charges: z.array(z.object({ chargeId: z.string(), title: localized, ready: z.boolean() })),
});
export type CaseFileEvaluation = z.infer<typeof caseFileEvaluation>;

const exerciseHead = {
  exerciseId: z.string(),
  exerciseTitle: z.string(),
  scenarioTitle: localized,
  status: z.enum(['draft', 'running', 'paused', 'ended']),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  generatedAt: z.string(),
};

export const teamReport = z.object({
  ...exerciseHead,
  teamId: z.string(),
  teamName: z.string(),
  summary: z.object({
    score: z.number().int(),
    solved: z.number().int(),
    objectives: z.number().int(),
    attempts: z.number().int(),
    hints: z.number().int(),
    hintPoints: z.number().int(),
    adviceRequests: z.number().int(),
    legalRequests: z.number().int(),
    legalGranted: z.number().int(),
    legalRefused: z.number().int(),
    adjustmentPoints: z.number().int(),
  }),
  series: z.array(seriesPoint),
  objectives: z.array(teamObjective),
  skills: z.array(skillRow),
  caseFile: caseFileEvaluation.nullable(),
  timeline: z.array(timelineItem),
});
export type TeamReport = z.infer<typeof teamReport>;

export const objectiveStat = z.object({
  key: z.string(),
  prompt: localized,
  points: z.number().int(),
  skills: z.array(z.string()),
  released: z.number().int(),
  solves: z.number().int(),
  /** Solves / teams of the exercise, 0–1. */
  solveRate: z.number(),
  /** Median game time from release to solve, over the teams that solved it. */
  medianSecondsToSolve: z.number().nullable(),
  attempts: z.number().int(),
});
export type ObjectiveStat = z.infer<typeof objectiveStat>;

export const teamComparison = z.object({
  teamId: z.string(),
  teamName: z.string(),
  rank: z.number().int(),
  score: z.number().int(),
  solved: z.number().int(),
  hints: z.number().int(),
  adviceRequests: z.number().int(),
  advicePenalties: z.number().int(),
  legalGranted: z.number().int(),
  legalRefused: z.number().int(),
  /** Final readiness when evaluated, else the provisional one; null without a prosecution model. */
  readiness: z.number().nullable(),
  readinessFinal: z.boolean(),
  chargesReady: z.number().int(),
});

export const teamObjectiveCell = z.object({
  teamId: z.string(),
  objectiveKey: z.string(),
  ...teamObjective.pick({ released: true, solved: true, solvedAt: true, solvedGameSeconds: true, secondsToSolve: true, attempts: true, pointsEarned: true }).shape,
});

export const exerciseReport = z.object({
  ...exerciseHead,
  teamCount: z.number().int(),
  objectives: z.array(objectiveStat),
  /** Objective keys, hardest first: lowest solve rate, then longest median time. */
  hardest: z.array(z.string()),
  advice: z.object({
    requests: z.number().int(),
    answered: z.number().int(),
    medianFirstReplySeconds: z.number().nullable(),
    p90FirstReplySeconds: z.number().nullable(),
    /** Each answered request's time to first reply, in the order raised. */
    replyTimes: z.array(z.object({ teamId: z.string(), raisedAt: z.string(), seconds: z.number().int() })),
    perExpert: z.array(z.object({ userId: z.string(), displayName: z.string(), replies: z.number().int(), medianFirstReplySeconds: z.number().nullable() })),
  }),
  chargeCount: z.number().int(),
  teams: z.array(teamComparison),
  series: z.array(z.object({ teamId: z.string(), points: z.array(seriesPoint) })),
  cells: z.array(teamObjectiveCell),
});
export type ExerciseReport = z.infer<typeof exerciseReport>;
