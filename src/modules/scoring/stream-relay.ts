import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../core/http/types.ts';
import { AppError } from '../../core/errors.ts';
import { scoreboardsOf } from './scoreboard.ts';
import type { FromRelay, RelayedBoard, RelayedEvent, ToRelay } from './stream-protocol.ts';

// The app's side of the stream process (stream-process.ts): starts it at the first stream,
// hands it each stream's socket, and forwards the events of the channels (and the scoreboard
// changes of the exercises) that its streams hear, batched once per turn of the event loop,
// in the order they were published. If the process dies, its streams are gone (the clients
// reconnect) and the next stream starts a new one.

export type RelayedStream = {
  id: number;
  exerciseId: string;
  channels: string[];
  /** Staff hear every scoreboard change; participants only those of their live standings. */
  allBoards: boolean;
  headers: Record<string, string>;
  ready: Record<string, unknown>;
  heartbeatMs: number;
};

const entry = fileURLToPath(new URL('./stream-process.ts', import.meta.url));
const startTimeoutMs = 10_000;

export function createStreamRelay(ctx: AppContext, onClosed: (ids: number[]) => void) {
  let child: ChildProcess | null = null;
  let up: Promise<ChildProcess> | null = null;
  const open = new Set<number>();
  let events: RelayedEvent[] = [];
  let boards: RelayedBoard[] = [];
  let flushQueued = false;
  let closedAll: (() => void) | null = null;

  const channelListeners = new Map<string, { count: number; off: () => void }>();
  const boardListeners = new Map<string, { count: number; off: () => void }>();

  function start(): Promise<ChildProcess> {
    up ??= new Promise<ChildProcess>((resolve, reject) => {
      // No flags of the parent (a test runner's loaders, a debugger port); a small heap: it holds sockets, not data.
      const c = fork(entry, [], { execArgv: ['--max-old-space-size=64'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
      const timer = setTimeout(() => {
        c.kill();
        reject(new Error('the live-events process did not start'));
      }, startTimeoutMs);
      c.on('message', (message: FromRelay) => {
        if (message.t === 'up') {
          clearTimeout(timer);
          child = c;
          resolve(c);
        } else if (message.t === 'closed') {
          for (const id of message.ids) open.delete(id);
          onClosed(message.ids);
        } else if (message.t === 'closedAll') closedAll?.();
      });
      c.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      c.on('exit', () => {
        clearTimeout(timer);
        reject(new Error('the live-events process ended'));
        if (child === c) child = null;
        up = null;
        const ids = [...open];
        open.clear();
        if (ids.length) onClosed(ids);
        closedAll?.();
      });
      // The app's process does not wait for it to end.
      c.unref();
      c.channel?.unref();
    });
    return up;
  }

  function post(message: ToRelay) {
    if (child?.connected) child.send(message);
  }

  function queue() {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      if (events.length + boards.length === 0) return;
      post({ t: 'events', events, boards });
      events = [];
      boards = [];
    });
  }

  function listen<K extends string>(map: Map<K, { count: number; off: () => void }>, key: K, subscribe: () => () => void) {
    const current = map.get(key);
    if (current) current.count += 1;
    else map.set(key, { count: 1, off: subscribe() });
  }
  function unlisten<K extends string>(map: Map<K, { count: number; off: () => void }>, key: K) {
    const current = map.get(key);
    if (!current) return;
    current.count -= 1;
    if (current.count > 0) return;
    current.off();
    map.delete(key);
  }

  return {
    /** The stream process's id, while it runs. */
    pid: (): number | null => child?.pid ?? null,

    /** Starts the stream process if it is not running (503 if it cannot). */
    async ready(): Promise<void> {
      try {
        await start();
      } catch {
        throw new AppError('unavailable', 'Live updates are not available at the moment: try again shortly');
      }
    },

    /** Hands the stream's connection over; from now on the events of its channels reach it. */
    hand(stream: RelayedStream, socket: Socket) {
      for (const channel of stream.channels) listen(channelListeners, channel, () => ctx.events.subscribe(channel, (event) => {
        events.push({ channel, type: event.type, data: event.data });
        queue();
      }));
      listen(boardListeners, stream.exerciseId, () => scoreboardsOf(ctx).watch(stream.exerciseId, (change) => {
        boards.push({ exerciseId: change.exerciseId, version: change.version, participants: change.participants });
        queue();
      }));
      open.add(stream.id);
      const c = child;
      const lost = () => {
        socket.destroy();
        open.delete(stream.id);
        onClosed([stream.id]);
      };
      if (!c?.connected) return lost();
      // Events already waiting go out first: they were published before this stream opened.
      if (events.length + boards.length > 0) {
        post({ t: 'events', events, boards });
        events = [];
        boards = [];
      }
      const message: ToRelay = { t: 'open', ...stream };
      c.send(message, socket, { keepOpen: false }, (error) => {
        if (error) lost();
      });
    },

    /** Stops forwarding what the stream heard (it ended, or its owner lost access). */
    forget(stream: Pick<RelayedStream, 'id' | 'exerciseId' | 'channels'>) {
      for (const channel of stream.channels) unlisten(channelListeners, channel);
      unlisten(boardListeners, stream.exerciseId);
    },

    /** Ends these streams. */
    close(ids: number[]) {
      post({ t: 'close', ids });
    },

    /** Ends every stream and the process (the server is closing). */
    async closeAll(): Promise<void> {
      const c = child;
      if (!c?.connected) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        closedAll = () => {
          clearTimeout(timer);
          resolve();
        };
        post({ t: 'closeAll' });
      });
      closedAll = null;
      if (c.connected) c.disconnect();
    },
  };
}
