import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Dialect, Tx } from '../../core/db/index.ts';
import { newId } from '../../core/ids.ts';
import type { CustodyLogTable } from '../../core/db/schema.ts';

// Chain of custody: an append-only log per exercise in which every entry
// carries the hash of the one before, so that a changed, removed or inserted
// entry breaks the chain and is detected by verifyCustodyChain.
export type CustodyAction = CustodyLogTable['action'];
export type CustodyInput = {
  exerciseId: string;
  teamId: string | null;
  evidenceKey: string;
  sha256: string;
  action: CustodyAction;
  actorUserId: string | null;
  occurredAt: string;
  details?: Record<string, unknown>;
};

export const genesisHash = '0'.repeat(64);

export function entryHash(prevHash: string, e: Omit<CustodyLogTable, 'id' | 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([prevHash, e.exercise_id, e.position, e.team_id, e.evidence_key, e.sha256, e.action, e.actor_user_id, e.occurred_at, e.details]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Serialises appends to one exercise's chain: PostgreSQL locks the exercise row; SQLite has one writer. */
export async function lockChain(tx: Tx, dialect: Dialect, exerciseId: string): Promise<void> {
  if (dialect === 'postgres') await sql`select id from exercises where id = ${exerciseId} for update`.execute(tx);
}

/** Appends entries in order; the caller holds the chain lock (lockChain) in the same transaction. */
export async function appendCustody(tx: Tx, entries: CustodyInput[]): Promise<void> {
  if (entries.length === 0) return;
  const exerciseId = entries[0]!.exerciseId;
  const last = await tx.selectFrom('custody_log').select(['position', 'hash']).where('exercise_id', '=', exerciseId).orderBy('position', 'desc').limit(1).executeTakeFirst();
  let position = last ? Number(last.position) : 0;
  let prev = last?.hash ?? genesisHash;
  const rows: CustodyLogTable[] = [];
  for (const e of entries) {
    if (e.exerciseId !== exerciseId) throw new Error('appendCustody: one exercise at a time');
    position += 1;
    const body = {
      exercise_id: exerciseId,
      position,
      team_id: e.teamId,
      evidence_key: e.evidenceKey,
      sha256: e.sha256,
      action: e.action,
      actor_user_id: e.actorUserId,
      occurred_at: e.occurredAt,
      details: JSON.stringify(e.details ?? {}),
    };
    const hash = entryHash(prev, body);
    rows.push({ id: newId(), ...body, prev_hash: prev, hash });
    prev = hash;
  }
  for (let i = 0; i < rows.length; i += 200) await tx.insertInto('custody_log').values(rows.slice(i, i + 200)).execute();
}
