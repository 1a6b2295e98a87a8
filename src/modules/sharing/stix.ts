import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import type { Db, Dialect, Tx } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { AppError, conflict, forbidden, notFound, validationError } from '../../core/errors.ts';
import type { Actor } from '../../core/permissions.ts';
import type { SharingIndicatorTable, SharingReportTable } from '../../core/db/schema.ts';
import { recordAudit } from '../audit/service.ts';
import type { Audited } from '../partners/applications.ts';
import { sharingAgreementsInForce } from '../partners/agreements.ts';
import { regions, type Region } from '../reference/countries.ts';
import { InvalidIndicator, normaliseIndicator } from './indicators.ts';
import { appendSharingLog, type SharingLogInput } from './log.ts';
import { crimeTypes, tlpLevels, type IndicatorType, type Tlp } from './schemas.ts';
import { indicatorsVisibleTo, reportsVisibleTo, sharingViewer, stricter, tlpRank, type Viewer } from './visibility.ts';
import { checkMarking, linkValues } from './service.ts';

// STIX 2.1 import and export (docs/sharing.md, "STIX 2.1").
//
// Import: one bundle, validated whole before anything is written, then written
// in ONE transaction (a failure anywhere stores nothing). Export: what the
// caller may see through the central rule, with TLP 2.0 marking definitions,
// deterministic ids (UUIDv5 of our ids) and fail-closed markings; every export
// is recorded in the sharing log.

type Ctx = { db: Db; dialect: Dialect; clock: Clock };

// ---- Limits ----

export const stixLimits = {
  /** Request body (JSON) or uploaded file. */
  maxBytes: 10 * 1024 * 1024,
  maxObjects: 20_000,
  maxIndicators: 10_000,
  maxDepth: 16,
  maxNodes: 2_000_000,
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
const tlpById = new Map<string, Tlp>([...Object.entries(tlp1Ids), ...(Object.entries(tlp2Ids) as [Tlp, string][]).map(([t, id]) => [id, t] as [string, Tlp])]);
const tlp2Names: Record<Tlp, string> = { clear: 'clear', green: 'green', amber: 'amber', amber_strict: 'amber+strict', red: 'red' };
const tlpLabel = (t: Tlp) => `TLP:${tlp2Names[t].toUpperCase()}`;
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
const pathTypes: Record<string, IndicatorType[]> = {
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
function typed(candidates: IndicatorType[], value: string, hint: unknown): { type: IndicatorType; value: string } {
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

// ---- Import: validation ----

const uuidPart = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const stixIdRe = new RegExp(`^([a-z0-9][a-z0-9-]{0,62})--${uuidPart}$`);
const timestamp = z.iso.datetime({ offset: true });
const ref = z.string().max(200).regex(stixIdRe, 'not a STIX identifier (type--UUID)');
const refs = (max: number) => z.array(ref).max(max);
const common = {
  id: ref,
  spec_version: z.literal('2.1').optional(),
  created: timestamp.optional(),
  modified: timestamp.optional(),
  created_by_ref: ref.optional(),
  object_marking_refs: refs(20).optional(),
  granular_markings: z.array(z.unknown()).max(0, 'granular markings are not supported: mark the whole object').optional(),
};
const text = (max: number) => z.string().max(max);

const indicatorSchema = z.looseObject({
  ...common,
  type: z.literal('indicator'),
  pattern: z.string().max(stixLimits.maxPatternLength),
  pattern_type: z.literal('stix', { message: 'only STIX patterns are supported' }),
  valid_from: timestamp,
  name: text(2048).optional(),
  x_cybercap_last_seen: timestamp.optional(),
  x_cybercap_type: z.string().max(20).optional(),
});
const valueSco = z.looseObject({ ...common, type: z.string(), value: z.string().min(1).max(2048) });
const fileSco = z.looseObject({ ...common, type: z.literal('file'), hashes: z.record(z.string().max(40), z.string().max(200)).optional() });
const bankSco = z.looseObject({ ...common, type: z.literal('bank-account'), iban: z.string().min(1).max(64) });
const observedSchema = z.looseObject({
  ...common,
  type: z.literal('observed-data'),
  first_observed: timestamp,
  last_observed: timestamp,
  object_refs: refs(10_000).min(1),
});
const reportSchema = z.looseObject({
  ...common,
  type: z.literal('report'),
  name: z.string().max(2000),
  description: text(20000).optional(),
  published: timestamp,
  object_refs: refs(stixLimits.maxObjects).min(1),
  labels: z.array(z.string().max(200)).max(50).optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  x_cybercap_crime_type: z.string().max(40).optional(),
  x_cybercap_regions: z.array(z.string().max(40)).max(10).optional(),
});
const identitySchema = z.looseObject({ ...common, type: z.literal('identity'), name: z.string().max(2000) });
const markingSchema = z.looseObject({ id: ref, type: z.literal('marking-definition'), definition_type: z.string().max(100).optional() });

const valueScoTypes = new Set(['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'cryptocurrency-wallet', 'x-cybercap-wallet', 'phone-number']);
const scoTypes = new Set([...valueScoTypes, 'file', 'bank-account']);

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = [where, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/\.\[/g, '[');
  throw new AppError('validation_failed', `${path}: ${issue.message}`, r.error.issues.slice(0, 20).map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message })));
}

const fail = (where: string, message: string): never => {
  throw validationError(where, message);
};

/** Bounded walk of the parsed JSON: nesting depth and total number of values. */
function checkShape(root: unknown) {
  const stack: Array<[unknown, number, string]> = [[root, 0, 'body']];
  let nodes = 0;
  while (stack.length > 0) {
    const [v, depth, where] = stack.pop()!;
    if (++nodes > stixLimits.maxNodes) fail('body', `more than ${stixLimits.maxNodes} JSON values`);
    if (depth > stixLimits.maxDepth) fail(where, `nested deeper than ${stixLimits.maxDepth} levels`);
    if (Array.isArray(v)) {
      if (depth === 1 && where === 'objects' && v.length > stixLimits.maxObjects) fail('objects', `more than ${stixLimits.maxObjects} objects in one bundle`);
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], depth + 1, depth < 2 ? `${where}[${i}]` : where]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) stack.push([x, depth + 1, depth === 0 ? k : depth < 2 ? `${where}.${k}` : where]);
    }
  }
}

export const stixImportQuery = z.strictObject({
  /** Applied to objects without a TLP marking; without it such objects are refused. */
  defaultTlp: z.enum(tlpLevels).optional(),
  /** The crime type of reports that do not say (a label or x_cybercap_crime_type), and of objects outside any report. */
  crimeType: z.enum(crimeTypes).optional(),
  /** Named recipients of the imported reports marked AMBER or stricter (comma-separated organisation ids). */
  recipientOrganisationIds: z
    .string()
    .max(4000)
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []))
    .pipe(z.array(z.uuid()).max(100)),
});
export type StixImportQuery = z.infer<typeof stixImportQuery>;

type Item = { stixId: string; where: string; type: IndicatorType; value: string; tlp: Tlp; firstSeen: string; lastSeen: string };
type PlannedReport = {
  stixId: string | null;
  where: string;
  title: string;
  summary: string;
  crimeType: (typeof crimeTypes)[number];
  regions: Region[];
  confidence: number;
  tlp: Tlp;
  createdBy: string | null;
  items: Item[];
};
export type Ignored = { id: string; type: string; reason: string };

/** Validates the whole bundle and plans the reports to write; throws (naming the place) on the first problem. */
export function planImport(raw: unknown, query: StixImportQuery, now: string): { bundleId: string; reports: PlannedReport[]; ignored: Ignored[] } {
  checkShape(raw);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('body', 'a STIX 2.1 bundle is a JSON object');
  const bundle = raw as Record<string, unknown>;
  if (bundle.type !== 'bundle') fail('type', 'must be "bundle"');
  if (typeof bundle.id !== 'string' || !new RegExp(`^bundle--${uuidPart}$`).test(bundle.id)) fail('id', 'must be "bundle--<UUID>"');
  if (!Array.isArray(bundle.objects)) fail('objects', 'must be an array of STIX objects');
  const objects = bundle.objects as unknown[];
  if (objects.length === 0) fail('objects', 'the bundle is empty');
  if (objects.length > stixLimits.maxObjects) fail('objects', `more than ${stixLimits.maxObjects} objects in one bundle`);

  // Pass 1: envelope of each object; ids unique.
  const byId = new Map<string, { i: number; obj: Record<string, unknown> }>();
  objects.forEach((o, i) => {
    const where = `objects[${i}]`;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) fail(where, 'not a JSON object');
    const obj = o as Record<string, unknown>;
    if (typeof obj.type !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(obj.type)) fail(`${where}.type`, 'missing or not a STIX type name');
    if (typeof obj.id !== 'string' || !stixIdRe.test(obj.id) || !obj.id.startsWith(`${obj.type}--`)) fail(`${where}.id`, `must be "${String(obj.type)}--<UUID>"`);
    if (byId.has(obj.id as string)) fail(`${where}.id`, `${String(obj.id)} appears more than once (objects[${byId.get(obj.id as string)!.i}]): send one version of each object`);
    byId.set(obj.id as string, { i, obj });
  });
  const whereOf = (id: string) => `objects[${byId.get(id)!.i}]`;

  const ignored: Ignored[] = [];
  const sources = new Map<string, string>();
  const otherMarkings = new Set<string>();
  for (const [id, { i, obj }] of byId) {
    if (obj.type === 'marking-definition') {
      const m = parseWith(markingSchema, obj, `objects[${i}]`);
      if (!tlpById.has(id)) {
        otherMarkings.add(id);
        ignored.push({ id, type: 'marking-definition', reason: `not a TLP marking (${m.definition_type ?? 'extension'}): not enforced by Cybercap; objects must also carry a TLP marking` });
      }
    } else if (obj.type === 'identity') {
      const idy = parseWith(identitySchema, obj, `objects[${i}]`);
      sources.set(id, idy.name);
      ignored.push({ id, type: 'identity', reason: "not stored: the importing organisation becomes the reporter; the source's name is kept in the sharing log" });
    }
  }

  const tlpOf = (obj: { object_marking_refs?: string[] | undefined }, where: string, inherited?: Tlp | null): Tlp => {
    const found = new Set<Tlp>();
    (obj.object_marking_refs ?? []).forEach((r, n) => {
      const t = tlpById.get(r);
      if (t) found.add(t);
      else if (!otherMarkings.has(r)) fail(`${where}.object_marking_refs[${n}]`, `${r} is neither a TLP marking nor a marking definition in the bundle`);
    });
    if (found.size > 1) fail(`${where}.object_marking_refs`, `contradictory TLP markings (${[...found].map(tlpLabel).join(', ')})`);
    const own = [...found][0];
    if (own) return own;
    if (inherited) return inherited;
    if (query.defaultTlp) return query.defaultTlp;
    return fail(`${where}.object_marking_refs`, 'no TLP marking: mark the object (TLP 2.0 or 1.0 marking-definition ids), or give defaultTlp in the request');
  };
  const checkRefs = (list: string[], where: string) =>
    list.forEach((r, n) => {
      if (!byId.has(r) && !tlpById.has(r)) fail(`${where}[${n}]`, `${r} is not in the bundle`);
    });

  // Pass 2: indicators, SCOs, observed data.
  const itemsOf = new Map<string, (inherit: { tlp: Tlp | null; firstSeen?: string; lastSeen?: string }) => Item[]>();
  let count = 0;
  for (const [id, { i, obj }] of byId) {
    const where = `objects[${i}]`;
    if (obj.created_by_ref !== undefined && typeof obj.created_by_ref === 'string' && !byId.has(obj.created_by_ref)) fail(`${where}.created_by_ref`, `${obj.created_by_ref} is not in the bundle`);
    if (obj.type === 'indicator') {
      const ind = parseWith(indicatorSchema, obj, where);
      let parsed: { path: string; value: string };
      try {
        parsed = parsePattern(ind.pattern);
      } catch (e) {
        if (e instanceof PatternError) return fail(`${where}.pattern`, e.message);
        throw e;
      }
      const candidates = pathTypes[parsed.path];
      if (!candidates) fail(`${where}.pattern`, `the object path ${parsed.path} is not one Cybercap stores (ipv4-addr, ipv6-addr, domain-name, url, email-addr, file hashes MD5/SHA-1/SHA-256, cryptocurrency-wallet, phone-number, bank-account:iban)`);
      let v: { type: IndicatorType; value: string };
      try {
        v = typed(candidates!, parsed.value, ind.x_cybercap_type);
      } catch (e) {
        if (e instanceof InvalidIndicator) return fail(`${where}.pattern`, e.message);
        throw e;
      }
      const firstSeen = new Date(ind.valid_from).toISOString();
      const lastSeen = new Date(ind.x_cybercap_last_seen ?? ind.valid_from).toISOString();
      if (lastSeen < firstSeen) fail(`${where}.x_cybercap_last_seen`, 'must be on or after valid_from');
      itemsOf.set(id, (inherit) => [{ stixId: id, where, ...v, tlp: tlpOf(ind, where, inherit.tlp), firstSeen, lastSeen }]);
      count++;
    } else if (scoTypes.has(obj.type as string)) {
      const values: Array<{ path: string; value: string; at: string }> = [];
      let sco: { object_marking_refs?: string[] | undefined };
      if (obj.type === 'file') {
        const f = parseWith(fileSco, obj, where);
        sco = f;
        for (const [k, h] of Object.entries(f.hashes ?? {})) {
          const path = `file:hashes.${k.toLowerCase()}`;
          if (pathTypes[path]) values.push({ path, value: h, at: `${where}.hashes.${k}` });
          else ignored.push({ id, type: 'file', reason: `hash ${k.slice(0, 40)} is not stored (MD5, SHA-1 and SHA-256 are)` });
        }
        if (values.length === 0) fail(`${where}.hashes`, 'a file needs an MD5, SHA-1 or SHA-256 hash to be stored');
      } else if (obj.type === 'bank-account') {
        const b = parseWith(bankSco, obj, where);
        sco = b;
        values.push({ path: 'bank-account:iban', value: b.iban, at: `${where}.iban` });
      } else {
        const s = parseWith(valueSco, obj, where);
        sco = s;
        values.push({ path: `${obj.type as string}:value`, value: s.value, at: `${where}.value` });
      }
      const typedValues = values.map((x) => {
        try {
          return typed(pathTypes[x.path]!, x.value, obj.x_cybercap_type);
        } catch (e) {
          if (e instanceof InvalidIndicator) return fail(x.at, e.message);
          throw e;
        }
      });
      itemsOf.set(id, (inherit) => {
        const firstSeen = inherit.firstSeen ?? now;
        const lastSeen = inherit.lastSeen ?? firstSeen;
        return typedValues.map((v) => ({ stixId: id, where, ...v, tlp: tlpOf(sco, where, inherit.tlp), firstSeen, lastSeen }));
      });
      count += typedValues.length;
    }
    if (count > stixLimits.maxIndicators) fail(where, `more than ${stixLimits.maxIndicators} indicators in one bundle`);
  }
  const observed = new Map<string, { where: string; refs: string[]; tlp: Tlp | null; first: string; last: string }>();
  for (const [id, { i, obj }] of byId) {
    if (obj.type !== 'observed-data') continue;
    const where = `objects[${i}]`;
    const od = parseWith(observedSchema, obj, where);
    checkRefs(od.object_refs, `${where}.object_refs`);
    const first = new Date(od.first_observed).toISOString();
    const last = new Date(od.last_observed).toISOString();
    if (last < first) fail(`${where}.last_observed`, 'must be on or after first_observed');
    const hasTlp = (od.object_marking_refs ?? []).some((r) => tlpById.has(r));
    observed.set(id, { where, refs: od.object_refs, tlp: hasTlp ? tlpOf(od, where) : null, first, last });
    for (const r of od.object_refs) {
      if (!itemsOf.has(r)) {
        const t = byId.get(r)!.obj.type as string;
        if (t !== 'identity') ignored.push({ id: r, type: t, reason: `referenced by observed-data ${id} but not an observable Cybercap stores` });
      }
    }
  }
  const expand = (id: string, used: Set<string>): Item[] => {
    const od = observed.get(id);
    if (od) {
      used.add(id);
      return od.refs.flatMap((r) => {
        const f = itemsOf.get(r);
        if (!f) return [];
        used.add(r);
        return f({ tlp: od.tlp, firstSeen: od.first, lastSeen: od.last });
      });
    }
    const f = itemsOf.get(id);
    if (!f) return [];
    used.add(id);
    return f({ tlp: null });
  };

  // Pass 3: reports.
  const used = new Set<string>();
  const reports: PlannedReport[] = [];
  for (const [id, { i, obj }] of byId) {
    if (obj.type !== 'report') continue;
    const where = `objects[${i}]`;
    const r = parseWith(reportSchema, obj, where);
    checkRefs(r.object_refs, `${where}.object_refs`);
    const tlp = tlpOf(r, where);
    const title = r.name.trim().replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
    if (title.length < 3) fail(`${where}.name`, 'at least 3 characters');
    const crime =
      (r.x_cybercap_crime_type && (crimeTypes as readonly string[]).includes(r.x_cybercap_crime_type) ? r.x_cybercap_crime_type : undefined) ??
      (r.labels ?? []).find((l) => (crimeTypes as readonly string[]).includes(l)) ??
      query.crimeType;
    if (!crime) fail(`${where}.labels`, `no crime type: label the report with one of ${crimeTypes.join(', ')}, or give crimeType in the request`);
    const items = r.object_refs.flatMap((ref) => expand(ref, used));
    reports.push({
      stixId: id,
      where,
      title,
      summary: (r.description ?? '').trim() || title,
      crimeType: crime as PlannedReport['crimeType'],
      regions: [...new Set((r.x_cybercap_regions ?? []).filter((x): x is Region => (regions as readonly string[]).includes(x)))],
      confidence: r.confidence ?? 50,
      tlp,
      createdBy: r.created_by_ref ? (sources.get(r.created_by_ref) ?? null) : null,
      items,
    });
  }
  // Observables outside any report: one report of their own, marked as loosely as the loosest of them (each keeps its own marking).
  const loose: Item[] = [];
  for (const id of observed.keys()) if (!used.has(id)) loose.push(...expand(id, used));
  for (const id of itemsOf.keys()) if (!used.has(id)) loose.push(...expand(id, used));
  if (loose.length > 0) {
    if (!query.crimeType) fail('querystring.crimeType', `needed for the ${loose.length} indicator(s) outside any STIX report (first: ${loose[0]!.where})`);
    const tlp = loose.reduce<Tlp>((m, x) => (tlpRank(x.tlp) < tlpRank(m) ? x.tlp : m), 'red');
    reports.push({ stixId: null, where: 'objects', title: `STIX ${bundle.id as string}`, summary: `Indicators imported from STIX bundle ${bundle.id as string} outside any report.`, crimeType: query.crimeType!, regions: [], confidence: 50, tlp, createdBy: null, items: loose });
  }
  for (const [id, { obj }] of byId) {
    const t = obj.type as string;
    if (['indicator', 'observed-data', 'report', 'identity', 'marking-definition'].includes(t) || scoTypes.has(t) || ignored.some((x) => x.id === id)) continue;
    ignored.push({ id, type: t, reason: `the type ${t} is not mapped to Cybercap reports or indicators` });
  }
  if (reports.length === 0) fail('objects', 'nothing to import: no report, indicator or observable');
  return { bundleId: bundle.id as string, reports, ignored };
}

// ---- Import: writing ----


export async function importStixBundle(ctx: Ctx, raw: unknown, query: StixImportQuery, audit: Audited) {
  const { db, clock } = ctx;
  const at = clock.now();
  const now = iso(at);
  const plan = planImport(raw, query, now);
  const created: Array<{ id: string; stixId: string | null; title: string; tlp: Tlp; indicators: number }> = [];
  await db.transaction().execute(async (tx) => {
    const org = await tx.selectFrom('organisations').select(['id', 'kind', 'status']).where('id', '=', audit.actor.organisationId).executeTakeFirst();
    if (!org || org.status !== 'active') throw forbidden('Your organisation is archived');
    if (org.kind === 'partner' && (await sharingAgreementsInForce(tx, org.id, at)).length === 0) {
      throw conflict('Your organisation has no data-sharing agreement in force: it cannot share reports');
    }
    for (const r of plan.reports) {
      // One indicator per (type, value) in a report: the stricter marking, the widest dates.
      const merged = new Map<string, Item>();
      for (const it of r.items) {
        const key = `${it.type}\u0000${it.value}`;
        const m = merged.get(key);
        if (!m) merged.set(key, { ...it });
        else merged.set(key, { ...m, tlp: stricter(m.tlp, it.tlp), firstSeen: it.firstSeen < m.firstSeen ? it.firstSeen : m.firstSeen, lastSeen: it.lastSeen > m.lastSeen ? it.lastSeen : m.lastSeen });
      }
      const items = [...merged.values()];
      const strictest = items.reduce<Tlp>((m, x) => stricter(m, x.tlp), r.tlp);
      const recipients = tlpRank(r.tlp) >= tlpRank('amber') ? query.recipientOrganisationIds : [];
      if (tlpRank(strictest) >= tlpRank('amber_strict') && recipients.length === 0) {
        const first = items.find((x) => tlpRank(stricter(r.tlp, x.tlp)) >= tlpRank('amber_strict'));
        fail(first && tlpRank(r.tlp) < tlpRank('amber') ? `${first.where}.object_marking_refs` : r.where, `${tlpLabel(strictest)} needs named recipients, on a report marked AMBER or stricter: give recipientOrganisationIds in the request`);
      }
      await checkMarking(tx, at, r.tlp, org.id, recipients, 'querystring.recipientOrganisationIds');
      const id = newId();
      await tx
        .insertInto('sharing_reports')
        .values({ id, title: r.title, summary: r.summary, crime_type: r.crimeType, regions: JSON.stringify(r.regions), confidence: r.confidence, tlp: r.tlp, reporter_user_id: audit.actor.userId, reporter_organisation_id: org.id, created_at: now, updated_at: now })
        .execute();
      if (recipients.length > 0) await tx.insertInto('sharing_report_recipients').values(recipients.map((o) => ({ report_id: id, organisation_id: o }))).execute();
      if (items.length > 0) {
        const valueIds = await linkValues(tx, clock, items.map((x) => x.value));
        const rows = items.map((x) => ({
          id: newId(),
          report_id: id,
          type: x.type,
          value: x.value,
          value_id: valueIds.get(x.value) ?? null,
          // Stricter than the report: kept; as strict or looser: the report's marking applies (never looser).
          tlp: tlpRank(x.tlp) > tlpRank(r.tlp) ? x.tlp : null,
          effective_tlp: stricter(r.tlp, x.tlp),
          first_seen: x.firstSeen,
          last_seen: x.lastSeen,
          created_at: now,
        }));
        for (let n = 0; n < rows.length; n += 200) await tx.insertInto('sharing_indicators').values(rows.slice(n, n + 200)).execute();
      }
      const who = { reportId: id, reporterOrganisationId: org.id, actorUserId: audit.actor.userId, actorOrganisationId: org.id };
      await appendSharingLog(tx, ctx.dialect, clock, [
        { action: 'report.created', ...who, details: { source: 'stix', bundleId: plan.bundleId, stixId: r.stixId, stixSource: r.createdBy, tlp: r.tlp, crimeType: r.crimeType, indicators: items.length } },
        ...(recipients.length > 0 ? [{ action: 'report.shared' as const, ...who, details: { tlp: r.tlp, recipientOrganisationIds: recipients } }] : []),
      ]);
      await recordAudit(tx, clock, {
        action: 'sharing_report.created',
        outcome: 'success',
        actor: audit.actor,
        target: { type: 'sharing_report', id },
        ip: audit.ip,
        requestId: audit.requestId,
        details: { source: 'stix', bundleId: plan.bundleId, tlp: r.tlp, indicators: items.length },
      });
      created.push({ id, stixId: r.stixId, title: r.title, tlp: r.tlp, indicators: items.length });
    }
  });
  return { bundleId: plan.bundleId, reports: created, indicators: created.reduce((n, r) => n + r.indicators, 0), ignored: plan.ignored };
}

export const stixImportResult = z.object({
  bundleId: z.string(),
  reports: z.array(z.object({ id: z.string(), stixId: z.string().nullable(), title: z.string(), tlp: z.enum(tlpLevels), indicators: z.number().int() })),
  indicators: z.number().int(),
  ignored: z.array(z.object({ id: z.string(), type: z.string(), reason: z.string() })),
});

// ---- Export ----

type ReportRow = SharingReportTable & { reporter_organisation_name: string };
export type StixObject = Record<string, unknown> & { type: string; id: string };

export const identityEpoch = '2020-01-01T00:00:00.000Z';

export function identityObject(organisationId: string, name: string): StixObject {
  return { type: 'identity', spec_version: '2.1', id: stixIdOf('identity', organisationId), created: identityEpoch, modified: identityEpoch, name, identity_class: 'organization' };
}

export function indicatorObject(i: SharingIndicatorTable, reporterOrganisationId: string): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: stixIdOf('indicator', i.id),
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
