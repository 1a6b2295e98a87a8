import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../../core/db/schema.ts';
import type { Db, Tx } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { conflict, forbidden, notFound, validationError } from '../../core/errors.ts';
import { reachOf, type Actor } from '../../core/permissions.ts';
import { recordAudit } from '../audit/service.ts';
import type { Audited } from './applications.ts';
import { dayOf, effectiveStatus } from './presenters.ts';
import type { AccessDecision, AccessRequest, AccessRequestQuery, AccessState, Offer, OfferCreate, OfferQuery, OfferUpdate } from './schemas.ts';

// The catalogue of tools and datasets partners offer under an "analysis tools
// and data" agreement, and the per-user access to them. One rule decides
// whether access is in force (activeAccess): approved, not past its expiry, the
// offer still available, its agreement in force, the partner not archived — so
// suspending or ending the agreement stops every grant under it at once.

type Joined = { f: Database['partner_offers']; o: Database['organisations']; a: Database['partner_agreements'] };

/** The offer can be requested and used on `day`: available, its agreement in force, its partner active. */
function openOn(eb: ExpressionBuilder<Joined, 'f' | 'o' | 'a'>, day: string) {
  return eb.and([
    eb('f.status', '=', 'available'),
    eb('o.status', '=', 'active'),
    eb('a.status', '=', 'active'),
    eb('a.starts_on', '<=', day),
    eb.or([eb('a.ends_on', 'is', null), eb('a.ends_on', '>=', day)]),
  ]);
}

type OpenFields = { offer_status: string; organisation_status: string; agreement_status: Database['partner_agreements']['status']; agreement_starts_on: string; agreement_ends_on: string | null };
const isOpen = (r: OpenFields, day: string) =>
  r.offer_status === 'available' && r.organisation_status === 'active' && r.agreement_status === 'active' && r.agreement_starts_on <= day && (r.agreement_ends_on === null || r.agreement_ends_on >= day);

function offers(db: Db | Tx) {
  return db
    .selectFrom('partner_offers as f')
    .innerJoin('organisations as o', 'o.id', 'f.organisation_id')
    .innerJoin('partner_agreements as a', 'a.id', 'f.agreement_id')
    .selectAll('f')
    .select([
      'f.status as offer_status',
      'o.name as organisation_name',
      'o.status as organisation_status',
      'a.reference as agreement_reference',
      'a.title as agreement_title',
      'a.status as agreement_status',
      'a.starts_on as agreement_starts_on',
      'a.ends_on as agreement_ends_on',
    ]);
}
type OfferRow = Awaited<ReturnType<ReturnType<typeof offers>['executeTakeFirstOrThrow']>>;

/**
 * The offers the actor may see, the one rule of every read path: administrators
 * all; a partner analyst its own organisation's; a police user the open ones.
 */
function visibleOffers(db: Db | Tx, actor: Actor, day: string) {
  const q = offers(db);
  switch (reachOf(actor, 'partners.catalogue.read')) {
    case 'all':
      return q;
    case 'organisation':
      return q.where('f.organisation_id', '=', actor.organisationId);
    case 'self':
      return q.where((eb) => openOn(eb, day));
    default:
      return q.where(sql<boolean>`1 = 0`);
  }
}

function requestState(r: OpenFields & { request_status: Database['partner_access_requests']['status']; expires_on: string | null }, day: string): AccessState {
  if (r.request_status !== 'approved') return r.request_status;
  if (r.expires_on === null || r.expires_on < day) return 'expired';
  return isOpen(r, day) ? 'active' : 'lapsed';
}

async function presentOffers(db: Db | Tx, actor: Actor, rows: OfferRow[], day: string): Promise<Offer[]> {
  const reach = reachOf(actor, 'partners.catalogue.read');
  const mine =
    rows.length === 0
      ? []
      : await db
          .selectFrom('partner_access_requests')
          .select(['id', 'offer_id', 'status', 'expires_on', 'requested_at'])
          .where('user_id', '=', actor.userId)
          .where('offer_id', 'in', rows.map((r) => r.id))
          .orderBy('requested_at', 'desc')
          .orderBy('id', 'desc')
          .execute();
  return rows.map((r) => {
    const latest = mine.find((m) => m.offer_id === r.id);
    const agreementStatus = effectiveStatus({ status: r.agreement_status, ends_on: r.agreement_ends_on }, day);
    return {
      id: r.id,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      kind: r.kind,
      name: r.name,
      description: r.description,
      licenceTerms: r.licence_terms,
      status: r.status,
      open: isOpen(r, day),
      agreement: reach === 'all' || reach === 'organisation' ? { id: r.agreement_id, reference: r.agreement_reference, title: r.agreement_title, status: agreementStatus, endsOn: r.agreement_ends_on } : null,
      myRequest: latest ? { id: latest.id, state: requestState({ ...r, request_status: latest.status, expires_on: latest.expires_on }, day), expiresOn: latest.expires_on } : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

export async function listOffers(db: Db, clock: Clock, actor: Actor, query: OfferQuery) {
  const day = dayOf(clock.now());
  let q = visibleOffers(db, actor, day);
  if (query.kind) q = q.where('f.kind', '=', query.kind);
  if (query.organisationId) q = q.where('f.organisation_id', '=', query.organisationId);
  if (query.status) q = q.where('f.status', '=', query.status);
  if (query.search) {
    const like = `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(sql`lower(f.name)`, 'like', sql`${like} escape '\\'`), eb(sql`lower(f.description)`, 'like', sql`${like} escape '\\'`)]));
  }
  const { total } = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const desc = query.sort.startsWith('-');
  const rows = await q
    .orderBy(query.sort.endsWith('name') ? sql`lower(f.name)` : sql.ref('f.created_at'), desc ? 'desc' : 'asc')
    .orderBy('f.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: await presentOffers(db, actor, rows, day), total: Number(total), page: query.page, pageSize: query.pageSize };
}

export async function getOffer(db: Db | Tx, clock: Clock, actor: Actor, id: string) {
  const day = dayOf(clock.now());
  const row = await visibleOffers(db, actor, day).where('f.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Offer');
  return (await presentOffers(db, actor, [row], day))[0]!;
}

/** The agreement an offer is made under: the partner's analysis-tools-and-data agreement, active now. */
async function checkAgreement(tx: Tx, agreementId: string, day: string) {
  const agreement = await tx
    .selectFrom('partner_agreements as a')
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.organisation_id', 'a.kind', 'a.status', 'a.starts_on', 'a.ends_on', 'o.status as organisation_status'])
    .where('a.id', '=', agreementId)
    .executeTakeFirst();
  if (!agreement) throw validationError('body.agreementId', 'no such agreement');
  if (agreement.kind !== 'analysis_tools_and_data') throw validationError('body.agreementId', 'not an analysis-tools-and-data agreement');
  if (effectiveStatus(agreement, day) !== 'active' || agreement.starts_on > day || agreement.organisation_status !== 'active') {
    throw validationError('body.agreementId', 'the agreement is not in force');
  }
  return agreement;
}

export async function createOffer(db: Db, clock: Clock, input: OfferCreate, audit: Audited) {
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const agreement = await checkAgreement(tx, input.agreementId, dayOf(clock.now()));
    const now = iso(clock.now());
    await tx
      .insertInto('partner_offers')
      .values({ id, organisation_id: agreement.organisation_id, agreement_id: input.agreementId, kind: input.kind, name: input.name, description: input.description, licence_terms: input.licenceTerms, status: 'available', created_at: now, updated_at: now })
      .execute();
    await recordAudit(tx, clock, {
      action: 'partner_offer.created',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_offer', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { organisationId: agreement.organisation_id, agreementId: input.agreementId, kind: input.kind, name: input.name },
    });
  });
  return getOffer(db, clock, audit.actor, id);
}

export async function updateOffer(db: Db, clock: Clock, id: string, input: OfferUpdate, audit: Audited) {
  await db.transaction().execute(async (tx) => {
    const current = await getOffer(tx, clock, audit.actor, id);
    // Making an offer available again needs its agreement in force.
    if (input.status === 'available' && current.status === 'withdrawn') await checkAgreement(tx, current.agreement!.id, dayOf(clock.now()));
    await tx
      .updateTable('partner_offers')
      .set({
        ...(input.kind !== undefined && { kind: input.kind }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.licenceTerms !== undefined && { licence_terms: input.licenceTerms }),
        ...(input.status !== undefined && { status: input.status }),
        updated_at: iso(clock.now()),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, clock, {
      action: 'partner_offer.updated',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_offer', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { changed: Object.keys(input), ...(input.status && { status: input.status }) },
    });
  });
  return getOffer(db, clock, audit.actor, id);
}

// ---- Access requests ----

function requests(db: Db | Tx) {
  return db
    .selectFrom('partner_access_requests as r')
    .innerJoin('partner_offers as f', 'f.id', 'r.offer_id')
    .innerJoin('organisations as o', 'o.id', 'f.organisation_id')
    .innerJoin('partner_agreements as a', 'a.id', 'f.agreement_id')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .innerJoin('organisations as uo', 'uo.id', 'u.organisation_id')
    .select([
      'r.id',
      'r.offer_id',
      'r.user_id',
      'r.purpose',
      'r.expires_on',
      'r.decision_note',
      'r.decided_at',
      'r.requested_at',
      'r.status as request_status',
      'f.name as offer_name',
      'f.kind as offer_kind',
      'f.status as offer_status',
      'f.organisation_id as organisation_id',
      'o.name as organisation_name',
      'o.status as organisation_status',
      'a.status as agreement_status',
      'a.starts_on as agreement_starts_on',
      'a.ends_on as agreement_ends_on',
      'u.display_name as user_name',
      'u.email as user_email',
      'uo.name as user_organisation_name',
    ]);
}
type RequestRow = Awaited<ReturnType<ReturnType<typeof requests>['executeTakeFirstOrThrow']>>;

/**
 * The requests the actor may see: administrators all; a partner analyst those
 * on its own organisation's offers; anyone else their own only.
 */
function visibleRequests(db: Db | Tx, actor: Actor) {
  const q = requests(db);
  switch (reachOf(actor, 'partners.catalogue.read')) {
    case 'all':
      return q;
    case 'organisation':
      return q.where('f.organisation_id', '=', actor.organisationId);
    case 'self':
      return q.where('r.user_id', '=', actor.userId);
    default:
      return q.where(sql<boolean>`1 = 0`);
  }
}

function mayDecide(actor: Actor, organisationId: string) {
  const reach = reachOf(actor, 'partners.catalogue.decide');
  return reach === 'all' || (reach === 'organisation' && organisationId === actor.organisationId);
}

function presentRequest(r: RequestRow, actor: Actor, day: string): AccessRequest {
  return {
    id: r.id,
    offerId: r.offer_id,
    offerName: r.offer_name,
    offerKind: r.offer_kind,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    userId: r.user_id,
    userName: r.user_name,
    userEmail: r.user_email,
    userOrganisationName: r.user_organisation_name,
    purpose: r.purpose,
    status: r.request_status,
    state: requestState(r, day),
    expiresOn: r.expires_on,
    decisionNote: r.decision_note,
    decidedAt: r.decided_at,
    requestedAt: r.requested_at,
    canDecide: mayDecide(actor, r.organisation_id) && r.user_id !== actor.userId,
  };
}

export async function listAccessRequests(db: Db, clock: Clock, actor: Actor, query: AccessRequestQuery) {
  const day = dayOf(clock.now());
  let q = visibleRequests(db, actor);
  if (query.mine) q = q.where('r.user_id', '=', actor.userId);
  if (query.offerId) q = q.where('r.offer_id', '=', query.offerId);
  switch (query.state) {
    case undefined:
      break;
    case 'pending':
    case 'refused':
    case 'revoked':
      q = q.where('r.status', '=', query.state);
      break;
    case 'expired':
      q = q.where('r.status', '=', 'approved').where('r.expires_on', '<', day);
      break;
    case 'active':
      q = q.where('r.status', '=', 'approved').where('r.expires_on', '>=', day).where((eb) => openOn(eb, day));
      break;
    case 'lapsed':
      q = q.where('r.status', '=', 'approved').where('r.expires_on', '>=', day).where((eb) => eb.not(openOn(eb, day)));
      break;
  }
  const { total } = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy('r.requested_at', query.sort === 'requestedAt' ? 'asc' : 'desc')
    .orderBy('r.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map((r) => presentRequest(r, actor, day)), total: Number(total), page: query.page, pageSize: query.pageSize };
}

export async function getAccessRequest(db: Db | Tx, clock: Clock, actor: Actor, id: string) {
  const row = await visibleRequests(db, actor).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Access request');
  return presentRequest(row, actor, dayOf(clock.now()));
}

export async function requestAccess(db: Db, clock: Clock, offerId: string, purpose: string, audit: Audited) {
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const offer = await getOffer(tx, clock, audit.actor, offerId);
    if (!offer.open) throw conflict('offer: access to this offer cannot be requested now');
    if (offer.myRequest && (offer.myRequest.state === 'pending' || offer.myRequest.state === 'active')) {
      throw conflict(`offer: you already have a ${offer.myRequest.state === 'pending' ? 'pending request' : 'grant in force'} for it`);
    }
    await tx
      .insertInto('partner_access_requests')
      .values({ id, offer_id: offerId, user_id: audit.actor.userId, purpose, status: 'pending', expires_on: null, decision_note: null, decided_by: null, decided_at: null, requested_at: iso(clock.now()) })
      .execute();
    await recordAudit(tx, clock, {
      action: 'partner_access.requested',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_access_request', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { offerId, organisationId: offer.organisationId },
    });
  });
  return getAccessRequest(db, clock, audit.actor, id);
}

/** Loads a request the actor may decide on: not visible → 404, visible but not theirs to decide → 404 as well. */
async function decidable(tx: Tx, actor: Actor, id: string) {
  const row = await visibleRequests(tx, actor).where('r.id', '=', id).executeTakeFirst();
  if (!row || !mayDecide(actor, row.organisation_id)) throw notFound('Access request');
  return row;
}

export async function decideAccess(db: Db, clock: Clock, id: string, input: AccessDecision, audit: Audited) {
  await db.transaction().execute(async (tx) => {
    const row = await decidable(tx, audit.actor, id);
    // Four eyes: nobody approves or refuses their own request.
    if (row.user_id === audit.actor.userId) throw forbidden('You cannot decide on your own access request');
    const day = dayOf(clock.now());
    if (row.request_status !== 'pending') throw conflict(`status: the request was already ${row.request_status}`);
    if (input.decision === 'approve') {
      if (!isOpen(row, day)) throw conflict('offer: the offer is withdrawn or its agreement is not in force');
      const until = input.expiresOn!;
      if (until < day) throw validationError('body.expiresOn', 'must be today or later');
      if (row.agreement_ends_on !== null && until > row.agreement_ends_on) throw validationError('body.expiresOn', `must not be after the agreement ends (${row.agreement_ends_on})`);
    }
    const moved = await tx
      .updateTable('partner_access_requests')
      .set({
        status: input.decision === 'approve' ? 'approved' : 'refused',
        expires_on: input.decision === 'approve' ? input.expiresOn! : null,
        decision_note: input.note ?? null,
        decided_by: audit.actor.userId,
        decided_at: iso(clock.now()),
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw conflict('status: the request changed meanwhile; reload it');
    await recordAudit(tx, clock, {
      action: input.decision === 'approve' ? 'partner_access.approved' : 'partner_access.refused',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_access_request', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { offerId: row.offer_id, userId: row.user_id, ...(input.expiresOn && { expiresOn: input.expiresOn }), ...(input.note && { note: input.note }) },
    });
  });
  return getAccessRequest(db, clock, audit.actor, id);
}

export async function revokeAccess(db: Db, clock: Clock, id: string, note: string | undefined, audit: Audited) {
  await db.transaction().execute(async (tx) => {
    const row = await decidable(tx, audit.actor, id);
    if (row.request_status !== 'approved') throw conflict(`status: only an approved request can be revoked (it is ${row.request_status})`);
    await tx
      .updateTable('partner_access_requests')
      .set({ status: 'revoked', decision_note: note ?? row.decision_note, decided_by: audit.actor.userId, decided_at: iso(clock.now()) })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, clock, {
      action: 'partner_access.revoked',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_access_request', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { offerId: row.offer_id, userId: row.user_id, ...(note && { note }) },
    });
  });
  return getAccessRequest(db, clock, audit.actor, id);
}

/** Whether a user's access to an offer is in force at a moment: what any use of the tool or dataset asks. */
export async function activeAccess(db: Db | Tx, userId: string, offerId: string, at: Date): Promise<boolean> {
  const day = dayOf(at);
  const row = await requests(db)
    .where('r.user_id', '=', userId)
    .where('r.offer_id', '=', offerId)
    .where('r.status', '=', 'approved')
    .where('r.expires_on', '>=', day)
    .where((eb) => openOn(eb, day))
    .executeTakeFirst();
  return row !== undefined;
}
