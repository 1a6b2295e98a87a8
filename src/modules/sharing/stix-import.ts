import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { CompiledQuery, sql } from 'kysely';
import type { Db, Dialect, Tx } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { AppError, conflict, forbidden, validationError } from '../../core/errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Audited } from '../partners/applications.ts';
import { sharingAgreementsInForce } from '../partners/agreements.ts';
import { regions, type Region } from '../reference/countries.ts';
import { correlationSettings, InvalidIndicator } from './indicators.ts';
import { appendSharingLog, type SharingLogInput } from './log.ts';
import { notifyCorrelations } from './notifications.ts';
import { crimeTypes, tlpLevels, type IndicatorType, type Tlp } from './schemas.ts';
import { checkMarking } from './service.ts';
import { parsePattern, PatternError, pathTypes, stixLimits, tlpById, tlpLabel, typed } from './stix.ts';
import { readBundle } from './stix-reader.ts';
import { tlpRank } from './visibility.ts';

// STIX 2.1 import, streamed (docs/sharing.md, "STIX 2.1").
//
// The bundle is read one object at a time (stix-reader.ts); each object is
// validated alone with the schemas below as it arrives, and what it contributes
// is staged in temporary tables of the import's own transaction: its id, its
// indicators and observables, its references. When the bundle has been read,
// the checks that need the whole bundle (references, markings to inherit,
// recipients) and the writing (reports, the value dictionary, indicators) are
// set-based SQL over the staged rows, in the SAME transaction: a failure
// anywhere stores nothing, and memory does not grow with the bundle.

type Ctx = { db: Db; dialect: Dialect; clock: Clock };

// ---- Validation of one object ----

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

const fail = (where: string, message: string): never => {
  throw validationError(where, message);
};

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

type PlannedReport = {
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

const rankSql = (column: string) => sql.raw(`case ${column} when 'clear' then 0 when 'green' then 1 when 'amber' then 2 when 'amber_strict' then 3 else 4 end`);
const tlpSql = (rank: string) => sql.raw(`case ${rank} when 0 then 'clear' when 1 then 'green' when 2 then 'amber' when 3 then 'amber_strict' else 'red' end`);

/** Staged rows, written in batches: on SQLite one cached multi-row statement per table, on PostgreSQL one array per column. */
class Staging {
  private readonly tx: Tx;
  private readonly dialect: Dialect;
  objects: unknown[][] = [];
  items: unknown[][] = [];
  observed: unknown[][] = [];
  refs: unknown[][] = [];
  private readonly texts = new Map<string, string>();
  constructor(tx: Tx, dialect: Dialect) {
    this.tx = tx;
    this.dialect = dialect;
  }

  async create() {
    const temp = this.dialect === 'postgres' ? (name: string, cols: string) => `create temp table ${name} (${cols}) on commit drop` : (name: string, cols: string) => `create temp table ${name} (${cols})`;
    for (const [name, cols] of stagingTables) await sql.raw(temp(name, cols)).execute(this.tx);
  }

  async drop() {
    if (this.dialect === 'sqlite') for (const [name] of stagingTables) await sql.raw(`drop table temp.${name}`).execute(this.tx);
  }

  private async insert(table: string, columns: string[], rows: unknown[][]) {
    if (rows.length === 0) return;
    if (this.dialect === 'postgres') {
      // One array per column (unnest): a short statement whatever the batch, instead of thousands of parameters to parse.
      const types = columns.map((c) => (integerColumns.has(c) ? 'int[]' : 'text[]'));
      const arrays = columns.map((_c, n) => rows.map((r) => r[n] ?? null));
      const text = `insert into ${table} (${columns.join(', ')}) select * from unnest(${types.map((t, n) => `$${n + 1}::${t}`).join(', ')})`;
      await this.tx.executeQuery(CompiledQuery.raw(text, arrays));
      return;
    }
    // Statements of a few fixed sizes only (full batches, then powers of two): the driver caches one
    // prepared statement per text, and a new size per flush would fill that cache with large statements.
    const sizes: number[] = [];
    let left = rows.length;
    while (left >= batchRows) {
      sizes.push(batchRows);
      left -= batchRows;
    }
    for (let bit = 1 << 12; bit >= 1; bit >>= 1) if (left & bit) sizes.push(bit);
    let i = 0;
    for (const size of sizes) {
      const part = rows.slice(i, i + size);
      i += size;
      const key = `${table}:${size}`;
      let text = this.texts.get(key);
      if (!text) {
        const tuple = `(${columns.map(() => '?').join(', ')})`;
        text = `insert into ${table} (${columns.join(', ')}) values ${new Array<string>(size).fill(tuple).join(', ')}`;
        this.texts.set(key, text);
      }
      await this.tx.executeQuery(CompiledQuery.raw(text, part.flat()));
    }
  }

  pending() {
    return this.objects.length + this.items.length + this.refs.length + this.observed.length;
  }

  async flush() {
    const take = (k: 'objects' | 'items' | 'observed' | 'refs') => {
      const rows = this[k];
      this[k] = [];
      return rows;
    };
    await this.insert('stix_objects', ['pos', 'stix_id', 'type'], take('objects'));
    await this.insert('stix_items', ['pos', 'sub', 'type', 'value', 'tlp', 'first_seen', 'last_seen', 'ind_id', 'benign'], take('items'));
    await this.insert('stix_observed', ['pos', 'stix_id', 'tlp', 'first_seen', 'last_seen'], take('observed'));
    await this.insert('stix_refs', ['pos', 'n', 'parent', 'parent_type', 'kind', 'ref'], take('refs'));
  }
}

const integerColumns = new Set(['pos', 'sub', 'n', 'benign']);
const stagingTables: Array<[string, string]> = [
  ['stix_objects', 'pos integer primary key, stix_id text not null, type text not null'],
  ['stix_items', 'pos integer not null, sub integer not null, type text not null, value text not null, tlp text, first_seen text, last_seen text, ind_id text not null, benign integer not null'],
  ['stix_observed', 'pos integer not null, stix_id text not null, tlp text, first_seen text not null, last_seen text not null'],
  ['stix_refs', 'pos integer not null, n integer not null, parent text not null, parent_type text not null, kind text not null, ref text not null'],
  ['stix_final', 'rpos integer not null, type text not null, value text not null, trank integer not null, first_seen text not null, last_seen text not null, ipos integer not null, ind_id text not null, benign integer not null, unmarked integer'],
  ['stix_report_ids', 'rpos integer not null primary key, id text not null, trank integer not null'],
];
// Built after loading (a sorted build is far cheaper than keeping them up to date row by row).
const stagingIndexes = [
  'create index stix_objects_id on stix_objects (stix_id)',
  'create index stix_items_pos on stix_items (pos, sub)',
  'create index stix_refs_ref on stix_refs (ref, kind, parent_type)',
  'create index stix_refs_parent on stix_refs (parent, kind)',
  'create index stix_observed_id on stix_observed (stix_id)',
];

/** Rows per staging insert (9 columns × 3,000 stays under SQLite's 32,766 bound parameters). */
const batchRows = 3000;
/** SQLite page cache (KiB) of the connection during an import, for the database and the temporary tables each. */
const importCacheKib = 64 * 1024;
/** Indicators imported at once past which PostgreSQL's statistics are refreshed. */
const analyzeAfter = 10_000;
/** Objects read before the staged rows are written. */
const flushEvery = 20_000;


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
class Planner {
  readonly query: StixImportQuery;
  readonly now: string;
  readonly staging: Staging;
  readonly reports: PlannedReport[] = [];
  readonly ignored: Ignored[] = [];
  readonly sources = new Map<string, string>();
  items = 0;

  constructor(staging: Staging, query: StixImportQuery, now: string) {
    this.staging = staging;
    this.query = query;
    this.now = now;
  }

  /** Targets of created_by and marking references already staged: each needs checking once (at its first, reported, place). */
  private readonly checked = new Set<string>();
  private refOnce(pos: number, n: number, id: string, type: string, kind: 'created_by' | 'marking', ref: string) {
    const key = `${kind}\u0000${ref}`;
    if (this.checked.has(key)) return;
    if (this.checked.size < stixLimits.maxIgnored) this.checked.add(detach(key));
    this.staging.refs.push([pos, n, id, type, kind, ref]);
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
    this.staging.items.push([pos, sub, v.type, v.value, tlp, first, last, this.ids.next(), correlationSettings.excluded.has(v.value) ? 1 : 0]);
  }
  private readonly ids = new BulkIds();

  async add(o: unknown, pos: number) {
    const where = `objects[${pos}]`;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) fail(where, 'not a JSON object');
    const obj = o as Record<string, unknown>;
    if (typeof obj.type !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(obj.type)) fail(`${where}.type`, 'missing or not a STIX type name');
    const type = obj.type as string;
    if (typeof obj.id !== 'string' || !stixIdRe.test(obj.id) || !obj.id.startsWith(`${type}--`)) fail(`${where}.id`, `must be "${type}--<UUID>"`);
    const id = obj.id as string;
    this.staging.objects.push([pos, id, type]);
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
      this.staging.observed.push([pos, id, tlp, first, last]);
      od.object_refs.forEach((r, n) => {
        if (!tlpById.has(r)) this.staging.refs.push([pos, n, id, type, 'object', r]);
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
        if (!tlpById.has(ref)) this.staging.refs.push([pos, n, id, type, 'object', ref]);
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
    if (this.staging.pending() >= flushEvery) await this.staging.flush();
  }
}

type Created = { id: string; stixId: string | null; title: string; tlp: Tlp; indicators: number };

/** A text source (file stream, request) of a bundle. */
export type BundleSource = AsyncIterable<string>;

/**
 * Imports a bundle read from `source` in one transaction. `maxBytes` is enforced
 * by the caller (the upload is spooled to a file first).
 */
export async function importStixBundle(ctx: Ctx, source: BundleSource, query: StixImportQuery, audit: Audited, trace: (phase: string) => void = () => {}) {
  const { db, clock } = ctx;
  const at = clock.now();
  const now = iso(at);
  // SQLite: a larger page cache while the bundle is staged and written (the default 2 MB makes
  // the staging and index writes spill to disk page by page); bounded, and set back afterwards.
  const cache = ctx.dialect === 'sqlite' ? (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size : undefined;
  const tempCache = ctx.dialect === 'sqlite' ? (await sql<{ cache_size: number }>`pragma temp.cache_size`.execute(db)).rows[0]?.cache_size : undefined;
  if (cache !== undefined) {
    await sql.raw(`pragma cache_size = ${-importCacheKib}`).execute(db);
    await sql.raw(`pragma temp.cache_size = ${-importCacheKib}`).execute(db);
  }
  return db.transaction().execute(async (tx) => {
    const org = await tx.selectFrom('organisations').select(['id', 'kind', 'status']).where('id', '=', audit.actor.organisationId).executeTakeFirst();
    if (!org || org.status !== 'active') throw forbidden('Your organisation is archived');
    if (org.kind === 'partner' && (await sharingAgreementsInForce(tx, org.id, at)).length === 0) {
      throw conflict('Your organisation has no data-sharing agreement in force: it cannot share reports');
    }
    const staging = new Staging(tx, ctx.dialect);
    await staging.create();
    const planner = new Planner(staging, query, now);
    const head = await readBundle(source, stixLimits, (o, i) => planner.add(o, i));
    if (head.type !== 'bundle') fail('type', 'must be "bundle"');
    if (typeof head.id !== 'string' || !new RegExp(`^bundle--${uuidPart}$`).test(head.id)) fail('id', 'must be "bundle--<UUID>"');
    const bundleId = head.id as string;
    if (!head.hasObjects) fail('objects', 'must be an array of STIX objects');
    if (head.objects === 0) fail('objects', 'the bundle is empty');
    await staging.flush();
    trace('read, validate and stage');
    for (const s of stagingIndexes) await sql.raw(s).execute(tx);
    trace('index the staged rows');

    const dup = await sql<{ stix_id: string; first: number; second: number }>`
      select stix_id, min(pos) as first, max(pos) as second from stix_objects group by stix_id having count(*) > 1 order by min(pos) limit 1`.execute(tx);
    const du = dup.rows[0];
    if (du) fail(`objects[${du.second}].id`, `${du.stix_id} appears more than once (objects[${du.first}]): send one version of each object`);
    // References: every one in the bundle; marking references to marking definitions.
    const dangling = await sql<{ pos: number; n: number; kind: string; ref: string }>`
      select r.pos, r.n, r.kind, r.ref from stix_refs r left join stix_objects o on o.stix_id = r.ref
      where o.pos is null or (r.kind = 'marking' and o.type <> 'marking-definition')
      order by r.pos, r.kind, r.n limit 1`.execute(tx);
    const d = dangling.rows[0];
    if (d) {
      const where = `objects[${d.pos}]`;
      if (d.kind === 'created_by') fail(`${where}.created_by_ref`, `${d.ref} is not in the bundle`);
      if (d.kind === 'marking') fail(`${where}.object_marking_refs[${d.n}]`, `${d.ref} is neither a TLP marking nor a marking definition in the bundle`);
      fail(`${where}.object_refs[${d.n}]`, `${d.ref} is not in the bundle`);
    }
    const nested = await sql<{ ref: string; type: string; parent: string }>`
      select distinct r.ref, o.type, r.parent from stix_refs r join stix_objects o on o.stix_id = r.ref
      where r.parent_type = 'observed-data' and r.kind = 'object' and o.type in ('report', 'observed-data') order by r.ref limit ${stixLimits.maxIgnored}`.execute(tx);
    for (const x of nested.rows) planner.ignored.push({ id: x.ref, type: x.type, reason: `referenced by observed-data ${x.parent} but not an observable Cybercap stores` });
    trace('check references');

    // Which report each indicator goes into (-1: outside any report), with what it inherits from observed
    // data; then one indicator per (report, type, value): the stricter marking, the widest dates.
    const dflt = query.defaultTlp ?? null;
    await sql`insert into stix_final (rpos, type, value, trank, first_seen, last_seen, ipos, ind_id, benign, unmarked)
      select m.rpos, i.type, i.value, max(${rankSql('coalesce(i.tlp, m.inh_tlp, ' + (dflt ? `'${dflt}'` : 'null') + ')')}),
        min(coalesce(i.first_seen, m.inh_first, ${now})), max(coalesce(i.last_seen, m.inh_last, ${now})),
        min(m.ipos), min(i.ind_id), max(i.benign), min(case when i.tlp is null and m.inh_tlp is null then m.ipos end)
      from (
        select rr.pos as rpos, o.pos as ipos, cast(null as text) as inh_tlp, cast(null as text) as inh_first, cast(null as text) as inh_last
          from stix_refs rr join stix_objects o on o.stix_id = rr.ref
          where rr.parent_type = 'report' and rr.kind = 'object'
        union all
        select rr.pos, o.pos, od.tlp, od.first_seen, od.last_seen
          from stix_refs rr join stix_observed od on od.stix_id = rr.ref
          join stix_refs orf on orf.parent = od.stix_id and orf.kind = 'object' join stix_objects o on o.stix_id = orf.ref
          where rr.parent_type = 'report' and rr.kind = 'object'
        union all
        select -1, o.pos, od.tlp, od.first_seen, od.last_seen
          from stix_observed od join stix_refs orf on orf.parent = od.stix_id and orf.kind = 'object' join stix_objects o on o.stix_id = orf.ref
          where not exists (select 1 from stix_refs x where x.ref = od.stix_id and x.kind = 'object' and x.parent_type = 'report')
        union all
        select -1, o.pos, null, null, null from stix_objects o
          where o.type not in ('report', 'observed-data', 'identity', 'marking-definition')
            and not exists (select 1 from stix_refs x where x.ref = o.stix_id and x.kind = 'object' and x.parent_type in ('report', 'observed-data'))
      ) as m join stix_items i on i.pos = m.ipos
      group by m.rpos, i.type, i.value`.execute(tx);
    if (!dflt) {
      const unmarked = await sql<{ pos: number | null }>`select min(unmarked) as pos from stix_final`.execute(tx);
      const pos = unmarked.rows[0]?.pos;
      if (pos !== null && pos !== undefined) fail(`objects[${pos}].object_marking_refs`, 'no TLP marking: mark the object (TLP 2.0 or 1.0 marking-definition ids), or give defaultTlp in the request');
    }
    await sql.raw('create index stix_final_ind on stix_final (ind_id, rpos)').execute(tx);
    // The same observable in several reports: one indicator in each, each with an id of its own.
    const shared = await sql<{ ind_id: string; rpos: number }>`select f.ind_id, f.rpos from stix_final f where exists (select 1 from stix_final g where g.ind_id = f.ind_id and g.rpos < f.rpos)`.execute(tx);
    for (const s of shared.rows) await sql`update stix_final set ind_id = ${newId()} where ind_id = ${s.ind_id} and rpos = ${s.rpos}`.execute(tx);

    trace('place in reports, merge per report');
    const stats = new Map(
      (await sql<{ rpos: number; maxr: number; minr: number; n: number }>`select rpos, max(trank) as maxr, min(trank) as minr, count(*) as n from stix_final group by rpos`.execute(tx)).rows.map((r) => [Number(r.rpos), { maxr: Number(r.maxr), minr: Number(r.minr), n: Number(r.n) }]),
    );
    const planned: Array<PlannedReport & { where: string }> = planner.reports.map((r) => ({ ...r, where: `objects[${r.pos}]` }));
    const loose = stats.get(-1);
    if (loose) {
      if (!query.crimeType) {
        const first = await sql<{ pos: number }>`select min(ipos) as pos from stix_final where rpos = -1`.execute(tx);
        fail('querystring.crimeType', `needed for the ${loose.n} indicator(s) outside any STIX report (first: objects[${first.rows[0]?.pos}])`);
      }
      const tlp = tlpLevels[loose.minr]!;
      planned.push({ pos: -1, where: 'objects', stixId: null, title: `STIX ${bundleId}`, summary: `Indicators imported from STIX bundle ${bundleId} outside any report.`, crimeType: query.crimeType!, regions: [], confidence: 50, tlp, createdBy: null });
    }
    if (planned.length === 0) fail('objects', 'nothing to import: no report, indicator or observable');

    // Reports: the same conditions as filing one.
    const created: Created[] = [];
    const log: SharingLogInput[] = [];
    for (const r of planned) {
      const s = stats.get(r.pos);
      const strictest = Math.max(tlpRank(r.tlp), s?.maxr ?? 0);
      const recipients = tlpRank(r.tlp) >= tlpRank('amber') ? query.recipientOrganisationIds : [];
      if (strictest >= tlpRank('amber_strict') && recipients.length === 0) {
        let at = r.where;
        if (tlpRank(r.tlp) < tlpRank('amber')) {
          const first = await sql<{ pos: number }>`select min(ipos) as pos from stix_final where rpos = ${r.pos} and trank >= ${tlpRank('amber_strict')}`.execute(tx);
          at = `objects[${first.rows[0]?.pos}].object_marking_refs`;
        }
        fail(at, `${tlpLabel(tlpLevels[strictest]!)} needs named recipients, on a report marked AMBER or stricter: give recipientOrganisationIds in the request`);
      }
      await checkMarking(tx, at, r.tlp, org.id, recipients, 'querystring.recipientOrganisationIds');
      const id = newId();
      await tx
        .insertInto('sharing_reports')
        .values({ id, title: r.title, summary: r.summary, crime_type: r.crimeType, regions: JSON.stringify(r.regions), confidence: r.confidence, tlp: r.tlp, reporter_user_id: audit.actor.userId, reporter_organisation_id: org.id, created_at: now, updated_at: now })
        .execute();
      if (recipients.length > 0) await tx.insertInto('sharing_report_recipients').values(recipients.map((o) => ({ report_id: id, organisation_id: o }))).execute();
      await sql`insert into stix_report_ids (rpos, id, trank) values (${r.pos}, ${id}, ${tlpRank(r.tlp)})`.execute(tx);
      const n = s?.n ?? 0;
      const stixId = r.pos === -1 ? null : r.stixId;
      const who = { reportId: id, reporterOrganisationId: org.id, actorUserId: audit.actor.userId, actorOrganisationId: org.id };
      log.push(
        { action: 'report.created', ...who, details: { source: 'stix', bundleId, stixId, stixSource: r.createdBy ? (planner.sources.get(r.createdBy) ?? null) : null, tlp: r.tlp, crimeType: r.crimeType, indicators: n } },
        ...(recipients.length > 0 ? [{ action: 'report.shared' as const, ...who, details: { tlp: r.tlp, recipientOrganisationIds: recipients } }] : []),
      );
      await recordAudit(tx, clock, {
        action: 'sharing_report.created',
        outcome: 'success',
        actor: audit.actor,
        target: { type: 'sharing_report', id },
        ip: audit.ip,
        requestId: audit.requestId,
        details: { source: 'stix', bundleId, tlp: r.tlp, indicators: n },
      });
      created.push({ id, stixId, title: r.title, tlp: r.tlp, indicators: n });
    }

    trace('reports, recipients, audit');
    // The value dictionary, in one statement: a new value is inserted with its count (its id: the smallest
    // id of its new indicators, a fresh UUIDv7), a known one has its count raised; past the cap it is too
    // common. Benign (excluded) values are never linked. Rows go in value order, so that the value indexes
    // are written page after page rather than at random.
    await sql`insert into sharing_values (id, value, linked_count, too_common, created_at)
      select min(ind_id), value, count(*), case when count(*) > ${correlationSettings.cap} then 1 else 0 end, ${now}
      from stix_final where benign = 0 group by value order by value
      on conflict (value) do update set
        linked_count = sharing_values.linked_count + excluded.linked_count,
        too_common = case when sharing_values.linked_count + excluded.linked_count > ${correlationSettings.cap} then 1 else sharing_values.too_common end`.execute(tx);
    trace('value dictionary (new values, counts, cap)');
    await sql`insert into sharing_indicators (id, report_id, type, value, value_id, tlp, effective_tlp, first_seen, last_seen, created_at)
      select f.ind_id, r.id, f.type, f.value, case when f.benign = 1 then null else v.id end,
        case when f.trank > r.trank then ${tlpSql('f.trank')} else null end,
        ${tlpSql('case when f.trank > r.trank then f.trank else r.trank end')},
        f.first_seen, f.last_seen, ${now}
      from stix_final f join stix_report_ids r on r.rpos = f.rpos left join sharing_values v on v.value = f.value`.execute(tx);

    trace('insert indicators');
    await appendSharingLog(tx, ctx.dialect, clock, log);
    await notifyCorrelations(tx, clock, created.map((c) => c.id));
    trace('sharing log and correlation notifications');
    await staging.drop();
    return { bundleId, reports: created, indicators: created.reduce((n, r) => n + r.indicators, 0), ignored: planner.ignored };
  }).then(async (result) => {
    trace('commit');
    // PostgreSQL plans the TAXII pages and searches from table statistics; a large import makes them stale until autovacuum comes by.
    if (ctx.dialect === 'postgres' && result.indicators >= analyzeAfter) {
      await sql`analyze sharing_indicators`.execute(db);
      await sql`analyze sharing_values`.execute(db);
      trace('analyze (PostgreSQL statistics)');
    }
    return result;
  }).finally(async () => {
    if (cache !== undefined) await sql.raw(`pragma cache_size = ${Number(cache)}`).execute(db);
    if (tempCache !== undefined) await sql.raw(`pragma temp.cache_size = ${Number(tempCache)}`).execute(db);
  });
}

export const stixImportResult = z.object({
  bundleId: z.string(),
  reports: z.array(z.object({ id: z.string(), stixId: z.string().nullable(), title: z.string(), tlp: z.enum(tlpLevels), indicators: z.number().int() })),
  indicators: z.number().int(),
  ignored: z.array(z.object({ id: z.string(), type: z.string(), reason: z.string() })),
});

