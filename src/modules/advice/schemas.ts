import { z } from 'zod';
import { pageQuery, paged } from '../shared-schemas.ts';

// Requests and responses of the expert guidance desk: a team's requests for
// advice and their threads, the staff queue, the desk's actions and figures.

const key = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'letters, digits, "_" and "-", at most 63 characters');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const adviceStatuses = ['open', 'claimed', 'answered', 'closed'] as const;
export type AdviceStatus = (typeof adviceStatuses)[number];
export const adviceMessageKinds = ['team', 'staff', 'hint', 'penalty'] as const;

export const adviceParams = z.strictObject({ id: z.uuid(), requestId: z.uuid() });

export const adviceCreate = z.strictObject({
  subject: text(200),
  text: text(5000),
  /** An exhibit of the team's locker to show the expert. */
  evidenceKey: key.nullable().default(null),
});
export type AdviceCreate = z.input<typeof adviceCreate>;

export const adviceMessageCreate = z.strictObject({ text: text(5000) });
export type AdviceMessageCreate = z.input<typeof adviceMessageCreate>;

export const adviceHintGrant = z.strictObject({ hintKey: key });
export const adviceBroadcast = z.strictObject({ message: text(2000) });
export type AdviceBroadcast = z.input<typeof adviceBroadcast>;

export const adviceQueueQuery = pageQuery.extend({
  status: z.enum(adviceStatuses).optional(),
  teamId: z.uuid().optional(),
  /** A column, ascending; "-" in front: descending. */
  sort: z.enum(['raisedAt', '-raisedAt', 'lastTeamMessageAt', '-lastTeamMessageAt', 'status', '-status', 'teamName', '-teamName']).default('raisedAt'),
});
export type AdviceQueueQuery = z.input<typeof adviceQueueQuery>;

export const adviceRequest = z.object({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  subject: z.string(),
  status: z.enum(adviceStatuses),
  raisedBy: z.string(),
  raisedByName: z.string(),
  raisedAt: z.string(),
  /** The exhibit attached, with the hash the team's locker recorded when it was acquired. */
  evidence: z.object({ key: z.string(), sha256: z.string() }).nullable(),
  claimedBy: z.string().nullable(),
  claimedByName: z.string().nullable(),
  claimedAt: z.string().nullable(),
  firstReplyAt: z.string().nullable(),
  /** Seconds from raised to the first staff reply; null until there is one. */
  firstReplySeconds: z.number().int().nullable(),
  lastTeamMessageAt: z.string(),
  lastMessageAt: z.string(),
  /** The team's last word has no staff reply after it (and the request is not closed). */
  awaitingReply: z.boolean(),
  /** Points taken for this request (positive), null when no penalty was applied. */
  penaltyPoints: z.number().int().nullable(),
  closedAt: z.string().nullable(),
  messageCount: z.number().int(),
});
export type AdviceRequest = z.infer<typeof adviceRequest>;

export const adviceMessage = z.object({
  id: z.string(),
  kind: z.enum(adviceMessageKinds),
  authorId: z.string(),
  authorName: z.string(),
  body: z.string(),
  hintKey: z.string().nullable(),
  points: z.number().int().nullable(),
  createdAt: z.string(),
});
export type AdviceMessage = z.infer<typeof adviceMessage>;

export const adviceThread = z.object({ request: adviceRequest, messages: z.array(adviceMessage) });
export type AdviceThread = z.infer<typeof adviceThread>;

/** A team's desk: its requests and what asking may cost. */
export const adviceDesk = z.object({
  /** Points the team loses for a request if the expert applies the scenario's penalty (0: asking is free). */
  advicePenalty: z.number().int(),
  requests: z.array(adviceRequest),
});
export type AdviceDesk = z.infer<typeof adviceDesk>;

export const adviceQueue = paged(adviceRequest).extend({
  /** The server's time, so that waiting times tick from the same clock. */
  serverTime: z.string(),
  advicePenalty: z.number().int(),
  /** The scenario's hints the desk may grant. */
  hints: z.array(z.object({ key: z.string(), objectiveKey: z.string().nullable(), cost: z.number().int(), text: z.partialRecord(z.enum(['ar', 'en', 'fr', 'es']), z.string()) })),
});
export type AdviceQueue = z.infer<typeof adviceQueue>;

export const adviceStatsResponse = z.object({
  requests: z.number().int(),
  answered: z.number().int(),
  medianFirstReplySeconds: z.number().nullable(),
  p90FirstReplySeconds: z.number().nullable(),
  perTeam: z.array(z.object({ teamId: z.string(), teamName: z.string(), requests: z.number().int(), penalties: z.number().int() })),
  perExpert: z.array(z.object({ userId: z.string(), displayName: z.string(), replies: z.number().int(), medianFirstReplySeconds: z.number().nullable() })),
});
export type AdviceStatsResponse = z.infer<typeof adviceStatsResponse>;

export const adviceBroadcastResult = z.object({ id: z.string(), message: z.string(), createdAt: z.string() });
