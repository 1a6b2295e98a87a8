import type { Db, Tx } from '../../core/db/index.ts';
import { isUniqueViolation } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { conflict, notFound } from '../../core/errors.ts';
import type { Actor } from '../../core/permissions.ts';
import { recordAudit } from '../audit/service.ts';
import { checkFormToken } from './form-token.ts';
import { presentApplication, presentApplicationSummary } from './presenters.ts';
import { applicationTransitions, type ApplicationQuery, type ApplicationSubmit, type ApplicationTransition } from './schemas.ts';

export type Audited = { actor: Actor & { email: string }; ip: string | null; requestId: string };

/**
 * A submission of the public form. A filled honeypot is answered exactly like a
 * real submission but nothing is stored; a token too young or forged is refused.
 */
export async function submitApplication(db: Db, clock: Clock, input: ApplicationSubmit, origin: { ip: string | null; requestId: string }): Promise<{ stored: boolean }> {
  await checkFormToken(db, clock, input.formToken);
  if (input.website && input.website.trim() !== '') return { stored: false };
  const now = iso(clock.now());
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('partner_applications')
      .values({
        id,
        organisation_name: input.organisationName,
        sector: input.sector,
        country_code: input.countryCode,
        contact_name: input.contactName,
        email: input.email,
        phone: input.phone ?? null,
        kinds: JSON.stringify(input.kinds),
        message: input.message,
        status: 'received',
        organisation_id: null,
        received_at: now,
        updated_at: now,
      })
      .execute();
    await tx
      .insertInto('partner_application_events')
      .values({ id: newId(), application_id: id, kind: 'received', from_status: null, to_status: 'received', note: null, author_user_id: null, author_email: null, occurred_at: now })
      .execute();
    await recordAudit(tx, clock, {
      action: 'partner_application.received',
      outcome: 'success',
      actor: null,
      target: { type: 'partner_application', id },
      ip: origin.ip,
      requestId: origin.requestId,
      details: { organisationName: input.organisationName, kinds: input.kinds },
    });
  });
  return { stored: true };
}

export async function listApplications(db: Db, query: ApplicationQuery) {
  let q = db.selectFrom('partner_applications');
  if (query.status) q = q.where('status', '=', query.status);
  if (query.sector) q = q.where('sector', '=', query.sector);
  if (query.countryCode) q = q.where('country_code', '=', query.countryCode);
  // kinds is a JSON array of known words: a quoted match is exact.
  if (query.kind) q = q.where('kinds', 'like', `%"${query.kind}"%`);
  if (query.search) {
    const term = `%${query.search.toLowerCase().replace(/[%_]/g, '')}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['organisation_name']), 'like', term), eb(eb.fn('lower', ['contact_name']), 'like', term), eb('email', 'like', term)]));
  }
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const dir = query.sort === 'receivedAt' ? 'asc' : 'desc';
  const rows = await q
    .selectAll()
    .orderBy('received_at', dir)
    .orderBy('id', dir)
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map(presentApplicationSummary), total: Number(total), page: query.page, pageSize: query.pageSize };
}

async function loadApplication(db: Db | Tx, id: string) {
  const row = await db.selectFrom('partner_applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Application');
  return row;
}

export async function getApplication(db: Db | Tx, id: string) {
  const row = await loadApplication(db, id);
  const events = await db.selectFrom('partner_application_events').selectAll().where('application_id', '=', id).orderBy('occurred_at').orderBy('id').execute();
  return presentApplication(row, events);
}

/** Moves an application along the pipeline; accepting it makes (or links) the partner organisation. */
export async function transitionApplication(db: Db, clock: Clock, id: string, input: ApplicationTransition, audit: Audited) {
  try {
    await db.transaction().execute(async (tx) => {
      const current = await loadApplication(tx, id);
      const allowed = applicationTransitions[current.status];
      if (!allowed.includes(input.to)) {
        throw conflict(`to: an application ${current.status.replace('_', ' ')} cannot move to ${input.to.replace('_', ' ')}`, { from: current.status, allowed });
      }
      if (input.organisationId !== undefined && input.to !== 'accepted') throw conflict('organisationId: only an acceptance links an organisation');
      const now = iso(clock.now());
      let organisationId: string | null = null;
      if (input.to === 'accepted') {
        if (input.organisationId) {
          const org = await tx.selectFrom('organisations').select(['id', 'kind']).where('id', '=', input.organisationId).executeTakeFirst();
          if (!org) throw notFound('Organisation');
          if (org.kind !== 'partner') throw conflict('organisationId: only a partner organisation can be linked');
          organisationId = org.id;
        } else {
          organisationId = newId();
          await tx
            .insertInto('organisations')
            .values({
              id: organisationId,
              name: current.organisation_name,
              kind: 'partner',
              country_code: current.country_code,
              unit_type: null,
              unit_established_on: null,
              sector: current.sector,
              status: 'active',
              created_at: now,
              updated_at: now,
            })
            .execute();
          await recordAudit(tx, clock, {
            action: 'organisation.created',
            outcome: 'success',
            actor: audit.actor,
            target: { type: 'organisation', id: organisationId },
            ip: audit.ip,
            requestId: audit.requestId,
            details: { name: current.organisation_name, kind: 'partner', fromApplication: id },
          });
        }
      }
      const moved = await tx
        .updateTable('partner_applications')
        .set({ status: input.to, updated_at: now, ...(organisationId && { organisation_id: organisationId }) })
        .where('id', '=', id)
        // Only from the status read above: of two administrators moving it at once, one wins.
        .where('status', '=', current.status)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw conflict('to: the application changed meanwhile; reload it');
      await tx
        .insertInto('partner_application_events')
        .values({ id: newId(), application_id: id, kind: 'status', from_status: current.status, to_status: input.to, note: input.note ?? null, author_user_id: audit.actor.userId, author_email: audit.actor.email, occurred_at: now })
        .execute();
      await recordAudit(tx, clock, {
        action: 'partner_application.status_changed',
        outcome: 'success',
        actor: audit.actor,
        target: { type: 'partner_application', id },
        ip: audit.ip,
        requestId: audit.requestId,
        details: { from: current.status, to: input.to, ...(organisationId && { organisationId }) },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('organisationId: a partner organisation with this name already exists; link it with organisationId', [{ path: 'body.organisationId', message: 'organisation name already exists' }]);
    }
    throw error;
  }
  return getApplication(db, id);
}

/** Notes are appended to the history, never changed or removed. */
export async function noteApplication(db: Db, clock: Clock, id: string, note: string, audit: Audited) {
  await db.transaction().execute(async (tx) => {
    const current = await loadApplication(tx, id);
    const now = iso(clock.now());
    await tx
      .insertInto('partner_application_events')
      .values({ id: newId(), application_id: id, kind: 'note', from_status: null, to_status: null, note, author_user_id: audit.actor.userId, author_email: audit.actor.email, occurred_at: now })
      .execute();
    await tx.updateTable('partner_applications').set({ updated_at: now }).where('id', '=', id).execute();
    await recordAudit(tx, clock, {
      action: 'partner_application.noted',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_application', id },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { status: current.status, length: note.length },
    });
  });
  return getApplication(db, id);
}
