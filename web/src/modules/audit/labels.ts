import { auditActions, type AuditAction, type auditOutcomes } from '@modules/audit/schemas.ts';
import type { MessageId } from '../../i18n/message-ids.ts';

export type Outcome = (typeof auditOutcomes)[number];

/**
 * Partial on purpose: an action the server adds shows as its code until it is
 * translated here, without breaking the build (labels.test.ts lists the missing ones).
 */
export const actionLabel: Partial<Record<AuditAction, MessageId>> = {
  'auth.sign_in': 'audit.action.auth.sign_in',
  'auth.sign_out': 'audit.action.auth.sign_out',
  'auth.second_factor': 'audit.action.auth.second_factor',
  'auth.password_changed': 'audit.action.auth.password_changed',
  'auth.password_reset_issued': 'audit.action.auth.password_reset_issued',
  'auth.password_reset_used': 'audit.action.auth.password_reset_used',
  'auth.totp_enabled': 'audit.action.auth.totp_enabled',
  'auth.totp_disabled': 'audit.action.auth.totp_disabled',
  'auth.totp_reset': 'audit.action.auth.totp_reset',
  'auth.session_revoked': 'audit.action.auth.session_revoked',
  'auth.token_created': 'audit.action.auth.token_created',
  'auth.token_revoked': 'audit.action.auth.token_revoked',
  'user.created': 'audit.action.user.created',
  'user.updated': 'audit.action.user.updated',
  'user.roles_changed': 'audit.action.user.roles_changed',
  'user.disabled': 'audit.action.user.disabled',
  'user.enabled': 'audit.action.user.enabled',
  'organisation.created': 'audit.action.organisation.created',
  'organisation.updated': 'audit.action.organisation.updated',
  'security.role_policy_changed': 'audit.action.security.role_policy_changed',
  'scenario.imported': 'audit.action.scenario.imported',
  'exercise.created': 'audit.action.exercise.created',
  'exercise.controlled': 'audit.action.exercise.controlled',
  'exercise.staff_changed': 'audit.action.exercise.staff_changed',
  'exercise.inject_fired': 'audit.action.exercise.inject_fired',
  'exercise.announced': 'audit.action.exercise.announced',
  'team.changed': 'audit.action.team.changed',
  'score.adjusted': 'audit.action.score.adjusted',
  'partner_application.received': 'audit.action.partner_application.received',
  'partner_application.status_changed': 'audit.action.partner_application.status_changed',
  'partner_application.noted': 'audit.action.partner_application.noted',
  'partner_agreement.created': 'audit.action.partner_agreement.created',
  'partner_agreement.updated': 'audit.action.partner_agreement.updated',
  'partner_agreement.status_changed': 'audit.action.partner_agreement.status_changed',
  'partner_secondment.created': 'audit.action.partner_secondment.created',
  'partner_secondment.updated': 'audit.action.partner_secondment.updated',
  'partner_agreement.document_added': 'audit.action.partner_agreement.document_added',
  'partner_agreement.document_removed': 'audit.action.partner_agreement.document_removed',
  'partner_secondment.report_added': 'audit.action.partner_secondment.report_added',
  'partner_secondment.report_attachment_added': 'audit.action.partner_secondment.report_attachment_added',
  'partner_offer.created': 'audit.action.partner_offer.created',
  'partner_offer.updated': 'audit.action.partner_offer.updated',
  'partner_access.requested': 'audit.action.partner_access.requested',
  'partner_access.approved': 'audit.action.partner_access.approved',
  'partner_access.refused': 'audit.action.partner_access.refused',
  'partner_access.revoked': 'audit.action.partner_access.revoked',
  'sharing_report.created': 'audit.action.sharing_report.created',
  'sharing_report.updated': 'audit.action.sharing_report.updated',
  'legal.request_sent': 'audit.action.legal.request_sent',
  'advice.requested': 'audit.action.advice.requested',
  'advice.messaged': 'audit.action.advice.messaged',
  'advice.claimed': 'audit.action.advice.claimed',
  'advice.unclaimed': 'audit.action.advice.unclaimed',
  'advice.hint_granted': 'audit.action.advice.hint_granted',
  'advice.penalised': 'audit.action.advice.penalised',
  'advice.closed': 'audit.action.advice.closed',
  'advice.broadcast': 'audit.action.advice.broadcast',
  'case_file.submitted': 'audit.action.case_file.submitted',
  'case_file.evaluated': 'audit.action.case_file.evaluated',
};

/** The translated name of an action, or undefined when it has none yet. */
export const actionMessage = (action: string): MessageId | undefined => (isAuditAction(action) ? actionLabel[action] : undefined);

export const isAuditAction = (value: string): value is AuditAction => (auditActions as readonly string[]).includes(value);

/** Groups of the action filter, by the first part of the action name. */
export const actionGroups: { prefix: string; label: MessageId }[] = [
  { prefix: 'auth', label: 'audit.group.auth' },
  { prefix: 'user', label: 'audit.group.user' },
  { prefix: 'organisation', label: 'audit.group.organisation' },
  { prefix: 'security', label: 'audit.group.security' },
  { prefix: 'scenario', label: 'audit.group.scenario' },
  { prefix: 'exercise', label: 'audit.group.exercise' },
  { prefix: 'team', label: 'audit.group.exercise' },
  { prefix: 'score', label: 'audit.group.exercise' },
  { prefix: 'partner_application', label: 'audit.group.partners' },
  { prefix: 'partner_agreement', label: 'audit.group.partners' },
  { prefix: 'partner_secondment', label: 'audit.group.partners' },
  { prefix: 'partner_offer', label: 'audit.group.partners' },
  { prefix: 'partner_access', label: 'audit.group.partners' },
  { prefix: 'sharing_report', label: 'audit.group.sharing' },
  { prefix: 'legal', label: 'audit.group.exercise' },
  { prefix: 'advice', label: 'audit.group.exercise' },
  { prefix: 'case_file', label: 'audit.group.exercise' },
];

export const outcomeLabel: Record<Outcome, MessageId> = {
  success: 'audit.outcome.success',
  failure: 'audit.outcome.failure',
  denied: 'audit.outcome.denied',
};
export const outcomeColor: Record<Outcome, string> = { success: 'teal', failure: 'orange', denied: 'red' };

export const targetLabel: Record<string, MessageId> = {
  user: 'audit.target.user',
  organisation: 'audit.target.organisation',
  role: 'audit.target.role',
  api_token: 'audit.target.api_token',
  session: 'audit.target.session',
  scenario: 'audit.target.scenario',
  exercise: 'audit.target.exercise',
  team: 'audit.target.team',
  partner_application: 'audit.target.partner_application',
  partner_agreement: 'audit.target.partner_agreement',
  partner_secondment: 'audit.target.partner_secondment',
  partner_offer: 'audit.target.partner_offer',
  partner_access_request: 'audit.target.partner_access_request',
  sharing_report: 'audit.target.sharing_report',
  legal_request: 'audit.target.legal_request',
  advice_request: 'audit.target.advice_request',
};
