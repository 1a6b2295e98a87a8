import { iso } from '../../core/clock.ts';
import type { Db, Tx } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { Actor } from '../../core/permissions.ts';
import { appendCustody, lockChain, type CustodyAction } from './custody.ts';
import { contentDisposition, inlineContentType, parseRange, safeFileName, type ByteRange } from './http-content.ts';
import { lockerItem, lockerItems, lockerScope, type LockerItem, type LockerScope } from './locker.ts';
import type { EvidenceItem } from './schemas.ts';

// Reading the locker, and acquiring evidence with its entry in the chain of custody.
//
// What is logged:
// - 'viewed': every metadata read (GET …/evidence/:key) and every inline view
//   (…/content?inline=1) that starts an acquisition (see below);
// - 'downloaded': every download that starts an acquisition.
// A content request starts an acquisition when it asks for the whole file (no
// Range) or for a range starting at byte 0. A range starting later (a resumed
// download, a viewer fetching the next pages, a download manager's parallel
// chunks) is logged only when the same user has no entry of the same action for
// the same item and variant within the last `resumeWindowMinutes`; so every byte
// that leaves the server is covered by an entry of the user who received it,
// written at most that long before, without one entry per chunk. HEAD requests
// send no content and are not logged. The entry is written (and committed)
// before the first byte is sent: no acquisition without its record.

export const resumeWindowMinutes = 10;

/** Ties an entry to the server's request log. (No IP: teams read their entries.) */
type AcquisitionMeta = { requestId: string };

async function recordAcquisition(ctx: AppContext, actor: Actor, scope: LockerScope, item: LockerItem, action: CustodyAction, range: ByteRange | null, details: Record<string, unknown>): Promise<boolean> {
  const { db, dialect } = ctx.database;
  const startsAcquisition = range === null || range.start === 0;
  const since = iso(new Date(ctx.clock.now().getTime() - resumeWindowMinutes * 60_000));
  const recent = (ex: Db | Tx) => {
    let q = ex.selectFrom('custody_log').select('id').where('exercise_id', '=', scope.exercise.id);
    q = scope.teamId === null ? q.where('team_id', 'is', null) : q.where('team_id', '=', scope.teamId);
    return q.where('evidence_key', '=', item.key).where('sha256', '=', item.sha256).where('action', '=', action).where('actor_user_id', '=', actor.userId).where('occurred_at', '>=', since).limit(1).executeTakeFirst();
  };
  if (!startsAcquisition && (await recent(db))) return false;
  return db.transaction().execute(async (tx) => {
    await lockChain(tx, dialect, scope.exercise.id);
    // Parallel chunks of one resumed download: the first to hold the lock writes the entry.
    if (!startsAcquisition && (await recent(tx))) return false;
    await appendCustody(tx, [
      {
        exerciseId: scope.exercise.id,
        teamId: scope.teamId,
        evidenceKey: item.key,
        sha256: item.sha256,
        action,
        actorUserId: actor.userId,
        // Taken under the lock, so that times follow positions.
        occurredAt: iso(ctx.clock.now()),
        details: { ...details, role: scope.role.kind, range: range ? `${range.start}-${range.end}` : null },
      },
    ]);
    return true;
  });
}

export async function listLocker(ctx: AppContext, actor: Actor, exerciseId: string, teamId: string | undefined): Promise<EvidenceItem[]> {
  return lockerItems(ctx, await lockerScope(ctx, actor, exerciseId, teamId));
}

/** An item's metadata; reading it is logged as 'viewed'. */
export async function readItem(ctx: AppContext, actor: Actor, exerciseId: string, key: string, teamId: string | undefined, meta: AcquisitionMeta & { method: string }): Promise<EvidenceItem> {
  const scope = await lockerScope(ctx, actor, exerciseId, teamId);
  const item = await lockerItem(ctx, scope, key);
  // HEAD (which Fastify answers from this route) sends nothing: not logged.
  if (meta.method !== 'HEAD') await recordAcquisition(ctx, actor, scope, item, 'viewed', null, { via: 'metadata', requestId: meta.requestId });
  return item;
}

export type ContentPlan =
  | { status: 416; size: number; reason: string; headers: Record<string, string> }
  | { status: 200 | 206; sha256: string; range: ByteRange | null; size: number; verify: boolean; headers: Record<string, string> };

/**
 * Decides what a content request gets (whole file, one range, or 416) and
 * records the acquisition; the route then streams the bytes from the store.
 */
export async function prepareContent(
  ctx: AppContext,
  actor: Actor,
  exerciseId: string,
  key: string,
  query: { teamId?: string | undefined; inline: boolean },
  request: { method: string; range: string | undefined; ifRange: string | undefined } & AcquisitionMeta,
): Promise<ContentPlan> {
  const scope = await lockerScope(ctx, actor, exerciseId, query.teamId);
  const item = await lockerItem(ctx, scope, key);
  const stored = await ctx.storage.size(item.sha256);
  if (stored === null) throw new AppError('unavailable', 'The evidence file is missing from the store; ask a trainer to run the evidence verification');
  if (stored !== item.size) throw new AppError('unavailable', 'The stored evidence file no longer matches its record; ask a trainer to run the evidence verification');

  const etag = `"${item.sha256}"`;
  const inlineType = query.inline ? inlineContentType(item.mediaType) : null;
  const fileName = safeFileName(item.fileName, `evidence-${item.key}`);
  const headers: Record<string, string> = {
    'accept-ranges': 'bytes',
    etag,
    'x-evidence-sha256': item.sha256,
    'cache-control': 'private, no-store',
    'content-type': inlineType ?? 'application/octet-stream',
    'content-disposition': contentDisposition(inlineType ? 'inline' : 'attachment', fileName),
  };
  if (inlineType) {
    // Shown in a frame of the web app: same-origin framing only, nothing active.
    headers['x-frame-options'] = 'SAMEORIGIN';
    headers['content-security-policy'] = `default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'${inlineType === 'application/pdf' ? '' : '; sandbox'}`;
  }

  // If-Range: a range of a representation the client no longer has is answered with the whole file.
  const rangeHeader = request.ifRange !== undefined && request.ifRange.trim() !== etag ? undefined : request.range;
  const range = parseRange(rangeHeader, item.size);
  if (range.kind === 'unsatisfiable') {
    return { status: 416, size: item.size, reason: range.reason, headers: { ...headers, 'content-range': `bytes */${item.size}` } };
  }
  const byteRange = range.kind === 'range' ? { start: range.start, end: range.end } : null;
  const length = byteRange ? byteRange.end - byteRange.start + 1 : item.size;
  headers['content-length'] = String(length);
  if (byteRange) headers['content-range'] = `bytes ${byteRange.start}-${byteRange.end}/${item.size}`;

  if (request.method !== 'HEAD') {
    await recordAcquisition(ctx, actor, scope, item, inlineType ? 'viewed' : 'downloaded', byteRange, {
      via: inlineType ? 'inline' : 'download',
      bytes: length,
      requestId: request.requestId,
    });
  }
  return { status: byteRange ? 206 : 200, sha256: item.sha256, range: byteRange, size: item.size, verify: byteRange === null, headers };
}
