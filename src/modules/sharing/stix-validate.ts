import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { AppError, validationError } from '../../core/errors.ts';
import { InvalidIndicator } from './indicators.ts';
import { crimeTypes, type IndicatorType, type Tlp } from './schemas.ts';
import { parsePattern, PatternError, pathTypes, stixLimits, tlpById, tlpLabel, typed } from './stix.ts';
import { regions, type Region } from '../reference/countries.ts';

// STIX 2.1 import, first half: each object of the bundle validated alone as it
// is read, and turned into the rows it contributes to the import's staging
// tables (stix-import.ts writes them and does the checks that need the whole
// bundle). Runs in a worker thread beside the writer (stix-worker.ts).

// ---- Validation of one object ----

export const uuidPart = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
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
  object_refs: refs(stixLimits.maxValuesPerObject).min(1),
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

export const fail = (where: string, message: string): never => {
  throw validationError(where, message);
};

export type PlannedReport = {
  pos: number;
  stixId: string | null;
  title: string;
  summary: string;
  crimeType: (typeof crimeTypes)[number];
  regions: Region[];
  confidence: number;
  tlp: Tlp;
  createdBy: string | null;
};
export type Ignored = { id: string; type: string; reason: string };

/** What the planner needs of the request. */
export type PlanQuery = { defaultTlp?: Tlp | undefined; crimeType?: (typeof crimeTypes)[number] | undefined };

/** Staged rows, flat: one array per staging table, each row's columns one after the other (cheap to hand between threads). */
export type StagedRows = { objects: unknown[]; items: unknown[]; observed: unknown[]; refs: unknown[] };
export const stagedColumns: { [K in keyof StagedRows]: string[] } = {
  objects: ['pos', 'stix_id', 'type'],
  items: ['pos', 'sub', 'type', 'value', 'tlp', 'first_seen', 'last_seen', 'ind_id', 'benign'],
  observed: ['pos', 'stix_id', 'tlp', 'first_seen', 'last_seen'],
  refs: ['pos', 'n', 'parent', 'parent_type', 'kind', 'ref'],
};
const emptyRows = (): StagedRows => ({ objects: [], items: [], observed: [], refs: [] });
/** Staged values handed over at once (about 5,500 indicators): the writer starts early and the reader never waits long. */
const batchValues = 100_000;

/**
 * A copy of what is kept from an object in memory past its own reading. Strings cut from the text (keys,
 * values) share the memory of the whole chunk they were read from; one kept substring keeps its 256 KB
 * chunk alive, and a report per chunk would keep the bundle.
 */
const detach = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** UUIDv7 ids drawing their random part from one buffer refilled every 1,024 ids (one random call per id showed in profiles). */
class BulkIds {
  private pool = Buffer.alloc(0);
  private at = 0;
  next(): string {
    if (this.at + 16 > this.pool.length) {
      this.pool = randomBytes(16 * 1024);
      this.at = 0;
    }
    const random = this.pool.subarray(this.at, this.at + 16);
    this.at += 16;
    return uuidv7({ random });
  }
}

/** Validates each object as it arrives and stages what it contributes. */
export class Planner {
  readonly query: PlanQuery;
  readonly excluded: ReadonlySet<string>;
  /** Rows not yet handed over, and where they go. */
  rows: StagedRows = emptyRows();
  private readonly onRows: (rows: StagedRows) => void;
  readonly reports: PlannedReport[] = [];
  readonly ignored: Ignored[] = [];
  readonly sources = new Map<string, string>();
  items = 0;

  constructor(query: PlanQuery, excluded: ReadonlySet<string>, onRows: (rows: StagedRows) => void) {
    this.query = query;
    this.excluded = excluded;
    this.onRows = onRows;
  }

  /** Hands the rows staged so far over (the last time at the end of the bundle). */
  flush() {
    const rows = this.rows;
    this.rows = emptyRows();
    this.onRows(rows);
  }

  /** Targets of created_by and marking references already staged: each needs checking once (at its first, reported, place). */
  private readonly checked = new Set<string>();
  private refOnce(pos: number, n: number, id: string, type: string, kind: 'created_by' | 'marking', ref: string) {
    const key = `${kind}\u0000${ref}`;
    if (this.checked.has(key)) return;
    if (this.checked.size < stixLimits.maxIgnored) this.checked.add(detach(key));
    this.rows.refs.push(pos, n, id, type, kind, ref);
  }

  private ignore(entry: Ignored) {
    if (this.ignored.length >= stixLimits.maxIgnored) fail('objects', `more than ${stixLimits.maxIgnored} objects that Cybercap does not store: split the bundle`);
    this.ignored.push(detach(entry));
  }

  /** The object's own TLP (null when it has none); other markings are checked against the bundle later. */
  private ownTlp(obj: { object_marking_refs?: string[] | undefined }, pos: number, id: string, type: string): Tlp | null {
    const found = new Set<Tlp>();
    (obj.object_marking_refs ?? []).forEach((r, n) => {
      const t = tlpById.get(r);
      if (t) found.add(t);
      else this.refOnce(pos, n, id, type, 'marking', r);
    });
    if (found.size > 1) fail(`objects[${pos}].object_marking_refs`, `contradictory TLP markings (${[...found].map(tlpLabel).join(', ')})`);
    return [...found][0] ?? null;
  }

  private countItems(n: number, where: string) {
    this.items += n;
    if (this.items > stixLimits.maxIndicators) fail(where, `more than ${stixLimits.maxIndicators} indicators in one bundle`);
  }

  private item(pos: number, sub: number, v: { type: IndicatorType; value: string }, tlp: Tlp | null, first: string | null, last: string | null) {
    this.rows.items.push(pos, sub, v.type, v.value, tlp, first, last, this.ids.next(), this.excluded.has(v.value) ? 1 : 0);
  }
  private readonly ids = new BulkIds();

  add(o: unknown, pos: number) {
    const where = `objects[${pos}]`;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) fail(where, 'not a JSON object');
    const obj = o as Record<string, unknown>;
    if (typeof obj.type !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(obj.type)) fail(`${where}.type`, 'missing or not a STIX type name');
    const type = obj.type as string;
    if (typeof obj.id !== 'string' || !stixIdRe.test(obj.id) || !obj.id.startsWith(`${type}--`)) fail(`${where}.id`, `must be "${type}--<UUID>"`);
    const id = obj.id as string;
    this.rows.objects.push(pos, id, type);
    if (typeof obj.created_by_ref === 'string') this.refOnce(pos, 0, id, type, 'created_by', obj.created_by_ref);

    if (type === 'marking-definition') {
      const m = parseWith(markingSchema, obj, where);
      if (!tlpById.has(id)) this.ignore({ id, type, reason: `not a TLP marking (${m.definition_type ?? 'extension'}): not enforced by Cybercap; objects must also carry a TLP marking` });
    } else if (type === 'identity') {
      const idy = parseWith(identitySchema, obj, where);
      if (this.sources.size < stixLimits.maxIgnored) this.sources.set(detach(id), detach(idy.name));
      this.ignore({ id, type, reason: "not stored: the importing organisation becomes the reporter; the source's name is kept in the sharing log" });
    } else if (type === 'indicator') {
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
      this.countItems(1, where);
      this.item(pos, 0, v, this.ownTlp(ind, pos, id, type), firstSeen, lastSeen);
    } else if (scoTypes.has(type)) {
      const values: Array<{ path: string; value: string; at: string }> = [];
      let sco: { object_marking_refs?: string[] | undefined };
      if (type === 'file') {
        const f = parseWith(fileSco, obj, where);
        sco = f;
        for (const [k, h] of Object.entries(f.hashes ?? {})) {
          const path = `file:hashes.${k.toLowerCase()}`;
          if (pathTypes[path]) values.push({ path, value: h, at: `${where}.hashes.${k}` });
          else this.ignore({ id, type: 'file', reason: `hash ${k.slice(0, 40)} is not stored (MD5, SHA-1 and SHA-256 are)` });
        }
        if (values.length === 0) fail(`${where}.hashes`, 'a file needs an MD5, SHA-1 or SHA-256 hash to be stored');
      } else if (type === 'bank-account') {
        const b = parseWith(bankSco, obj, where);
        sco = b;
        values.push({ path: 'bank-account:iban', value: b.iban, at: `${where}.iban` });
      } else {
        const s = parseWith(valueSco, obj, where);
        sco = s;
        values.push({ path: `${type}:value`, value: s.value, at: `${where}.value` });
      }
      const typedValues = values.map((x) => {
        try {
          return typed(pathTypes[x.path]!, x.value, obj.x_cybercap_type);
        } catch (e) {
          if (e instanceof InvalidIndicator) return fail(x.at, e.message);
          throw e;
        }
      });
      this.countItems(typedValues.length, where);
      const tlp = this.ownTlp(sco, pos, id, type);
      typedValues.forEach((v, sub) => this.item(pos, sub, v, tlp, null, null));
    } else if (type === 'observed-data') {
      const od = parseWith(observedSchema, obj, where);
      const first = new Date(od.first_observed).toISOString();
      const last = new Date(od.last_observed).toISOString();
      if (last < first) fail(`${where}.last_observed`, 'must be on or after first_observed');
      const tlp = this.ownTlp(od, pos, id, type);
      this.rows.observed.push(pos, id, tlp, first, last);
      od.object_refs.forEach((r, n) => {
        if (!tlpById.has(r)) this.rows.refs.push(pos, n, id, type, 'object', r);
      });
    } else if (type === 'report') {
      const r = parseWith(reportSchema, obj, where);
      const tlp = this.ownTlp(r, pos, id, type) ?? this.query.defaultTlp ?? fail(`${where}.object_marking_refs`, 'no TLP marking: mark the object (TLP 2.0 or 1.0 marking-definition ids), or give defaultTlp in the request');
      const title = r.name.trim().replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
      if (title.length < 3) fail(`${where}.name`, 'at least 3 characters');
      const crime =
        (r.x_cybercap_crime_type && (crimeTypes as readonly string[]).includes(r.x_cybercap_crime_type) ? r.x_cybercap_crime_type : undefined) ??
        (r.labels ?? []).find((l) => (crimeTypes as readonly string[]).includes(l)) ??
        this.query.crimeType;
      if (!crime) fail(`${where}.labels`, `no crime type: label the report with one of ${crimeTypes.join(', ')}, or give crimeType in the request`);
      if (this.reports.length >= stixLimits.maxReports) fail(where, `more than ${stixLimits.maxReports} reports in one bundle`);
      r.object_refs.forEach((ref, n) => {
        if (!tlpById.has(ref)) this.rows.refs.push(pos, n, id, type, 'object', ref);
      });
      this.reports.push(detach({
        pos,
        stixId: id,
        title,
        summary: (r.description ?? '').trim() || title,
        crimeType: crime as PlannedReport['crimeType'],
        regions: [...new Set((r.x_cybercap_regions ?? []).filter((x): x is Region => (regions as readonly string[]).includes(x)))],
        confidence: r.confidence ?? 50,
        tlp: tlp as Tlp,
        createdBy: r.created_by_ref ?? null,
      }));
    } else {
      this.ignore({ id, type, reason: `the type ${type} is not mapped to Cybercap reports or indicators` });
    }
    const r = this.rows;
    if (r.objects.length + r.items.length + r.observed.length + r.refs.length >= batchValues) this.flush();
  }
}
