import { Secret, TOTP } from 'otpauth';

// RFC 6238: 30-second steps, 6 digits, SHA-1 (what authenticator apps expect).
const period = 30;

function totpFor(secretBase32: string, label = '', issuer = 'Cybercap'): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period, secret: Secret.fromBase32(secretBase32) });
}

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export const totpUri = (secretBase32: string, accountLabel: string): string => totpFor(secretBase32, accountLabel).toString();

/**
 * Checks a code with one step of clock drift either way. Returns the time step
 * the code belongs to, so the caller can refuse a replay of the same or an
 * older step, or null when the code is wrong.
 */
export function verifyTotp(secretBase32: string, code: string, at: Date, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(at.getTime() / 1000 / period) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/** The current code, for tests and the CLI. */
export const totpNow = (secretBase32: string, at: Date = new Date()): string =>
  totpFor(secretBase32).generate({ timestamp: at.getTime() });
