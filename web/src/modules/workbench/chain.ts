import type { LogTable } from './logs.ts';

/**
 * Blockchain transaction exports as a graph of flows between addresses, and
 * "follow the money" from one address. Amounts are counted in the smallest
 * unit (satoshis for 8 decimals) so that sums are exact. Pure, unit-tested.
 */

export const unitDecimals = 8;
const unit = 10 ** unitDecimals;

export type Transfer = {
  /** Row of the export (0-based, in the table). */
  row: number;
  txid: string;
  /** As written, and epoch ms (NaN when missing). */
  timeText: string;
  time: number;
  from: string;
  to: string;
  /** In units of 10^-8. */
  amount: number;
  fee: number;
};

export type ChainColumns = { txid: number; time: number; from: number; to: number; amount: number; fee: number; fromLabel: number; toLabel: number };

const pick = (columns: string[], patterns: RegExp[]) => {
  for (const p of patterns) {
    const i = columns.findIndex((c) => p.test(c.trim()));
    if (i >= 0) return i;
  }
  return -1;
};

/** Which columns of an export hold what; null when it does not look like a transaction export (needs from, to and amount). */
export function chainColumns(columns: string[]): ChainColumns | null {
  const found: ChainColumns = {
    txid: pick(columns, [/^(txid|tx_?hash|transaction(_id|_hash)?|hash)$/i]),
    time: pick(columns, [/^(time|timestamp|date|block_?time)(_utc)?$/i, /time|date/i]),
    from: pick(columns, [/^(from|from_address|sender|source|input_address|from_wallet)$/i]),
    to: pick(columns, [/^(to|to_address|recipient|destination|output_address|to_wallet)$/i]),
    amount: pick(columns, [/^(amount|value)(_[a-z]{3,4})?$/i, /amount|value/i]),
    fee: pick(columns, [/^fee(_[a-z]{3,4})?$/i, /fee/i]),
    fromLabel: pick(columns, [/^from_?(label|tag|entity|name)$/i]),
    toLabel: pick(columns, [/^to_?(label|tag|entity|name)$/i]),
  };
  return found.from >= 0 && found.to >= 0 && found.amount >= 0 && found.from !== found.to ? found : null;
}

/** `2.34560000` → 234560000; NaN for anything that is not a decimal number. */
export function toUnits(text: string): number {
  const s = text.trim().replace(/,/g, '');
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return NaN;
  const fraction = (m[3] ?? '').padEnd(unitDecimals, '0');
  const whole = Number(m[2] || '0') * unit + Math.round(Number(`${fraction.slice(0, unitDecimals)}.${fraction.slice(unitDecimals) || '0'}`));
  return m[1] === '-' ? -whole : whole;
}

/** 234560000 → `2.3456` (trailing zeros dropped, at least one decimal kept away: `0.001`). */
export function formatUnits(units: number): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const whole = Math.floor(abs / unit);
  const fraction = String(abs % unit).padStart(unitDecimals, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

export type ChainNode = { address: string; label: string | null; received: number; sent: number; transfersIn: number; transfersOut: number; firstSeen: number };
export type ChainEdge = { from: string; to: string; amount: number; transfers: Transfer[]; firstTime: number };
export type ChainGraph = { transfers: Transfer[]; nodes: Map<string, ChainNode>; edges: ChainEdge[]; out: Map<string, Transfer[]>; skipped: number };

/** The export's rows → transfers, addresses (with the labels the export gives them) and edges (transfers between the same two addresses summed). */
export function buildGraph(table: LogTable, columns: ChainColumns): ChainGraph {
  const transfers: Transfer[] = [];
  const nodes = new Map<string, ChainNode>();
  let skipped = 0;
  const node = (address: string, label: string) => {
    let n = nodes.get(address);
    if (!n) nodes.set(address, (n = { address, label: null, received: 0, sent: 0, transfersIn: 0, transfersOut: 0, firstSeen: Infinity }));
    if (label && !n.label) n.label = label;
    return n;
  };
  table.rows.forEach((r, row) => {
    const from = (r[columns.from] ?? '').trim();
    const to = (r[columns.to] ?? '').trim();
    const amount = toUnits(r[columns.amount] ?? '');
    if (!from || !to || !Number.isFinite(amount)) {
      skipped++;
      return;
    }
    const fee = columns.fee >= 0 ? toUnits(r[columns.fee] ?? '') : NaN;
    const time = table.timeColumn >= 0 ? (table.times[row] ?? NaN) : NaN;
    const t: Transfer = { row, txid: columns.txid >= 0 ? (r[columns.txid] ?? '') : `#${row + 1}`, timeText: columns.time >= 0 ? (r[columns.time] ?? '') : '', time, from, to, amount, fee: Number.isFinite(fee) ? fee : 0 };
    transfers.push(t);
    const a = node(from, columns.fromLabel >= 0 ? (r[columns.fromLabel] ?? '').trim() : '');
    const b = node(to, columns.toLabel >= 0 ? (r[columns.toLabel] ?? '').trim() : '');
    if (from !== to) {
      a.sent += amount;
      a.transfersOut++;
      b.received += amount;
      b.transfersIn++;
    }
    if (Number.isFinite(time)) {
      a.firstSeen = Math.min(a.firstSeen, time);
      b.firstSeen = Math.min(b.firstSeen, time);
    }
  });
  const edgeMap = new Map<string, ChainEdge>();
  const out = new Map<string, Transfer[]>();
  for (const t of transfers) {
    const key = `${t.from}\u0000${t.to}`;
    let e = edgeMap.get(key);
    if (!e) edgeMap.set(key, (e = { from: t.from, to: t.to, amount: 0, transfers: [], firstTime: Infinity }));
    e.amount += t.amount;
    e.transfers.push(t);
    if (Number.isFinite(t.time)) e.firstTime = Math.min(e.firstTime, t.time);
    let list = out.get(t.from);
    if (!list) out.set(t.from, (list = []));
    list.push(t);
  }
  for (const list of out.values()) list.sort((a, b) => (Number.isFinite(a.time) ? a.time : 0) - (Number.isFinite(b.time) ? b.time : 0) || a.row - b.row);
  return { transfers, nodes, edges: [...edgeMap.values()], out, skipped };
}

/** Where to start when nobody has chosen: the sender of the earliest of the largest transfers. */
export function defaultSource(graph: ChainGraph): string | null {
  let best: Transfer | null = null;
  for (const t of graph.transfers) {
    if (t.from === t.to) continue;
    if (!best || t.amount > best.amount || (t.amount === best.amount && t.time < best.time)) best = t;
  }
  return best?.from ?? null;
}

export type Layout = { layers: Map<string, number>; positions: Map<string, { x: number; y: number }>; width: number; height: number; unconnected: number };

/**
 * Deterministic layered layout around the source: downstream addresses in
 * columns by their distance from it (1, 2, …), upstream senders to its left
 * (-1, -2, …); within a column, larger amounts first, then by address.
 */
export function layout(graph: ChainGraph, source: string, size = { column: 330, row: 84, margin: 40 }): Layout {
  const layers = new Map<string, number>([[source, 0]]);
  const walk = (next: (address: string) => string[], sign: 1 | -1) => {
    let frontier = [source];
    let depth = 0;
    while (frontier.length > 0) {
      depth++;
      const following: string[] = [];
      for (const a of frontier) {
        for (const b of next(a)) {
          if (layers.has(b)) continue;
          layers.set(b, sign * depth);
          following.push(b);
        }
      }
      frontier = following.sort();
    }
  };
  const successors = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (e.from === e.to) continue;
    successors.set(e.from, [...(successors.get(e.from) ?? []), e.to]);
    predecessors.set(e.to, [...(predecessors.get(e.to) ?? []), e.from]);
  }
  walk((a) => successors.get(a) ?? [], 1);
  walk((a) => predecessors.get(a) ?? [], -1);

  const columns = new Map<number, string[]>();
  for (const [address, layer] of layers) columns.set(layer, [...(columns.get(layer) ?? []), address]);
  const keys = [...columns.keys()].sort((a, b) => a - b);
  const minLayer = keys[0] ?? 0;
  const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const positions = new Map<string, { x: number; y: number }>();
  const weight = (a: string) => (graph.nodes.get(a)?.received ?? 0) + (graph.nodes.get(a)?.sent ?? 0);
  for (const layer of keys) {
    const list = (columns.get(layer) ?? []).sort((a, b) => weight(b) - weight(a) || a.localeCompare(b));
    const offset = ((tallest - list.length) * size.row) / 2;
    list.forEach((address, i) => positions.set(address, { x: size.margin + (layer - minLayer) * size.column, y: size.margin + offset + i * size.row }));
  }
  return {
    layers,
    positions,
    width: size.margin * 2 + (keys.length - 1) * size.column,
    height: size.margin * 2 + (tallest - 1) * size.row,
    unconnected: graph.nodes.size - layers.size,
  };
}

export type MoneyPath = { hops: Transfer[]; /** The path stops on an address already on it. */ cycle: boolean; /** The path was cut at the depth limit. */ truncated: boolean };
/** `final`: the money stops there (nothing leaves it afterwards). */
export type Destination = { address: string; depth: number; received: number; transfers: number; firstTime: number; final: boolean };
export type FollowResult = { paths: MoneyPath[]; destinations: Destination[]; transfers: Transfer[]; fees: number; sentBySource: number; pathsCapped: boolean };

/**
 * Follows the money downstream of `source`: a transfer out of an address
 * continues a path only if it is not earlier than the transfer that brought
 * the money in (money cannot leave before it arrives). Each path ends at an
 * address that sends nothing further, on an address already on the path
 * (a cycle), or at the depth limit. Totals per destination count each
 * transfer once, however many paths go through it; fees count once per
 * transaction. Change sent back to the sending address is not followed.
 */
export function followMoney(graph: ChainGraph, source: string, options: { maxDepth?: number; maxPaths?: number; respectTime?: boolean } = {}): FollowResult {
  const maxDepth = options.maxDepth ?? 12;
  const maxPaths = options.maxPaths ?? 500;
  const respectTime = options.respectTime ?? true;
  const leaves = (t: Transfer, after: number) => t.to !== t.from && (!respectTime || !Number.isFinite(after) || !Number.isFinite(t.time) || t.time >= after);

  // Totals: every transfer reachable in time order, from the earliest moment money can be at each address.
  const earliest = new Map<string, number>([[source, -Infinity]]);
  const depthOf = new Map<string, number>([[source, 0]]);
  let frontier = [source];
  while (frontier.length > 0) {
    const following = new Set<string>();
    for (const address of frontier) {
      const at = earliest.get(address) ?? Infinity;
      for (const t of graph.out.get(address) ?? []) {
        if (!leaves(t, at)) continue;
        const arrival = Number.isFinite(t.time) ? t.time : at;
        if (!earliest.has(t.to) || arrival < (earliest.get(t.to) ?? Infinity)) {
          earliest.set(t.to, arrival);
          following.add(t.to);
        }
        if (!depthOf.has(t.to)) depthOf.set(t.to, (depthOf.get(address) ?? 0) + 1);
      }
    }
    frontier = [...following].sort();
  }
  const transfers = graph.transfers.filter((t) => earliest.has(t.from) && leaves(t, earliest.get(t.from) ?? Infinity));

  // Paths: each one listed, up to maxPaths.
  const paths: MoneyPath[] = [];
  let capped = false;
  const push = (p: MoneyPath) => {
    if (paths.length < maxPaths) paths.push(p);
    else capped = true;
  };
  const visit = (address: string, hops: Transfer[], onPath: Set<string>) => {
    if (capped) return;
    const last = hops[hops.length - 1];
    const next = (graph.out.get(address) ?? []).filter((t) => leaves(t, last ? last.time : NaN));
    if (hops.length > 0 && next.length === 0) return push({ hops, cycle: false, truncated: false });
    if (hops.length >= maxDepth) return push({ hops, cycle: false, truncated: true });
    for (const t of next) {
      if (onPath.has(t.to)) {
        push({ hops: [...hops, t], cycle: true, truncated: false });
        continue;
      }
      onPath.add(t.to);
      visit(t.to, [...hops, t], onPath);
      onPath.delete(t.to);
    }
  };
  visit(source, [], new Set([source]));

  const byAddress = new Map<string, Destination>();
  for (const t of transfers) {
    if (t.to === source) continue;
    let d = byAddress.get(t.to);
    if (!d) byAddress.set(t.to, (d = { address: t.to, depth: depthOf.get(t.to) ?? 0, received: 0, transfers: 0, firstTime: Infinity, final: false }));
    d.received += t.amount;
    d.transfers++;
    if (Number.isFinite(t.time)) d.firstTime = Math.min(d.firstTime, t.time);
  }
  for (const d of byAddress.values()) d.final = !transfers.some((t) => t.from === d.address);
  const fees = new Map<string, number>();
  for (const t of transfers) fees.set(t.txid, Math.max(fees.get(t.txid) ?? 0, t.fee));
  return {
    paths,
    destinations: [...byAddress.values()].sort((a, b) => a.depth - b.depth || b.received - a.received || a.address.localeCompare(b.address)),
    transfers,
    fees: [...fees.values()].reduce((s, f) => s + f, 0),
    sentBySource: transfers.filter((t) => t.from === source).reduce((s, t) => s + t.amount, 0),
    pathsCapped: capped,
  };
}
