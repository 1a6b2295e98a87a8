import type { AdviceMessage, AdviceRequest } from './schemas.ts';
import { secondsBetween } from './stats.ts';

// Rows of the desk → API shapes (never a row as is).

export type RequestView = {
  id: string;
  team_id: string;
  team_name: string;
  subject: string;
  status: AdviceRequest['status'];
  raised_by: string;
  raised_by_name: string;
  raised_at: string;
  evidence_key: string | null;
  evidence_sha256: string | null;
  claimed_by: string | null;
  claimed_by_name: string | null;
  claimed_at: string | null;
  first_reply_at: string | null;
  last_team_message_at: string;
  last_message_at: string;
  penalty_points: number | null;
  closed_at: string | null;
  message_count: number | string | null;
};

export function presentRequest(r: RequestView): AdviceRequest {
  return {
    id: r.id,
    teamId: r.team_id,
    teamName: r.team_name,
    subject: r.subject,
    status: r.status,
    raisedBy: r.raised_by,
    raisedByName: r.raised_by_name,
    raisedAt: r.raised_at,
    evidence: r.evidence_key && r.evidence_sha256 ? { key: r.evidence_key, sha256: r.evidence_sha256 } : null,
    claimedBy: r.claimed_by,
    claimedByName: r.claimed_by_name,
    claimedAt: r.claimed_at,
    firstReplyAt: r.first_reply_at,
    firstReplySeconds: r.first_reply_at ? secondsBetween(r.raised_at, r.first_reply_at) : null,
    lastTeamMessageAt: r.last_team_message_at,
    lastMessageAt: r.last_message_at,
    // Every message updates last_message_at; the team spoke last when both match.
    awaitingReply: r.status !== 'closed' && r.last_message_at === r.last_team_message_at,
    penaltyPoints: r.penalty_points === null ? null : -Number(r.penalty_points),
    closedAt: r.closed_at,
    messageCount: Number(r.message_count ?? 0),
  };
}

export function presentMessage(m: { id: string; kind: AdviceMessage['kind']; author_id: string; display_name: string; body: string; hint_key: string | null; points: number | null; created_at: string }): AdviceMessage {
  return { id: m.id, kind: m.kind, authorId: m.author_id, authorName: m.display_name, body: m.body, hintKey: m.hint_key, points: m.points === null ? null : Number(m.points), createdAt: m.created_at };
}
