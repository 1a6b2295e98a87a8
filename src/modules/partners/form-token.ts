import { createHmac } from 'node:crypto';
import type { Db } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newSecret, safeEqual } from '../../core/ids.ts';
import { AppError, validationError } from '../../core/errors.ts';

// The "Become a partner" form carries a token stating when it was handed out,
// signed with a server secret. People take seconds to fill a form; a bot that
// posts at once is refused, and a forged or stale token is of no use.
export const formTiming = { minSeconds: 5, maxSeconds: 24 * 3600 } as const;

const secrets = new WeakMap<Db, Promise<string>>();

/** The signing key, created once per database (shared by every process on it). */
function signingKey(db: Db, clock: Clock): Promise<string> {
  let key = secrets.get(db);
  if (!key) {
    key = (async () => {
      await db
        .insertInto('app_secrets')
        .values({ name: 'partner_form_token', value: newSecret(32), created_at: iso(clock.now()) })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await db.selectFrom('app_secrets').select('value').where('name', '=', 'partner_form_token').executeTakeFirstOrThrow();
      return row.value;
    })();
    key.catch(() => secrets.delete(db));
    secrets.set(db, key);
  }
  return key;
}

const mac = (key: string, payload: string) => createHmac('sha256', key).update(`partner-application:${payload}`).digest('base64url');

export async function issueFormToken(db: Db, clock: Clock) {
  const issued = clock.now().getTime();
  const payload = `${issued}.${newSecret(12)}`;
  return {
    token: `${payload}.${mac(await signingKey(db, clock), payload)}`,
    minSeconds: formTiming.minSeconds,
    expiresAt: iso(new Date(issued + formTiming.maxSeconds * 1000)),
  };
}

/** Accepts a token this server issued, old enough for a person to have filled the form, not stale. */
export async function checkFormToken(db: Db, clock: Clock, token: string): Promise<void> {
  const parts = token.split('.');
  const [issuedText, nonce, signature] = parts;
  if (parts.length !== 3 || !issuedText || !nonce || !signature || !/^\d{1,15}$/.test(issuedText)) {
    throw validationError('body.formToken', 'invalid form token: reload the form');
  }
  if (!safeEqual(signature, mac(await signingKey(db, clock), `${issuedText}.${nonce}`))) {
    throw validationError('body.formToken', 'invalid form token: reload the form');
  }
  const age = (clock.now().getTime() - Number(issuedText)) / 1000;
  if (age > formTiming.maxSeconds) throw validationError('body.formToken', 'the form has expired: reload it and send it again');
  if (age < formTiming.minSeconds) {
    throw new AppError('too_many_requests', 'The form was sent too quickly: wait a few seconds and send it again', { retryAfterSeconds: Math.ceil(formTiming.minSeconds - Math.max(age, 0)) });
  }
}
