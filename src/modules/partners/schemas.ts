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

// ---- Files (agreement documents, secondment report attachments) ----

/** What may be uploaded, as recognised from the file's first bytes (the client's type is ignored). */
export const documentMediaTypes = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
] as const;
export type DocumentMediaType = (typeof documentMediaTypes)[number];
/** Largest file accepted: signed agreements and scans, not datasets. */
export const documentMaxBytes = 20_000_000;

export const fileInfo = z.object({ fileName: z.string(), mediaType: z.enum(documentMediaTypes), size: z.number().int(), sha256: z.string() });

export const agreementDocumentParams = z.strictObject({ id: z.uuid(), documentId: z.uuid() });
export const agreementDocument = fileInfo.extend({
  id: z.string(),
  agreementId: z.string(),
  uploadedByName: z.string(),
  uploadedAt: z.string(),
});
export type AgreementDocument = z.infer<typeof agreementDocument>;
export const agreementDocumentList = z.object({ items: z.array(agreementDocument) });

// ---- Secondment reports ----

const text = (max: number) => z.string().trim().min(1).max(max).refine(noControl, 'control characters are not allowed');

export const secondmentReportCreate = z.strictObject({
  periodStart: date,
  periodEnd: date,
  body: text(20000),
});
export type SecondmentReportCreate = z.infer<typeof secondmentReportCreate>;

export const secondmentReportParams = z.strictObject({ id: z.uuid(), reportId: z.uuid() });
export const secondmentReport = z.object({
  id: z.string(),
  secondmentId: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  body: z.string(),
  authorName: z.string(),
  authorOrganisationName: z.string(),
  attachment: fileInfo.nullable(),
  /** Whether the caller may still attach a file (its author or an administrator, while none is attached). */
  canAttach: z.boolean(),
  createdAt: z.string(),
});
export type SecondmentReport = z.infer<typeof secondmentReport>;
export const secondmentReportList = z.object({ items: z.array(secondmentReport), canWrite: z.boolean() });

// ---- Tools and datasets ----

export const offerKinds = ['tool', 'dataset'] as const;
export type OfferKind = (typeof offerKinds)[number];
export const offerStatuses = ['available', 'withdrawn'] as const;
export type OfferStatus = (typeof offerStatuses)[number];

export const offerCreate = z.strictObject({
  agreementId: z.uuid().describe('The active analysis-tools-and-data agreement the offer is made under; the offering partner is its organisation'),
  kind: z.enum(offerKinds),
  name: line(2, 160),
  description: text(5000),
  licenceTerms: text(5000),
});
export type OfferCreate = z.infer<typeof offerCreate>;

export const offerUpdate = z
  .strictObject({
    kind: z.enum(offerKinds).optional(),
    name: line(2, 160).optional(),
    description: text(5000).optional(),
    licenceTerms: text(5000).optional(),
    status: z.enum(offerStatuses).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type OfferUpdate = z.infer<typeof offerUpdate>;

export const offerQuery = pageQuery.extend({
  kind: z.enum(offerKinds).optional(),
  organisationId: z.uuid().optional(),
  status: z.enum(offerStatuses).optional(),
  search: z.string().trim().max(160).optional().describe('Part of the name or description'),
  sort: z.enum(['name', '-name', 'createdAt', '-createdAt']).default('name'),
});
export type OfferQuery = z.infer<typeof offerQuery>;

/** A request as its requester sees it from the catalogue. */
export const accessStates = ['pending', 'active', 'expired', 'lapsed', 'refused', 'revoked'] as const;
export type AccessState = (typeof accessStates)[number];

export const offer = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  kind: z.enum(offerKinds),
  name: z.string(),
  description: z.string(),
  licenceTerms: z.string(),
  status: z.enum(offerStatuses),
  /** Available and its agreement in force: access may be requested and granted. */
  open: z.boolean(),
  /** The agreement it is offered under: administrators and the offering partner only (null for police users). */
  agreement: z.object({ id: z.string(), reference: z.string(), title: z.string(), status: z.enum(agreementStatuses), endsOn: z.string().nullable() }).nullable(),
  /** The caller's latest request for it, if any. */
  myRequest: z.object({ id: z.string(), state: z.enum(accessStates), expiresOn: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Offer = z.infer<typeof offer>;
export const offerPage = paged(offer);

export const accessRequestCreate = z.strictObject({ purpose: text(2000).pipe(z.string().min(10, 'say in a sentence what the access is for')) });
export type AccessRequestCreate = z.infer<typeof accessRequestCreate>;

export const accessDecision = z
  .strictObject({
    decision: z.enum(['approve', 'refuse']),
    /** Last day of access (required to approve). */
    expiresOn: date.optional(),
    note: text(2000).optional(),
  })
  .refine((v) => v.decision === 'refuse' || v.expiresOn !== undefined, { message: 'an approval needs an expiry date', path: ['expiresOn'] })
  .refine((v) => v.decision === 'approve' || v.expiresOn === undefined, { message: 'only an approval has an expiry date', path: ['expiresOn'] });
export type AccessDecision = z.infer<typeof accessDecision>;

export const accessRevoke = z.strictObject({ note: text(2000).optional() });

export const accessRequestQuery = pageQuery.extend({
  offerId: z.uuid().optional(),
  state: z.enum(accessStates).optional(),
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe("Only the caller's own requests"),
  sort: z.enum(['requestedAt', '-requestedAt']).default('-requestedAt'),
});
export type AccessRequestQuery = z.infer<typeof accessRequestQuery>;

export const accessRequest = z.object({
  id: z.string(),
  offerId: z.string(),
  offerName: z.string(),
  offerKind: z.enum(offerKinds),
  organisationId: z.string(),
  organisationName: z.string(),
  userId: z.string(),
  userName: z.string(),
  userEmail: z.string(),
  userOrganisationName: z.string(),
  purpose: z.string(),
  status: z.enum(['pending', 'approved', 'refused', 'revoked']),
  /** Active only while approved, not past its expiry, the offer available and its agreement in force. */
  state: z.enum(accessStates),
  expiresOn: z.string().nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
  requestedAt: z.string(),
  /** Whether the caller may approve, refuse or revoke it (never their own request). */
  canDecide: z.boolean(),
});
export type AccessRequest = z.infer<typeof accessRequest>;
export const accessRequestPage = paged(accessRequest);
