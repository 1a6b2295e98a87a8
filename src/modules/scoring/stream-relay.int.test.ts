import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestEnv } from '../../test/harness.ts';
import { createStreamRelay, type RelayedStream } from './stream-relay.ts';

// The stream process on its own: a real socket handed over, the frames it writes, what happens
// when the process dies (its streams end and are reported; the next stream starts a new one).

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(async () => {
  await env?.close();
});

/** A connected pair of sockets: `server` (handed to the relay) and `client` (reads what it writes). */
async function socketPair() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const [socket] = (await accepted) as [net.Socket];
  server.close();
  let text = '';
  let ended = false;
  client.on('data', (chunk) => (text += chunk.toString()));
  client.on('close', () => (ended = true));
  client.on('error', () => {});
  return { socket, client, read: () => text, ended: () => ended };
}

async function until(condition: () => boolean, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const stream = (id: number, channel: string): RelayedStream => ({ id, exerciseId: 'x1', channels: [channel], allBoards: false, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, ready: { hello: id }, heartbeatMs: 60_000 });

describe('stream process', () => {
  it('writes the response head, ready and the events of its channels only; a dead process ends its streams and the next stream starts another', async () => {
    const closed: number[] = [];
    const relay = createStreamRelay(env.ctx, (ids) => closed.push(...ids));
    await relay.ready();
    const firstPid = relay.pid();
    expect(firstPid).toBeGreaterThan(0);

    const a = await socketPair();
    const b = await socketPair();
    relay.hand(stream(1, 'team:a'), a.socket);
    relay.hand(stream(2, 'team:b'), b.socket);
    await until(() => a.read().includes('event: ready') && b.read().includes('event: ready'));
    expect(a.read()).toMatch(/^HTTP\/1\.1 200 OK\r\ncontent-type: text\/event-stream; charset=utf-8\r\ndate: .+\r\nconnection: close\r\n\r\nevent: ready\ndata: \{"hello":1\}\n\n$/);

    env.ctx.events.publish({ channel: 'team:a', type: 'solved', data: { objectiveKey: 'wallet' } });
    env.ctx.events.publish({ channel: 'team:b', type: 'answer', data: { objectiveKey: 'ledger' } });
    await until(() => a.read().includes('event: solved') && b.read().includes('event: answer'));
    expect(a.read()).toContain('event: solved\ndata: {"objectiveKey":"wallet"}\n\n');
    expect(a.read()).not.toContain('ledger');
    expect(b.read()).not.toContain('wallet');

    // The app ends one stream (its caller lost access): only that one.
    relay.close([2]);
    await until(() => b.ended());
    expect(a.ended()).toBe(false);
    await until(() => closed.includes(2));
    relay.forget(stream(2, 'team:b'));

    process.kill(firstPid!, 'SIGKILL');
    await until(() => a.ended() && closed.includes(1));

    const c = await socketPair();
    await relay.ready();
    expect(relay.pid()).not.toBe(firstPid);
    relay.hand(stream(3, 'team:a'), c.socket);
    await until(() => c.read().includes('event: ready'));
    env.ctx.events.publish({ channel: 'team:a', type: 'solved', data: { objectiveKey: 'deposit' } });
    await until(() => c.read().includes('deposit'));

    await relay.closeAll();
    await until(() => c.ended());
    a.client.destroy();
    b.client.destroy();
    c.client.destroy();
  });
});
