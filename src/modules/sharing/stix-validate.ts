import { z } from 'zod';
import { AppError, validationError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { InvalidIndicator } from './indicators.ts';
import { crimeTypes, tlpLevels, type IndicatorType, type Tlp } from './schemas.ts';
import { parsePattern, PatternError, pathTypes, stixLimits, tlpById, tlpLabel, typed } from './stix.ts';
import { regions, type Region } from '../reference/countries.ts';

// STIX 2.1 import, first half: each object of the bundle validated alone as it
// is read, and turned into the rows it contributes to the import's staging
// tables (stix-import.ts writes them and does the checks that need the whole
// bundle). Runs in a worker thread beside the writer (stix-worker.ts).
//
// A report read after everything it references (as most exports write them) is
// also placed here, when it is read: its indicators merged exactly as the
// set-based placement would merge them (stix-import.ts), so that the writer can
// store it while the rest of the bundle is read. Any other report (a reference
// not yet read or read too long ago, observed data, an indicator already placed
// in another report this way, no marking without a default) is left to that
// placement at the end.

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
  /** Its id in sharing_reports, given in reading order. */
  id: string;
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

/** What the planner needs of the request: its options, and the import's time (the dates of observables without any). */
export type PlanQuery = { defaultTlp?: Tlp | undefined; crimeType?: (typeof crimeTypes)[number] | undefined; now: string };

/** The staging tables (stix-import.ts). */
export type StagedTable = 'objects' | 'items' | 'observed' | 'refs' | 'final';
/**
 * Staged rows, flat: one array per staging table, each row's columns one after the other (cheap to hand
 * between threads); `final`: the merged indicators of `placed`, the reports placed on reading, whose rows
 * carry `batch`, the number of this handover.
 */
export type StagedRows = { [K in StagedTable]: unknown[] } & { placed: PlannedReport[]; batch: number };
export const stagedColumns: { [K in StagedTable]: string[] } = {
  objects: ['pos', 'stix_id', 'type'],
  items: ['pos', 'sub', 'type', 'value', 'tlp', 'first_seen', 'last_seen', 'ind_id', 'benign'],
  observed: ['pos', 'stix_id', 'tlp', 'first_seen', 'last_seen'],
  refs: ['pos', 'n', 'parent', 'parent_type', 'kind', 'ref'],
  final: ['rpos', 'type', 'value', 'trank', 'first_seen', 'last_seen', 'ipos', 'ind_id', 'benign', 'unmarked', 'batch'],
};
const emptyRows = (batch: number): StagedRows => ({ objects: [], items: [], observed: [], refs: [], final: [], placed: [], batch });
/** Staged values handed over at once (about 5,500 indicators): the writer starts early and the reader never waits long. */
const batchValues = 100_000;
/** Objects kept in memory to place a report on reading (its references must be among the last this many objects). */
export const heldObjects = 20_000;

/** What a recent object contributes to a report that references it: its indicators, as staged. */
type Held = { items: HeldItem[]; placed: boolean };
type HeldItem = { pos: number; type: string; value: string; tlp: Tlp | null; first: string | null; last: string | null; ind: string; benign: 0 | 1 };
/** One indicator of a report: the items of the same type and value merged (stix-import.ts, stix_final). */
type Merged = { type: string; value: string; trank: number; first: string; last: string; ipos: number; ind: string; benign: 0 | 1; unmarked: number | null };

/**
 * A copy of what is kept from an object in memory past its own reading. Strings cut from the text (keys,
 * values) share the memory of the whole chunk they were read from; one kept substring keeps its 256 KB
 * chunk alive, and a report per chunk would keep the bundle.
 */
const detach = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Validates each object as it arrives and stages what it contributes. */
export class Planner {
  readonly query: PlanQuery;
  readonly excluded: ReadonlySet<string>;
  /** Rows not yet handed over, and where they go. */
  rows: StagedRows = emptyRows(1);
  private readonly onRows: (rows: StagedRows) => void;
  readonly reports: PlannedReport[] = [];
  readonly ignored: Ignored[] = [];
  readonly sources = new Map<string, string>();
  items = 0;
  /** The last `held` objects read (not observed data, which a report placed on reading may not reference), by STIX id. */
  private readonly recent = new Map<string, Held>();
  private readonly held: number;
  /** Their ids in reading order, a ring: the oldest goes when a new one comes (a Map emptied from its front is slow to iterate). */
  private readonly ring: Array<[string, Held] | undefined> = [];
  private ringAt = 0;
  constructor(query: PlanQuery, excluded: ReadonlySet<string>, onRows: (rows: StagedRows) => void, held = heldObjects) {
    this.query = query;
    this.excluded = excluded;
    this.onRows = onRows;
    this.held = held;
  }

  /** Hands the rows staged so far over (the last time at the end of the bundle). */
  flush() {
    const rows = this.rows;
    this.rows = emptyRows(rows.batch + 1);
    this.onRows(rows);
  }

  private hold(id: string, items: HeldItem[]) {
    if (this.held === 0) return;
    const h: Held = { items, placed: false };
    const old = this.ring[this.ringAt];
    if (old && this.recent.get(old[0]) === old[1]) this.recent.delete(old[0]);
    this.ring[this.ringAt] = [id, h];
    this.ringAt = (this.ringAt + 1) % this.held;
    this.recent.set(id, h);
  }

  /**
   * Places `report` now if everything it references is held, and is neither observed data nor an
   * indicator already placed in another report on reading: its indicators merged per type and value as the
   * placement in stix-import.ts merges them (the strictest marking, the widest dates, the first position and
   * id). They go into `final` with the batch they are handed over in.
   */
  private place(report: PlannedReport, refs: string[]) {
    const held: Held[] = [];
    for (const ref of refs) {
      const h = this.recent.get(ref);
      if (!h || h.placed) return;
      held.push(h);
    }
    const dflt = this.query.defaultTlp ?? null;
    const merged = new Map<string, Merged>();
    for (const h of held) {
      for (const i of h.items) {
        const tlp = i.tlp ?? dflt;
        if (tlp === null) return; // refused at the end, at its place
        const trank = tlpLevels.indexOf(tlp);
        const first = i.first ?? this.query.now;
        const last = i.last ?? this.query.now;
        const unmarked = i.tlp === null ? i.pos : null;
        const key = `${i.type}\u0000${i.value}`;
        const m = merged.get(key);
        if (!m) {
          merged.set(key, { type: i.type, value: i.value, trank, first, last, ipos: i.pos, ind: i.ind, benign: i.benign, unmarked });
          continue;
        }
        if (trank > m.trank) m.trank = trank;
        if (first < m.first) m.first = first;
        if (last > m.last) m.last = last;
        if (i.pos < m.ipos) m.ipos = i.pos;
        if (i.ind < m.ind) m.ind = i.ind;
        if (i.benign > m.benign) m.benign = i.benign;
        if (unmarked !== null && (m.unmarked === null || unmarked < m.unmarked)) m.unmarked = unmarked;
      }
    }
    // An object without indicators (an identity, a malware) may be referenced by any number of reports.
    for (const h of held) if (h.items.length > 0) h.placed = true;
    const batch = this.rows.batch;
    for (const m of merged.values()) this.rows.final.push(report.pos, m.type, m.value, m.trank, m.first, m.last, m.ipos, m.ind, m.benign, m.unmarked, batch);
    this.rows.placed.push(report);
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

  private item(pos: number, sub: number, v: { type: IndicatorType; value: string }, tlp: Tlp | null, first: string | null, last: string | null): HeldItem {
    const ind = newId();
    const benign = this.excluded.has(v.value) ? 1 : 0;
    this.rows.items.push(pos, sub, v.type, v.value, tlp, first, last, ind, benign);
    return { pos, type: v.type, value: v.value, tlp, first, last, ind, benign };
  }

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
      this.hold(id, []);
    } else if (type === 'identity') {
      const idy = parseWith(identitySchema, obj, where);
      if (this.sources.size < stixLimits.maxIgnored) this.sources.set(detach(id), detach(idy.name));
      this.ignore({ id, type, reason: "not stored: the importing organisation becomes the reporter; the source's name is kept in the sharing log" });
      this.hold(id, []);
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
      this.hold(id, [this.item(pos, 0, v, this.ownTlp(ind, pos, id, type), firstSeen, lastSeen)]);
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
      this.hold(id, typedValues.map((v, sub) => this.item(pos, sub, v, tlp, null, null)));
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
      const objectRefs: string[] = [];
      r.object_refs.forEach((ref, n) => {
        if (tlpById.has(ref)) return;
        this.rows.refs.push(pos, n, id, type, 'object', ref);
        objectRefs.push(ref);
      });
      const report: PlannedReport = detach({
        pos,
        id: newId(),
        stixId: id,
        title,
        summary: (r.description ?? '').trim() || title,
        crimeType: crime as PlannedReport['crimeType'],
        regions: [...new Set((r.x_cybercap_regions ?? []).filter((x): x is Region => (regions as readonly string[]).includes(x)))],
        confidence: r.confidence ?? 50,
        tlp: tlp as Tlp,
        createdBy: r.created_by_ref ?? null,
      });
      this.reports.push(report);
      this.place(report, objectRefs);
      this.hold(id, []);
    } else {
      this.ignore({ id, type, reason: `the type ${type} is not mapped to Cybercap reports or indicators` });
      this.hold(id, []);
    }
    const r = this.rows;
    if (r.objects.length + r.items.length + r.observed.length + r.refs.length + r.final.length >= batchValues) this.flush();
  }
}
