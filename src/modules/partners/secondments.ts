import type { Db, Tx } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { notFound, validationError } from '../../core/errors.ts';
import { reachOf, type Actor } from '../../core/permissions.ts';
import { recordAudit } from '../audit/service.ts';
import type { Audited } from './applications.ts';
import { dayOf } from './presenters.ts';
import type { Secondment, SecondmentCreate, SecondmentQuery, SecondmentStatus, SecondmentUpdate } from './schemas.ts';

/** The secondments the actor may read, by the same rule as agreements: administrators all, a partner analyst its organisation's. */
function visibleSecondments(db: Db | Tx, actor: Actor) {
  const reach = reachOf(actor, 'partners.read');
  let q = db
    .selectFrom('partner_secondments as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .innerJoin('organisations as h', 'h.id', 's.host_organisation_id')
    .selectAll('s')
    .select(['o.name as organisation_name', 'h.name as host_organisation_name']);
  if (reach !== 'all') q = q.where('s.organisation_id', '=', reach === 'organisation' ? actor.organisationId : '');
  return q;
}
type Row = Awaited<ReturnType<ReturnType<typeof visibleSecondments>['executeTakeFirstOrThrow']>>;

function statusOn(row: Pick<Row, 'status' | 'starts_on' | 'ends_on'>, today: string): SecondmentStatus {
  if (row.status === 'cancelled') return 'cancelled';
  if (today < row.starts_on) return 'planned';
  return today > row.ends_on ? 'completed' : 'in_progress';
}

function present(row: Row, today: string): Secondment {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    agreementId: row.agreement_id,
    hostOrganisationId: row.host_organisation_id,
    hostOrganisationName: row.host_organisation_name,
    expertName: row.expert_name,
    expertEmail: row.expert_email,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    objectives: row.objectives,
    status: statusOn(row, today),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listSecondments(db: Db, clock: Clock, actor: Actor, query: SecondmentQuery) {
  const today = dayOf(clock.now());
  let q = visibleSecondments(db, actor);
  if (query.organisationId) q = q.where('s.organisation_id', '=', query.organisationId);
  if (query.hostOrganisationId) q = q.where('s.host_organisation_id', '=', query.hostOrganisationId);
  switch (query.status) {
    case 'cancelled':
      q = q.where('s.status', '=', 'cancelled');
      break;
    case 'planned':
      q = q.where('s.status', '=', 'planned').where('s.starts_on', '>', today);
      break;
    case 'in_progress':
      q = q.where('s.status', '=', 'planned').where('s.starts_on', '<=', today).where('s.ends_on', '>=', today);
      break;
    case 'completed':
      q = q.where('s.status', '=', 'planned').where('s.ends_on', '<', today);
      break;
  }
  const { total } = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy('s.starts_on', 'desc')
    .orderBy('s.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map((r) => present(r, today)), total: Number(total), page: query.page, pageSize: query.pageSize };
}

export async function getSecondment(db: Db | Tx, clock: Clock, actor: Actor, id: string) {
  const row = await visibleSecondments(db, actor).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Secondment');
  return present(row, dayOf(clock.now()));
}

type Settings = { organisationId: string; agreementId: string | null; hostOrganisationId: string; startsOn: string; endsOn: string };

async function checkSettings(db: Db | Tx, s: Settings) {
  if (s.endsOn < s.startsOn) throw validationError('body.endsOn', 'must be on or after startsOn');
  const host = await db.selectFrom('organisations').select('kind').where('id', '=', s.hostOrganisationId).executeTakeFirst();
  if (host?.kind !== 'police_unit') throw validationError('body.hostOrganisationId', 'not a police organisation');
  if (s.agreementId !== null) {
    const agreement = await db.selectFrom('partner_agreements').select(['organisation_id', 'kind']).where('id', '=', s.agreementId).executeTakeFirst();
    if (!agreement || agreement.organisation_id !== s.organisationId) throw validationError('body.agreementId', 'not an agreement of this partner organisation');
    if (agreement.kind !== 'expert_secondment') throw validationError('body.agreementId', 'not an expert-secondment agreement');
  }
}

export async function createSecondment(db: Db, clock: Clock, input: SecondmentCreate, audit: Audited) {
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const org = await tx.selectFrom('organisations').select('kind').where('id', '=', input.organisationId).executeTakeFirst();
    if (org?.kind !== 'partner') throw validationError('body.organisationId', 'not a partner organisation');
    await checkSettings(tx, input);
    const now = iso(clock.now());
    await tx
      .insertInto('partner_secondments')
      .values({
        id,
        organisation_id: input.organisationId,
        agreement_id: input.agreementId,
        host_organisation_id: input.hostOrganisationId,
        expert_name: input.expertName,
        expert_email: input.expertEmail,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        objectives: input.objectives,
        status: 'planned',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await recordAudit(tx, clock, {
      action: 'partner_secondment.created',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_secondment', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { organisationId: input.organisationId, hostOrganisationId: input.hostOrganisationId },
    });
  });
  return getSecondment(db, clock, audit.actor, id);
}

export async function updateSecondment(db: Db, clock: Clock, id: string, input: SecondmentUpdate, audit: Audited) {
  await db.transaction().execute(async (tx) => {
    const current = await getSecondment(tx, clock, audit.actor, id);
    const merged: Settings = {
      organisationId: current.organisationId,
      agreementId: input.agreementId !== undefined ? input.agreementId : current.agreementId,
      hostOrganisationId: input.hostOrganisationId ?? current.hostOrganisationId,
      startsOn: input.startsOn ?? current.startsOn,
      endsOn: input.endsOn ?? current.endsOn,
    };
    await checkSettings(tx, merged);
    await tx
      .updateTable('partner_secondments')
      .set({
        agreement_id: merged.agreementId,
        host_organisation_id: merged.hostOrganisationId,
        starts_on: merged.startsOn,
        ends_on: merged.endsOn,
        ...(input.expertName !== undefined && { expert_name: input.expertName }),
        ...(input.expertEmail !== undefined && { expert_email: input.expertEmail }),
        ...(input.objectives !== undefined && { objectives: input.objectives }),
        ...(input.cancelled !== undefined && { status: input.cancelled ? ('cancelled' as const) : ('planned' as const) }),
        updated_at: iso(clock.now()),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, clock, {
      action: 'partner_secondment.updated',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_secondment', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { changed: Object.keys(input) },
    });
  });
  return getSecondment(db, clock, audit.actor, id);
}
