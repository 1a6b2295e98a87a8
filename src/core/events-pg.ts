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

function parse(payload: string | undefined): LiveEvent | null {
  if (!payload) return null;
  try {
    const w = JSON.parse(payload) as Partial<Wire>;
    if (typeof w.c !== 'string' || typeof w.t !== 'string' || !w.d || typeof w.d !== 'object' || Array.isArray(w.d)) return null;
    return { channel: w.c, type: w.t, data: w.d };
  } catch {
    return null;
  }
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
      const event = parse(message.payload);
      if (event) deliver?.(event);
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

  return {
    async send(event: LiveEvent) {
      const payload = JSON.stringify({ c: event.channel, t: event.type, d: event.data } satisfies Wire);
      const bytes = Buffer.byteLength(payload, 'utf8');
      if (bytes > maxPayloadBytes) {
        const error = new Error(`Live event "${event.type}" on ${event.channel} is ${bytes} bytes; NOTIFY carries at most ${maxPayloadBytes}: send ids, not documents`);
        onError(error);
        throw error;
      }
      await sender.query('select pg_notify($1, $2)', [channel, payload]);
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
