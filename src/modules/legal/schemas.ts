import { z } from 'zod';
import { pageQuery, paged } from '../shared-schemas.ts';
import { identifierKinds, legalPartyKinds, legalRequestTypes } from '../scenarios/definition.ts';
import { canonicalIp } from './identifiers.ts';

// Legal requests a team addresses to the parties of its scenario, and their
// replies. What a party grants (the request types and identifiers of its
// responses) never appears here.

export { identifierKinds, legalPartyKinds, legalRequestTypes };
export type LegalRequestType = (typeof legalRequestTypes)[number];
export type IdentifierKind = (typeof identifierKinds)[number];

const localized = z.partialRecord(z.enum(['ar', 'en', 'fr', 'es']), z.string());
const key = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'letters, digits, "_" and "-", at most 63 characters');

/** The least a justification must say when a party requires one. */
export const justificationMinLength = 40;
export const justificationMaxLength = 4000;
export const maxIdentifiers = 10;

export const hasJustification = (text: string) => text.trim().length >= justificationMinLength;

export const legalIdentifier = z
  .strictObject({
    kind: z.enum(identifierKinds),
    value: z.string().trim().min(1).max(500),
    /** The date and time of the activity (ISO 8601 with its offset); required for an IP address. */
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((id, ctx) => {
    if (id.kind !== 'ip') return;
    if (canonicalIp(id.value) === null) ctx.addIssue({ code: 'custom', path: ['value'], message: 'not an IP address' });
    if (!id.at) ctx.addIssue({ code: 'custom', path: ['at'], message: 'give the date and time of the activity for an IP address' });
  });
export type LegalIdentifier = z.infer<typeof legalIdentifier>;

export const legalRequestCreate = z.strictObject({
  party: key,
  type: z.enum(legalRequestTypes),
  identifiers: z.array(legalIdentifier).min(1).max(maxIdentifiers),
  /** Why the request is necessary and proportionate; parties refuse a request without one. */
  justification: z.string().max(justificationMaxLength),
});
export type LegalRequestCreate = z.infer<typeof legalRequestCreate>;

export const legalParams = z.strictObject({ id: z.uuid() });
export const legalRequestParams = z.strictObject({ id: z.uuid(), requestId: z.uuid() });

export const legalStatuses = ['pending', 'granted', 'refused', 'already_provided'] as const;
export const legalOutcomes = ['granted', 'refused', 'already_provided'] as const;
export type LegalStatus = (typeof legalStatuses)[number];

export const legalRequestsQuery = pageQuery.extend({
  teamId: z.uuid().optional(),
  party: key.optional(),
  /** Staff: the outcome decided when the request was sent, delivered or not. */
  outcome: z.enum(legalOutcomes).optional(),
  sort: z.enum(['sentAt', '-sentAt', 'teamName', '-teamName', 'party', '-party', 'outcome', '-outcome']).default('-sentAt'),
});
export type LegalRequestsQuery = z.infer<typeof legalRequestsQuery>;

export const legalParty = z.object({
  id: z.string(),
  name: localized,
  kind: z.enum(legalPartyKinds),
  country: z.string().nullable(),
  description: localized.nullable(),
});
export type LegalParty = z.infer<typeof legalParty>;

export const legalRequest = z.object({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  party: z.string(),
  partyName: localized,
  type: z.enum(legalRequestTypes),
  identifiers: z.array(z.object({ kind: z.enum(identifierKinds), value: z.string(), at: z.string().nullable() })),
  justification: z.string(),
  sentBy: z.string(),
  sentByName: z.string(),
  sentAt: z.string(),
  /** pending until the party's reply is delivered; then its outcome. */
  status: z.enum(legalStatuses),
  /**
   * Staff only: game seconds until the reply (null once delivered); the game clock stops while the
   * exercise is paused. Null for a team: a granted request and a refused one may have different
   * delays, so the due time would tell the outcome before the reply.
   */
  replyDueInSeconds: z.number().int().nullable(),
  repliedAt: z.string().nullable(),
  /** The party's reply, rendered for the team, once delivered (null for "already provided": the earlier reply stands). */
  reply: localized.nullable(),
  /** Points the reply earned or cost, once delivered. */
  points: z.number().int().nullable(),
  /** Evidence the reply released to the team, once delivered. */
  evidence: z.array(z.object({ id: z.string(), title: localized })),
  /** Staff only (null for a team): the response the request matched, and the outcome decided when it was sent. */
  responseId: z.string().nullable(),
  outcome: z.enum(legalOutcomes).nullable(),
});
export type LegalRequest = z.infer<typeof legalRequest>;
export const legalRequestPage = paged(legalRequest);

export const legalPartySummary = z.object({
  party: z.string(),
  partyName: localized,
  sent: z.number().int(),
  pending: z.number().int(),
  granted: z.number().int(),
  refused: z.number().int(),
  alreadyProvided: z.number().int(),
  /** Teams with at least one granted request. */
  teamsGranted: z.number().int(),
  points: z.number().int(),
});
export const legalSummary = z.array(legalPartySummary);
export type LegalPartySummary = z.infer<typeof legalPartySummary>;
