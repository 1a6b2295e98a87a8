import { z } from 'zod';
import { pageQuery, paged } from '../shared-schemas.ts';
import { exerciseClock } from '../exercises/schemas.ts';

// Requests and responses of objectives, hints, adjustments, scoreboard, board
// and live events. Answers and expected values never appear in any of them.

const localized = z.partialRecord(z.enum(['ar', 'en', 'fr', 'es']), z.string());
const key = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'letters, digits, "_" and "-", at most 63 characters');

export const objectiveParams = z.strictObject({ id: z.uuid(), objectiveKey: key });
export const hintParams = z.strictObject({ id: z.uuid(), hintKey: key });
export const teamParams = z.strictObject({ id: z.uuid(), teamId: z.uuid() });

export const answerBody = z.strictObject({
  answer: z
    .string()
    .max(5000)
    .refine((s) => s.trim().length > 0, 'must not be empty'),
});

export const outcomes = ['correct', 'partial', 'wrong'] as const;

export const answerResult = z.object({
  objectiveKey: z.string(),
  outcome: z.enum(outcomes),
  /** Share of the objective's value earned by this answer, 0–100. */
  creditPercent: z.number(),
  /** Points the team gained on this objective with this answer. */
  pointsAwarded: z.number().int(),
  /** null: no limit. */
  attemptsLeft: z.number().int().nullable(),
  solved: z.boolean(),
  submittedAt: z.string(),
});
export type AnswerResult = z.infer<typeof answerResult>;

export const hintUnlockResult = z.object({
  hintKey: z.string(),
  objectiveKey: z.string().nullable(),
  cost: z.number().int(),
  text: localized,
  unlockedAt: z.string(),
  /** The team had already unlocked it: nothing was charged again. */
  alreadyUnlocked: z.boolean(),
});

export const listQuery = pageQuery.extend({
  teamId: z.uuid().optional(),
});
export const submissionsQuery = listQuery.extend({
  objectiveKey: key.optional(),
  outcome: z.enum(outcomes).optional(),
});

export const submission = z.object({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  userId: z.string(),
  userDisplayName: z.string(),
  objectiveKey: z.string(),
  submittedAt: z.string(),
  outcome: z.enum(outcomes),
  creditPercent: z.number(),
  /** Staff only: the start of the answer's keyed digest, to spot the same answer given twice (or by two teams). */
  answerFingerprint: z.string().nullable(),
});
export const submissionPage = paged(submission);

export const hintUnlock = z.object({
  teamId: z.string(),
  teamName: z.string(),
  hintKey: z.string(),
  objectiveKey: z.string().nullable(),
  cost: z.number().int(),
  unlockedBy: z.string(),
  unlockedByName: z.string(),
  unlockedAt: z.string(),
});
export const hintUnlockPage = paged(hintUnlock);

// case_file: the points of the final case file's evaluation; legal_procedure: points or penalties of legal requests.
export const adjustmentKinds = ['manual', 'advice_penalty', 'case_file', 'legal_procedure'] as const;
export const adjustmentCreate = z.strictObject({
  points: z
    .number()
    .int()
    .min(-100_000)
    .max(100_000)
    .refine((p) => p !== 0, 'must not be 0'),
  reason: z.string().trim().min(3).max(500),
});
export type AdjustmentCreate = z.infer<typeof adjustmentCreate>;

export const adjustment = z.object({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  points: z.number().int(),
  kind: z.enum(adjustmentKinds),
  reason: z.string(),
  createdBy: z.string(),
  createdByName: z.string(),
  createdAt: z.string(),
});
export type Adjustment = z.infer<typeof adjustment>;
export const adjustmentPage = paged(adjustment);

export const scoreboard = z.object({
  exerciseId: z.string(),
  mode: z.enum(['competition', 'training']),
  /** Training exercises have no scoreboard for participants: lists are empty. */
  hidden: z.boolean(),
  /** These standings are those of the freeze (participants, in the last minutes of a competition). */
  frozen: z.boolean(),
  frozenAt: z.string().nullable(),
  /** Staff: whether participants currently see frozen standings. */
  freezeActive: z.boolean(),
  /** Changes whenever the standings change (in this server process). */
  version: z.number().int(),
  ranking: z.array(
    z.object({
      rank: z.number().int(),
      teamId: z.string(),
      teamName: z.string(),
      countries: z.array(z.string()),
      score: z.number().int(),
      solvedCount: z.number().int(),
      lastScoreAt: z.string().nullable(),
    }),
  ),
  firstSolves: z.array(z.object({ objectiveKey: z.string(), teamId: z.string(), teamName: z.string(), solvedAt: z.string() })),
  /** The score over time of the first 10 teams of the ranking, for a chart: from 0 at the start, a point at each of the team's scoring events, objectives at their value now (as CTFd draws it); at most 200 points a team. */
  series: z.array(z.object({ teamId: z.string(), points: z.array(z.object({ at: z.string(), score: z.number().int() })) })),
});
export type Scoreboard = z.infer<typeof scoreboard>;

export const boardCell = z.object({
  objectiveKey: z.string(),
  released: z.boolean(),
  locked: z.boolean(),
  solved: z.boolean(),
  creditPercent: z.number(),
  points: z.number().int(),
  attempts: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  solvedAt: z.string().nullable(),
  hintsUsed: z.array(z.string()),
});

export const board = z.object({
  exerciseId: z.string(),
  mode: z.enum(['competition', 'training']),
  clock: exerciseClock,
  freezeActive: z.boolean(),
  frozenAt: z.string().nullable(),
  objectives: z.array(
    z.object({
      key: z.string(),
      points: z.number().int(),
      /** Current value (decay: falls with the number of solving teams). */
      value: z.number().int(),
      solves: z.number().int(),
      maxAttempts: z.number().int().nullable(),
      requires: z.array(z.string()),
    }),
  ),
  teams: z.array(
    z.object({
      teamId: z.string(),
      name: z.string(),
      clock: exerciseClock,
      rank: z.number().int(),
      score: z.number().int(),
      solvedCount: z.number().int(),
      hintCost: z.number().int(),
      adjustmentTotal: z.number().int(),
      cells: z.array(boardCell),
      /** Hints not tied to an objective. */
      generalHintsUsed: z.array(z.string()),
    }),
  ),
  adjustments: z.array(adjustment),
});
export type Board = z.infer<typeof board>;
