import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';
import { newTotpSecret, totpNow, totpUri, verifyTotp } from './totp.ts';

describe('passwords', () => {
  it('hashes with argon2id in PHC format and verifies', async () => {
    const hash = await hashPassword('a long passphrase here');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await verifyPassword(hash, 'a long passphrase here')).toBe(true);
    expect(await verifyPassword(hash, 'a long passphrase herE')).toBe(false);
  });

  it('salts every hash and rejects malformed stored values', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
    expect(await verifyPassword('plaintext', 'plaintext')).toBe(false);
    expect(await verifyPassword('$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA', 'x')).toBe(false);
  });
});

describe('totp', () => {
  const secret = newTotpSecret();
  const at = new Date('2026-11-23T10:00:10Z');

  it('accepts the current code and one step of drift, and returns the step', () => {
    const step = Math.floor(at.getTime() / 30000);
    expect(verifyTotp(secret, totpNow(secret, at), at, null)).toBe(step);
    expect(verifyTotp(secret, totpNow(secret, new Date(at.getTime() - 30000)), at, null)).toBe(step - 1);
    expect(verifyTotp(secret, totpNow(secret, new Date(at.getTime() - 90000)), at, null)).toBeNull();
  });

  it('refuses a replayed or older step, and malformed codes', () => {
    const code = totpNow(secret, at);
    const step = verifyTotp(secret, code, at, null)!;
    expect(verifyTotp(secret, code, at, step)).toBeNull();
    expect(verifyTotp(secret, '12345', at, null)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', at, null)).toBeNull();
  });

  it('builds an otpauth URI for authenticator apps', () => {
    expect(totpUri(secret, 'a@example.org')).toMatch(/^otpauth:\/\/totp\/Cybercap:a%40example\.org\?.*secret=/);
  });
});
