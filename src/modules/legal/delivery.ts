import type { Selectable } from 'kysely';
import type { Tx } from '../../core/db/index.ts';
import type { ExerciseTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import { iso } from '../../core/clock.ts';
import type { ScenarioDefinition } from '../scenarios/definition.ts';
import { gameSeconds } from '../exercises/clock.ts';
import { clockState } from '../exercises/service.ts';
import { publishReleases, syncTeam, type Due } from '../exercises/releases.ts';
import { applyLegalProcedurePoints, publishAdjustment } from '../scoring/adjustments.ts';
import type { LegalStatus } from './schemas.ts';

// Delivering the replies of legal requests once the game clock reaches the
// second they are due: by the exercise ticker, and on every read of legal
// requests, so that nothing waits for the ticker. Each delivery counts its
// points and, for a granted request, releases the response's evidence to that
// team (syncTeam logs it in the chain of custody). Idempotent: a reply is
// delivered by whichever process marks it first.

type Adjustment = NonNullable<Awaited<ReturnType<typeof applyLegalProcedurePoints>>>;

export type Delivery = {
  exerciseId: string;
  replies: Array<{ teamId: string; requestId: string; status: LegalStatus }>;
  adjustments: Adjustment[];
  releases: Array<[string, Due]>;
};

/** Delivers the replies due at this game time, to every team of the exercise or to one; in the caller's transaction. */
export async function deliverDueReplies(ctx: AppContext, tx: Tx, exercise: Selectable<ExerciseTable>, definition: ScenarioDefinition, teamId: string | null): Promise<Delivery> {
  const delivery: Delivery = { exerciseId: exercise.id, replies: [], adjustments: [], releases: [] };
  if (!exercise.started_at) return delivery;
  const now = ctx.clock.now();
  const game = gameSeconds(clockState(exercise), now);
  let q = tx.selectFrom('legal_requests').selectAll().where('exercise_id', '=', exercise.id).where('delivered_at', 'is', null).where('due_game_second', '<=', Math.floor(game));
  if (teamId) q = q.where('team_id', '=', teamId);
  // A bounded batch per call: a backlog (a long pause, a restart) drains over a few ticks.
  const due = await q.orderBy('due_game_second').orderBy('sent_at').orderBy('id').limit(500).execute();
  if (due.length === 0) return delivery;
  const at = iso(now);
  const marked = await tx
    .updateTable('legal_requests')
    .set({ delivered_at: at })
    .where('id', 'in', due.map((r) => r.id))
    .where('delivered_at', 'is', null)
    .returning('id')
    .execute();
  const ours = new Set(marked.map((r) => r.id));
  const granted = new Set<string>();
  for (const request of due) {
    if (!ours.has(request.id)) continue;
    delivery.replies.push({ teamId: request.team_id, requestId: request.id, status: request.outcome });
    const partyName = definition.legalParties.find((p) => p.id === request.party_key)?.name.en ?? request.party_key;
    const adjustment = await applyLegalProcedurePoints(ctx, tx, {
      exerciseId: exercise.id,
      teamId: request.team_id,
      points: request.points,
      reason: `Legal request to ${partyName} (${request.request_type.replace(/_/g, ' ')}): ${request.outcome === 'granted' ? 'granted' : 'refused'}`,
      sentBy: request.sent_by,
    });
    if (adjustment) delivery.adjustments.push(adjustment);
    if (request.outcome === 'granted') granted.add(request.team_id);
  }
  for (const id of granted) {
    const team = await tx.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    delivery.releases.push([id, await syncTeam(ctx, tx, exercise, definition, team, 'legal_reply')]);
  }
  return delivery;
}

/** After commit: the teams and the staff hear of the replies, their points and the evidence released. */
export function publishDelivery(ctx: AppContext, delivery: Delivery): void {
  const { exerciseId } = delivery;
  for (const reply of delivery.replies) {
    const data = { requestId: reply.requestId, status: reply.status };
    ctx.events.publish({ channel: `team:${reply.teamId}`, type: 'legal_reply', data: { exerciseId, ...data } });
    ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'legal_reply', data: { teamId: reply.teamId, ...data } });
  }
  for (const adjustment of delivery.adjustments) publishAdjustment(ctx, adjustment);
  for (const [teamId, due] of delivery.releases) publishReleases(ctx, exerciseId, teamId, due);
}
