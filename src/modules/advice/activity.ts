import type { ActivityReader, TeamActivity } from '../reports/activity.ts';

// The advice desk in a team's replay: each request it raised, and each reply
// of the desk (a message, a hint granted, a penalty applied). The subject and
// texts stay out: the replay names what happened, the thread holds the words.
export const adviceActivity: ActivityReader = async (db, exerciseId, teamId) => {
  let requests = db.selectFrom('advice_requests').select(['id', 'team_id', 'raised_by', 'raised_at', 'evidence_key']).where('exercise_id', '=', exerciseId);
  if (teamId) requests = requests.where('team_id', '=', teamId);
  let replies = db
    .selectFrom('advice_messages')
    .select(['request_id', 'team_id', 'kind', 'author_id', 'hint_key', 'points', 'created_at'])
    .where('exercise_id', '=', exerciseId)
    .where('kind', '!=', 'team');
  if (teamId) replies = replies.where('team_id', '=', teamId);

  const items: TeamActivity[] = [
    ...(await requests.execute()).map((r): TeamActivity => ({
      teamId: r.team_id,
      at: r.raised_at,
      kind: 'advice_requested',
      actorUserId: r.raised_by,
      details: { requestId: r.id, evidenceKey: r.evidence_key },
    })),
    ...(await replies.execute()).map((m): TeamActivity => ({
      teamId: m.team_id,
      at: m.created_at,
      kind: 'advice_replied',
      actorUserId: m.author_id,
      details: { requestId: m.request_id, reply: m.kind === 'staff' ? 'message' : m.kind, hintKey: m.hint_key, points: m.points },
    })),
  ];
  return items.sort((a, b) => a.at.localeCompare(b.at));
};
