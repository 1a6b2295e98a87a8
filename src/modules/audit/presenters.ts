import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../../core/db/schema.ts';
import type { AuditEntry } from './schemas.ts';

export function presentAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actorUserId: row.actor_user_id,
    actorEmail: row.actor_email,
    actorOrganisationId: row.actor_organisation_id,
    action: row.action,
    outcome: row.outcome,
    targetType: row.target_type,
    targetId: row.target_id,
    ip: row.ip,
    requestId: row.request_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}
