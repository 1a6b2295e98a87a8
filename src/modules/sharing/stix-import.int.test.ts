import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeOrganisation, makeUser, signedIn, startTestApp, type TestEnv } from '../../test/harness.ts';
import { AppError } from '../../core/errors.ts';
import type { Audited } from '../partners/applications.ts';
import { normaliseIndicator } from './indicators.ts';
import { importStixBundle, stixImportQuery, type ImportOptions } from './stix-import.ts';
import { tlp2Ids as T } from './stix.ts';

// The STIX import on both engines: texts that need escaping on their way to the
// database (COPY on PostgreSQL) come back exactly; and a report stored as soon
// as it is read stores exactly what placing it after the whole bundle stores,
// and a refused bundle is refused with the same message, storing nothing.

let seq = 0;
const uuid = () => crypto.randomUUID();
const t0 = '2026-01-01T00:00:00.000Z';

const ind = (pattern: string, marking: string | null, over: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${uuid()}`,
  created: t0,
  modified: t0,
  pattern,
  pattern_type: 'stix',
  valid_from: t0,
  ...(marking ? { object_marking_refs: [marking] } : {}),
  ...over,
});
const report = (name: string, refs: Array<{ id: string }>, marking: string, over: Record<string, unknown> = {}) => ({
  type: 'report',
  spec_version: '2.1',
  id: `report--${uuid()}`,
  created: t0,
  modified: t0,
  name,
  published: t0,
  labels: ['phishing'],
  object_refs: refs.map((r) => r.id),
  object_marking_refs: [marking],
  ...over,
});
const sco = (type: string, value: string, marking: string | null) => ({ type, spec_version: '2.1', id: `${type}--${uuid()}`, value, ...(marking ? { object_marking_refs: [marking] } : {}) });
const observed = (refs: Array<{ id: string }>, marking: string, first: string, last: string) => ({
  type: 'observed-data',
  spec_version: '2.1',
  id: `observed-data--${uuid()}`,
  created: t0,
  modified: t0,
  first_observed: first,
  last_observed: last,
  number_observed: 1,
  object_refs: refs.map((r) => r.id),
  object_marking_refs: [marking],
});
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${uuid()}`, objects });
const url = (u: string) => `[url:value = '${u.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;

/** Every way a report meets its indicators: after them, before them, sharing one, through observed data, none; then `bulk` more in reports of 500. */
function mixedBundle(tag: string, bulk = 0) {
  const i1 = ind(`[domain-name:value = 'one-${tag}.evil.test']`, T.green);
  // The same value twice in a report: one indicator, the stricter marking and the widest dates.
  const i2 = ind(`[ipv4-addr:value = '198.51.100.${seq++ % 250}']`, T.green, { valid_from: '2026-01-03T00:00:00Z' });
  const i3 = ind(i2.pattern, T.amber, { valid_from: '2026-01-02T00:00:00Z', x_cybercap_last_seen: '2026-01-09T00:00:00Z' });
  const benign = ind("[ipv4-addr:value = '8.8.8.8']", T.green);
  const unmarked = ind(`[domain-name:value = 'unmarked-${tag}.evil.test']`, null);
  const s1 = sco('domain-name', `sco-${tag}.evil.test`, T.green);
  const r1 = report(`After its indicators ${tag}`, [i1, i2, i3, benign, unmarked, s1], T.green);
  // Shares i1 with r1 (read after it): an indicator of its own, with an id of its own.
  const i5 = ind(`[email-addr:value = 'five@${tag}.evil.test']`, T.amber);
  const r2 = report(`Sharing one ${tag}`, [i1, i5], T.green);
  // Before its indicators.
  const i6 = ind(`[url:value = 'http://six-${tag}.evil.test/a']`, T.green);
  const i7 = ind(`[domain-name:value = 'one-${tag}.evil.test']`, T.green); // the value of i1 again: a correlation
  const r3 = report(`Before its indicators ${tag}`, [i6, i7], T.green);
  // Observed data: an observable in a report (which it inherits from) and outside any report (loose).
  const s2 = sco('ipv4-addr', `203.0.113.${seq++ % 250}`, null);
  const od1 = observed([s2], T.amber, '2026-02-01T00:00:00Z', '2026-02-03T00:00:00Z');
  const r4 = report(`Through observed data ${tag}`, [od1], T.green);
  const s3 = sco('domain-name', `loose-sco-${tag}.evil.test`, T.green);
  const od2 = observed([s3, s1], T.green, '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z');
  // Directly in a report read after it, and through observed data in no report (outside any report too).
  const r5 = report(`Also loose ${tag}`, [s3], T.green);
  const loose = ind(`[domain-name:value = 'loose-${tag}.evil.test']`, T.green);
  const more: unknown[] = [];
  for (let r = 0; r * 500 < bulk; r++) {
    // Every tenth value also in the report before (correlations), the rest new.
    const inds = Array.from({ length: Math.min(500, bulk - r * 500) }, (_v, k) => ind(`[domain-name:value = 'b${k % 10 === 0 && r > 0 ? r - 1 : r}-${k}.${tag}.evil.test']`, k % 7 === 0 ? T.amber : T.green));
    more.push(...inds, report(`Bulk ${r} ${tag}`, inds, T.green));
  }
  return bundle([i1, i2, i3, benign, unmarked, s1, r1, i5, r2, r3, i6, i7, s2, od1, r4, s3, od2, r5, loose, ...more]);
}

/** An app of its own, with an importing unit: what an import does there can be compared whole. */
async function importerApp() {
  const env = await startTestApp();
  const org = await makeOrganisation(env, { countryCode: 'FR' });
  const user = await makeUser(env, { organisationId: org.id, roles: ['expert'] });
  const audit: Audited = { actor: { userId: user.id, organisationId: org.id, roles: ['expert'], email: user.email }, ip: null, requestId: 'test' };
  const run = (b: unknown, query: Record<string, string>, options: ImportOptions) =>
    importStixBundle(
      { db: env.ctx.database.db, dialect: env.ctx.database.dialect, clock: env.ctx.clock },
      (async function* () {
        yield JSON.stringify(b);
      })(),
      stixImportQuery.parse(query),
      audit,
      options,
    );

  /** What an import stored, without the ids it drew. */
  async function stored(result: Awaited<ReturnType<typeof run>>) {
    const { db } = env.ctx.database;
    const ids = result.reports.map((r) => r.id);
    const reports = await db.selectFrom('sharing_reports').select(['id', 'title', 'summary', 'crime_type', 'regions', 'confidence', 'tlp']).where('id', 'in', ids).execute();
    const title = new Map(reports.map((r) => [r.id, r.title]));
    const indicators = await db
      .selectFrom('sharing_indicators as i')
      .leftJoin('sharing_values as v', 'v.id', 'i.value_id')
      .select(['i.id', 'i.report_id', 'i.type', 'i.value', 'i.tlp', 'i.effective_tlp', 'i.first_seen', 'i.last_seen', 'v.value as linked', 'v.linked_count', 'v.too_common'])
      .where('i.report_id', 'in', ids)
      .execute();
    expect(new Set(indicators.map((i) => i.id)).size).toBe(indicators.length);
    const log = await db.selectFrom('sharing_log').select(['action', 'report_id', 'details']).where('report_id', 'in', ids).orderBy('position').execute();
    const notifications = await db.selectFrom('sharing_notifications').select(['report_id', 'related_report_id']).where('report_id', 'in', ids).execute();
    const key = (o: object) => JSON.stringify(o);
    return {
      result: { ...result, reports: result.reports.map(({ id: _id, ...r }) => r) },
      reports: reports.map(({ id: _id, ...r }) => r).sort((a, b) => a.title.localeCompare(b.title)),
      indicators: indicators.map(({ id: _id, report_id, linked_count, ...i }) => ({ ...i, report: title.get(report_id), linkedCount: Number(linked_count) })).sort((a, b) => key(a).localeCompare(key(b))),
      log: log.map((e) => ({ action: e.action, report: title.get(e.report_id!), details: e.details })),
      notifications: notifications.map((n) => [title.get(n.report_id), title.get(n.related_report_id)]).sort(),
    };
  }
  const client = (await signedIn(env, { organisationId: org.id, roles: ['expert'] })).client;
  return { env, client, run, stored };
}

describe('STIX import', () => {
  let app: Awaited<ReturnType<typeof importerApp>>;
  let importer: Awaited<ReturnType<typeof importerApp>>['client'];

  beforeAll(async () => {
    app = await importerApp();
    importer = app.client;
  });
  afterAll(async () => app?.env.close());

  it('stores values that need escaping (backslash, \\N, tab-like text, non-Latin) exactly as normalised', async () => {
    const tag = `esc${uuid().slice(0, 8)}`;
    const urls = [
      `http://${tag}.evil.test/p?q=a\\b&r=\\N&s=\\t#frag\\ment`,
      `http://${tag}.evil.test/?\\`,
      `http://${tag}.evil.test/שלום?עולם=مرحبا`,
      `http://${tag}.evil.test/x?a=%09%0A&b=\\\\.`,
      `http://${tag}.evil.test/\\r\\n`,
    ];
    const domains = [`بنك.${tag}.test`, `Bücher-${tag}.evil.test`];
    const objects = [...urls.map((u) => ind(url(u), T.green)), ...domains.map((d) => ind(`[domain-name:value = '${d}']`, T.green))];
    const b = bundle([...objects, report(`Escapes ${tag} — تقرير`, objects, T.green, { description: 'tab\there\nline\\N' })]);
    const res = await importer.post('/api/sharing/stix/bundles', b);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const back = (await importer.get(`/api/sharing/reports/${res.body.reports[0].id}`)).body;
    expect(back.title).toBe(`Escapes ${tag} — تقرير`);
    expect(back.summary).toBe('tab\there\nline\\N');
    const expected = [...urls.map((u) => normaliseIndicator('url', u)), ...domains.map((d) => normaliseIndicator('domain', d))];
    expect(expected.filter((v) => v.includes('\\')).length).toBeGreaterThan(2);
    expect(back.indicators.map((i: { value: string }) => i.value).sort()).toEqual(expected.sort());
    // And found by value.
    for (const v of expected.slice(0, 2)) {
      const found = await importer.get(`/api/sharing/indicators?type=url&value=${encodeURIComponent(v)}`);
      expect(found.body.total, v).toBe(1);
    }
  });

  it('stores a report read after its indicators at once, exactly as placing it at the end would', async () => {
    const query = { crimeType: 'phishing', defaultTlp: 'amber' };
    // Large enough to be handed over in several batches, reports straddling them.
    const text = JSON.stringify(mixedBundle(`mx${uuid().slice(0, 8)}`, 12_000));
    // The same bundle (the same STIX ids) into two fresh databases, reports stored on reading or at the end.
    const other = await importerApp();
    let onReading: Awaited<ReturnType<typeof app.stored>>;
    let atTheEnd: typeof onReading;
    try {
      // The same moment (the dates of observables without any).
      const at = new Date(app.env.clock.now().getTime() + 60_000);
      app.env.clock.set(at);
      other.env.clock.set(at);
      // Read in the worker thread, as large bundles are.
      onReading = await app.stored(await app.run(JSON.parse(text), query, { inThreadBytes: 0 }));
      atTheEnd = await other.stored(await other.run(JSON.parse(text), query, { held: 0 }));
    } finally {
      await other.env.close();
    }
    expect(onReading.result.reports.map((r) => [r.title.split(' mx')[0], r.indicators])).toEqual([
      ['After its indicators', 5],
      ['Sharing one', 2],
      ['Before its indicators', 2],
      ['Through observed data', 1],
      ['Also loose', 1],
      ...Array.from({ length: 24 }, (_v, r) => [`Bulk ${r}`, 500]),
      [expect.stringMatching(/^STIX bundle--/), 3],
    ]);
    expect(atTheEnd).toEqual(onReading);
    // Merged: the stricter marking and the widest dates of the two; the benign value never linked; the default marking.
    const merged = onReading.indicators.find((i) => i.type === 'ipv4' && i.report?.startsWith('After') && i.value !== '8.8.8.8')!;
    expect(merged).toMatchObject({ tlp: 'amber', effective_tlp: 'amber', first_seen: '2026-01-02T00:00:00.000Z', last_seen: '2026-01-09T00:00:00.000Z' });
    expect(onReading.indicators.find((i) => i.value === '8.8.8.8')).toMatchObject({ linked: null });
    expect(onReading.indicators.find((i) => i.value.startsWith('unmarked-'))).toMatchObject({ tlp: 'amber', effective_tlp: 'amber' });
    // Inherited from observed data; one value in three reports, correlated.
    expect(onReading.indicators.find((i) => i.report?.startsWith('Through'))).toMatchObject({ tlp: 'amber', first_seen: '2026-02-01T00:00:00.000Z', last_seen: '2026-02-03T00:00:00.000Z' });
    expect(onReading.indicators.filter((i) => i.value.startsWith('one-')).map((i) => i.linkedCount)).toEqual([3, 3, 3]);
    expect(onReading.notifications.length).toBeGreaterThan(0);
  });

  it('refuses a bundle with the same message whether its reports were stored on reading or not, and stores nothing', async () => {
    const { db } = app.env.ctx.database;
    const count = async () => Number((await sql<{ n: number }>`select (select count(*) from sharing_reports) + (select count(*) from sharing_indicators) + (select count(*) from sharing_values) + (select count(*) from sharing_log) as n`.execute(db)).rows[0]!.n);
    const tag = () => `rf${uuid().slice(0, 8)}`;
    const cases: Array<[string, () => unknown, Record<string, string>]> = [
      ['a dangling reference after a stored report', () => { const b = mixedBundle(tag()); b.objects.push(report('Dangling', [{ id: `indicator--${uuid()}` }], T.green)); return b; }, { crimeType: 'phishing', defaultTlp: 'amber' }],
      ['a stored indicator appearing twice', () => { const b = mixedBundle(tag()); b.objects.push({ ...(b.objects[0] as object) }); return b; }, { crimeType: 'phishing', defaultTlp: 'amber' }],
      ['an unmarked indicator without a default', () => mixedBundle(tag()), { crimeType: 'phishing' }],
      ['AMBER+STRICT in a GREEN report without recipients', () => { const i = ind(`[domain-name:value = 'strict-${tag()}.evil.test']`, T.amber_strict); return bundle([i, report('Strict inside', [i], T.green)]); }, {}],
      ['outside any report without a crime type', () => mixedBundle(tag()), { defaultTlp: 'amber' }],
      ['an invalid object after a stored report', () => { const b = mixedBundle(tag()); b.objects.push(ind("[ipv4-addr:value = '999.1.1.1']", T.green)); return b; }, { crimeType: 'phishing', defaultTlp: 'amber' }],
    ];
    for (const [name, make, query] of cases) {
      const text = JSON.stringify(make());
      const before = await count();
      const errors: string[] = [];
      for (const options of [{}, { inThreadBytes: 0 }, { held: 0 }]) {
        const e = await app.run(JSON.parse(text), query, options).then(() => null, (x: unknown) => x);
        expect(e, name).toBeInstanceOf(AppError);
        errors.push((e as AppError).message);
      }
      expect(new Set(errors).size, `${name}: ${errors.join(' / ')}`).toBe(1);
      expect(await count(), name).toBe(before);
    }
  });
});
