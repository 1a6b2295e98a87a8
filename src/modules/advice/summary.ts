import type { Db } from '../../core/db/index.ts';
import { median, p90, secondsBetween } from './stats.ts';

export type AdviceStats = {
  requests: number;
  answered: number;
  medianFirstReplySeconds: number | null;
  p90FirstReplySeconds: number | null;
  perTeam: Array<{ teamId: string; requests: number; penalties: number }>;
  perExpert: Array<{ userId: string; displayName: string; replies: number; medianFirstReplySeconds: number | null }>;
};

/**
 * The advice load of an exercise and how fast it was answered. A request is
 * answered once a staff member replied; its time to first reply runs from when
 * it was raised to that reply, and counts for the staff member who gave it.
 */
export async function adviceStats(db: Db, exerciseId: string): Promise<AdviceStats> {
  const requests = await db
    .selectFrom('advice_requests')
    .select(['team_id', 'raised_at', 'first_reply_at', 'first_reply_by', 'penalty_adjustment_id'])
    .where('exercise_id', '=', exerciseId)
    .execute();
  const replies = await db
    .selectFrom('advice_messages')
    .innerJoin('users', 'users.id', 'advice_messages.author_id')
    .select(['advice_messages.author_id', 'users.display_name'])
    .select((eb) => eb.fn.countAll<number>().as('replies'))
    .where('advice_messages.exercise_id', '=', exerciseId)
    .where('advice_messages.kind', '=', 'staff')
    .groupBy(['advice_messages.author_id', 'users.display_name'])
    .execute();

  const firstReplies = requests.filter((r) => r.first_reply_at !== null).map((r) => ({ by: r.first_reply_by!, seconds: secondsBetween(r.raised_at, r.first_reply_at!) }));
  const perTeam = new Map<string, { teamId: string; requests: number; penalties: number }>();
  for (const r of requests) {
    const entry = perTeam.get(r.team_id) ?? { teamId: r.team_id, requests: 0, penalties: 0 };
    entry.requests += 1;
    if (r.penalty_adjustment_id) entry.penalties += 1;
    perTeam.set(r.team_id, entry);
  }
  const all = firstReplies.map((f) => f.seconds);
  return {
    requests: requests.length,
    answered: firstReplies.length,
    medianFirstReplySeconds: median(all),
    p90FirstReplySeconds: p90(all),
    perTeam: [...perTeam.values()].sort((a, b) => a.teamId.localeCompare(b.teamId)),
    perExpert: replies
      .map((r) => ({
        userId: r.author_id,
        displayName: r.display_name,
        replies: Number(r.replies),
        medianFirstReplySeconds: median(firstReplies.filter((f) => f.by === r.author_id).map((f) => f.seconds)),
      }))
      .sort((a, b) => b.replies - a.replies || a.displayName.localeCompare(b.displayName)),
  };
}
