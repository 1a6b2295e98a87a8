import type { Socket } from 'node:net';
import type { FromRelay, ToRelay } from './stream-protocol.ts';

// The process that writes the live event streams (Server-Sent Events). The app's process
// decides who may open a stream and which channels it hears, then hands the connection's
// socket over (see stream-relay.ts) and forwards the events of those channels, batched.
// Writing to thousands of open streams (a frame per stream per event, each a system call)
// is then done beside the app's event loop instead of on it. Nothing here reads the
// database or decides access: a stream hears exactly the channels it was opened with,
// and is ended when the app says so. It imports nothing of the app, so it starts in
// ~50 ms, and it ends with its parent (the IPC channel closes).

type Stream = { id: number; socket: Socket; channels: string[]; exerciseId: string; allBoards: boolean; ping: NodeJS.Timeout | null };

/** A client that reads nothing while this much is waiting to be sent is cut off (it reconnects when it can read again). */
const maxBuffered = 4 * 1024 * 1024;

const streams = new Map<number, Stream>();
const byChannel = new Map<string, Set<Stream>>();
const byExercise = new Map<string, Set<Stream>>();
let closedIds: number[] = [];
let reportQueued = false;

// The app may be gone (it disconnects when closing): what it would be told no longer matters.
const send = (message: FromRelay) => {
  if (process.connected) process.send?.(message, undefined, undefined, () => {});
};

function report(id: number) {
  closedIds.push(id);
  if (reportQueued) return;
  reportQueued = true;
  setImmediate(() => {
    reportQueued = false;
    const ids = closedIds;
    closedIds = [];
    send({ t: 'closed', ids });
  });
}

function index<K>(map: Map<K, Set<Stream>>, key: K, stream: Stream, add: boolean) {
  let set = map.get(key);
  if (add) {
    if (!set) map.set(key, (set = new Set()));
    set.add(stream);
  } else if (set) {
    set.delete(stream);
    if (set.size === 0) map.delete(key);
  }
}

function write(stream: Stream, frame: string) {
  const { socket } = stream;
  if (socket.destroyed || !socket.writable) return end(stream);
  if (socket.writableLength > maxBuffered) return end(stream);
  socket.write(frame);
}

function end(stream: Stream) {
  if (!streams.delete(stream.id)) return;
  for (const channel of stream.channels) index(byChannel, channel, stream, false);
  index(byExercise, stream.exerciseId, stream, false);
  if (stream.ping) clearTimeout(stream.ping);
  stream.socket.destroySoon();
  report(stream.id);
}

const frameOf = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

function open(message: Extract<ToRelay, { t: 'open' }>, socket: Socket) {
  const stream: Stream = { id: message.id, socket, channels: message.channels, exerciseId: message.exerciseId, allBoards: message.allBoards, ping: null };
  streams.set(stream.id, stream);
  for (const channel of stream.channels) index(byChannel, channel, stream, true);
  index(byExercise, stream.exerciseId, stream, true);
  socket.setNoDelay(true);
  socket.on('error', () => end(stream));
  socket.on('close', () => end(stream));
  // The request was read by the app; anything the client sends now is not ours to read.
  socket.on('data', () => {});
  const head = [`HTTP/1.1 200 OK`, ...Object.entries(message.headers).map(([k, v]) => `${k}: ${v}`), `date: ${new Date().toUTCString()}`, 'connection: close', '', ''].join('\r\n');
  socket.write(head);
  write(stream, frameOf('ready', message.ready));
  // A comment every heartbeat keeps proxies from closing the connection; the first at a
  // random moment of the interval, so that streams opened together do not ping together.
  const beat = () => {
    if (!streams.has(stream.id)) return;
    write(stream, ': ping\n\n');
    stream.ping = setTimeout(beat, message.heartbeatMs);
  };
  stream.ping = setTimeout(beat, Math.floor(Math.random() * message.heartbeatMs));
}

process.on('message', (message: ToRelay, socket?: Socket) => {
  switch (message.t) {
    case 'open':
      if (socket) open(message, socket);
      else report(message.id);
      return;
    case 'events':
      for (const event of message.events) {
        const listeners = byChannel.get(event.channel);
        if (!listeners) continue;
        const frame = frameOf(event.type, event.data);
        for (const stream of listeners) write(stream, frame);
      }
      for (const board of message.boards) {
        const listeners = byExercise.get(board.exerciseId);
        if (!listeners) continue;
        const frame = frameOf('scoreboard', { exerciseId: board.exerciseId, version: board.version });
        for (const stream of listeners) if (stream.allBoards || board.participants) write(stream, frame);
      }
      return;
    case 'close':
      for (const id of message.ids) {
        const stream = streams.get(id);
        if (stream) end(stream);
      }
      return;
    case 'closeAll':
      for (const stream of [...streams.values()]) end(stream);
      send({ t: 'closedAll' });
      return;
  }
});

process.on('disconnect', () => process.exit(0));
send({ t: 'up' });
