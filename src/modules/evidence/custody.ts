import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Dialect, Tx } from '../../core/db/index.ts';
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
  if (dialect === 'postgres') await sql`select id from exercises where id = ${exerciseId} for no key update`.execute(tx);
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
  // The head moves with the chain, in the same transaction: it shows entries removed from the end.
  const head = rows[rows.length - 1]!;
  await tx
    .insertInto('custody_heads')
    .values({ exercise_id: exerciseId, position: head.position, hash: head.hash, updated_at: head.occurred_at })
    .onConflict((oc) => oc.column('exercise_id').doUpdateSet({ position: head.position, hash: head.hash, updated_at: head.occurred_at }))
    .execute();
}

export type ChainProblem = {
  kind: 'hash_mismatch' | 'prev_hash_mismatch' | 'position_gap' | 'duplicate_position' | 'head_mismatch' | 'head_missing';
  /** The entry where the break shows (null for the head). */
  position: number | null;
  entryId: string | null;
  message: string;
};
export type ChainReport = { entries: number; head: { position: number; hash: string } | null; problems: ChainProblem[] };

/**
 * Walks an exercise's chain in position order (in pages, never whole in
 * memory) and reports every broken link:
 * - an entry whose fields no longer give its hash was changed (hash_mismatch);
 * - an entry whose prev_hash is not the hash of the entry before it follows a
 *   removed, inserted or re-hashed entry (prev_hash_mismatch);
 * - positions must run 1, 2, 3… (position_gap, duplicate_position);
 * - the last entry must be the recorded head (head_mismatch: entries removed
 *   from the end, or appended around appendCustody).
 */
export async function verifyCustodyChain(db: Db | Tx, exerciseId: string, pageSize = 1000): Promise<ChainReport> {
  const problems: ChainProblem[] = [];
  let entries = 0;
  let expected = 1;
  let prevHash = genesisHash;
  let last: { position: number; id: string; hash: string } | null = null;
  for (;;) {
    let q = db.selectFrom('custody_log').selectAll().where('exercise_id', '=', exerciseId);
    if (last) {
      const after = last;
      q = q.where((eb) => eb.or([eb('position', '>', after.position), eb.and([eb('position', '=', after.position), eb('id', '>', after.id)])]));
    }
    const page = await q.orderBy('position').orderBy('id').limit(pageSize).execute();
    for (const row of page) {
      const position = Number(row.position);
      entries += 1;
      const at = { position, entryId: row.id };
      if (last && position === last.position) {
        problems.push({ kind: 'duplicate_position', ...at, message: `position ${position} appears more than once: an entry was inserted` });
      } else if (position !== expected) {
        const message =
          position > expected
            ? `position ${expected === position - 1 ? expected : `${expected}–${position - 1}`} missing before position ${position}: entries were removed`
            : `position ${position} where ${expected} was expected`;
        problems.push({ kind: 'position_gap', ...at, message });
      }
      if (row.prev_hash !== prevHash) {
        problems.push({ kind: 'prev_hash_mismatch', ...at, message: `prev_hash does not match the hash of the entry before it (${last ? `position ${last.position}` : 'the start of the chain'}): an entry before it was removed, inserted or changed` });
      }
      const { id: _id, hash, prev_hash, ...body } = row;
      if (entryHash(prev_hash, { ...body, position }) !== hash) {
        problems.push({ kind: 'hash_mismatch', ...at, message: `the entry's content no longer gives its hash: the entry was changed` });
      }
      prevHash = hash;
      expected = position + 1;
      last = { position, id: row.id, hash };
    }
    if (page.length < pageSize) break;
  }
  const headRow = await db.selectFrom('custody_heads').select(['position', 'hash']).where('exercise_id', '=', exerciseId).executeTakeFirst();
  const head = headRow ? { position: Number(headRow.position), hash: headRow.hash } : null;
  if (!head && last) {
    problems.push({ kind: 'head_missing', position: null, entryId: null, message: 'the chain has entries but no recorded head: the head was removed' });
  } else if (head && (!last || head.position !== last.position || head.hash !== last.hash)) {
    const message =
      !last || head.position > last.position
        ? `the recorded head is position ${head.position} but the chain ends at ${last ? `position ${last.position}` : 'no entry'}: entries were removed from the end`
        : head.position < last.position
          ? `the chain ends at position ${last.position} beyond the recorded head (position ${head.position}): entries were appended outside the custody service`
          : `the last entry's hash is not the recorded head's hash: the last entry was replaced`;
    problems.push({ kind: 'head_mismatch', position: last?.position ?? null, entryId: null, message });
  }
  return { entries, head, problems };
}
