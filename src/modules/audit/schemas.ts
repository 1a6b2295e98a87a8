import { z } from 'zod';
import { pageQuery, paged } from '../shared-schemas.ts';

export const auditActions = [
  'auth.sign_in',
  'auth.sign_out',
  'auth.second_factor',
  'auth.password_changed',
  'auth.password_reset_issued',
  'auth.password_reset_used',
  'auth.totp_enabled',
  'auth.totp_disabled',
  'auth.totp_reset',
  'auth.session_revoked',
  'auth.token_created',
  'auth.token_revoked',
  'user.created',
  'user.updated',
  'user.roles_changed',
  'user.disabled',
  'user.enabled',
  'organisation.created',
  'organisation.updated',
  'security.role_policy_changed',
  'scenario.imported',
  'exercise.created',
  'exercise.controlled',
  'exercise.staff_changed',
  'team.changed',
  'exercise.inject_fired',
  'exercise.announced',
  'score.adjusted',
  'partner_application.received',
  'partner_application.status_changed',
  'partner_application.noted',
  'partner_agreement.created',
  'partner_agreement.updated',
  'partner_agreement.status_changed',
  'partner_secondment.created',
  'partner_secondment.updated',
  'sharing_report.created',
  'sharing_report.updated',
] as const;
export type AuditAction = (typeof auditActions)[number];
export const auditOutcomes = ['success', 'failure', 'denied'] as const;

export const auditQuery = pageQuery.extend({
  action: z.enum(auditActions).optional(),
  outcome: z.enum(auditOutcomes).optional(),
  actor: z.string().trim().max(200).optional().describe('Part of the actor e-mail'),
  organisationId: z.uuid().optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  sort: z.enum(['occurredAt', '-occurredAt']).default('-occurredAt'),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEntry = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actorUserId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  actorOrganisationId: z.string().nullable(),
  action: z.string(),
  outcome: z.enum(auditOutcomes),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntry>;
export const auditPage = paged(auditEntry);
