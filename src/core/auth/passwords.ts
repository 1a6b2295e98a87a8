import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

// Argon2id through Node 24's built-in implementation (no native addon),
// stored as a PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash.
const argon2Async = promisify(argon2);

// OWASP's first recommended configuration: 19 MiB, 2 passes, 1 lane.
const defaults = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 };

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const hash = await argon2Async('argon2id', { message: password, nonce, ...defaults });
  return `$argon2id$v=19$m=${defaults.memory},t=${defaults.passes},p=${defaults.parallelism}$${b64(nonce)}$${b64(hash)}`;
}

const phc = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const m = phc.exec(stored);
  if (!m) return false;
  const [, memory, passes, parallelism, salt, expected] = m as unknown as [string, string, string, string, string, string];
  const expectedBuf = Buffer.from(expected, 'base64');
  const actual = await argon2Async('argon2id', {
    message: password,
    nonce: Buffer.from(salt, 'base64'),
    memory: Number(memory),
    passes: Number(passes),
    parallelism: Number(parallelism),
    tagLength: expectedBuf.length,
  });
  return actual.length === expectedBuf.length && timingSafeEqual(actual, expectedBuf);
}

// A hash of a random password, verified against when the account does not
// exist so that unknown e-mails take as long as wrong passwords.
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
