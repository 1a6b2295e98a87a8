import { z } from 'zod';

// The case file of a team (issue: investigation to prosecution). Entities and
// timeline events can be added from anywhere a value is seen (the workbench's
// viewers), each with the exhibit it comes from; the server records the hash
// of the team's copy of that exhibit at the moment it is cited.

export const evidenceRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'an evidence key');

export const entityKinds = ['person', 'organisation', 'account', 'wallet', 'email', 'ip', 'domain', 'url', 'phone', 'iban', 'device', 'file', 'other'] as const;
export type EntityKind = (typeof entityKinds)[number];

export const entityCreate = z.strictObject({
  kind: z.enum(entityKinds),
  value: z.string().trim().min(1).max(500),
  label: z.string().trim().max(200).optional(),
  note: z.string().trim().max(2000).optional(),
  /** The exhibit the value was found in. */
  exhibit: evidenceRef.optional(),
});
export type EntityCreate = z.infer<typeof entityCreate>;

export const timelineEventCreate = z.strictObject({
  /** ISO-8601 with a time zone (UTC preferred). */
  at: z.iso.datetime({ offset: true }),
  description: z.string().trim().min(1).max(2000),
  exhibit: evidenceRef.optional(),
});
export type TimelineEventCreate = z.infer<typeof timelineEventCreate>;
