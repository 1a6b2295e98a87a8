

// Column conventions shared by both engines:
// - ids are UUIDv7 strings (sortable by creation, no counts leaked in URLs);
// - timestamps are ISO-8601 UTC strings (`2026-11-23T04:26:00.000Z`), which sort
//   correctly as text on SQLite and PostgreSQL alike;
// - booleans are integers 0/1, JSON documents are text.

export interface OrganisationTable {
  id: string;
  name: string;
  kind: 'police_unit' | 'partner';
  country_code: string;
  unit_type: string | null;
  unit_established_on: string | null;
  sector: string | null;
  status: 'active' | 'archived';
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: string;
  organisation_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  locale: 'ar' | 'en' | 'fr' | 'es';
  status: 'active' | 'disabled';
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled: number;
  totp_last_step: number | null;
  password_changed_at: string;
  last_sign_in_at: string | null;
  previous_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
}

export interface RolePolicyTable {
  role: string;
  require_totp: number;
  updated_at: string;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  stage: 'totp' | 'enrol' | 'active';
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  scopes: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface PasswordResetTable {
  id: string;
  user_id: string;
  token_hash: string;
  issued_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export interface AuditLogTable {
  id: string;
  occurred_at: string;
  actor_user_id: string | null;
  actor_email: string | null;
  actor_organisation_id: string | null;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: string;
}


export interface BlobTable {
  sha256: string;
  size: number;
  created_at: string;
}

export interface ScenarioTable {
  id: string;
  slug: string;
  version: string;
  title: string;
  theme: string;
  difficulty: string;
  duration_minutes: number;
  definition: string;
  package_sha256: string;
  file_count: number;
  total_bytes: number;
  imported_by: string | null;
  imported_at: string;
}

export interface ScenarioFileTable {
  scenario_id: string;
  path: string;
  sha256: string;
  size: number;
  media_type: string;
}

export interface ExerciseTable {
  id: string;
  scenario_id: string;
  title: string;
  mode: 'competition' | 'training';
  status: 'draft' | 'running' | 'paused' | 'ended';
  scheduled_start: string | null;
  duration_minutes: number;
  started_at: string | null;
  paused_at: string | null;
  paused_seconds: number;
  extended_seconds: number;
  ended_at: string | null;
  freeze_minutes: number | null;
  team_size_limit: number;
  seed: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ExerciseStaffTable {
  exercise_id: string;
  user_id: string;
  role: 'trainer' | 'expert';
}

export interface TeamTable {
  id: string;
  exercise_id: string;
  name: string;
  captain_user_id: string | null;
  invite_code: string;
  seed: string;
  variables: string;
  extra_seconds: number;
  created_at: string;
}

export interface TeamMemberTable {
  exercise_id: string;
  team_id: string;
  user_id: string;
  joined_at: string;
}

export interface TeamReleaseTable {
  team_id: string;
  kind: 'evidence' | 'objective';
  item_key: string;
  released_at: string;
  cause: string;
}

export interface TeamEvidenceTable {
  team_id: string;
  evidence_key: string;
  sha256: string;
  size: number;
}

export interface FiredInjectTable {
  id: string;
  exercise_id: string;
  inject_key: string;
  team_id: string;
  fired_at: string;
  fired_by: string | null;
}

export interface AnnouncementTable {
  id: string;
  exercise_id: string;
  message: string;
  author_id: string;
  created_at: string;
}

export interface SubmissionTable {
  id: string;
  exercise_id: string;
  team_id: string;
  user_id: string;
  objective_key: string;
  submitted_at: string;
  outcome: 'correct' | 'partial' | 'wrong';
  credit_permille: number;
  answer_digest: string;
}

export interface ObjectiveScoreTable {
  exercise_id: string;
  team_id: string;
  objective_key: string;
  credit_permille: number;
  solved_at: string | null;
  updated_at: string;
}

export interface HintUnlockTable {
  exercise_id: string;
  team_id: string;
  hint_key: string;
  cost: number;
  unlocked_by: string;
  unlocked_at: string;
}

export interface ScoreAdjustmentTable {
  id: string;
  exercise_id: string;
  team_id: string;
  points: number;
  kind: 'manual' | 'advice_penalty' | 'case_file' | 'legal_procedure';
  reason: string;
  created_by: string;
  created_at: string;
}

export interface ScoreboardFreezeTable {
  exercise_id: string;
  frozen_at: string;
}

export interface CustodyLogTable {
  id: string;
  exercise_id: string;
  position: number;
  team_id: string | null;
  evidence_key: string;
  sha256: string;
  action: 'released' | 'viewed' | 'downloaded' | 'changed';
  actor_user_id: string | null;
  occurred_at: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface CustodyHeadTable {
  exercise_id: string;
  position: number;
  hash: string;
  updated_at: string;
}

export interface AppSecretTable {
  name: string;
  value: string;
  created_at: string;
}

export interface PartnerApplicationTable {
  id: string;
  organisation_name: string;
  sector: string;
  country_code: string;
  contact_name: string;
  email: string;
  phone: string | null;
  /** JSON array of partnership kinds. */
  kinds: string;
  message: string;
  status: 'received' | 'in_review' | 'negotiating' | 'accepted' | 'declined';
  organisation_id: string | null;
  received_at: string;
  updated_at: string;
}

export interface PartnerApplicationEventTable {
  id: string;
  application_id: string;
  kind: 'received' | 'status' | 'note';
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  author_user_id: string | null;
  author_email: string | null;
  occurred_at: string;
}

export interface PartnerAgreementTable {
  id: string;
  organisation_id: string;
  kind: 'data_sharing' | 'expert_secondment' | 'analysis_tools_and_data' | 'training_support';
  title: string;
  reference: string;
  starts_on: string;
  ends_on: string | null;
  status: 'draft' | 'active' | 'suspended' | 'expired';
  /** JSON array of data categories (data sharing only). */
  data_categories: string;
  max_tlp: string | null;
  created_at: string;
  updated_at: string;
}

export interface PartnerSecondmentTable {
  id: string;
  organisation_id: string;
  agreement_id: string | null;
  host_organisation_id: string;
  expert_name: string;
  expert_email: string | null;
  starts_on: string;
  ends_on: string;
  objectives: string;
  /** Stored; planned reads as in progress or completed from its dates. */
  status: 'planned' | 'cancelled';
  created_at: string;
  updated_at: string;
}

export interface PartnerAgreementDocumentTable {
  id: string;
  agreement_id: string;
  file_name: string;
  /** Sniffed from the content, never taken from the client. */
  media_type: string;
  size: number;
  sha256: string;
  uploaded_by: string;
  uploaded_at: string;
}

export interface PartnerSecondmentReportTable {
  id: string;
  secondment_id: string;
  period_start: string;
  period_end: string;
  body: string;
  author_user_id: string;
  attachment_name: string | null;
  attachment_media_type: string | null;
  attachment_size: number | null;
  attachment_sha256: string | null;
  created_at: string;
  updated_at: string;
}

export interface PartnerOfferTable {
  id: string;
  organisation_id: string;
  agreement_id: string;
  kind: 'tool' | 'dataset';
  name: string;
  description: string;
  licence_terms: string;
  status: 'available' | 'withdrawn';
  created_at: string;
  updated_at: string;
}

export interface PartnerAccessRequestTable {
  id: string;
  offer_id: string;
  user_id: string;
  purpose: string;
  /** Stored; an approved grant past its expiry or under a lapsed agreement reads as not active. */
  status: 'pending' | 'approved' | 'refused' | 'revoked';
  expires_on: string | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: string | null;
  requested_at: string;
}

export interface PartnerAgreementScopeTable {
  agreement_id: string;
  scope_type: 'organisation' | 'region';
  scope_value: string;
}

export interface SharingReportTable {
  id: string;
  title: string;
  summary: string;
  crime_type: string;
  /** JSON array of INTERPOL regions. */
  regions: string;
  confidence: number;
  tlp: 'clear' | 'green' | 'amber' | 'amber_strict' | 'red';
  reporter_user_id: string;
  reporter_organisation_id: string;
  created_at: string;
  updated_at: string;
}

export interface SharingReportRecipientTable {
  report_id: string;
  organisation_id: string;
}

export interface SharingValueTable {
  id: string;
  value: string;
  linked_count: number;
  too_common: number;
  created_at: string;
}

export interface SharingIndicatorTable {
  id: string;
  report_id: string;
  type: string;
  value: string;
  /** Null when the value is on the exclusion list (never correlated). */
  value_id: string | null;
  tlp: 'clear' | 'green' | 'amber' | 'amber_strict' | 'red' | null;
  /** The stricter of the report's TLP and the indicator's own. */
  effective_tlp: 'clear' | 'green' | 'amber' | 'amber_strict' | 'red';
  first_seen: string;
  last_seen: string;
  created_at: string;
  /** STIX id of an indicator stored before migration 0014 (UUIDv5 of its id); null: `indicator--<id>`. */
  stix_id: string | null;
}

/** A correlation notification: report_id brought a value that related_report_id already had. */
export interface SharingNotificationTable {
  id: string;
  user_id: string;
  report_id: string;
  related_report_id: string;
  created_at: string;
  read_at: string | null;
}

export interface SharingSightingTable {
  id: string;
  indicator_id: string;
  kind: 'seen' | 'false_positive';
  organisation_id: string;
  user_id: string;
  seen_at: string;
  note: string | null;
  created_at: string;
}

export interface SharingLogTable {
  id: string;
  position: number;
  action: string;
  report_id: string | null;
  indicator_id: string | null;
  reporter_organisation_id: string | null;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  occurred_at: string;
  /** JSON object. */
  details: string;
  prev_hash: string;
  hash: string;
}

export interface SharingLogHeadTable {
  id: string;
  position: number;
  hash: string;
  updated_at: string;
}

export interface AdviceRequestTable {
  id: string;
  exercise_id: string;
  team_id: string;
  subject: string;
  status: 'open' | 'claimed' | 'answered' | 'closed';
  raised_by: string;
  raised_at: string;
  evidence_key: string | null;
  evidence_sha256: string | null;
  claimed_by: string | null;
  claimed_at: string | null;
  first_reply_at: string | null;
  first_reply_by: string | null;
  last_team_message_at: string;
  last_message_at: string;
  penalty_adjustment_id: string | null;
  closed_by: string | null;
  closed_at: string | null;
}

export interface AdviceMessageTable {
  id: string;
  request_id: string;
  exercise_id: string;
  team_id: string;
  kind: 'team' | 'staff' | 'hint' | 'penalty';
  author_id: string;
  body: string;
  hint_key: string | null;
  points: number | null;
  created_at: string;
}

export interface CaseFileTable {
  id: string;
  exercise_id: string;
  team_id: string;
  status: 'draft' | 'submitted';
  version: number;
  /** JSON: the findings document (charges → elements with findings, facts, citations, reasoning). */
  document: string;
  saved_at: string | null;
  saved_by: string | null;
  submitted_at: string | null;
  submitted_by: string | null;
  created_at: string;
}

export interface CaseFileVersionTable {
  id: string;
  case_file_id: string;
  exercise_id: string;
  team_id: string;
  version: number;
  kind: 'save' | 'submit';
  /** JSON: the document, entities and timeline as they were. */
  snapshot: string;
  saved_by: string;
  saved_at: string;
}

export interface CaseFileEntityTable {
  id: string;
  case_file_id: string;
  team_id: string;
  kind: string;
  value: string;
  label: string | null;
  note: string | null;
  exhibit_key: string | null;
  sha256: string | null;
  cited_at: string | null;
  created_by: string;
  created_at: string;
}

export interface CaseFileEventTable {
  id: string;
  case_file_id: string;
  team_id: string;
  at: string;
  description: string;
  exhibit_key: string | null;
  sha256: string | null;
  cited_at: string | null;
  created_by: string;
  created_at: string;
}

export interface CaseFileEvaluationTable {
  id: string;
  case_file_id: string;
  exercise_id: string;
  team_id: string;
  evaluator_id: string;
  round: number;
  /** JSON: [{ chargeId, elementId, verdict, comment }]. */
  verdicts: string;
  comment: string;
  created_at: string;
}

export interface LegalRequestTable {
  id: string;
  exercise_id: string;
  team_id: string;
  party_key: string;
  request_type: 'preservation' | 'production_order' | 'subscriber_information' | 'mutual_legal_assistance';
  /** JSON: [{ kind, value, at? }] as the team gave them. */
  identifiers: string;
  justification: string;
  sent_by: string;
  sent_at: string;
  sent_game_second: number;
  due_game_second: number;
  outcome: 'granted' | 'refused' | 'already_provided';
  response_key: string | null;
  /** JSON: the reply in each language, rendered with the team's values (null: already provided). */
  reply: string | null;
  points: number;
  delivered_at: string | null;
}

export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  user_roles: UserRoleTable;
  role_policies: RolePolicyTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  password_resets: PasswordResetTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  blobs: BlobTable;
  scenarios: ScenarioTable;
  scenario_files: ScenarioFileTable;
  exercises: ExerciseTable;
  exercise_staff: ExerciseStaffTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  team_releases: TeamReleaseTable;
  team_evidence: TeamEvidenceTable;
  fired_injects: FiredInjectTable;
  announcements: AnnouncementTable;
  submissions: SubmissionTable;
  objective_scores: ObjectiveScoreTable;
  hint_unlocks: HintUnlockTable;
  score_adjustments: ScoreAdjustmentTable;
  custody_log: CustodyLogTable;
  scoreboard_freezes: ScoreboardFreezeTable;
  custody_heads: CustodyHeadTable;
  app_secrets: AppSecretTable;
  partner_applications: PartnerApplicationTable;
  partner_application_events: PartnerApplicationEventTable;
  partner_agreements: PartnerAgreementTable;
  partner_agreement_scopes: PartnerAgreementScopeTable;
  partner_secondments: PartnerSecondmentTable;
  partner_agreement_documents: PartnerAgreementDocumentTable;
  partner_secondment_reports: PartnerSecondmentReportTable;
  partner_offers: PartnerOfferTable;
  partner_access_requests: PartnerAccessRequestTable;
  sharing_reports: SharingReportTable;
  sharing_report_recipients: SharingReportRecipientTable;
  sharing_values: SharingValueTable;
  sharing_indicators: SharingIndicatorTable;
  sharing_sightings: SharingSightingTable;
  sharing_log: SharingLogTable;
  sharing_log_heads: SharingLogHeadTable;
  sharing_notifications: SharingNotificationTable;
  case_files: CaseFileTable;
  case_file_versions: CaseFileVersionTable;
  case_file_entities: CaseFileEntityTable;
  case_file_events: CaseFileEventTable;
  case_file_evaluations: CaseFileEvaluationTable;
  legal_requests: LegalRequestTable;
  advice_requests: AdviceRequestTable;
  advice_messages: AdviceMessageTable;
}
