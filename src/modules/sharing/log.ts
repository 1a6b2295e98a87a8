import { createHash } from 'node:crypto';
import type { Db, Dialect, Tx } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import type { SharingLogTable } from '../../core/db/schema.ts';

// The sharing log: one append-only chain for the platform in which every entry
// carries the hash of the one before (as the chain of custody does), and a head
// row that moves with it, so that a changed, removed or inserted entry, or
// entries removed from the end, are detected by verifySharingLog.
export const sharingLogActions = ['report.created', 'report.updated', 'report.shared', 'report.read', 'indicator.read', 'sighting.recorded', 'report.exported', 'feed.pulled'] as const;
export type SharingLogAction = (typeof sharingLogActions)[number];

export type SharingLogInput = {
  action: SharingLogAction;
  reportId: string | null;
  indicatorId?: string | null;
  reporterOrganisationId: string | null;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  details?: Record<string, unknown>;
};

export const genesisHash = '0'.repeat(64);
const headId = 'sharing';

export function sharingEntryHash(prevHash: string, e: Omit<SharingLogTable, 'id' | 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([prevHash, e.position, e.action, e.report_id, e.indicator_id, e.reporter_organisation_id, e.actor_user_id, e.actor_organisation_id, e.occurred_at, e.details]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends entries in order, in the caller's transaction; the head row serialises writers (PostgreSQL row lock, SQLite's one writer). */
export async function appendSharingLog(tx: Tx, dialect: Dialect, clock: Clock, entries: SharingLogInput[]): Promise<void> {
  if (entries.length === 0) return;
  const lock = tx.selectFrom('sharing_log_heads').select(['position', 'hash']).where('id', '=', headId);
  const head = await (dialect === 'postgres' ? lock.forUpdate() : lock).executeTakeFirstOrThrow();
  let position = Number(head.position);
  let prev = head.hash;
  const occurredAt = iso(clock.now());
  const rows: SharingLogTable[] = [];
  for (const e of entries) {
    position += 1;
    const body = {
      position,
      action: e.action,
      report_id: e.reportId,
      indicator_id: e.indicatorId ?? null,
      reporter_organisation_id: e.reporterOrganisationId,
      actor_user_id: e.actorUserId,
      actor_organisation_id: e.actorOrganisationId,
      occurred_at: occurredAt,
      details: JSON.stringify(e.details ?? {}),
    };
    const hash = sharingEntryHash(prev, body);
    rows.push({ id: newId(), ...body, prev_hash: prev, hash });
    prev = hash;
  }
  for (let i = 0; i < rows.length; i += 200) await tx.insertInto('sharing_log').values(rows.slice(i, i + 200)).execute();
  await tx.updateTable('sharing_log_heads').set({ position, hash: prev, updated_at: occurredAt }).where('id', '=', headId).execute();
}

export type SharingChainProblem = { kind: 'hash_mismatch' | 'prev_hash_mismatch' | 'position_gap' | 'head_mismatch'; position: number | null; message: string };

/** Walks the whole chain in pages and reports every broken link. */
export async function verifySharingLog(db: Db | Tx, pageSize = 1000) {
  const problems: SharingChainProblem[] = [];
  let entries = 0;
  let expected = 1;
  let prevHash = genesisHash;
  let lastPosition = 0;
  for (;;) {
    const page = await db.selectFrom('sharing_log').selectAll().where('position', '>', lastPosition).orderBy('position').limit(pageSize).execute();
    for (const row of page) {
      const position = Number(row.position);
      entries += 1;
      if (position !== expected) problems.push({ kind: 'position_gap', position, message: `position ${position} where ${expected} was expected: entries were removed or inserted` });
      if (row.prev_hash !== prevHash) problems.push({ kind: 'prev_hash_mismatch', position, message: 'prev_hash does not match the hash of the entry before it' });
      const { id: _id, hash, prev_hash, ...body } = row;
      if (sharingEntryHash(prev_hash, { ...body, position }) !== hash) problems.push({ kind: 'hash_mismatch', position, message: "the entry's content no longer gives its hash: the entry was changed" });
      prevHash = hash;
      expected = position + 1;
      lastPosition = position;
    }
    if (page.length < pageSize) break;
  }
  const headRow = await db.selectFrom('sharing_log_heads').select(['position', 'hash']).where('id', '=', headId).executeTakeFirst();
  const head = headRow ? { position: Number(headRow.position), hash: headRow.hash } : null;
  if (!head || head.position !== lastPosition || head.hash !== prevHash) {
    problems.push({ kind: 'head_mismatch', position: head?.position ?? null, message: `the recorded head (${head ? `position ${head.position}` : 'missing'}) is not the end of the chain (position ${lastPosition})` });
  }
  return { entries, head, problems, valid: problems.length === 0 };
}
