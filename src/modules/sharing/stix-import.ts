import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type pg from 'pg';
import type { Db, Dialect, Tx } from '../../core/db/index.ts';
import { copyRows, withPgClient } from '../../core/db/pg-client.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { conflict, forbidden } from '../../core/errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Audited } from '../partners/applications.ts';
import { sharingAgreementsInForce } from '../partners/agreements.ts';
import { correlationSettings } from './indicators.ts';
import { appendSharingLog, type SharingLogInput } from './log.ts';
import { notifyCorrelations } from './notifications.ts';
import { crimeTypes, tlpLevels, type Tlp } from './schemas.ts';
import { checkMarking } from './service.ts';
import { stixLimits, tlpLabel } from './stix.ts';
import { fail, stagedColumns, uuidPart, type PlannedReport } from './stix-validate.ts';
import { planBundle, type Handover, type PlanOptions } from './stix-worker.ts';
import { tlpRank } from './visibility.ts';

// STIX 2.1 import, streamed (docs/sharing.md, "STIX 2.1").
//
// The bundle is read one object at a time (stix-reader.ts) in a worker thread
// (stix-worker.ts); each object is validated alone as it arrives
// (stix-validate.ts), and what it contributes is staged here, in temporary
// tables of the import's own transaction: its id, its indicators and
// observables, its references. When the bundle has been read, the checks that
// need the whole bundle (references, markings to inherit, recipients) and the
// writing (reports, the value dictionary, indicators) are set-based SQL over the
// staged rows, in the SAME transaction: a failure anywhere stores nothing, and
// memory does not grow with the bundle.

type Ctx = { db: Db; dialect: Dialect; clock: Clock };

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

const rankSql = (column: string) => sql.raw(`case ${column} when 'clear' then 0 when 'green' then 1 when 'amber' then 2 when 'amber_strict' then 3 else 4 end`);
const tlpSql = (rank: string) => sql.raw(`case ${rank} when 0 then 'clear' when 1 then 'green' when 2 then 'amber' when 3 then 'amber_strict' else 'red' end`);

/**
 * Staged rows, written in batches: on SQLite one cached multi-row statement per table; on PostgreSQL
 * `COPY … FROM STDIN` on the transaction's own connection (`pg`: its raw client), which the server
 * reads several times faster than the same rows as arrays of parameters.
 */
class Staging {
  private readonly tx: Tx;
  private readonly dialect: Dialect;
  private readonly pg: pg.PoolClient | null;
  private readonly texts = new Map<string, string>();
  constructor(tx: Tx, dialect: Dialect, pgClient: pg.PoolClient | null) {
    this.tx = tx;
    this.dialect = dialect;
    this.pg = pgClient;
  }

  async create() {
    // PostgreSQL: byte order for the staged ids, which are only sorted and matched among themselves (memcmp
    // instead of the database's locale). Not for the values, matched against the value dictionary's index.
    const temp = this.dialect === 'postgres' ? (name: string, cols: string) => `create temp table ${name} (${cols.replace(/\b(stix_id|ref|parent|ind_id) text\b/g, '$1 text collate "C"')}) on commit drop` : (name: string, cols: string) => `create temp table ${name} (${cols})`;
    for (const [name, cols] of stagingTables) await sql.raw(temp(name, cols)).execute(this.tx);
    for (const s of stagingTableIndexes) await sql.raw(s).execute(this.tx);
  }

  async drop() {
    if (this.dialect === 'sqlite') for (const [name] of stagingTables) await sql.raw(`drop table temp.${name}`).execute(this.tx);
  }

  /** `rows`: their values one after the other, `columns.length` per row; or, on PostgreSQL, in COPY's text format. */
  private async insert(table: string, columns: string[], rows: unknown[] | Uint8Array) {
    if (this.pg) {
      await copyRows(this.pg, table, columns, rows);
      return;
    }
    if (rows instanceof Uint8Array) throw new Error('staged rows in COPY format are for PostgreSQL');
    const flat = rows;
    const width = columns.length;
    const count = flat.length / width;
    if (count === 0) return;
    // Statements of a few fixed sizes only (full batches, then powers of two): the driver caches one
    // prepared statement per text, and a new size per batch would fill that cache with large statements.
    const full = Math.min(batchRows, Math.floor(sqliteMaxParameters / width));
    const sizes: number[] = [];
    let left = count;
    while (left >= full) {
      sizes.push(full);
      left -= full;
    }
    for (let bit = 1 << 12; bit >= 1; bit >>= 1) if (left & bit) sizes.push(bit);
    let at = 0;
    for (const size of sizes) {
      const part = flat.slice(at * width, (at + size) * width);
      at += size;
      const key = `${table}:${size}`;
      let text = this.texts.get(key);
      if (!text) {
        const tuple = `(${columns.map(() => '?').join(', ')})`;
        text = `insert into ${table} (${columns.join(', ')}) values ${new Array<string>(size).fill(tuple).join(', ')}`;
        this.texts.set(key, text);
      }
      await this.tx.executeQuery(CompiledQuery.raw(text, part));
    }
  }

  async write(rows: Handover) {
    for (const table of ['objects', 'items', 'observed', 'refs', 'final'] as const) await this.insert(`stix_${table}`, stagedColumns[table], rows[table]);
  }
}

const stagingTables: Array<[string, string]> = [
  ['stix_objects', 'pos integer primary key, stix_id text not null, type text not null'],
  ['stix_items', 'pos integer not null, sub integer not null, type text not null, value text not null, tlp text, first_seen text, last_seen text, ind_id text not null, benign integer not null'],
  ['stix_observed', 'pos integer not null, stix_id text not null, tlp text, first_seen text not null, last_seen text not null'],
  ['stix_refs', 'pos integer not null, n integer not null, parent text not null, parent_type text not null, kind text not null, ref text not null'],
  // `batch`: the batch in which the reader placed the row's report (stored at once), null when placed at the end.
  ['stix_final', 'rpos integer not null, type text not null, value text not null, trank integer not null, first_seen text not null, last_seen text not null, ipos integer not null, ind_id text not null, benign integer not null, unmarked integer, batch integer'],
  ['stix_report_ids', 'rpos integer not null primary key, id text not null, trank integer not null'],
];
// Kept up to date as rows come: the indicators of the reports placed on reading are read back by batch.
const stagingTableIndexes = ['create index stix_final_batch on stix_final (batch)'];
// SQLite: built after loading (a sorted build is far cheaper than keeping them up to date row by row).
const stagingIndexes = [
  'create index stix_objects_id on stix_objects (stix_id)',
  'create index stix_items_pos on stix_items (pos, sub)',
  'create index stix_refs_ref on stix_refs (ref, kind, parent_type)',
  'create index stix_refs_parent on stix_refs (parent, kind)',
  'create index stix_observed_id on stix_observed (stix_id)',
];

/** Rows per staging insert at most, and SQLite's bound on the parameters of a statement. */
const batchRows = 3000;
const sqliteMaxParameters = 32_766;
/** SQLite page cache (KiB) of the connection during an import, for the database and the temporary tables each. */
const importCacheKib = 64 * 1024;
/** Batches (about 3,600 indicators each) whose placed indicators are written together. */
const batchesPerGroup = 16;
/** Indicators imported at once past which PostgreSQL's statistics are refreshed. */
const analyzeAfter = 10_000;

/**
 * PostgreSQL, for this transaction only: sorts and hashes over the staged rows in memory rather than in
 * temporary files; no JIT compilation (the statements over the staged rows run once each: compiling them,
 * chosen from their cost, took longer than it saved); the temporary tables in more than the default 8 MB
 * of `temp_buffers` (which a session can only change before its first use of a temporary table: a session
 * that already used one keeps its size).
 */
async function postgresImportSettings(tx: Tx) {
  await sql`set local work_mem = '64MB'`.execute(tx);
  await sql`set local jit = off`.execute(tx);
  await sql`savepoint import_temp_buffers`.execute(tx);
  try {
    await sql`set local temp_buffers = '256MB'`.execute(tx);
    await sql`release savepoint import_temp_buffers`.execute(tx);
  } catch {
    await sql`rollback to savepoint import_temp_buffers`.execute(tx);
  }
}

type Created = { id: string; stixId: string | null; title: string; tlp: Tlp; indicators: number };

/** A text source (file stream, request) of a bundle. */
export type BundleSource = AsyncIterable<string>;

/**
 * A spooled bundle as a text source, in chunks under V8's large-object size: each chunk dies young in the
 * thread that hands it to the reader, where chunks of 256 KB cost a full collection every few megabytes.
 */
export const bundleFileSource = (file: string): BundleSource => createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });

/** How the import reads (tests: `held: 0` places every report at the end). */
export type ImportOptions = Omit<PlanOptions, 'copy'> & { trace?: (phase: string) => void };

/**
 * The value dictionary and the indicators of stix_final that `rows` selects (their reports written).
 *
 * The dictionary in one statement: a new value is inserted with its count (its id: the smallest id of its
 * new indicators, a fresh UUIDv7), a known one has its count raised; past the cap it is too common. Benign
 * (excluded) values are never linked. Rows go in value order, so that the value indexes are written page
 * after page rather than at random.
 *
 * The indicators in id order: the ids (UUIDv7, in reading order), the TAXII order (created_at, id), the
 * reports and the new values' ids (the smallest id of their indicators) all grow with it, so four of the
 * five indexes are appended to rather than written at random, and the foreign-key checks read the values in
 * order (PostgreSQL, 300,000 indicators: 5.8 s instead of 9.3 s). On PostgreSQL both in one statement, the
 * indicators taking their value ids from what the dictionary's statement returns rather than from its index.
 */
async function writeValuesAndIndicators(tx: Tx, dialect: Dialect, now: string, rows: RawBuilder<unknown>, trace: (phase: string) => void = () => {}) {
  const values = sql`insert into sharing_values (id, value, linked_count, too_common, created_at)
    select min(ind_id), value, count(*), case when count(*) > ${correlationSettings.cap} then 1 else 0 end, ${now}
    from stix_final f where benign = 0 and ${rows} group by value order by value
    on conflict (value) do update set
      linked_count = sharing_values.linked_count + excluded.linked_count,
      too_common = case when sharing_values.linked_count + excluded.linked_count > ${correlationSettings.cap} then 1 else sharing_values.too_common end`;
  const indicators = (valueIds: RawBuilder<unknown>) => sql`insert into sharing_indicators (id, report_id, type, value, value_id, tlp, effective_tlp, first_seen, last_seen, created_at)
    select f.ind_id, r.id, f.type, f.value, case when f.benign = 1 then null else v.id end,
      case when f.trank > r.trank then ${tlpSql('f.trank')} else null end,
      ${tlpSql('case when f.trank > r.trank then f.trank else r.trank end')},
      f.first_seen, f.last_seen, ${now}
    from stix_final f join stix_report_ids r on r.rpos = f.rpos left join ${valueIds} v on v.value = f.value
    where ${rows} order by f.ind_id`;
  if (dialect === 'postgres') {
    await sql`with written as (${values} returning id, value) ${indicators(sql`written`)}`.execute(tx);
    trace('value dictionary and indicators');
    return;
  }
  await values.execute(tx);
  trace('value dictionary (new values, counts, cap)');
  await indicators(sql`sharing_values`).execute(tx);
  trace('insert indicators');
}

/**
 * Imports a bundle read from `source` in one transaction. `maxBytes` is enforced
 * by the caller (the upload is spooled to a file first).
 */
export async function importStixBundle(ctx: Ctx, source: BundleSource, query: StixImportQuery, audit: Audited, options: ImportOptions = {}) {
  const { db, clock } = ctx;
  const { trace = () => {}, ...planOptions } = options;
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
  // PostgreSQL: the transaction on a connection held here, whose raw client writes the staged rows with COPY.
  const inTransaction = <T>(fn: (tx: Tx, pgClient: pg.PoolClient | null) => Promise<T>) =>
    ctx.dialect === 'postgres' ? withPgClient(db, (conn, client) => conn.transaction().execute((tx) => fn(tx, client))) : db.transaction().execute((tx) => fn(tx, null));
  return inTransaction(async (tx, pgClient) => {
    const org = await tx.selectFrom('organisations').select(['id', 'kind', 'status']).where('id', '=', audit.actor.organisationId).executeTakeFirst();
    if (!org || org.status !== 'active') throw forbidden('Your organisation is archived');
    if (org.kind === 'partner' && (await sharingAgreementsInForce(tx, org.id, at)).length === 0) {
      throw conflict('Your organisation has no data-sharing agreement in force: it cannot share reports');
    }
    if (ctx.dialect === 'postgres') await postgresImportSettings(tx);
    const staging = new Staging(tx, ctx.dialect, pgClient);
    await staging.create();
    const insertReports = async (reports: PlannedReport[]) => {
      // 1,000 at a time: 11 parameters each, under both engines' bounds.
      for (let i = 0; i < reports.length; i += 1000) {
        const part = reports.slice(i, i + 1000);
        await tx
          .insertInto('sharing_reports')
          .values(part.map((r) => ({ id: r.id, title: r.title, summary: r.summary, crime_type: r.crimeType, regions: JSON.stringify(r.regions), confidence: r.confidence, tlp: r.tlp, reporter_user_id: audit.actor.userId, reporter_organisation_id: org.id, created_at: now, updated_at: now })))
          .execute();
        await sql`insert into stix_report_ids (rpos, id, trank) values ${sql.join(part.map((r) => sql`(${r.pos}, ${r.id}, ${tlpRank(r.tlp)})`))}`.execute(tx);
      }
    };
    // Reports placed on reading are stored with their indicators at once, while the reader goes on; the checks
    // that need the whole bundle come at the end as for the others, and a failure there undoes them with the rest.
    // Their indicators go in groups of batches: each value-ordered run of the dictionary's statement reads its
    // index page after page, and fewer, longer runs read each page fewer times.
    const placedOnReading = new Set<number>();
    let group: { from: number; to: number } | null = null;
    const writeGroup = async () => {
      if (!group) return;
      await writeValuesAndIndicators(tx, ctx.dialect, now, sql`f.batch between ${group.from} and ${group.to}`);
      group = null;
    };
    const plan = await planBundle(
      source,
      { defaultTlp: query.defaultTlp, crimeType: query.crimeType, now },
      correlationSettings.excluded,
      async (rows) => {
        await staging.write(rows);
        if (rows.placed.length === 0) return;
        if (placedOnReading.size === 0 && ctx.dialect === 'postgres') {
          // The value dictionary is then written group after group, not in one value order (the order every
          // writer of values keeps, against deadlocks): the other writers (filed reports, other imports) wait
          // for this import from now on. Reading the dictionary is not blocked.
          await sql`lock table sharing_values in share row exclusive mode`.execute(tx);
        }
        await insertReports(rows.placed);
        for (const r of rows.placed) placedOnReading.add(r.pos);
        group = { from: group?.from ?? rows.batch, to: rows.batch };
        if (group.to - group.from + 1 >= batchesPerGroup) await writeGroup();
      },
      { ...planOptions, copy: pgClient !== null },
    );
    await writeGroup();
    const head = plan.head;
    if (head.type !== 'bundle') fail('type', 'must be "bundle"');
    if (typeof head.id !== 'string' || !new RegExp(`^bundle--${uuidPart}$`).test(head.id)) fail('id', 'must be "bundle--<UUID>"');
    const bundleId = head.id as string;
    if (!head.hasObjects) fail('objects', 'must be an array of STIX objects');
    if (head.objects === 0) fail('objects', 'the bundle is empty');
    trace('read, validate and stage; store the reports placed on reading');
    // PostgreSQL: statistics instead of indexes (temporary tables get none of their own; without them it plans
    // the statements below for a few rows): it hashes the staged rows, which costs less than indexing them.
    // SQLite joins through indexes only.
    if (ctx.dialect === 'postgres') await sql`analyze stix_objects, stix_items, stix_observed, stix_refs`.execute(tx);
    else for (const s of stagingIndexes) await sql.raw(s).execute(tx);
    trace('index (SQLite) or analyze (PostgreSQL) the staged rows');

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
    for (const x of nested.rows) plan.ignored.push({ id: x.ref, type: x.type, reason: `referenced by observed-data ${x.parent} but not an observable Cybercap stores` });
    trace('check references');

    // Which report each indicator goes into (-1: outside any report), with what it inherits from observed
    // data; then one indicator per (report, type, value): the stricter marking, the widest dates. The
    // reports placed on reading (in stix_report_ids already) have theirs in stix_final.
    const dflt = query.defaultTlp ?? null;
    await sql`insert into stix_final (rpos, type, value, trank, first_seen, last_seen, ipos, ind_id, benign, unmarked)
      select m.rpos, i.type, i.value, max(${rankSql('coalesce(i.tlp, m.inh_tlp, ' + (dflt ? `'${dflt}'` : 'null') + ')')}),
        min(coalesce(i.first_seen, m.inh_first, ${now})), max(coalesce(i.last_seen, m.inh_last, ${now})),
        min(m.ipos), min(i.ind_id), max(i.benign), min(case when i.tlp is null and m.inh_tlp is null then m.ipos end)
      from (
        select rr.pos as rpos, o.pos as ipos, cast(null as text) as inh_tlp, cast(null as text) as inh_first, cast(null as text) as inh_last
          from stix_refs rr join stix_objects o on o.stix_id = rr.ref
          where rr.parent_type = 'report' and rr.kind = 'object' and not exists (select 1 from stix_report_ids w where w.rpos = rr.pos)
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
    if (ctx.dialect === 'postgres') await sql`analyze stix_final`.execute(tx);
    else await sql.raw('create index stix_final_ind on stix_final (ind_id, rpos)').execute(tx);
    // The same observable in several reports: one indicator in each, each with an id of its own. The one
    // already stored (its report placed on reading) keeps it; otherwise the first report's.
    const shared = await sql<{ ind_id: string; rpos: number }>`select f.ind_id, f.rpos from stix_final f
      where f.batch is null and exists (select 1 from stix_final g where g.ind_id = f.ind_id and (g.batch is not null or g.rpos < f.rpos))`.execute(tx);
    for (const s of shared.rows) await sql`update stix_final set ind_id = ${newId()} where ind_id = ${s.ind_id} and rpos = ${s.rpos} and batch is null`.execute(tx);

    trace('place in reports, merge per report');
    const stats = new Map(
      (await sql<{ rpos: number; maxr: number; minr: number; n: number }>`select rpos, max(trank) as maxr, min(trank) as minr, count(*) as n from stix_final group by rpos`.execute(tx)).rows.map((r) => [Number(r.rpos), { maxr: Number(r.maxr), minr: Number(r.minr), n: Number(r.n) }]),
    );
    const planned: Array<PlannedReport & { where: string }> = plan.reports.map((r) => ({ ...r, where: `objects[${r.pos}]` }));
    const loose = stats.get(-1);
    if (loose) {
      if (!query.crimeType) {
        const first = await sql<{ pos: number }>`select min(ipos) as pos from stix_final where rpos = -1`.execute(tx);
        fail('querystring.crimeType', `needed for the ${loose.n} indicator(s) outside any STIX report (first: objects[${first.rows[0]?.pos}])`);
      }
      const tlp = tlpLevels[loose.minr]!;
      planned.push({ pos: -1, id: newId(), where: 'objects', stixId: null, title: `STIX ${bundleId}`, summary: `Indicators imported from STIX bundle ${bundleId} outside any report.`, crimeType: query.crimeType!, regions: [], confidence: 50, tlp, createdBy: null });
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
      const id = r.id;
      if (!placedOnReading.has(r.pos)) await insertReports([r]);
      if (recipients.length > 0) await tx.insertInto('sharing_report_recipients').values(recipients.map((o) => ({ report_id: id, organisation_id: o }))).execute();
      const n = s?.n ?? 0;
      const stixId = r.pos === -1 ? null : r.stixId;
      const who = { reportId: id, reporterOrganisationId: org.id, actorUserId: audit.actor.userId, actorOrganisationId: org.id };
      log.push(
        { action: 'report.created', ...who, details: { source: 'stix', bundleId, stixId, stixSource: r.createdBy ? (plan.sources.get(r.createdBy) ?? null) : null, tlp: r.tlp, crimeType: r.crimeType, indicators: n } },
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
    await writeValuesAndIndicators(tx, ctx.dialect, now, sql`f.batch is null`, trace);
    await appendSharingLog(tx, ctx.dialect, clock, log);
    await notifyCorrelations(tx, clock, created.map((c) => c.id));
    trace('sharing log and correlation notifications');
    await staging.drop();
    return { bundleId, reports: created, indicators: created.reduce((n, r) => n + r.indicators, 0), ignored: plan.ignored };
  }).then(async (result) => {
    trace('commit');
    // PostgreSQL plans the TAXII pages and searches from table statistics; a large import makes them stale until autovacuum comes by.
    if (ctx.dialect === 'postgres' && result.indicators >= analyzeAfter) {
      await sql`analyze sharing_indicators, sharing_values, sharing_reports`.execute(db);
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

