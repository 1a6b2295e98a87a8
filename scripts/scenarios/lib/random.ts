import { bech32 } from '@scure/base';
import { createRng, type Rng } from '../../../src/modules/scenarios/rng.ts';

// The fixed values of a package (noise log lines, queue ids, unrelated
// wallets) drawn from the package's seed, so that regenerating gives the same
// files byte for byte. Each purpose draws from its own stream.

export class PackageRandom {
  readonly #seed: string;
  readonly #streams = new Map<string, Rng>();

  constructor(seed: string) {
    this.#seed = seed;
  }

  rng(stream: string): Rng {
    let r = this.#streams.get(stream);
    if (!r) this.#streams.set(stream, (r = createRng(this.#seed, stream)));
    return r;
  }

  int(stream: string, min: number, max: number): number {
    return this.rng(stream).int(min, max);
  }

  pick<T>(stream: string, values: readonly T[]): T {
    return values[this.rng(stream).int(0, values.length - 1)]!;
  }

  hex(stream: string, length: number, upper = false): string {
    const h = Buffer.from(this.rng(stream).bytes(Math.ceil(length / 2))).toString('hex').slice(0, length);
    return upper ? h.toUpperCase() : h;
  }

  /** A Postfix-style queue id (long form: 10–12 characters of [0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]). */
  queueId(stream: string): string {
    const alphabet = '0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz';
    const r = this.rng(stream);
    return Array.from({ length: 11 }, () => alphabet[r.int(0, alphabet.length - 1)]).join('');
  }

  /** A valid P2WPKH address for a key that does not exist. */
  bech32Address(stream: string): string {
    return bech32.encode('bc', [0, ...bech32.toWords(this.rng(stream).bytes(20))]);
  }

  /** An address from the documentation ranges (RFC 5737), for fixed third parties. */
  docIp(stream: string): string {
    const net = this.pick(stream, ['192.0.2', '198.51.100', '203.0.113']);
    return `${net}.${this.int(stream, 2, 254)}`;
  }
}

/** Seconds since 1970 of an ISO time, and back. */
export const unix = (iso: string) => Date.parse(iso) / 1000;
export const isoOf = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
