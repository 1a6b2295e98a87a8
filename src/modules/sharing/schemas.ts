import { z } from 'zod';
import { pageQuery, paged } from '../shared-schemas.ts';
import { regions } from '../reference/countries.ts';
import { dataCategories, tlpLevels } from '../partners/schemas.ts';

export { tlpLevels, type Tlp } from '../partners/schemas.ts';

// Information sharing: reports and their indicators under TLP 2.0.
export const crimeTypes = dataCategories;
export const indicatorTypes = ['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'bitcoin', 'wallet', 'phone', 'iban'] as const;
export type IndicatorType = (typeof indicatorTypes)[number];
export const sightingKinds = ['seen', 'false_positive'] as const;
export const correlationStates = ['linked', 'excluded', 'too_common'] as const;

const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const line = (min: number, max: number) => z.string().trim().min(min).max(max).refine((s) => noControl(s) && !/[\r\n]/.test(s), 'must be one line of text');
const instant = z.iso.datetime({ offset: true });
const distinct = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((a) => new Set(a as unknown[]).size === a.length, 'each value once');

export const indicatorInput = z.strictObject({
  type: z.enum(indicatorTypes),
  value: z.string().trim().min(1).max(2048),
  firstSeen: instant,
  lastSeen: instant,
  /** Optional marking of its own: as strict as the report's or stricter, never looser. */
  tlp: z.enum(tlpLevels).nullable().optional(),
});
export type IndicatorInput = z.infer<typeof indicatorInput>;

export const maxIndicatorsPerRequest = 2000;

export const reportCreate = z.strictObject({
  title: line(3, 200),
  summary: z.string().trim().min(1).max(20000).refine(noControl, 'control characters are not allowed'),
  crimeType: z.enum(crimeTypes),
  regions: distinct(z.enum(regions), regions.length).default([]),
  confidence: z.number().int().min(0).max(100),
  tlp: z.enum(tlpLevels),
  /** Named recipient organisations: required for RED and AMBER+STRICT, optional for AMBER, refused for CLEAR and GREEN. */
  recipientOrganisationIds: distinct(z.uuid(), 100).default([]),
  indicators: z.array(indicatorInput).max(maxIndicatorsPerRequest).default([]),
});
export type ReportCreate = z.infer<typeof reportCreate>;

export const reportUpdate = z.strictObject({
  title: line(3, 200).optional(),
  summary: z.string().trim().min(1).max(20000).refine(noControl, 'control characters are not allowed').optional(),
  crimeType: z.enum(crimeTypes).optional(),
  regions: distinct(z.enum(regions), regions.length).optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  tlp: z.enum(tlpLevels).optional(),
  recipientOrganisationIds: distinct(z.uuid(), 100).optional(),
  /** Indicators added to the report. */
  addIndicators: z.array(indicatorInput).max(maxIndicatorsPerRequest).optional(),
});
export type ReportUpdate = z.infer<typeof reportUpdate>;

export const reportQuery = pageQuery.extend({
  tlp: z.enum(tlpLevels).optional(),
  crimeType: z.enum(crimeTypes).optional(),
  region: z.enum(regions).optional(),
  reporterOrganisationId: z.uuid().optional(),
});
export type ReportQuery = z.infer<typeof reportQuery>;

export const indicatorSearchQuery = pageQuery.extend({
  value: z.string().trim().min(1).max(2048),
  type: z.enum(indicatorTypes).optional(),
});
export type IndicatorSearchQuery = z.infer<typeof indicatorSearchQuery>;

export const sightingCreate = z.strictObject({
  kind: z.enum(sightingKinds),
  seenAt: instant.optional(),
  note: z.string().trim().max(2000).refine(noControl, 'control characters are not allowed').optional(),
});
export type SightingCreate = z.infer<typeof sightingCreate>;

export const logQuery = pageQuery.extend({ reportId: z.uuid().optional() });
export type LogQuery = z.infer<typeof logQuery>;

const tlp = z.enum(tlpLevels);

export const indicator = z.object({
  id: z.string(),
  reportId: z.string(),
  type: z.enum(indicatorTypes),
  value: z.string(),
  tlp: tlp.nullable(),
  effectiveTlp: tlp,
  firstSeen: z.string(),
  lastSeen: z.string(),
  createdAt: z.string(),
  sightings: z.object({ seen: z.number().int(), falsePositive: z.number().int() }),
});

export const reportSummary = z.object({
  id: z.string(),
  title: z.string(),
  crimeType: z.enum(crimeTypes),
  regions: z.array(z.enum(regions)),
  confidence: z.number().int(),
  tlp,
  reporter: z.object({ organisationId: z.string(), organisationName: z.string(), userId: z.string().nullable() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const report = reportSummary.extend({
  summary: z.string(),
  /** Shown to the reporting organisation and administrators only (co-recipients are not told of each other). */
  recipients: z.array(z.object({ organisationId: z.string(), name: z.string() })).nullable(),
  /** Only the indicators the reader may see under their own (effective) TLP. */
  indicators: z.array(indicator),
});

export const reportPage = paged(reportSummary);

export const indicatorHit = indicator.extend({
  report: z.object({ id: z.string(), title: z.string(), tlp, reporterOrganisationName: z.string() }),
});
export const indicatorPage = paged(indicatorHit);

export const correlations = paged(indicatorHit).extend({
  indicatorId: z.string(),
  value: z.string(),
  state: z.enum(correlationStates),
});

export const sighting = z.object({ id: z.string(), indicatorId: z.string(), kind: z.enum(sightingKinds), seenAt: z.string(), note: z.string().nullable(), createdAt: z.string() });

export const logEntry = z.object({
  id: z.string(),
  position: z.number().int(),
  action: z.string(),
  reportId: z.string().nullable(),
  indicatorId: z.string().nullable(),
  reporterOrganisationId: z.string().nullable(),
  actorUserId: z.string().nullable(),
  actorOrganisationId: z.string().nullable(),
  occurredAt: z.string(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export const logPage = paged(logEntry);

export const chainReport = z.object({
  entries: z.number().int(),
  head: z.object({ position: z.number().int(), hash: z.string() }).nullable(),
  problems: z.array(z.object({ kind: z.string(), position: z.number().int().nullable(), message: z.string() })),
  valid: z.boolean(),
});

export const notificationQuery = pageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export type NotificationQuery = z.infer<typeof notificationQuery>;

export const notificationsRead = z.strictObject({
  /** The notifications to mark read; without it, all of the reader's. */
  ids: z.array(z.uuid()).max(500).optional(),
});
export type NotificationsRead = z.infer<typeof notificationsRead>;

const reportRef = z.object({ id: z.string(), title: z.string(), tlp, reporterOrganisationName: z.string() });
export const notification = z.object({
  id: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  /** The report that brought the value… */
  report: reportRef,
  /** …which this report already had. */
  relatedReport: reportRef,
});
export const notificationPage = paged(notification).extend({ unread: z.number().int() });
export const unreadCount = z.object({ unread: z.number().int() });
export const markedRead = z.object({ updated: z.number().int() });
