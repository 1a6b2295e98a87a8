import type { Db } from '../db/index.ts';
import { sha256 } from '../ids.ts';
import { iso, type Clock } from '../clock.ts';
import type { RequestAuth } from './context.ts';
import { loadUser } from './sessions.ts';

export const tokenPrefix = 'cct_';

/** Resolves `Authorization: Bearer cct_…`; unknown, expired, revoked or disabled-owner tokens resolve to nothing. */
export async function resolveApiToken(db: Db, clock: Clock, token: string): Promise<RequestAuth | null> {
  if (!token.startsWith(tokenPrefix)) return null;
  const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  const now = clock.now();
  if (!row || row.revoked_at || row.expires_at <= iso(now)) return null;
  const user = await loadUser(db, row.user_id);
  if (!user || user.status !== 'active') return null;
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: iso(now) }).where('id', '=', row.id).execute();
  }
  const { status: _status, ...actor } = user;
  return { kind: 'token', user: actor, tokenId: row.id, scopes: JSON.parse(row.scopes) as string[] };
}
