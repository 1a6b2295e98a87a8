// What a team did, as the after-action report replays it. Each module that
// records team activity (scoring, evidence, injects, case file, legal requests,
// advice) exports a reader returning these items; the report merges them in time order.
export type ActivityKind =
  | 'evidence_released'
  | 'evidence_acquired'
  | 'answer'
  | 'objective_solved'
  | 'hint_unlocked'
  | 'inject_received'
  | 'announcement'
  | 'score_adjusted'
  | 'case_file_saved'
  | 'case_file_submitted'
  | 'case_file_evaluated'
  | 'legal_request_sent'
  | 'legal_request_replied'
  | 'advice_requested'
  | 'advice_replied';

export type TeamActivity = {
  teamId: string;
  /** ISO-8601 UTC wall time. */
  at: string;
  kind: ActivityKind;
  /** Who did it (a team member, an expert), when a person did. */
  actorUserId: string | null;
  /** Short, language-neutral facts for the replay (ids, keys, points, outcomes); never a submitted answer in clear. */
  details: Record<string, string | number | boolean | null>;
};

/** A module's reader: the activity of one team, or of every team of the exercise (teamId null). */
export type ActivityReader = (db: import('../../core/db/index.ts').Db, exerciseId: string, teamId: string | null) => Promise<TeamActivity[]>;
