import { z } from 'zod';
import { pageQuery, paged } from '../shared-schemas.ts';
import { isMemberCountry, regions } from '../reference/countries.ts';
import { partnerSectors } from '../organisations/schemas.ts';

// The four kinds of partnership (information sharing under a data-sharing
// agreement, secondment of experts, analysis tools and data, training support).
export const partnershipKinds = ['data_sharing', 'expert_secondment', 'analysis_tools_and_data', 'training_support'] as const;
export type PartnershipKind = (typeof partnershipKinds)[number];

export const applicationStatuses = ['received', 'in_review', 'negotiating', 'accepted', 'declined'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];
/** The pipeline: each status and where it may go next. Accepted and declined are final. */
export const applicationTransitions: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  received: ['in_review', 'declined'],
  in_review: ['negotiating', 'declined'],
  negotiating: ['accepted', 'declined'],
  accepted: [],
  declined: [],
};

export const agreementStatuses = ['draft', 'active', 'suspended', 'expired'] as const;
export type AgreementStatus = (typeof agreementStatuses)[number];
/** Crime types a data-sharing agreement may cover (the sharing step reuses them for reports). */
export const dataCategories = ['ransomware', 'bec', 'phishing', 'cryptojacking', 'romance_scam', 'other'] as const;
/** TLP 2.0 levels, from the loosest to the strictest. */
export const tlpLevels = ['clear', 'green', 'amber', 'amber_strict', 'red'] as const;
export type Tlp = (typeof tlpLevels)[number];

const countryCode = z
  .string()
  .trim()
  .length(2)
  .transform((c) => c.toUpperCase())
  .refine(isMemberCountry, 'not an INTERPOL member country code');
const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const line = (min: number, max: number) => z.string().trim().min(min).max(max).refine((s) => noControl(s) && !/[\r\n]/.test(s), 'must be one line of text');

// ---- Public application form ----

export const formToken = z.object({
  token: z.string(),
  /** The form may not be sent before this many seconds have passed. */
  minSeconds: z.number().int(),
  expiresAt: z.string(),
});

export const applicationSubmit = z.strictObject({
  formToken: z.string().min(10).max(200),
  /** Honeypot: hidden from people, filled by bots. Must stay empty. */
  website: z.string().max(500).optional(),
  organisationName: line(2, 160),
  sector: z.enum(partnerSectors),
  countryCode,
  contactName: line(2, 160),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{6,30}$/, 'digits, spaces and + ( ) . - only, 6 to 30 characters')
    .nullable()
    .optional(),
  kinds: z
    .array(z.enum(partnershipKinds))
    .min(1, 'choose at least one kind of partnership')
    .max(partnershipKinds.length)
    .refine((k) => new Set(k).size === k.length, 'each kind once'),
  message: z.string().trim().min(1).max(5000).refine(noControl, 'control characters are not allowed'),
});
export type ApplicationSubmit = z.infer<typeof applicationSubmit>;

export const applicationReceived = z.object({ received: z.literal(true) });

// ---- Pipeline (administrators) ----

export const applicationQuery = pageQuery.extend({
  status: z.enum(applicationStatuses).optional(),
  kind: z.enum(partnershipKinds).optional(),
  sector: z.enum(partnerSectors).optional(),
  countryCode: z.string().trim().length(2).toUpperCase().optional(),
  search: z.string().trim().max(160).optional().describe('Part of the organisation name, contact name or e-mail'),
  sort: z.enum(['receivedAt', '-receivedAt']).default('-receivedAt'),
});
export type ApplicationQuery = z.infer<typeof applicationQuery>;

export const applicationEvent = z.object({
  id: z.string(),
  kind: z.enum(['received', 'status', 'note']),
  fromStatus: z.enum(applicationStatuses).nullable(),
  toStatus: z.enum(applicationStatuses).nullable(),
  note: z.string().nullable(),
  authorUserId: z.string().nullable(),
  authorEmail: z.string().nullable(),
  occurredAt: z.string(),
});

export const applicationSummary = z.object({
  id: z.string(),
  organisationName: z.string(),
  sector: z.enum(partnerSectors),
  countryCode: z.string(),
  region: z.string().nullable(),
  contactName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  kinds: z.array(z.enum(partnershipKinds)),
  status: z.enum(applicationStatuses),
  organisationId: z.string().nullable(),
  receivedAt: z.string(),
  updatedAt: z.string(),
});
export const application = applicationSummary.extend({
  message: z.string(),
  nextStatuses: z.array(z.enum(applicationStatuses)),
  history: z.array(applicationEvent),
});
export type Application = z.infer<typeof application>;
export const applicationPage = paged(applicationSummary);

export const applicationTransition = z.strictObject({
  to: z.enum(applicationStatuses),
  note: z.string().trim().min(1).max(5000).optional(),
  /** On acceptance: link this existing partner organisation instead of creating one from the application. */
  organisationId: z.uuid().optional(),
});
export type ApplicationTransition = z.infer<typeof applicationTransition>;

export const applicationNote = z.strictObject({ note: z.string().trim().min(1).max(5000) });

// ---- Agreements ----

const date = z.iso.date();
const agreementFields = {
  kind: z.enum(partnershipKinds),
  title: line(2, 200),
  reference: line(1, 80),
  startsOn: date,
  endsOn: date.nullable(),
  dataCategories: z
    .array(z.enum(dataCategories))
    .max(dataCategories.length)
    .refine((k) => new Set(k).size === k.length, 'each category once'),
  maxTlp: z.enum(tlpLevels).nullable(),
  scopeOrganisationIds: z.array(z.uuid()).max(500).refine((k) => new Set(k).size === k.length, 'each organisation once'),
  scopeRegions: z.array(z.enum(regions)).max(regions.length).refine((k) => new Set(k).size === k.length, 'each region once'),
};

export const agreementCreate = z.strictObject({
  organisationId: z.uuid(),
  kind: agreementFields.kind,
  title: agreementFields.title,
  reference: agreementFields.reference,
  startsOn: agreementFields.startsOn,
  endsOn: agreementFields.endsOn.default(null),
  dataCategories: agreementFields.dataCategories.default([]),
  maxTlp: agreementFields.maxTlp.default(null),
  scopeOrganisationIds: agreementFields.scopeOrganisationIds.default([]),
  scopeRegions: agreementFields.scopeRegions.default([]),
});
export type AgreementCreate = z.infer<typeof agreementCreate>;

export const agreementUpdate = z
  .strictObject({
    title: agreementFields.title.optional(),
    reference: agreementFields.reference.optional(),
    startsOn: agreementFields.startsOn.optional(),
    endsOn: agreementFields.endsOn.optional(),
    dataCategories: agreementFields.dataCategories.optional(),
    maxTlp: agreementFields.maxTlp.optional(),
    scopeOrganisationIds: agreementFields.scopeOrganisationIds.optional(),
    scopeRegions: agreementFields.scopeRegions.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type AgreementUpdate = z.infer<typeof agreementUpdate>;

export const agreementStatusChange = z.strictObject({
  status: z.enum(['active', 'suspended', 'expired']),
  reason: z.string().trim().min(1).max(2000).optional(),
});
export type AgreementStatusChange = z.infer<typeof agreementStatusChange>;

export const agreementQuery = pageQuery.extend({
  organisationId: z.uuid().optional(),
  kind: z.enum(partnershipKinds).optional(),
  status: z.enum(agreementStatuses).optional().describe('The effective status (an agreement past its end date is expired)'),
  sort: z.enum(['startsOn', '-startsOn', 'endsOn', '-endsOn', 'title', '-title']).default('-startsOn'),
});
export type AgreementQuery = z.infer<typeof agreementQuery>;

export const expiringQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

export const agreement = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  kind: z.enum(partnershipKinds),
  title: z.string(),
  reference: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  /** Effective status: a stored active or suspended agreement past its end date reads as expired. */
  status: z.enum(agreementStatuses),
  storedStatus: z.enum(agreementStatuses),
  /** Days left until the end date (inclusive), null when open-ended or expired. */
  daysLeft: z.number().int().nullable(),
  dataCategories: z.array(z.enum(dataCategories)),
  maxTlp: z.enum(tlpLevels).nullable(),
  scopeOrganisationIds: z.array(z.string()),
  scopeRegions: z.array(z.enum(regions)),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Agreement = z.infer<typeof agreement>;
export const agreementPage = paged(agreement);
export const expiringList = z.object({ days: z.number().int(), items: z.array(agreement) });

// ---- Secondments ----

export const secondmentStatuses = ['planned', 'in_progress', 'completed', 'cancelled'] as const;
export type SecondmentStatus = (typeof secondmentStatuses)[number];

export const secondmentCreate = z.strictObject({
  organisationId: z.uuid().describe('The sending partner organisation'),
  agreementId: z.uuid().nullable().default(null).describe('Its expert-secondment agreement, if any'),
  hostOrganisationId: z.uuid().describe('The police unit hosting the expert'),
  expertName: line(2, 160),
  expertEmail: z.string().trim().toLowerCase().max(254).pipe(z.email()).nullable().default(null),
  startsOn: date,
  endsOn: date,
  objectives: z.string().trim().min(1).max(5000).refine(noControl, 'control characters are not allowed'),
});
export type SecondmentCreate = z.infer<typeof secondmentCreate>;

export const secondmentUpdate = z
  .strictObject({
    agreementId: z.uuid().nullable().optional(),
    hostOrganisationId: z.uuid().optional(),
    expertName: line(2, 160).optional(),
    expertEmail: z.string().trim().toLowerCase().max(254).pipe(z.email()).nullable().optional(),
    startsOn: date.optional(),
    endsOn: date.optional(),
    objectives: z.string().trim().min(1).max(5000).refine(noControl, 'control characters are not allowed').optional(),
    cancelled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type SecondmentUpdate = z.infer<typeof secondmentUpdate>;

export const secondmentQuery = pageQuery.extend({
  organisationId: z.uuid().optional(),
  hostOrganisationId: z.uuid().optional(),
  status: z.enum(secondmentStatuses).optional().describe('Derived from the dates unless cancelled'),
});
export type SecondmentQuery = z.infer<typeof secondmentQuery>;

export const secondment = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  agreementId: z.string().nullable(),
  hostOrganisationId: z.string(),
  hostOrganisationName: z.string(),
  expertName: z.string(),
  expertEmail: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  objectives: z.string(),
  status: z.enum(secondmentStatuses),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Secondment = z.infer<typeof secondment>;
export const secondmentPage = paged(secondment);
