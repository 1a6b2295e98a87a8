import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freshDatabase } from '../test/harness.ts';
import { EventBus, type LiveEvent } from './events.ts';
import { createPgTransport, maxPayloadBytes, resyncChannel } from './events-pg.ts';

// The LISTEN/NOTIFY transport, on a database of its own (PostgreSQL only).

const waitFor = async (check: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe.runIf(!!process.env.DATABASE_URL)('PostgreSQL event transport', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let url: string;
  beforeAll(async () => {
    fresh = await freshDatabase();
    url = fresh.databaseUrl!;
  });
  afterAll(async () => {
    await fresh?.database.close();
    await fresh?.drop();
  });

  it('delivers each event once to every process, itself included, in order', async () => {
    const one = new EventBus();
    const two = new EventBus();
    await one.useTransport(createPgTransport({ connectionString: url }));
    await two.useTransport(createPgTransport({ connectionString: url }));
    try {
      const heardOne: LiveEvent[] = [];
      const heardTwo: LiveEvent[] = [];
      one.subscribe('team:x', (e) => heardOne.push(e));
      two.subscribe('team:x', (e) => heardTwo.push(e));
      two.subscribe('team:y', (e) => heardTwo.push(e));
      for (let i = 0; i < 20; i++) one.publish({ channel: 'team:x', type: 'n', data: { i, text: 'ünïcødé' } });
      await waitFor(() => heardOne.length === 20 && heardTwo.length === 20);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heardOne.map((e) => e.data.i)).toEqual([...Array(20).keys()]);
      expect(heardTwo).toEqual(heardOne);
      expect(heardTwo[0]).toEqual({ channel: 'team:x', type: 'n', data: { i: 0, text: 'ünïcødé' } });
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('refuses payloads NOTIFY cannot carry', async () => {
    const errors: unknown[] = [];
    const transport = createPgTransport({ connectionString: url, onError: (e) => errors.push(e) });
    await transport.onReceive(() => {});
    try {
      await expect(transport.send({ channel: 'c', type: 'big', data: { blob: 'x'.repeat(maxPayloadBytes) } })).rejects.toThrow(/NOTIFY carries at most/);
      expect(errors).toHaveLength(1);
      await transport.send({ channel: 'c', type: 'small', data: { blob: 'x'.repeat(maxPayloadBytes - 100) } });
    } finally {
      await transport.close();
    }
  });

  it('reconnects after losing its connection, and says so with a resync event', async () => {
    const sender = createPgTransport({ connectionString: url });
    const listener = createPgTransport({ connectionString: url, reconnectMs: { min: 20, max: 200 } });
    const heard: LiveEvent[] = [];
    await sender.onReceive(() => {});
    await listener.onReceive((e) => heard.push(e));
    try {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [listener.listenerPid()]);
      await admin.end();
      await waitFor(() => heard.some((e) => e.channel === resyncChannel));
      expect(listener.connected()).toBe(true);
      await sender.send({ channel: 'team:x', type: 'after', data: {} });
      await waitFor(() => heard.some((e) => e.type === 'after'));
    } finally {
      await sender.close();
      await listener.close();
    }
  });
});
