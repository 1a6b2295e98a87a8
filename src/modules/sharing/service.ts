import type { Db, Dialect, Tx } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { conflict, forbidden, notFound, validationError } from '../../core/errors.ts';
import { canOn, reachOf, type Actor } from '../../core/permissions.ts';
import type { SharingIndicatorTable, SharingReportTable } from '../../core/db/schema.ts';
import { recordAudit } from '../audit/service.ts';
import type { Audited } from '../partners/applications.ts';
import { sharingAgreementsInForce } from '../partners/agreements.ts';
import type { Region } from '../reference/countries.ts';
import { correlationSettings, InvalidIndicator, normaliseIndicator, normalisedCandidates } from './indicators.ts';
import { appendSharingLog, type SharingLogInput } from './log.ts';
import { notifyCorrelations } from './notifications.ts';
import type { IndicatorInput, IndicatorSearchQuery, IndicatorType, LogQuery, ReportCreate, ReportQuery, ReportUpdate, SightingCreate, Tlp } from './schemas.ts';
import { indicatorsVisibleTo, reportsVisibleTo, sharingViewer, stricter, tlpRank, type Viewer } from './visibility.ts';

type Ctx = { db: Db; dialect: Dialect; clock: Clock };
const restricted = (t: Tlp) => t === 'amber_strict' || t === 'red';
const needsRecipients = restricted;
const tlpName = (t: Tlp) => `TLP:${t === 'amber_strict' ? 'AMBER+STRICT' : t.toUpperCase()}`;

// ---- Presenters ----

type ReportRow = SharingReportTable & { reporter_organisation_name: string };
type IndicatorRow = SharingIndicatorTable;

async function sightingCounts(db: Db | Tx, ids: string[]) {
  const out = new Map<string, { seen: number; falsePositive: number }>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('sharing_sightings')
    .select(['indicator_id', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('indicator_id', 'in', ids)
    .groupBy(['indicator_id', 'kind'])
    .execute();
  for (const r of rows) {
    const c = out.get(r.indicator_id) ?? { seen: 0, falsePositive: 0 };
    if (r.kind === 'seen') c.seen = Number(r.n);
    else c.falsePositive = Number(r.n);
    out.set(r.indicator_id, c);
  }
  return out;
}

function presentIndicator(r: IndicatorRow, counts: Map<string, { seen: number; falsePositive: number }>) {
  return {
    id: r.id,
    reportId: r.report_id,
    type: r.type as IndicatorType,
    value: r.value,
    tlp: r.tlp,
    effectiveTlp: r.effective_tlp,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    createdAt: r.created_at,
    sightings: counts.get(r.id) ?? { seen: 0, falsePositive: 0 },
  };
}

function presentSummary(r: ReportRow, viewer: Viewer) {
  return {
    id: r.id,
    title: r.title,
    crimeType: r.crime_type as ReportCreate['crimeType'],
    regions: JSON.parse(r.regions) as Region[],
    confidence: Number(r.confidence),
    tlp: r.tlp,
    reporter: {
      organisationId: r.reporter_organisation_id,
      organisationName: r.reporter_organisation_name,
      // Who in the organisation reported is its own business (and administrators').
      userId: viewer.all || r.reporter_organisation_id === viewer.organisationId ? r.reporter_user_id : null,
    },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const reportColumns = (q: ReturnType<typeof reportsVisibleTo>) => q.selectAll('sharing_reports').select('reporter_org.name as reporter_organisation_name');
const hitColumns = (q: ReturnType<typeof indicatorsVisibleTo>) =>
  q.selectAll('sharing_indicators').select(['sharing_reports.title as report_title', 'sharing_reports.tlp as report_tlp', 'sharing_reports.reporter_organisation_id', 'reporter_org.name as reporter_organisation_name']);
type HitRow = IndicatorRow & { report_title: string; report_tlp: Tlp; reporter_organisation_id: string; reporter_organisation_name: string };

async function presentHits(db: Db | Tx, rows: HitRow[]) {
  const counts = await sightingCounts(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...presentIndicator(r, counts), report: { id: r.report_id, title: r.report_title, tlp: r.report_tlp, reporterOrganisationName: r.reporter_organisation_name } }));
}

// ---- The sharing log of reads ----

type ReadItem = { reportId: string; indicatorId?: string; reporterOrganisationId: string; tlp: Tlp };

/** Records every read of a RED or AMBER+STRICT item, with the ground on which it was seen. Fails closed: no log, no answer. */
async function recordReads(ctx: Ctx, viewer: Viewer, path: string, items: ReadItem[]) {
  const hits = items.filter((i) => restricted(i.tlp));
  if (hits.length === 0) return;
  const reportIds = [...new Set(hits.map((h) => h.reportId))];
  const named = new Set(
    (await ctx.db.selectFrom('sharing_report_recipients').select('report_id').where('report_id', 'in', reportIds).where('organisation_id', '=', viewer.organisationId).execute()).map((r) => r.report_id),
  );
  const entries: SharingLogInput[] = hits.map((h) => ({
    action: h.indicatorId ? 'indicator.read' : 'report.read',
    reportId: h.reportId,
    indicatorId: h.indicatorId ?? null,
    reporterOrganisationId: h.reporterOrganisationId,
    actorUserId: viewer.actor.userId,
    actorOrganisationId: viewer.organisationId,
    details: {
      path,
      tlp: h.tlp,
      basis: h.reporterOrganisationId === viewer.organisationId ? 'reporter_organisation' : named.has(h.reportId) ? 'recipient' : viewer.all ? 'administrator' : 'rule',
    },
  }));
  await ctx.db.transaction().execute((tx) => appendSharingLog(tx, ctx.dialect, ctx.clock, entries));
}

// ---- Writes ----

type Normalised = { type: IndicatorType; value: string; tlp: Tlp | null; firstSeen: string; lastSeen: string };

function normaliseAll(inputs: IndicatorInput[], field: string, reportTlp: Tlp, hasRecipients: boolean, taken: Set<string>): Normalised[] {
  const out: Normalised[] = [];
  inputs.forEach((i, n) => {
    const at = `${field}.${n}`;
    let value: string;
    try {
      value = normaliseIndicator(i.type, i.value);
    } catch (e) {
      if (e instanceof InvalidIndicator) throw validationError(`${at}.value`, e.message);
      throw e;
    }
    const key = `${i.type}\u0000${value}`;
    if (taken.has(key)) throw validationError(`${at}.value`, `${value} is already in this report`);
    taken.add(key);
    const firstSeen = new Date(i.firstSeen).toISOString();
    const lastSeen = new Date(i.lastSeen).toISOString();
    if (lastSeen < firstSeen) throw validationError(`${at}.lastSeen`, 'must be on or after firstSeen');
    const tlp = i.tlp ?? null;
    if (tlp && tlpRank(tlp) < tlpRank(reportTlp)) throw validationError(`${at}.tlp`, `${tlpName(tlp)} is looser than the report's ${tlpName(reportTlp)}: an indicator may only be as strict or stricter`);
    const effective = stricter(reportTlp, tlp);
    if (needsRecipients(effective) && !hasRecipients) throw validationError(`${at}.tlp`, `${tlpName(effective)} needs named recipients: name them on the report (which must then be AMBER or stricter)`);
    out.push({ type: i.type, value, tlp, firstSeen, lastSeen });
  });
  return out;
}

/** Refuses markings and recipients that contradict each other (TLP 2.0), naming the field. */
export async function checkMarking(tx: Tx, at: Date, tlp: Tlp, reporterOrganisationId: string, recipients: readonly string[], field = 'body.recipientOrganisationIds') {
  if ((tlp === 'clear' || tlp === 'green') && recipients.length > 0) {
    throw validationError(field, `${tlpName(tlp)} is not addressed to named recipients: remove them, or mark the report AMBER, AMBER+STRICT or RED`);
  }
  if (needsRecipients(tlp) && recipients.length === 0) throw validationError(field, `${tlpName(tlp)} needs at least one named recipient organisation`);
  if (recipients.includes(reporterOrganisationId)) throw validationError(field, 'the reporting organisation always sees its own report; name other organisations');
  if (recipients.length === 0) return;
  const orgs = await tx.selectFrom('organisations').select(['id', 'kind', 'status']).where('id', 'in', [...recipients]).execute();
  for (const id of recipients) {
    const o = orgs.find((x) => x.id === id);
    if (!o || o.status !== 'active') throw validationError(field, `${id} is not an active organisation`);
    if (o.kind === 'partner') {
      const allowed = (await sharingAgreementsInForce(tx, id, at)).some((a) => tlpRank(a.maxTlp) >= tlpRank(tlp));
      if (!allowed) throw validationError(field, `${id}: the partner has no data-sharing agreement in force that allows ${tlpName(tlp)}`);
    }
  }
}

/** Links indicators to the value dictionary; a value past the cap is marked too common; excluded values are never linked. */
export async function linkValues(tx: Tx, clock: Clock, values: string[]): Promise<Map<string, string | null>> {
  const ids = new Map<string, string | null>();
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const now = iso(clock.now());
  // In a fixed order, so that two writers linking the same values cannot deadlock (PostgreSQL row locks).
  for (const [value, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (correlationSettings.excluded.has(value)) {
      ids.set(value, null);
      continue;
    }
    await tx.insertInto('sharing_values').values({ id: newId(), value, linked_count: 0, too_common: 0, created_at: now }).onConflict((oc) => oc.column('value').doNothing()).execute();
    const row = await tx
      .updateTable('sharing_values')
      .set((eb) => ({ linked_count: eb('linked_count', '+', n) }))
      .where('value', '=', value)
      .returning(['id', 'linked_count', 'too_common'])
      .executeTakeFirstOrThrow();
    if (Number(row.too_common) === 0 && Number(row.linked_count) > correlationSettings.cap) await tx.updateTable('sharing_values').set({ too_common: 1 }).where('id', '=', row.id).execute();
    ids.set(value, row.id);
  }
  return ids;
}

async function insertIndicators(tx: Tx, clock: Clock, reportId: string, reportTlp: Tlp, items: Normalised[]) {
  if (items.length === 0) return;
  const valueIds = await linkValues(tx, clock, items.map((i) => i.value));
  const now = iso(clock.now());
  const rows = items.map((i) => ({
    id: newId(),
    report_id: reportId,
    type: i.type,
    value: i.value,
    value_id: valueIds.get(i.value) ?? null,
    tlp: i.tlp,
    effective_tlp: stricter(reportTlp, i.tlp),
    first_seen: i.firstSeen,
    last_seen: i.lastSeen,
    created_at: now,
  }));
  for (let i = 0; i < rows.length; i += 200) await tx.insertInto('sharing_indicators').values(rows.slice(i, i + 200)).execute();
}

export async function createReport(ctx: Ctx, input: ReportCreate, audit: Audited) {
  const { db, clock } = ctx;
  const id = newId();
  const at = clock.now();
  await db.transaction().execute(async (tx) => {
    const org = await tx.selectFrom('organisations').select(['id', 'kind', 'status']).where('id', '=', audit.actor.organisationId).executeTakeFirst();
    if (!org || org.status !== 'active') throw forbidden('Your organisation is archived');
    if (org.kind === 'partner' && (await sharingAgreementsInForce(tx, org.id, at)).length === 0) {
      throw conflict('Your organisation has no data-sharing agreement in force: it cannot share reports');
    }
    await checkMarking(tx, at, input.tlp, org.id, input.recipientOrganisationIds);
    const indicators = normaliseAll(input.indicators, 'body.indicators', input.tlp, input.recipientOrganisationIds.length > 0, new Set());
    const now = iso(at);
    await tx
      .insertInto('sharing_reports')
      .values({
        id,
        title: input.title,
        summary: input.summary,
        crime_type: input.crimeType,
        regions: JSON.stringify(input.regions),
        confidence: input.confidence,
        tlp: input.tlp,
        reporter_user_id: audit.actor.userId,
        reporter_organisation_id: org.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (input.recipientOrganisationIds.length > 0) {
      await tx.insertInto('sharing_report_recipients').values(input.recipientOrganisationIds.map((o) => ({ report_id: id, organisation_id: o }))).execute();
    }
    await insertIndicators(tx, clock, id, input.tlp, indicators);
    if (indicators.length > 0) await notifyCorrelations(tx, clock, [id]);
    const who = { reportId: id, reporterOrganisationId: org.id, actorUserId: audit.actor.userId, actorOrganisationId: org.id };
    await appendSharingLog(tx, ctx.dialect, clock, [
      { action: 'report.created', ...who, details: { tlp: input.tlp, crimeType: input.crimeType, indicators: indicators.length } },
      ...(input.recipientOrganisationIds.length > 0 ? [{ action: 'report.shared' as const, ...who, details: { tlp: input.tlp, recipientOrganisationIds: input.recipientOrganisationIds } }] : []),
    ]);
    await recordAudit(tx, clock, {
      action: 'sharing_report.created',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'sharing_report', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { tlp: input.tlp, indicators: indicators.length },
    });
  });
  return getReport(ctx, audit.actor, id, { log: false });
}

export async function updateReport(ctx: Ctx, id: string, input: ReportUpdate, audit: Audited) {
  const { db, clock } = ctx;
  const at = clock.now();
  await db.transaction().execute(async (tx) => {
    const viewer = await sharingViewer(tx, audit.actor, at);
    // Found only through the rule (invisible → 404), then editable only by its organisation (or an administrator).
    const current = await reportsVisibleTo(tx, viewer).selectAll('sharing_reports').where('sharing_reports.id', '=', id).executeTakeFirst();
    if (!current) throw notFound('Report');
    if (!canOn(audit.actor, 'sharing.report', { organisationId: current.reporter_organisation_id })) throw forbidden('Only the reporting organisation may change this report');
    const oldRecipients = (await tx.selectFrom('sharing_report_recipients').select('organisation_id').where('report_id', '=', id).execute()).map((r) => r.organisation_id);
    const tlp = input.tlp ?? current.tlp;
    const recipients = input.recipientOrganisationIds ?? oldRecipients;
    await checkMarking(tx, at, tlp, current.reporter_organisation_id, recipients);
    const existing = await tx.selectFrom('sharing_indicators').select(['id', 'type', 'value', 'tlp', 'effective_tlp']).where('report_id', '=', id).execute();
    for (const e of existing) {
      if (e.tlp && tlpRank(e.tlp) < tlpRank(tlp)) throw validationError('body.tlp', `indicator ${e.value} is marked ${tlpName(e.tlp)}, looser than ${tlpName(tlp)}: an indicator may never be looser than its report`);
      if (needsRecipients(stricter(tlp, e.tlp)) && recipients.length === 0) throw validationError('body.recipientOrganisationIds', `indicator ${e.value} is ${tlpName(stricter(tlp, e.tlp))} and needs named recipients`);
    }
    const added = normaliseAll(input.addIndicators ?? [], 'body.addIndicators', tlp, recipients.length > 0, new Set(existing.map((e) => `${e.type}\u0000${e.value}`)));
    await tx
      .updateTable('sharing_reports')
      .set({
        ...(input.title !== undefined && { title: input.title }),
        ...(input.summary !== undefined && { summary: input.summary }),
        ...(input.crimeType !== undefined && { crime_type: input.crimeType }),
        ...(input.regions !== undefined && { regions: JSON.stringify(input.regions) }),
        ...(input.confidence !== undefined && { confidence: input.confidence }),
        tlp,
        updated_at: iso(at),
      })
      .where('id', '=', id)
      .execute();
    if (tlp !== current.tlp) {
      // The effective marking of each indicator follows the report's.
      for (const level of [null, 'clear', 'green', 'amber', 'amber_strict', 'red'] as const) {
        const q = tx.updateTable('sharing_indicators').set({ effective_tlp: stricter(tlp, level) }).where('report_id', '=', id);
        await (level === null ? q.where('tlp', 'is', null) : q.where('tlp', '=', level)).execute();
      }
    }
    const newlyNamed = recipients.filter((r) => !oldRecipients.includes(r));
    if (input.recipientOrganisationIds !== undefined) {
      await tx.deleteFrom('sharing_report_recipients').where('report_id', '=', id).execute();
      if (recipients.length > 0) await tx.insertInto('sharing_report_recipients').values(recipients.map((o) => ({ report_id: id, organisation_id: o }))).execute();
    }
    await insertIndicators(tx, clock, id, tlp, added);
    if (added.length > 0) await notifyCorrelations(tx, clock, [id]);
    const who = { reportId: id, reporterOrganisationId: current.reporter_organisation_id, actorUserId: audit.actor.userId, actorOrganisationId: audit.actor.organisationId };
    await appendSharingLog(tx, ctx.dialect, clock, [
      { action: 'report.updated', ...who, details: { changed: Object.keys(input), tlp, addedIndicators: added.length } },
      ...(newlyNamed.length > 0 ? [{ action: 'report.shared' as const, ...who, details: { tlp, recipientOrganisationIds: newlyNamed } }] : []),
    ]);
    await recordAudit(tx, clock, {
      action: 'sharing_report.updated',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'sharing_report', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { changed: Object.keys(input), tlp },
    });
  });
  return getReport(ctx, audit.actor, id, { log: false });
}

// ---- Reads: every one through the rule ----

export async function listReports(ctx: Ctx, actor: Actor, query: ReportQuery) {
  const viewer = await sharingViewer(ctx.db, actor, ctx.clock.now());
  let q = reportsVisibleTo(ctx.db, viewer);
  if (query.tlp) q = q.where('sharing_reports.tlp', '=', query.tlp);
  if (query.crimeType) q = q.where('sharing_reports.crime_type', '=', query.crimeType);
  if (query.region) q = q.where('sharing_reports.regions', 'like', `%"${query.region}"%`);
  if (query.reporterOrganisationId) q = q.where('sharing_reports.reporter_organisation_id', '=', query.reporterOrganisationId);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await reportColumns(q)
    .orderBy('sharing_reports.created_at', 'desc')
    .orderBy('sharing_reports.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  await recordReads(ctx, viewer, 'list', rows.map((r) => ({ reportId: r.id, reporterOrganisationId: r.reporter_organisation_id, tlp: r.tlp })));
  return { items: rows.map((r) => presentSummary(r, viewer)), total: Number(total), page: query.page, pageSize: query.pageSize };
}

export async function getReport(ctx: Ctx, actor: Actor, id: string, opts: { log: boolean } = { log: true }) {
  const viewer = await sharingViewer(ctx.db, actor, ctx.clock.now());
  const row = await reportColumns(reportsVisibleTo(ctx.db, viewer)).where('sharing_reports.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Report');
  const indicators = await indicatorsVisibleTo(ctx.db, viewer).selectAll('sharing_indicators').where('sharing_indicators.report_id', '=', id).orderBy('sharing_indicators.created_at').orderBy('sharing_indicators.id').execute();
  const own = viewer.all || row.reporter_organisation_id === viewer.organisationId;
  const recipients = own
    ? await ctx.db
        .selectFrom('sharing_report_recipients')
        .innerJoin('organisations', 'organisations.id', 'sharing_report_recipients.organisation_id')
        .select(['organisations.id as organisationId', 'organisations.name'])
        .where('sharing_report_recipients.report_id', '=', id)
        .orderBy('organisations.name')
        .execute()
    : null;
  if (opts.log) {
    await recordReads(ctx, viewer, 'read', [
      { reportId: row.id, reporterOrganisationId: row.reporter_organisation_id, tlp: row.tlp },
      ...indicators.filter((i) => !restricted(row.tlp)).map((i) => ({ reportId: row.id, indicatorId: i.id, reporterOrganisationId: row.reporter_organisation_id, tlp: i.effective_tlp })),
    ]);
  }
  const counts = await sightingCounts(ctx.db, indicators.map((i) => i.id));
  return { ...presentSummary(row, viewer), summary: row.summary, recipients, indicators: indicators.map((i) => presentIndicator(i, counts)) };
}

/**
 * The number of matches of a paged query: a page that is not full and not empty ends the list, so
 * the total is known without counting (most searches by value fit in their first page); otherwise
 * the matches are counted.
 */
async function totalOf(onPage: number, page: { page: number; pageSize: number }, count: () => Promise<{ total: number | string | bigint }>): Promise<number> {
  if (onPage > 0 && onPage < page.pageSize) return (page.page - 1) * page.pageSize + onPage;
  if (onPage === 0 && page.page === 1) return 0;
  return Number((await count()).total);
}

export async function searchIndicators(ctx: Ctx, actor: Actor, query: IndicatorSearchQuery) {
  let values: string[];
  if (query.type) {
    try {
      values = [normaliseIndicator(query.type, query.value)];
    } catch (e) {
      if (e instanceof InvalidIndicator) throw validationError('querystring.value', e.message);
      throw e;
    }
  } else {
    values = normalisedCandidates(query.value);
  }
  if (values.length === 0) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const viewer = await sharingViewer(ctx.db, actor, ctx.clock.now());
  let q = indicatorsVisibleTo(ctx.db, viewer).where('sharing_indicators.value', 'in', values);
  if (query.type) q = q.where('sharing_indicators.type', '=', query.type);
  const rows: HitRow[] = await hitColumns(q)
    .orderBy('sharing_indicators.created_at', 'desc')
    .orderBy('sharing_indicators.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const total = await totalOf(rows.length, query, () => q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow());
  await recordReads(ctx, viewer, 'search', rows.map((r) => ({ reportId: r.report_id, indicatorId: r.id, reporterOrganisationId: r.reporter_organisation_id, tlp: r.effective_tlp })));
  return { items: await presentHits(ctx.db, rows), total: Number(total), page: query.page, pageSize: query.pageSize };
}

async function visibleIndicatorRow(ctx: Ctx, viewer: Viewer, id: string): Promise<HitRow> {
  const row = await hitColumns(indicatorsVisibleTo(ctx.db, viewer)).where('sharing_indicators.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Indicator');
  return row;
}

export async function getIndicator(ctx: Ctx, actor: Actor, id: string) {
  const viewer = await sharingViewer(ctx.db, actor, ctx.clock.now());
  const row = await visibleIndicatorRow(ctx, viewer, id);
  await recordReads(ctx, viewer, 'read', [{ reportId: row.report_id, indicatorId: row.id, reporterOrganisationId: row.reporter_organisation_id, tlp: row.effective_tlp }]);
  return (await presentHits(ctx.db, [row]))[0]!;
}

/**
 * The other indicators with the same value that the reader may see. An
 * indicator the reader may not see is not listed and not counted. A value on
 * the exclusion list is never correlated; one linked to more indicators than
 * the cap is too common and no longer correlated.
 */
export async function indicatorCorrelations(ctx: Ctx, actor: Actor, id: string, page: { page: number; pageSize: number }) {
  const viewer = await sharingViewer(ctx.db, actor, ctx.clock.now());
  const row = await visibleIndicatorRow(ctx, viewer, id);
  const empty = (state: 'excluded' | 'too_common') => ({ indicatorId: id, value: row.value, state, items: [], total: 0, ...page });
  if (row.value_id === null || correlationSettings.excluded.has(row.value)) return empty('excluded');
  const value = await ctx.db.selectFrom('sharing_values').select(['id', 'too_common']).where('id', '=', row.value_id).executeTakeFirstOrThrow();
  if (Number(value.too_common) === 1) return empty('too_common');
  const q = indicatorsVisibleTo(ctx.db, viewer).where('sharing_indicators.value_id', '=', value.id).where('sharing_indicators.id', '!=', id);
  const rows: HitRow[] = await hitColumns(q)
    .orderBy('sharing_indicators.created_at', 'desc')
    .orderBy('sharing_indicators.id', 'desc')
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .execute();
  const total = await totalOf(rows.length, page, () => q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow());
  await recordReads(ctx, viewer, 'correlations', rows.map((r) => ({ reportId: r.report_id, indicatorId: r.id, reporterOrganisationId: r.reporter_organisation_id, tlp: r.effective_tlp })));
  return { indicatorId: id, value: row.value, state: 'linked' as const, items: await presentHits(ctx.db, rows), total: Number(total), ...page };
}

export async function recordSighting(ctx: Ctx, actor: Actor, id: string, input: SightingCreate) {
  const { db, clock } = ctx;
  const sightingId = newId();
  const now = iso(clock.now());
  const seenAt = input.seenAt ? new Date(input.seenAt).toISOString() : now;
  await db.transaction().execute(async (tx) => {
    const viewer = await sharingViewer(tx, actor, clock.now());
    const row = await indicatorsVisibleTo(tx, viewer).select(['sharing_indicators.id', 'sharing_indicators.report_id', 'sharing_reports.reporter_organisation_id']).where('sharing_indicators.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Indicator');
    await tx.insertInto('sharing_sightings').values({ id: sightingId, indicator_id: id, kind: input.kind, organisation_id: actor.organisationId, user_id: actor.userId, seen_at: seenAt, note: input.note ?? null, created_at: now }).execute();
    await appendSharingLog(tx, ctx.dialect, clock, [
      { action: 'sighting.recorded', reportId: row.report_id, indicatorId: id, reporterOrganisationId: row.reporter_organisation_id, actorUserId: actor.userId, actorOrganisationId: actor.organisationId, details: { kind: input.kind } },
    ]);
  });
  return { id: sightingId, indicatorId: id, kind: input.kind, seenAt, note: input.note ?? null, createdAt: now };
}

/** The sharing log: administrators read it all; a reporting organisation the entries about its own data. */
export async function listSharingLog(db: Db, actor: Actor, query: LogQuery) {
  const reach = reachOf(actor, 'sharing.log.read');
  if (!reach) throw forbidden();
  let q = db.selectFrom('sharing_log');
  if (reach !== 'all') q = q.where('reporter_organisation_id', '=', actor.organisationId);
  if (query.reportId) q = q.where('report_id', '=', query.reportId);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('position', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      position: Number(r.position),
      action: r.action,
      reportId: r.report_id,
      indicatorId: r.indicator_id,
      reporterOrganisationId: r.reporter_organisation_id,
      actorUserId: r.actor_user_id,
      actorOrganisationId: r.actor_organisation_id,
      occurredAt: r.occurred_at,
      details: JSON.parse(r.details) as Record<string, unknown>,
      prevHash: r.prev_hash,
      hash: r.hash,
    })),
    total: Number(total),
    page: query.page,
    pageSize: query.pageSize,
  };
}
