import type { ActivityReader, TeamActivity } from '../reports/activity.ts';

// Legal requests in the after-action replay: each request when sent, and its
// reply once delivered (never the identifiers or the justification in clear,
// nor the scenario's response the request matched: the team reads this too).
export const legalActivity: ActivityReader = async (db, exerciseId, teamId) => {
  let q = db
    .selectFrom('legal_requests')
    .select(['id', 'team_id', 'party_key', 'request_type', 'sent_by', 'sent_at', 'outcome', 'points', 'delivered_at'])
    .where('exercise_id', '=', exerciseId);
  if (teamId) q = q.where('team_id', '=', teamId);
  const rows = await q.orderBy('sent_at').orderBy('id').execute();
  const items: TeamActivity[] = [];
  for (const r of rows) {
    items.push({ teamId: r.team_id, at: r.sent_at, kind: 'legal_request_sent', actorUserId: r.sent_by, details: { requestId: r.id, party: r.party_key, type: r.request_type } });
    if (r.delivered_at) {
      items.push({
        teamId: r.team_id,
        at: r.delivered_at,
        kind: 'legal_request_replied',
        actorUserId: null,
        details: { requestId: r.id, party: r.party_key, type: r.request_type, outcome: r.outcome, points: r.points },
      });
    }
  }
  return items;
};
