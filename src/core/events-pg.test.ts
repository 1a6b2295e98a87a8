import { describe, expect, it } from 'vitest';
import { batchPayloads, maxPayloadBytes } from './events-pg.ts';

const wire = (i: number, pad = 0) => {
  const w = JSON.stringify({ c: 'team:x', t: 'n', d: { i, pad: 'x'.repeat(pad) } });
  return { wire: w, bytes: Buffer.byteLength(w, 'utf8') };
};

describe('batching of NOTIFY payloads', () => {
  it('sends a lone event as itself and several as one array, in order', () => {
    expect(batchPayloads([wire(1)])).toEqual([{ payload: wire(1).wire, count: 1 }]);
    const batches = batchPayloads([wire(1), wire(2), wire(3)]);
    expect(batches).toHaveLength(1);
    expect(JSON.parse(batches[0]!.payload).map((w: { d: { i: number } }) => w.d.i)).toEqual([1, 2, 3]);
  });

  it('splits so that no payload exceeds the limit, keeping the order', () => {
    const wires = Array.from({ length: 50 }, (_, i) => wire(i, 1000));
    const batches = batchPayloads(wires);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(Buffer.byteLength(b.payload, 'utf8')).toBeLessThanOrEqual(maxPayloadBytes);
    const order = batches.flatMap((b) => (b.count === 1 ? [JSON.parse(b.payload)] : JSON.parse(b.payload))).map((w: { d: { i: number } }) => w.d.i);
    expect(order).toEqual([...Array(50).keys()]);
    expect(batches.reduce((n, b) => n + b.count, 0)).toBe(50);
  });
});
