import type { Db, Tx } from '../../core/db/index.ts';
import { newId } from '../../core/ids.ts';
import { iso, type Clock } from '../../core/clock.ts';
import type { AuditAction, AuditQuery } from './schemas.ts';
import { presentAuditEntry } from './presenters.ts';

export type AuditInput = {
  action: AuditAction;
  outcome: 'success' | 'failure' | 'denied';
  actor?: { userId: string | null; email?: string | null; organisationId: string | null } | null;
  target?: { type: string; id: string } | null;
  ip?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
};

/** Appends one entry. Called inside the transaction of the change it records, so both land or neither. */
export async function recordAudit(db: Db | Tx, clock: Clock, input: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      occurred_at: iso(clock.now()),
      actor_user_id: input.actor?.userId ?? null,
      actor_email: input.actor?.email ?? null,
      actor_organisation_id: input.actor?.organisationId ?? null,
      action: input.action,
      outcome: input.outcome,
      target_type: input.target?.type ?? null,
      target_id: input.target?.id ?? null,
      ip: input.ip ?? null,
      request_id: input.requestId ?? null,
      details: JSON.stringify(input.details ?? {}),
    })
    .execute();
}

export async function listAuditEntries(db: Db, query: AuditQuery) {
  let q = db.selectFrom('audit_log');
  if (query.action) q = q.where('action', '=', query.action);
  if (query.outcome) q = q.where('outcome', '=', query.outcome);
  if (query.actor) q = q.where('actor_email', 'like', `%${query.actor.toLowerCase().replace(/[%_]/g, '')}%`);
  if (query.organisationId) q = q.where('actor_organisation_id', '=', query.organisationId);
  if (query.from) q = q.where('occurred_at', '>=', new Date(query.from).toISOString());
  if (query.to) q = q.where('occurred_at', '<=', new Date(query.to).toISOString());
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('occurred_at', query.sort === 'occurredAt' ? 'asc' : 'desc')
    .orderBy('id', query.sort === 'occurredAt' ? 'asc' : 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map(presentAuditEntry), total: Number(total), page: query.page, pageSize: query.pageSize };
}
