import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import { isUniqueViolation } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { conflict, notFound, validationError } from '../../core/errors.ts';
import { reachOf, type Actor } from '../../core/permissions.ts';
import type { Region } from '../reference/countries.ts';
import { recordAudit } from '../audit/service.ts';
import type { Audited } from './applications.ts';
import { dayOf, effectiveStatus, presentAgreement, type AgreementRow, type ScopeRows } from './presenters.ts';
import type { AgreementCreate, AgreementQuery, AgreementStatus, AgreementStatusChange, AgreementUpdate, PartnershipKind, Tlp, dataCategories } from './schemas.ts';

/**
 * The agreements the actor may read, as a query: the one rule of every read
 * path. Administrators read all; a partner analyst its own organisation's; anyone
 * else none (an agreement they may not see is simply not found).
 */
function visibleAgreements(db: Db | Tx, actor: Actor) {
  const reach = reachOf(actor, 'partners.read');
  let q = db
    .selectFrom('partner_agreements')
    .innerJoin('organisations', 'organisations.id', 'partner_agreements.organisation_id')
    .selectAll('partner_agreements')
    .select('organisations.name as organisation_name');
  if (reach !== 'all') q = q.where('partner_agreements.organisation_id', '=', reach === 'organisation' ? actor.organisationId : '');
  return q;
}

async function scopesOf(db: Db | Tx, ids: string[]): Promise<ScopeRows> {
  if (ids.length === 0) return [];
  return db.selectFrom('partner_agreement_scopes').selectAll().where('agreement_id', 'in', ids).execute();
}

async function present(db: Db | Tx, rows: AgreementRow[], today: string) {
  const scopes = await scopesOf(db, rows.map((r) => r.id));
  return rows.map((r) => presentAgreement(r, scopes, today));
}

/** Stored status condition matching an effective status on a day (see effectiveStatus). */
function whereEffective(q: ReturnType<typeof visibleAgreements>, status: AgreementStatus, today: string) {
  switch (status) {
    case 'draft':
      return q.where('partner_agreements.status', '=', 'draft');
    case 'expired':
      return q.where((eb) =>
        eb.or([
          eb('partner_agreements.status', '=', 'expired'),
          eb.and([eb('partner_agreements.status', 'in', ['active', 'suspended']), eb('partner_agreements.ends_on', 'is not', null), eb('partner_agreements.ends_on', '<', today)]),
        ]),
      );
    default:
      return q.where('partner_agreements.status', '=', status).where((eb) => eb.or([eb('partner_agreements.ends_on', 'is', null), eb('partner_agreements.ends_on', '>=', today)]));
  }
}

export async function listAgreements(db: Db, clock: Clock, actor: Actor, query: AgreementQuery) {
  const today = dayOf(clock.now());
  let q = visibleAgreements(db, actor);
  if (query.organisationId) q = q.where('partner_agreements.organisation_id', '=', query.organisationId);
  if (query.kind) q = q.where('partner_agreements.kind', '=', query.kind);
  if (query.status) q = whereEffective(q, query.status, today);
  const { total } = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const desc = query.sort.startsWith('-');
  const column = ({ startsOn: 'partner_agreements.starts_on', endsOn: 'partner_agreements.ends_on', title: 'partner_agreements.title' } as const)[query.sort.replace('-', '') as 'startsOn' | 'endsOn' | 'title'];
  const rows = await q
    .orderBy(column === 'partner_agreements.title' ? sql<string>`lower(${sql.ref(column)})` : sql.ref(column), desc ? 'desc' : 'asc')
    .orderBy('partner_agreements.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: await present(db, rows, today), total: Number(total), page: query.page, pageSize: query.pageSize };
}

export async function getAgreement(db: Db | Tx, clock: Clock, actor: Actor, id: string) {
  const row = await visibleAgreements(db, actor).where('partner_agreements.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Agreement');
  return (await present(db, [row], dayOf(clock.now())))[0]!;
}

/** Agreements in force or suspended whose end date falls within the next `days` days: the reminders. */
export async function expiringAgreements(db: Db, clock: Clock, actor: Actor, days: number) {
  const now = clock.now();
  const today = dayOf(now);
  const until = dayOf(new Date(now.getTime() + days * 86400_000));
  const rows = await visibleAgreements(db, actor)
    .where('partner_agreements.status', 'in', ['active', 'suspended'])
    .where('partner_agreements.ends_on', '>=', today)
    .where('partner_agreements.ends_on', '<=', until)
    .orderBy('partner_agreements.ends_on')
    .orderBy('partner_agreements.id')
    .execute();
  return { days, items: await present(db, rows, today) };
}

type Settings = {
  kind: PartnershipKind;
  startsOn: string;
  endsOn: string | null;
  dataCategories: ReadonlyArray<(typeof dataCategories)[number]>;
  maxTlp: Tlp | null;
  scopeOrganisationIds: readonly string[];
  scopeRegions: readonly Region[];
};

/** Refuses settings that contradict each other, naming the field. */
async function checkSettings(db: Db | Tx, s: Settings) {
  if (s.endsOn !== null && s.endsOn < s.startsOn) throw validationError('body.endsOn', 'must be on or after startsOn');
  if (s.kind !== 'data_sharing') {
    if (s.dataCategories.length > 0) throw validationError('body.dataCategories', 'only a data-sharing agreement covers data categories');
    if (s.maxTlp !== null) throw validationError('body.maxTlp', 'only a data-sharing agreement sets the highest TLP');
    if (s.scopeOrganisationIds.length > 0) throw validationError('body.scopeOrganisationIds', 'only a data-sharing agreement has a scope');
    if (s.scopeRegions.length > 0) throw validationError('body.scopeRegions', 'only a data-sharing agreement has a scope');
    return;
  }
  if (s.dataCategories.length === 0) throw validationError('body.dataCategories', 'a data-sharing agreement covers at least one data category');
  if (s.maxTlp === null) throw validationError('body.maxTlp', 'a data-sharing agreement sets the highest TLP the partner may receive');
  if (s.scopeOrganisationIds.length === 0 && s.scopeRegions.length === 0) {
    throw validationError('body.scopeOrganisationIds', 'a data-sharing agreement names police organisations or regions in scope');
  }
  if (s.scopeOrganisationIds.length > 0) {
    const found = await db.selectFrom('organisations').select('id').where('id', 'in', [...s.scopeOrganisationIds]).where('kind', '=', 'police_unit').execute();
    const known = new Set(found.map((o) => o.id));
    const missing = s.scopeOrganisationIds.find((id) => !known.has(id));
    if (missing) throw validationError('body.scopeOrganisationIds', `${missing} is not a police organisation`);
  }
}

async function writeScopes(tx: Tx, id: string, s: Pick<Settings, 'scopeOrganisationIds' | 'scopeRegions'>) {
  await tx.deleteFrom('partner_agreement_scopes').where('agreement_id', '=', id).execute();
  const rows = [
    ...s.scopeOrganisationIds.map((v) => ({ agreement_id: id, scope_type: 'organisation' as const, scope_value: v })),
    ...s.scopeRegions.map((v) => ({ agreement_id: id, scope_type: 'region' as const, scope_value: v })),
  ];
  if (rows.length > 0) await tx.insertInto('partner_agreement_scopes').values(rows).execute();
}

const referenceTaken = () => conflict('reference: an agreement with this reference already exists', [{ path: 'body.reference', message: 'already exists' }]);

export async function createAgreement(db: Db, clock: Clock, input: AgreementCreate, audit: Audited) {
  const id = newId();
  try {
    await db.transaction().execute(async (tx) => {
      const org = await tx.selectFrom('organisations').select(['id', 'kind', 'status']).where('id', '=', input.organisationId).executeTakeFirst();
      if (!org || org.kind !== 'partner') throw validationError('body.organisationId', 'not a partner organisation');
      if (org.status !== 'active') throw conflict('organisationId: the partner organisation is archived');
      await checkSettings(tx, input);
      const now = iso(clock.now());
      await tx
        .insertInto('partner_agreements')
        .values({
          id,
          organisation_id: input.organisationId,
          kind: input.kind,
          title: input.title,
          reference: input.reference,
          starts_on: input.startsOn,
          ends_on: input.endsOn,
          status: 'draft',
          data_categories: JSON.stringify(input.dataCategories),
          max_tlp: input.maxTlp,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await writeScopes(tx, id, input);
      await recordAudit(tx, clock, {
        action: 'partner_agreement.created',
        outcome: 'success',
        actor: audit.actor,
        target: { type: 'partner_agreement', id },
        ip: audit.ip,
        requestId: audit.requestId,
        details: { organisationId: input.organisationId, kind: input.kind, reference: input.reference },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw referenceTaken();
    throw error;
  }
  return getAgreement(db, clock, audit.actor, id);
}

export async function updateAgreement(db: Db, clock: Clock, id: string, input: AgreementUpdate, audit: Audited) {
  try {
    await db.transaction().execute(async (tx) => {
      const current = await getAgreement(tx, clock, audit.actor, id);
      if (current.status === 'expired') throw conflict('status: an expired agreement cannot be changed; record a new one');
      const merged: Settings = {
        kind: current.kind,
        startsOn: input.startsOn ?? current.startsOn,
        endsOn: input.endsOn !== undefined ? input.endsOn : current.endsOn,
        dataCategories: input.dataCategories ?? current.dataCategories,
        maxTlp: input.maxTlp !== undefined ? input.maxTlp : current.maxTlp,
        scopeOrganisationIds: input.scopeOrganisationIds ?? current.scopeOrganisationIds,
        scopeRegions: input.scopeRegions ?? current.scopeRegions,
      };
      await checkSettings(tx, merged);
      await tx
        .updateTable('partner_agreements')
        .set({
          ...(input.title !== undefined && { title: input.title }),
          ...(input.reference !== undefined && { reference: input.reference }),
          starts_on: merged.startsOn,
          ends_on: merged.endsOn,
          data_categories: JSON.stringify(merged.dataCategories),
          max_tlp: merged.maxTlp,
          updated_at: iso(clock.now()),
        })
        .where('id', '=', id)
        .execute();
      if (input.scopeOrganisationIds !== undefined || input.scopeRegions !== undefined) await writeScopes(tx, id, merged);
      await recordAudit(tx, clock, {
        action: 'partner_agreement.updated',
        outcome: 'success',
        actor: audit.actor,
        target: { type: 'partner_agreement', id },
        ip: audit.ip,
        requestId: audit.requestId,
        details: { changed: Object.keys(input) },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw referenceTaken();
    throw error;
  }
  return getAgreement(db, clock, audit.actor, id);
}

/** Stored transitions: a draft is activated; an agreement in force is suspended, resumed or ended early. */
const agreementTransitions: Record<AgreementStatus, readonly AgreementStatus[]> = {
  draft: ['active'],
  active: ['suspended', 'expired'],
  suspended: ['active', 'expired'],
  expired: [],
};

export async function changeAgreementStatus(db: Db, clock: Clock, id: string, input: AgreementStatusChange, audit: Audited) {
  await db.transaction().execute(async (tx) => {
    const current = await getAgreement(tx, clock, audit.actor, id);
    if (!agreementTransitions[current.status].includes(input.status)) {
      throw conflict(`status: an agreement ${current.status} cannot become ${input.status}`, { from: current.status, allowed: agreementTransitions[current.status] });
    }
    const today = dayOf(clock.now());
    if (input.status === 'active' && current.endsOn !== null && current.endsOn < today) throw conflict('status: the end date has passed; change it before activating');
    const moved = await tx
      .updateTable('partner_agreements')
      .set({ status: input.status, updated_at: iso(clock.now()) })
      .where('id', '=', id)
      .where('status', '=', current.storedStatus)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw conflict('status: the agreement changed meanwhile; reload it');
    await recordAudit(tx, clock, {
      action: 'partner_agreement.status_changed',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_agreement', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { from: current.status, to: input.status, ...(input.reason && { reason: input.reason }) },
    });
  });
  return getAgreement(db, clock, audit.actor, id);
}

export type SharingAgreement = {
  id: string;
  reference: string;
  startsOn: string;
  endsOn: string | null;
  dataCategories: Array<(typeof dataCategories)[number]>;
  maxTlp: Tlp;
  scopeOrganisationIds: string[];
  scopeRegions: Region[];
};

/**
 * The data-sharing agreements that allow a partner organisation to share at a
 * moment: active (not draft, suspended or expired), begun, not past their end
 * date, of a partner organisation that is not archived. The information-sharing
 * step decides every read through this, so a suspended or lapsed agreement stops
 * the sharing it allowed at once.
 */
export async function sharingAgreementsInForce(db: Db | Tx, partnerOrganisationId: string, at: Date): Promise<SharingAgreement[]> {
  const day = dayOf(at);
  const rows = await db
    .selectFrom('partner_agreements')
    .innerJoin('organisations', 'organisations.id', 'partner_agreements.organisation_id')
    .selectAll('partner_agreements')
    .select('organisations.name as organisation_name')
    .where('partner_agreements.organisation_id', '=', partnerOrganisationId)
    .where('organisations.kind', '=', 'partner')
    .where('organisations.status', '=', 'active')
    .where('partner_agreements.kind', '=', 'data_sharing')
    .where('partner_agreements.status', '=', 'active')
    .where('partner_agreements.starts_on', '<=', day)
    .where((eb) => eb.or([eb('partner_agreements.ends_on', 'is', null), eb('partner_agreements.ends_on', '>=', day)]))
    .orderBy('partner_agreements.starts_on')
    .orderBy('partner_agreements.id')
    .execute();
  const scopes = await scopesOf(db, rows.map((r) => r.id));
  return rows
    .filter((r) => effectiveStatus(r, day) === 'active' && r.max_tlp !== null)
    .map((r) => {
      const p = presentAgreement(r, scopes, day);
      return { id: p.id, reference: p.reference, startsOn: p.startsOn, endsOn: p.endsOn, dataCategories: p.dataCategories, maxTlp: p.maxTlp!, scopeOrganisationIds: p.scopeOrganisationIds, scopeRegions: p.scopeRegions };
    });
}
