import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import { AppError } from '../../core/errors.ts';
import { addSeconds, iso, type Clock } from '../../core/clock.ts';

// Failed sign-ins are counted per account and per IP address in the database,
// so that several server processes share the count. Past the limit the key is
// locked; each further failure doubles the lock, up to one hour.
export type ThrottlePolicy = { maxFailuresPerAccount: number; maxFailuresPerIp: number; lockSeconds: number };
const windowSeconds = 15 * 60;
const maxLockSeconds = 3600;

const keys = (email: string, ip: string | null) => [
  { key: `account:${email}`, key_kind: 'account' as const },
  ...(ip ? [{ key: `ip:${ip}`, key_kind: 'ip' as const }] : []),
];

/** Refuses with "try again in N s" while the account or the IP is locked. */
export async function assertNotThrottled(db: Db, clock: Clock, email: string, ip: string | null): Promise<void> {
  const now = clock.now();
  const rows = await db
    .selectFrom('login_throttle')
    .selectAll()
    .where('key', 'in', keys(email, ip).map((k) => k.key))
    .execute();
  const lockedUntil = rows.map((r) => r.locked_until).filter((t): t is string => !!t && t > iso(now)).sort().at(-1);
  if (lockedUntil) {
    const retryAfterSeconds = Math.max(1, Math.ceil((new Date(lockedUntil).getTime() - now.getTime()) / 1000));
    throw new AppError('too_many_requests', `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}

export async function recordFailure(db: Db, clock: Clock, policy: ThrottlePolicy, email: string, ip: string | null): Promise<void> {
  const now = clock.now();
  const windowCutoff = iso(addSeconds(now, -windowSeconds));
  await db.transaction().execute(async (tx) => {
    for (const { key, key_kind } of keys(email, ip)) {
      const limit = key_kind === 'account' ? policy.maxFailuresPerAccount : policy.maxFailuresPerIp;
      // One statement counts the failure (or starts a new window), so that
      // parallel failures are never lost: a read-then-write here let a burst
      // of guesses on PostgreSQL overwrite each other's count.
      const { failures } = await tx
        .insertInto('login_throttle')
        .values({ key, failures: 1, window_started_at: iso(now), locked_until: null })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => {
            const expired = eb('login_throttle.window_started_at', '<=', windowCutoff);
            return {
              failures: eb.case().when(expired).then(1).else(eb('login_throttle.failures', '+', 1)).end(),
              window_started_at: eb.case().when(expired).then(iso(now)).else(eb.ref('login_throttle.window_started_at')).end(),
              locked_until: eb.case().when(expired).then(sql<string | null>`null`).else(eb.ref('login_throttle.locked_until')).end(),
            };
          }),
        )
        .returning('failures')
        .executeTakeFirstOrThrow();
      const over = Number(failures) - limit;
      if (over < 0) continue;
      const lockedUntil = iso(addSeconds(now, Math.min(maxLockSeconds, policy.lockSeconds * 2 ** over)));
      await tx
        .updateTable('login_throttle')
        .set({ locked_until: lockedUntil })
        .where('key', '=', key)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', lockedUntil)]))
        .execute();
    }
  });
}

/** A successful sign-in clears the account's count (not the IP's: one good account must not unlock guessing others). */
export async function clearAccountFailures(db: Db | Tx, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', `account:${email}`).execute();
}
