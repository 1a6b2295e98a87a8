import { z } from 'zod';

const localized = z.partialRecord(z.enum(['ar', 'en', 'fr', 'es']), z.string());
export const exerciseModes = ['competition', 'training'] as const;
export const exerciseStatuses = ['draft', 'running', 'paused', 'ended'] as const;

export const exerciseCreate = z.strictObject({
  scenarioId: z.uuid(),
  title: z.string().trim().min(2).max(200),
  mode: z.enum(exerciseModes).default('competition'),
  scheduledStart: z.iso.datetime().nullable().default(null),
  /** Defaults to the scenario's expected duration. */
  durationMinutes: z.number().int().min(10).max(60 * 24 * 14).optional(),
  /** Competition only: the last minutes during which participants see a frozen scoreboard. */
  freezeMinutes: z.number().int().min(1).max(60 * 24).nullable().default(null),
  teamSizeLimit: z.number().int().min(1).max(50).default(8),
});
export type ExerciseCreate = z.infer<typeof exerciseCreate>;

export const exerciseControl = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('start') }),
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('resume') }),
  z.strictObject({ action: z.literal('extend'), minutes: z.number().int().min(1).max(60 * 24) }),
  z.strictObject({ action: z.literal('end') }),
]);
export type ExerciseControl = z.infer<typeof exerciseControl>;

export const exerciseClock = z.object({
  phase: z.enum(['not_started', 'running', 'paused', 'ended']),
  startedAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  remainingSeconds: z.number(),
  elapsedSeconds: z.number(),
});

export const exerciseSummary = z.object({
  id: z.string(),
  title: z.string(),
  mode: z.enum(exerciseModes),
  status: z.enum(exerciseStatuses),
  scenario: z.object({ id: z.string(), slug: z.string(), version: z.string(), title: localized }),
  scheduledStart: z.string().nullable(),
  durationMinutes: z.number().int(),
  extendedMinutes: z.number(),
  freezeMinutes: z.number().int().nullable(),
  teamSizeLimit: z.number().int(),
  teamCount: z.number().int(),
  clock: exerciseClock,
  /** How the caller takes part: organiser, adviser, or a team member. */
  myRole: z.enum(['administrator', 'trainer', 'expert', 'participant']),
  myTeamId: z.string().nullable(),
  createdAt: z.string(),
});
export type ExerciseSummary = z.infer<typeof exerciseSummary>;

export const staffAdd = z.strictObject({ userId: z.uuid(), role: z.enum(['trainer', 'expert']) });
export const staffMember = z.object({ userId: z.string(), displayName: z.string(), email: z.string(), role: z.enum(['trainer', 'expert']) });

export const teamCreate = z.strictObject({ name: z.string().trim().min(2).max(80) });

/** A trainer's announcement to every team (the web composer checks it with the same schema). */
export const announcementCreate = z.strictObject({ message: z.string().trim().min(1).max(2000) });
export const announcement = z.object({ id: z.string(), message: z.string(), createdAt: z.string() });
export type Announcement = z.infer<typeof announcement>;
export const teamUpdate = z
  .strictObject({ name: z.string().trim().min(2).max(80).optional(), captainUserId: z.uuid().nullable().optional(), extraMinutes: z.number().int().min(0).max(60 * 24).optional() })
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export const memberAdd = z.strictObject({ userId: z.uuid() });
export const joinBody = z.strictObject({ code: z.string().trim().toUpperCase().regex(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/, 'a code like ABCD-EFGH') });

export const teamMember = z.object({ userId: z.string(), displayName: z.string(), organisation: z.string(), countryCode: z.string(), captain: z.boolean() });
export const team = z.object({
  id: z.string(),
  name: z.string(),
  members: z.array(teamMember),
  extraMinutes: z.number(),
  /** Only trainers and the team's own members see the code. */
  inviteCode: z.string().nullable(),
  countries: z.array(z.string()),
});
export type Team = z.infer<typeof team>;

export const exerciseParams = z.strictObject({ id: z.uuid() });
export const teamParams = z.strictObject({ id: z.uuid(), teamId: z.uuid() });
export const memberParams = z.strictObject({ id: z.uuid(), teamId: z.uuid(), userId: z.uuid() });
