import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import { isUniqueViolation } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { conflict, notFound } from '../../core/errors.ts';
import { reachOf, type Actor } from '../../core/permissions.ts';
import { recordAudit } from '../audit/service.ts';
import type { OrganisationCreate, OrganisationQuery, OrganisationUpdate } from './schemas.ts';
import { presentOrganisation } from './presenters.ts';

type Audited = { actor: Actor & { email: string }; ip: string | null; requestId: string };

/** The organisations the actor may read, as a query: the one rule used by lists and single reads. */
function visibleOrganisations(db: Db | Tx, actor: Actor) {
  const reach = reachOf(actor, 'organisations.read');
  let q = db
    .selectFrom('organisations')
    .selectAll('organisations')
    .select((eb) =>
      eb.selectFrom('users').whereRef('users.organisation_id', '=', 'organisations.id').select(eb.fn.countAll<number>().as('n')).as('member_count'),
    );
  if (reach !== 'all') q = q.where('organisations.id', '=', reach === 'organisation' ? actor.organisationId : '');
  return q;
}

export async function listOrganisations(db: Db, actor: Actor, query: OrganisationQuery) {
  let q = visibleOrganisations(db, actor);
  // lower() on both sides: LIKE ignores case on SQLite but not on PostgreSQL.
  if (query.search) q = q.where((eb) => eb(eb.fn('lower', ['organisations.name']), 'like', `%${query.search!.toLowerCase().replace(/[%_]/g, '')}%`));
  if (query.kind) q = q.where('organisations.kind', '=', query.kind);
  if (query.countryCode) q = q.where('organisations.country_code', '=', query.countryCode);
  if (query.status) q = q.where('organisations.status', '=', query.status);
  const { total } = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const desc = query.sort.startsWith('-');
  const column = ({ name: 'organisations.name', createdAt: 'organisations.created_at', countryCode: 'organisations.country_code' } as const)[
    query.sort.replace('-', '') as 'name' | 'createdAt' | 'countryCode'
  ];
  // Names sort without regard to case on both engines.
  const rows = await q
    .orderBy(column === 'organisations.name' ? sql<string>`lower(${sql.ref(column)})` : sql.ref(column), desc ? 'desc' : 'asc')
    .orderBy('organisations.id')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map(presentOrganisation), total: Number(total), page: query.page, pageSize: query.pageSize };
}

export async function getOrganisation(db: Db | Tx, actor: Actor, id: string) {
  const row = await visibleOrganisations(db, actor).where('organisations.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Organisation');
  return presentOrganisation(row);
}

export async function createOrganisation(db: Db, clock: Clock, input: OrganisationCreate, audit: Audited) {
  const now = iso(clock.now());
  const id = newId();
  try {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('organisations')
        .values({
          id,
          name: input.name,
          kind: input.kind,
          country_code: input.countryCode,
          unit_type: input.kind === 'police_unit' ? input.unitType : null,
          unit_established_on: input.kind === 'police_unit' ? input.unitEstablishedOn : null,
          sector: input.kind === 'partner' ? input.sector : null,
          status: 'active',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await recordAudit(tx, clock, {
        action: 'organisation.created',
        outcome: 'success',
        actor: audit.actor,
        target: { type: 'organisation', id },
        ip: audit.ip,
        requestId: audit.requestId,
        details: { name: input.name, kind: input.kind },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('name: an organisation with this name already exists', [{ path: 'body.name', message: 'already exists' }]);
    throw error;
  }
  return getOrganisation(db, audit.actor, id);
}

export async function updateOrganisation(db: Db, clock: Clock, id: string, input: OrganisationUpdate, audit: Audited) {
  try {
    await db.transaction().execute(async (tx) => {
      const current = await getOrganisation(tx, audit.actor, id);
      if (current.kind === 'police_unit' && input.sector !== undefined) throw conflict('sector: only partner organisations have a sector');
      if (current.kind === 'partner' && (input.unitType !== undefined || input.unitEstablishedOn !== undefined)) {
        throw conflict('unitType: only police units have a unit type and creation date');
      }
      await tx
        .updateTable('organisations')
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.countryCode !== undefined && { country_code: input.countryCode }),
          ...(input.unitType !== undefined && { unit_type: input.unitType }),
          ...(input.unitEstablishedOn !== undefined && { unit_established_on: input.unitEstablishedOn }),
          ...(input.sector !== undefined && { sector: input.sector }),
          ...(input.status !== undefined && { status: input.status }),
          updated_at: iso(clock.now()),
        })
        .where('id', '=', id)
        .execute();
      await recordAudit(tx, clock, {
        action: 'organisation.updated',
        outcome: 'success',
        actor: audit.actor,
        target: { type: 'organisation', id },
        ip: audit.ip,
        requestId: audit.requestId,
        details: { changed: Object.keys(input) },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('name: an organisation with this name already exists', [{ path: 'body.name', message: 'already exists' }]);
    throw error;
  }
  return getOrganisation(db, audit.actor, id);
}
