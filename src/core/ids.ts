import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { v7 } from 'uuid';

/** Time-ordered id that leaks no counts when shown in a URL. */
export const newId = (): string => v7();

/** A random secret for links and tokens, URL-safe. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Secrets are stored only as their SHA-256; a leaked table reveals no usable token. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
