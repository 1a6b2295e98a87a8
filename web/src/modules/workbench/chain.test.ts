import { describe, expect, it } from 'vitest';
import { buildGraph, chainColumns, defaultSource, followMoney, formatUnits, layout, toUnits } from './chain.ts';
import { parseLog } from './logs.ts';
import { demo, sample } from './fixtures.ts';

const graphOf = (csv: string) => {
  const table = parseLog(csv);
  const columns = chainColumns(table.columns);
  if (!columns) throw new Error('not an export');
  return buildGraph(table, columns);
};

describe('amounts', () => {
  it('converts exactly to and from units of 10^-8', () => {
    expect(toUnits('2.34560000')).toBe(234_560_000);
    expect(toUnits('0.00000846')).toBe(846);
    expect(toUnits('1')).toBe(100_000_000);
    expect(toUnits('abc')).toBeNaN();
    expect(formatUnits(234_560_000)).toBe('2.3456');
    expect(formatUnits(100_000_000)).toBe('1');
    expect(formatUnits(toUnits('0.1') + toUnits('0.2'))).toBe('0.3');
  });
});

describe('the demo blockchain export', () => {
  const graph = graphOf(demo.blockchain);
  it('detects the columns and builds addresses with their labels', () => {
    expect(chainColumns(parseLog(demo.blockchain).columns)).toEqual({ txid: 0, time: 1, from: 2, to: 3, amount: 4, fee: 5, fromLabel: 6, toLabel: 7 });
    expect(chainColumns(['a', 'b'])).toBeNull();
    expect(graph.transfers).toHaveLength(8);
    expect(graph.nodes.get('bc1q7xkvvp4rpt8q03pegyaczplvfmaztxhtdp5m2z')?.label).toBe('Kestrel OTC (broker)');
    expect(graph.nodes.get(sample.deposit_wallet)?.label).toBe('Halvora Exchange (deposit address)');
    expect(graph.nodes.get(sample.ransom_wallet)?.received).toBe(toUnits('0.001') + toUnits('2.3456') + toUnits('0.25'));
  });
  it('starts by default from the payer of the ransom and lays out the flow left to right', () => {
    const source = defaultSource(graph);
    expect(source).toBe('bc1q7xkvvp4rpt8q03pegyaczplvfmaztxhtdp5m2z');
    const l = layout(graph, sample.ransom_wallet);
    expect(l.layers.get(sample.ransom_wallet)).toBe(0);
    expect(l.layers.get(sample.intermediate_wallet)).toBe(1);
    expect(l.layers.get(sample.deposit_wallet)).toBe(2);
    expect(l.layers.get('bc1q7xkvvp4rpt8q03pegyaczplvfmaztxhtdp5m2z')).toBe(-1);
    expect(l.positions.get(sample.ransom_wallet)!.x).toBeGreaterThan(l.positions.get('bc1q7xkvvp4rpt8q03pegyaczplvfmaztxhtdp5m2z')!.x);
    // Same input, same picture.
    expect([...layout(graph, sample.ransom_wallet).positions]).toEqual([...l.positions]);
  });
  it('follows the ransom from the ransom wallet to the exchange, in time order, with fees once per transaction', () => {
    const result = followMoney(graph, sample.ransom_wallet);
    const deposit = result.destinations.find((d) => d.address === sample.deposit_wallet);
    expect(deposit).toMatchObject({ depth: 2, received: toUnits('2.3456'), final: true });
    expect(result.paths.map((p) => p.hops.map((h) => h.to))).toEqual([
      [sample.intermediate_wallet, sample.deposit_wallet],
      [sample.intermediate_wallet, 'bc1q7ly02mm3xvlukl0e7ga43x7yp0aezkhacq9s48'],
      ['bc1qhkqrye5scdknr8zpyuw4sp05qqqsg85agmdpyk'],
    ]);
    // The 2025-03-09 transfer from the intermediate wallet happened before the ransom arrived there: not followed.
    expect(result.transfers.some((t) => t.time < Date.UTC(2025, 2, 11))).toBe(false);
    expect(result.sentBySource).toBe(toUnits('2.3456') + toUnits('0.0009859'));
    expect(result.fees).toBe(toUnits('0.0000141') + toUnits('0.0000188'));
  });
});

describe('follow the money', () => {
  const csv = (rows: string[]) => `txid,time_utc,from_address,to_address,amount_btc,fee_btc\n${rows.join('\n')}\n`;
  it('sums amounts per destination over every transfer once, however many paths reach it', () => {
    const graph = graphOf(
      csv([
        't1,2025-01-01T00:00:00Z,A,B,1.0,0.001',
        't2,2025-01-02T00:00:00Z,A,C,2.0,0.001',
        't3,2025-01-03T00:00:00Z,B,D,0.5,0.001',
        't4,2025-01-03T00:00:00Z,C,D,1.5,0.001',
        't5,2025-01-04T00:00:00Z,D,E,2.0,0.001',
      ]),
    );
    const result = followMoney(graph, 'A');
    expect(result.paths).toHaveLength(2);
    expect(result.destinations.find((d) => d.address === 'D')?.received).toBe(toUnits('2'));
    expect(result.destinations.find((d) => d.address === 'E')).toMatchObject({ received: toUnits('2'), depth: 3, final: true });
    expect(result.fees).toBe(toUnits('0.005'));
  });
  it('handles cycles: each path stops when it comes back, totals stay finite', () => {
    const graph = graphOf(
      csv([
        't1,2025-01-01T00:00:00Z,A,B,1.0,0',
        't2,2025-01-02T00:00:00Z,B,C,1.0,0',
        't3,2025-01-03T00:00:00Z,C,A,1.0,0',
        't4,2025-01-04T00:00:00Z,A,B,0.9,0',
        't5,2025-01-05T00:00:00Z,B,X,0.9,0',
      ]),
    );
    const result = followMoney(graph, 'A');
    expect(result.paths.some((p) => p.cycle)).toBe(true);
    expect(result.destinations.find((d) => d.address === 'B')?.received).toBe(toUnits('1.9'));
    expect(result.destinations.find((d) => d.address === 'X')).toMatchObject({ received: toUnits('0.9'), final: true });
    expect(result.destinations.some((d) => d.address === 'A')).toBe(false);
  });
  it('can ignore time order, limits depth and caps the number of paths', () => {
    const graph = graphOf(csv(['t1,2025-01-05T00:00:00Z,A,B,1,0', 't2,2025-01-01T00:00:00Z,B,C,1,0']));
    expect(followMoney(graph, 'A').destinations.map((d) => d.address)).toEqual(['B']);
    expect(followMoney(graph, 'A', { respectTime: false }).destinations.map((d) => d.address)).toEqual(['B', 'C']);
    expect(followMoney(graph, 'A', { respectTime: false, maxDepth: 1 }).paths[0]?.truncated).toBe(true);
    const fan = graphOf(csv(Array.from({ length: 30 }, (_, i) => `t${i},2025-01-01T00:00:00Z,A,W${i},1,0`)));
    const capped = followMoney(fan, 'A', { maxPaths: 10 });
    expect(capped.paths).toHaveLength(10);
    expect(capped.pathsCapped).toBe(true);
    expect(capped.destinations).toHaveLength(30);
  });
});
