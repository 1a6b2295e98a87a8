import { z } from 'zod';
import { pageQuery, paged } from '../shared-schemas.ts';

// The evidence locker (each team's released items and its own variants) and
// the chain of custody, as the API shows them. Shared with the web app.

const localized = z.partialRecord(z.enum(['ar', 'en', 'fr', 'es']), z.string());
const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

export const evidenceKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'an evidence key');
export const lockerParams = z.strictObject({ id: z.uuid() });
export const itemParams = z.strictObject({ id: z.uuid(), key: evidenceKey });

export const lockerQuery = z.strictObject({
  /** Staff only: whose locker. Without it, staff see the scenario's items (the originals). */
  teamId: z.uuid().optional(),
});
export const contentQuery = lockerQuery.extend({
  /** For in-browser viewers: text, images and PDF are sent inline; anything else still downloads. */
  inline: flag.default(false),
});

export const evidenceItem = z.object({
  key: z.string(),
  title: localized,
  description: localized.nullable(),
  kind: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  /** Whether ?inline=1 shows it in the browser (text as plain text, images, PDF). */
  inlineViewable: z.boolean(),
  sha256: z.string(),
  size: z.number().int(),
  /** Null for the scenario's items seen by staff without ?teamId=. */
  teamId: z.string().nullable(),
  releasedAt: z.string().nullable(),
});
export type EvidenceItem = z.infer<typeof evidenceItem>;

export const custodyActions = ['released', 'viewed', 'downloaded', 'changed'] as const;

export const custodyQuery = pageQuery.extend({
  teamId: z.uuid().optional(),
  evidenceKey: evidenceKey.optional(),
  action: z.enum(custodyActions).optional(),
  sort: z.enum(['position', '-position']).default('-position'),
});
export type CustodyQuery = z.infer<typeof custodyQuery>;

export const custodyEntry = z.object({
  id: z.string(),
  position: z.number().int(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  evidenceKey: z.string(),
  sha256: z.string(),
  action: z.enum(custodyActions),
  actor: z.object({ userId: z.string(), displayName: z.string() }).nullable(),
  occurredAt: z.string(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type CustodyEntry = z.infer<typeof custodyEntry>;
export const custodyPage = paged(custodyEntry);

const chainProblem = z.object({
  kind: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'position_gap', 'duplicate_position', 'head_mismatch', 'head_missing']),
  position: z.number().int().nullable(),
  entryId: z.string().nullable(),
  message: z.string(),
});
const fileReference = z.union([
  z.object({ kind: z.literal('team_variant'), teamId: z.string(), teamName: z.string(), evidenceKey: z.string() }),
  z.object({ kind: z.literal('scenario_file'), path: z.string() }),
]);
const fileProblem = z.object({
  kind: z.enum(['missing', 'content_mismatch', 'size_mismatch', 'record_mismatch']),
  sha256: z.string(),
  /** What the stored file hashes to now (content_mismatch), or the hash logged at release (record_mismatch). */
  actual: z.string().nullable(),
  message: z.string(),
  references: z.array(fileReference),
});

export const verificationReport = z.object({
  exerciseId: z.string(),
  title: z.string(),
  verifiedAt: z.string(),
  intact: z.boolean(),
  custody: z.object({ entries: z.number().int(), head: z.object({ position: z.number().int(), hash: z.string() }).nullable(), intact: z.boolean(), problems: z.array(chainProblem) }),
  files: z.object({ checked: z.number().int(), intact: z.boolean(), problems: z.array(fileProblem) }),
});
export type VerificationReport = z.infer<typeof verificationReport>;
export type FileProblem = z.infer<typeof fileProblem>;
export type FileReference = z.infer<typeof fileReference>;
