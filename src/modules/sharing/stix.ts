import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import type { Db, Dialect, Tx } from '../../core/db/index.ts';
import type { Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { conflict, notFound } from '../../core/errors.ts';
import type { Actor } from '../../core/permissions.ts';
import type { SharingIndicatorTable, SharingReportTable } from '../../core/db/schema.ts';
import { regions } from '../reference/countries.ts';
import { InvalidIndicator, normaliseIndicator } from './indicators.ts';
import { appendSharingLog, type SharingLogInput } from './log.ts';
import { crimeTypes, tlpLevels, type IndicatorType, type Tlp } from './schemas.ts';
import { indicatorsVisibleTo, reportsVisibleTo, sharingViewer, type Viewer } from './visibility.ts';

// STIX 2.1: markings, ids, patterns, and the export (docs/sharing.md, "STIX 2.1").
// The import is in stix-import.ts. Export: what the caller may see through the
// central rule, with TLP 2.0 marking definitions, stable ids and fail-closed
// markings; every export is recorded in the sharing log.

type Ctx = { db: Db; dialect: Dialect; clock: Clock };

// ---- Limits ----

export const stixLimits = {
  /** Objects in one bundle, indicators and observables in one bundle, reports in one bundle (their metadata is held in memory). */
  maxObjects: 10_000_000,
  maxIndicators: 5_000_000,
  maxReports: 100_000,
  /** Non-stored objects listed in the answer's `ignored`. */
  maxIgnored: 10_000,
  maxDepth: 16,
  maxValuesPerObject: 2_000_000,
  maxStringLength: 1_000_000,
  maxPatternLength: 4096,
  maxReportsPerExport: 200,
};

// ---- Markings ----

export const tlp2Ids: Record<Tlp, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  amber_strict: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
/** TLP 1.0 (STIX 2.1 built-in) ids, accepted on import: WHITE → CLEAR. */
export const tlp1Ids: Record<string, Tlp> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};
export const tlpById = new Map<string, Tlp>([...Object.entries(tlp1Ids), ...(Object.entries(tlp2Ids) as [Tlp, string][]).map(([t, id]) => [id, t] as [string, Tlp])]);
const tlp2Names: Record<Tlp, string> = { clear: 'clear', green: 'green', amber: 'amber', amber_strict: 'amber+strict', red: 'red' };
export const tlpLabel = (t: Tlp) => `TLP:${tlp2Names[t].toUpperCase()}`;
const tlp2Extension = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The OASIS TLP 2.0 marking-definition object. */
export function tlpMarking(tlp: Tlp) {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: tlp2Ids[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: tlpLabel(tlp),
    extensions: { [tlp2Extension]: { extension_type: 'property-extension', tlp_2_0: tlp2Names[tlp] } },
  };
}

/** Fail closed: an item without a known TLP is never exported. */
function markingFor(tlp: string | null | undefined, what: string): string {
  const id = tlp && (tlpLevels as readonly string[]).includes(tlp) ? tlp2Ids[tlp as Tlp] : undefined;
  if (!id) throw conflict(`${what} has no TLP marking: it cannot be exported (fail closed)`);
  return id;
}

// ---- Deterministic ids ----

/** Namespace of Cybercap's STIX ids (UUIDv5 of "<kind>:<our id>"): re-exporting gives the same ids. */
const stixNamespace = '6f0e3c52-8f7d-5a86-9b1c-3e2d4a5b6c7d';
export const stixIdOf = (type: string, ourId: string) => `${type}--${uuidv5(`${type}:${ourId}`, stixNamespace)}`;
export const taxiiCollectionId = uuidv5('taxii-collection:visible-to-me', stixNamespace);

// ---- Patterns ----

/** Our type → its STIX pattern object path. */
const patternPaths: Record<IndicatorType, string> = {
  ipv4: 'ipv4-addr:value',
  ipv6: 'ipv6-addr:value',
  cidr: 'ipv4-addr:value', // or ipv6-addr:value; chosen by the value
  domain: 'domain-name:value',
  url: 'url:value',
  email: 'email-addr:value',
  md5: "file:hashes.MD5",
  sha1: "file:hashes.'SHA-1'",
  sha256: "file:hashes.'SHA-256'",
  bitcoin: 'cryptocurrency-wallet:value',
  wallet: 'x-cybercap-wallet:value',
  phone: 'phone-number:value',
  iban: 'bank-account:iban',
};

const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function patternOf(type: IndicatorType, value: string): string {
  const path = type === 'cidr' && value.includes(':') ? 'ipv6-addr:value' : patternPaths[type];
  return `[${path} = ${quote(value)}]`;
}

/** The object paths we read, and the types each may be (first that validates wins, unless x_cybercap_type says). */
export const pathTypes: Record<string, IndicatorType[]> = {
  'ipv4-addr:value': ['ipv4', 'cidr'],
  'ipv6-addr:value': ['ipv6', 'cidr'],
  'domain-name:value': ['domain'],
  'url:value': ['url'],
  'email-addr:value': ['email'],
  'file:hashes.md5': ['md5'],
  'file:hashes.sha-1': ['sha1'],
  'file:hashes.sha1': ['sha1'],
  'file:hashes.sha-256': ['sha256'],
  'file:hashes.sha256': ['sha256'],
  'cryptocurrency-wallet:value': ['bitcoin', 'wallet'],
  'x-cybercap-wallet:value': ['wallet'],
  'phone-number:value': ['phone'],
  'bank-account:iban': ['iban'],
};

export class PatternError extends Error {}

/**
 * A strict, bounded parser of the one pattern form we accept:
 * `[object-type:path = 'value']` (one comparison, `=` only, no qualifiers).
 * Linear in the input, no regular expression backtracking on the value.
 */
export function parsePattern(pattern: string): { path: string; value: string } {
  if (pattern.length > stixLimits.maxPatternLength) throw new PatternError(`longer than ${stixLimits.maxPatternLength} characters`);
  const s = pattern.trim();
  const fail = (why: string): never => {
    throw new PatternError(`${why}; only a single comparison "[object-type:property = 'value']" is supported (no AND/OR, other operators, or qualifiers)`);
  };
  if (!s.startsWith('[') || !s.endsWith(']')) fail('not one bracketed comparison');
  const inner = s.slice(1, -1);
  const eq = inner.indexOf('=');
  if (eq < 0) fail('no "=" comparison');
  const path = inner.slice(0, eq).trim();
  if (!/^[a-z0-9-]{1,250}:[A-Za-z0-9_.'-]{1,250}$/.test(path)) fail(`"${path.slice(0, 80)}" is not an object path`);
  const rest = inner.slice(eq + 1).trim();
  if (rest[0] !== "'") fail('the value is not a quoted string');
  let value = '';
  let i = 1;
  for (; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\') {
      const n = rest[i + 1];
      if (n !== "'" && n !== '\\') fail('unknown escape in the value');
      value += n;
      i++;
    } else if (c === "'") break;
    else value += c;
  }
  if (i >= rest.length) fail('the value is not terminated');
  if (rest.slice(i + 1).trim() !== '') fail('more than one comparison');
  const normalisedPath = path.replace(/'/g, '').toLowerCase();
  return { path: normalisedPath, value };
}

/** The indicator type and normalised value of a value under one of the candidate types. */
export function typed(candidates: IndicatorType[], value: string, hint: unknown): { type: IndicatorType; value: string } {
  const order = typeof hint === 'string' && candidates.includes(hint as IndicatorType) ? [hint as IndicatorType, ...candidates.filter((c) => c !== hint)] : candidates;
  let first: InvalidIndicator | undefined;
  for (const t of order) {
    try {
      if (t === 'cidr' && !value.includes('/')) continue;
      if ((t === 'ipv4' || t === 'ipv6') && value.includes('/')) continue;
      return { type: t, value: normaliseIndicator(t, value) };
    } catch (e) {
      if (!(e instanceof InvalidIndicator)) throw e;
      first ??= e;
    }
  }
  throw new InvalidIndicator(first?.message ?? 'not a valid value');
}

// ---- Export ----

type ReportRow = SharingReportTable & { reporter_organisation_name: string };
export type StixObject = Record<string, unknown> & { type: string; id: string };

export const identityEpoch = '2020-01-01T00:00:00.000Z';

export function identityObject(organisationId: string, name: string): StixObject {
  return { type: 'identity', spec_version: '2.1', id: stixIdOf('identity', organisationId), created: identityEpoch, modified: identityEpoch, name, identity_class: 'organization' };
}

/** An indicator's STIX id: `indicator--<our id>`, or for those stored before migration 0014 the UUIDv5 id they were exported with. */
export const indicatorStixId = (i: { id: string; stix_id?: string | null }) => i.stix_id ?? `indicator--${i.id}`;

export function indicatorObject(i: SharingIndicatorTable, reporterOrganisationId: string): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: indicatorStixId(i),
    created: i.created_at,
    modified: i.created_at,
    created_by_ref: stixIdOf('identity', reporterOrganisationId),
    name: `${i.type}: ${i.value}`.slice(0, 2048),
    indicator_types: ['malicious-activity'],
    pattern: patternOf(i.type as IndicatorType, i.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: i.first_seen,
    x_cybercap_last_seen: i.last_seen,
    x_cybercap_type: i.type,
    object_marking_refs: [markingFor(i.effective_tlp, `indicator ${i.id}`)],
  };
}

function reportObject(r: ReportRow, indicatorIds: string[]): StixObject {
  const identity = stixIdOf('identity', r.reporter_organisation_id);
  return {
    type: 'report',
    spec_version: '2.1',
    id: stixIdOf('report', r.id),
    created: r.created_at,
    modified: r.updated_at,
    created_by_ref: identity,
    name: r.title,
    description: r.summary,
    published: r.created_at,
    report_types: ['threat-report'],
    labels: [r.crime_type],
    confidence: Number(r.confidence),
    // STIX needs at least one reference: a report whose indicators the reader may not see refers to its source.
    object_refs: indicatorIds.length > 0 ? indicatorIds : [identity],
    object_marking_refs: [markingFor(r.tlp, `report ${r.id}`)],
    x_cybercap_crime_type: r.crime_type,
    x_cybercap_regions: JSON.parse(r.regions) as string[],
  };
}

/** The bundle objects of some reports (already through the rule): markings, identities, indicators the reader may see, reports. */
async function bundleObjects(db: Db | Tx, viewer: Viewer, rows: ReportRow[]) {
  const ids = rows.map((r) => r.id);
  const indicators = ids.length === 0 ? [] : await indicatorsVisibleTo(db, viewer).selectAll('sharing_indicators').where('sharing_indicators.report_id', 'in', ids).orderBy('sharing_indicators.created_at').orderBy('sharing_indicators.id').execute();
  const byReport = new Map<string, SharingIndicatorTable[]>();
  for (const i of indicators) byReport.set(i.report_id, [...(byReport.get(i.report_id) ?? []), i]);
  const markings = new Set<Tlp>();
  const identities = new Map<string, string>();
  const out: StixObject[] = [];
  for (const r of rows) {
    const mine = byReport.get(r.id) ?? [];
    const objs = mine.map((i) => indicatorObject(i, r.reporter_organisation_id));
    out.push(...objs, reportObject(r, objs.map((o) => o.id)));
    markings.add(r.tlp);
    for (const i of mine) markings.add(i.effective_tlp);
    identities.set(r.reporter_organisation_id, r.reporter_organisation_name);
  }
  const head: StixObject[] = [...tlpLevels.filter((t) => markings.has(t)).map(tlpMarking), ...[...identities].map(([id, name]) => identityObject(id, name))];
  return { objects: [...head, ...out], counts: new Map(rows.map((r) => [r.id, (byReport.get(r.id) ?? []).length])) };
}

export const stixExportQuery = z.object({
  tlp: z.enum(tlpLevels).optional(),
  crimeType: z.enum(crimeTypes).optional(),
  region: z.enum(regions).optional(),
  reporterOrganisationId: z.uuid().optional(),
  /** Reports created at or after this instant. */
  since: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(stixLimits.maxReportsPerExport).default(50),
});
export type StixExportQuery = z.infer<typeof stixExportQuery>;

export const stixBundle = z.looseObject({ type: z.literal('bundle'), id: z.string(), objects: z.array(z.record(z.string(), z.unknown())) });

async function logExports(ctx: Ctx, viewer: Viewer, path: string, rows: ReportRow[], counts: Map<string, number>, extra: Record<string, unknown>) {
  const entries: SharingLogInput[] =
    rows.length > 0
      ? rows.map((r) => ({ action: 'report.exported', reportId: r.id, reporterOrganisationId: r.reporter_organisation_id, actorUserId: viewer.actor.userId, actorOrganisationId: viewer.organisationId, details: { format: 'stix-2.1', path, tlp: r.tlp, indicators: counts.get(r.id) ?? 0, ...extra } }))
      : [{ action: 'report.exported', reportId: null, reporterOrganisationId: null, actorUserId: viewer.actor.userId, actorOrganisationId: viewer.organisationId, details: { format: 'stix-2.1', path, reports: 0, ...extra } }];
  // Fails closed: no log, no export.
  await ctx.db.transaction().execute((tx) => appendSharingLog(tx, ctx.dialect, ctx.clock, entries));
}

const withReporterName = (q: ReturnType<typeof reportsVisibleTo>) => q.selectAll('sharing_reports').select('reporter_org.name as reporter_organisation_name');

export async function exportReportStix(ctx: Ctx, actor: Actor, id: string) {
  const viewer = await sharingViewer(ctx.db, actor, ctx.clock.now());
  const row = await withReporterName(reportsVisibleTo(ctx.db, viewer)).where('sharing_reports.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Report');
  const { objects, counts } = await bundleObjects(ctx.db, viewer, [row]);
  await logExports(ctx, viewer, 'report', [row], counts, {});
  return { type: 'bundle' as const, id: `bundle--${newId()}`, objects };
}

export async function exportSearchStix(ctx: Ctx, actor: Actor, query: StixExportQuery) {
  const viewer = await sharingViewer(ctx.db, actor, ctx.clock.now());
  let q = reportsVisibleTo(ctx.db, viewer);
  if (query.tlp) q = q.where('sharing_reports.tlp', '=', query.tlp);
  if (query.crimeType) q = q.where('sharing_reports.crime_type', '=', query.crimeType);
  if (query.region) q = q.where('sharing_reports.regions', 'like', `%"${query.region}"%`);
  if (query.reporterOrganisationId) q = q.where('sharing_reports.reporter_organisation_id', '=', query.reporterOrganisationId);
  if (query.since) q = q.where('sharing_reports.created_at', '>=', new Date(query.since).toISOString());
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await withReporterName(q)
    .orderBy('sharing_reports.created_at')
    .orderBy('sharing_reports.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const { objects, counts } = await bundleObjects(ctx.db, viewer, rows);
  const { page, pageSize, ...filters } = query;
  await logExports(ctx, viewer, 'search', rows, counts, { filters, page });
  return { bundle: { type: 'bundle' as const, id: `bundle--${newId()}`, objects }, total: Number(total), page, pageSize };
}
