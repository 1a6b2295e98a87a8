import pg from 'pg';
import type { EventTransport, LiveEvent } from './events.ts';

// Live events between server processes sharing one PostgreSQL database, over
// LISTEN/NOTIFY. Every process listens on one notification channel with a
// dedicated connection (a pooled one would lose its LISTEN when returned), and
// notifies through a one-connection pool, which keeps its events in order.
// A process hears its own notifications too: the event bus delivers events to
// local subscribers when they come back, so each is delivered exactly once.
//
// NOTIFY payloads must stay under 8000 bytes: events carry ids, keys and
// numbers, never documents; a larger one is refused (and the bus then delivers
// it in this process only). When the listening connection fails, it is opened
// again with a growing delay; notifications sent meanwhile are lost, so after
// reconnecting the transport delivers a `resync` event on `resyncChannel`, on
// which caches fed by events (the scoreboards) start again from the database.

export const resyncChannel = 'bus:resync';
export const maxPayloadBytes = 7900;

export type PgTransportOptions = {
  connectionString: string;
  /** PostgreSQL notification channel shared by the processes. */
  channel?: string;
  onError?: (error: unknown) => void;
  /** First and longest wait before reconnecting, in ms. */
  reconnectMs?: { min: number; max: number };
  /** How often the listening connection is checked, in ms. */
  healthCheckMs?: number;
};

type Wire = { c: string; t: string; d: Record<string, unknown> };

function fromWire(w: Partial<Wire> | null): LiveEvent | null {
  if (!w || typeof w !== 'object' || typeof w.c !== 'string' || typeof w.t !== 'string' || !w.d || typeof w.d !== 'object' || Array.isArray(w.d)) return null;
  return { channel: w.c, type: w.t, data: w.d };
}

/** A payload carries one event (an object) or several, in order (an array). */
function parse(payload: string | undefined): LiveEvent[] {
  if (!payload) return [];
  try {
    const w = JSON.parse(payload) as Partial<Wire> | Array<Partial<Wire>>;
    const events = (Array.isArray(w) ? w : [w]).map(fromWire);
    return events.filter((e): e is LiveEvent => e !== null);
  } catch {
    return [];
  }
}

type Pending = { wire: string; bytes: number; resolve: () => void; reject: (error: unknown) => void };

/** Groups events, in order, into payloads of at most `limit` bytes: a lone event as itself, several as a JSON array. */
export function batchPayloads(wires: ReadonlyArray<{ wire: string; bytes: number }>, limit = maxPayloadBytes): Array<{ payload: string; count: number }> {
  const out: Array<{ payload: string; count: number }> = [];
  let group: string[] = [];
  let size = 2; // the brackets
  const push = () => {
    if (group.length === 0) return;
    out.push({ payload: group.length === 1 ? group[0]! : `[${group.join(',')}]`, count: group.length });
    group = [];
    size = 2;
  };
  for (const { wire, bytes } of wires) {
    const added = bytes + (group.length > 0 ? 1 : 0);
    if (group.length > 0 && size + added > limit) push();
    size += bytes + (group.length > 0 ? 1 : 0);
    group.push(wire);
  }
  push();
  return out;
}

export function createPgTransport(options: PgTransportOptions): EventTransport & { connected: () => boolean; listenerPid: () => number | null } {
  const channel = options.channel ?? 'cybercap_events';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`Invalid notification channel name: ${channel}`);
  const onError = options.onError ?? (() => {});
  const { min, max } = options.reconnectMs ?? { min: 100, max: 5000 };
  const sender = new pg.Pool({ connectionString: options.connectionString, max: 1 });
  sender.on('error', onError);

  let deliver: ((event: LiveEvent) => void) | null = null;
  let listener: pg.Client | null = null;
  let pid: number | null = null;
  let closed = false;
  let delay = min;
  let timer: NodeJS.Timeout | null = null;

  const drop = (client: pg.Client) => {
    if (listener !== client) return;
    listener = null;
    pid = null;
    client.removeAllListeners('notification');
    client.end().catch(() => {});
    schedule();
  };

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      listen(true).catch((error: unknown) => {
        onError(error);
        delay = Math.min(max, delay * 2);
        schedule();
      });
    }, delay);
    timer.unref();
  };

  async function listen(reconnecting: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: options.connectionString, keepAlive: true });
    client.on('notification', (message) => {
      if (message.channel !== channel) return;
      for (const event of parse(message.payload)) deliver?.(event);
    });
    client.on('error', (error) => {
      onError(error);
      drop(client);
    });
    client.on('end', () => drop(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      pid = ((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid as number | undefined) ?? null;
    } catch (error) {
      client.removeAllListeners('notification');
      await client.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await client.end().catch(() => {});
      return;
    }
    listener = client;
    delay = min;
    if (reconnecting) deliver?.({ channel: resyncChannel, type: 'resync', data: {} });
  }

  // A connection can die without a word (a dropped network): ask it something now and then.
  const health = setInterval(() => {
    const client = listener;
    client?.query('select 1').catch(() => drop(client));
  }, options.healthCheckMs ?? 30_000);
  health.unref();

  // Events published while a notification is on its way (or in the same tick) wait and leave
  // together, as few payloads as the size limit allows: one round trip carries many events.
  let pending: Pending[] = [];
  let flushing = false;
  const flush = async () => {
    flushing = true;
    try {
      while (pending.length > 0) {
        const taken = pending;
        pending = [];
        let at = 0;
        for (const { payload, count } of batchPayloads(taken)) {
          const group = taken.slice(at, at + count);
          at += count;
          try {
            await sender.query('select pg_notify($1, $2)', [channel, payload]);
            for (const p of group) p.resolve();
          } catch (error) {
            for (const p of group) p.reject(error);
          }
        }
      }
    } finally {
      flushing = false;
    }
  };

  return {
    send(event: LiveEvent) {
      const wire = JSON.stringify({ c: event.channel, t: event.type, d: event.data } satisfies Wire);
      const bytes = Buffer.byteLength(wire, 'utf8');
      if (bytes > maxPayloadBytes) {
        const error = new Error(`Live event "${event.type}" on ${event.channel} is ${bytes} bytes; NOTIFY carries at most ${maxPayloadBytes}: send ids, not documents`);
        onError(error);
        return Promise.reject(error);
      }
      return new Promise<void>((resolve, reject) => {
        pending.push({ wire, bytes, resolve, reject });
        if (!flushing) {
          flushing = true;
          setImmediate(() => void flush());
        }
      });
    },
    async onReceive(fn) {
      deliver = fn;
      await listen(false);
    },
    async close() {
      closed = true;
      clearInterval(health);
      if (timer) clearTimeout(timer);
      const client = listener;
      listener = null;
      if (client) {
        client.removeAllListeners();
        client.on('error', () => {});
        await client.end().catch(() => {});
      }
      await sender.end().catch(() => {});
    },
    connected: () => listener !== null,
    listenerPid: () => pid,
  };
}
