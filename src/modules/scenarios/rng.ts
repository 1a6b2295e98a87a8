import { createHmac } from 'node:crypto';

// Deterministic random numbers for per-team scenario values.
//
// A stream is HMAC-SHA256 in counter mode: block i is
//   HMAC-SHA256(key = seed, message = tag ‖ len(stream) ‖ stream ‖ i)
// with a fixed domain tag, the stream name's UTF-8 length as 4 bytes and the
// counter as 8 bytes, big-endian, so that no two (stream, counter) pairs share
// a message. Each variable draws from its own stream keyed by its name, so
// adding, removing or reordering variables never changes the others' values.
//
// Changing anything here (or the order in which a generator draws) changes
// every team's values for a given seed: bump the tag if that is ever needed.

const TAG = new TextEncoder().encode('cybercap/scenario-rng/v1\0');

export interface Rng {
  /** `length` uniformly random bytes. */
  bytes(length: number): Uint8Array;
  /** A uniform integer in [0, n), without modulo bias. */
  below(n: bigint): bigint;
  /** A uniform integer in [min, max], both safe integers, without modulo bias. */
  int(min: number, max: number): number;
  /** A uniform float in [0, 1) with 53 random bits. */
  float(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One item, uniformly. */
  pick<T>(items: readonly T[]): T;
}

/** The random stream named `stream` (e.g. a variable name) for `seed` (e.g. a team's secret seed). */
export function createRng(seed: string, stream: string): Rng {
  if (typeof seed !== 'string' || seed.length === 0) throw new TypeError('the seed must be a non-empty string');
  const streamBytes = new TextEncoder().encode(stream);
  const prefix = new Uint8Array(TAG.length + 4 + streamBytes.length);
  prefix.set(TAG, 0);
  new DataView(prefix.buffer).setUint32(TAG.length, streamBytes.length);
  prefix.set(streamBytes, TAG.length + 4);

  let counter = 0n;
  let block: Uint8Array = new Uint8Array(0);
  let offset = 0;

  const refill = () => {
    const ctr = new Uint8Array(8);
    new DataView(ctr.buffer).setBigUint64(0, counter);
    counter += 1n;
    block = new Uint8Array(createHmac('sha256', seed).update(prefix).update(ctr).digest());
    offset = 0;
  };

  const bytes = (length: number): Uint8Array => {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bytes(): bad length ${length}`);
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (offset >= block.length) refill();
      const take = Math.min(length - filled, block.length - offset);
      out.set(block.subarray(offset, offset + take), filled);
      offset += take;
      filled += take;
    }
    return out;
  };

  const below = (n: bigint): bigint => {
    if (typeof n !== 'bigint' || n < 1n) throw new RangeError(`below(): n must be a positive bigint, got ${String(n)}`);
    if (n === 1n) return 0n;
    // Rejection sampling: draw just enough bits for n − 1, retry if ≥ n
    // (fewer than two draws on average).
    const bits = (n - 1n).toString(2).length;
    const byteCount = Math.ceil(bits / 8);
    const topMask = 0xff >> (byteCount * 8 - bits);
    for (;;) {
      const b = bytes(byteCount);
      b[0] = b[0]! & topMask;
      let v = 0n;
      for (const x of b) v = (v << 8n) | BigInt(x);
      if (v < n) return v;
    }
  };

  const int = (min: number, max: number): number => {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) throw new RangeError(`int(): bad range [${min}, ${max}]`);
    return Number(BigInt(min) + below(BigInt(max) - BigInt(min) + 1n));
  };

  const float = (): number => Number(below(1n << 53n)) / 2 ** 53;

  return {
    bytes,
    below,
    int,
    float,
    chance: (p) => float() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick(): empty list');
      return items[int(0, items.length - 1)]!;
    },
  };
}
