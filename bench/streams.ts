import http from 'node:http';

// The open scoreboard streams, in a process of their own (forked by
// bench/challenge.ts), so that reading thousands of Server-Sent-Event streams
// does not share an event loop with the load generator. Each stream is a
// participant's `GET /api/exercises/:id/events` with its own session. For every
// `scoreboard` event, the stream's arrival time is recorded per version: the
// earliest and latest arrival over all streams and how many streams have it.
// Times are wall-clock milliseconds with sub-millisecond resolution
// (performance.timeOrigin + performance.now()), comparable across processes.

type Open = { type: 'open'; url: string; exerciseId: string; cookies: string[]; baseline: number; follow: boolean };
type Message = Open | { type: 'progress'; id: number; resetReads?: boolean } | { type: 'report'; id: number } | { type: 'close' };

const send = (message: unknown) => process.send?.(message);
const now = () => performance.timeOrigin + performance.now();

let capacity = 1 << 16;
let firstAt = new Float64Array(capacity);
let lastAt = new Float64Array(capacity);
let count = new Uint32Array(capacity);
let maxVersion = 0;
let events = 0;
let bytes = 0;
let errors = 0;
let ended = 0;

function grow(version: number) {
  if (version < capacity) return;
  let next = capacity;
  while (next <= version) next *= 2;
  const f = new Float64Array(next);
  f.set(firstAt);
  const l = new Float64Array(next);
  l.set(lastAt);
  const c = new Uint32Array(next);
  c.set(count);
  firstAt = f;
  lastAt = l;
  count = c;
  capacity = next;
}

type Stream = { ready: boolean; last: number; rest: string; request: http.ClientRequest | null; cookie: string; reading: boolean; dirty: boolean };
const streams: Stream[] = [];
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

// --follow-events: each stream's client reads the scoreboard again after each `scoreboard` event,
// as the participants' page does (web/src/modules/play/PlayPage.tsx invalidates the query). A
// client reads once at a time; events heard meanwhile cause one more read when it returns (a
// lower bound: the web app cancels the read in flight and starts another).
let follow: { url: URL; path: string } | null = null;
const readAgent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const reads = { done: 0, failed: 0, bytes: 0, ms: [] as number[] };
function reread(stream: Stream) {
  if (!follow) return;
  if (stream.reading) {
    stream.dirty = true;
    return;
  }
  stream.reading = true;
  stream.dirty = false;
  const started = performance.now();
  const finish = (ok: boolean, size: number) => {
    stream.reading = false;
    if (ok) {
      reads.done += 1;
      reads.bytes += size;
      reads.ms.push(performance.now() - started);
    } else reads.failed += 1;
    if (stream.dirty) reread(stream);
  };
  const req = http.request({ host: follow.url.hostname, port: follow.url.port, path: follow.path, agent: readAgent, headers: { cookie: stream.cookie } }, (res) => {
    let size = 0;
    res.on('data', (c: Buffer) => (size += c.length));
    res.on('end', () => finish(res.statusCode === 200, size));
    res.on('error', () => finish(false, 0));
  });
  req.on('error', () => finish(false, 0));
  req.end();
}

function received(stream: Stream, version: number, at: number) {
  // Versions are told in order, but not every one: the server may send only the latest of a burst
  // of changes. A version is on the stream when it or a later one has arrived.
  const from = stream.last < 0 ? version : stream.last + 1;
  if (version < from) return;
  grow(version);
  for (let v = from; v <= version; v++) {
    if (count[v] === 0 || at < firstAt[v]!) firstAt[v] = at;
    if (at > lastAt[v]!) lastAt[v] = at;
    count[v]! += 1;
  }
  stream.last = version;
  if (version > maxVersion) maxVersion = version;
}

function parse(stream: Stream, chunk: string, at: number) {
  let text = stream.rest + chunk;
  let end = text.indexOf('\n\n');
  let start = 0;
  while (end >= 0) {
    const block = text.slice(start, end);
    start = end + 2;
    end = text.indexOf('\n\n', start);
    if (block.startsWith(':')) continue;
    events += 1;
    if (block.includes('event: scoreboard')) {
      const i = block.indexOf('"version":');
      if (i >= 0) received(stream, Number.parseInt(block.slice(i + 10), 10), at);
      reread(stream);
    } else if (block.includes('event: ready')) stream.ready = true;
  }
  text = text.slice(start);
  stream.rest = text;
}

function openOne(url: URL, path: string, cookie: string, baseline: number): Promise<void> {
  // Versions up to `baseline` (the board's when the streams open) are not this run's.
  const stream: Stream = { ready: false, last: baseline, rest: '', request: null, cookie, reading: false, dirty: false };
  streams.push(stream);
  return new Promise((resolve) => {
    const request = http.request({ host: url.hostname, port: url.port, path, method: 'GET', agent, headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        errors += 1;
        res.resume();
        resolve();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = now();
        bytes += chunk.length;
        const wasReady = stream.ready;
        parse(stream, chunk, at);
        if (!wasReady && stream.ready) resolve();
      });
      res.on('end', () => {
        ended += 1;
        resolve();
      });
      res.on('error', () => resolve());
    });
    request.on('error', () => {
      errors += 1;
      resolve();
    });
    request.end();
    stream.request = request;
  });
}

async function openAll(message: Open) {
  const url = new URL(message.url);
  const path = `/api/exercises/${message.exerciseId}/events`;
  if (message.follow) follow = { url, path: `/api/exercises/${message.exerciseId}/scoreboard` };
  const started = now();
  // A bounded number of connections at a time, as browsers arriving over a few seconds.
  const queue = [...message.cookies];
  const workers = Array.from({ length: 64 }, async () => {
    for (let cookie = queue.shift(); cookie !== undefined; cookie = queue.shift()) await openOne(url, path, cookie, message.baseline);
  });
  await Promise.all(workers);
  send({ type: 'opened', ready: streams.filter((s) => s.ready).length, errors, ms: now() - started });
}

process.on('message', (message: Message) => {
  if (message.type === 'open') void openAll(message);
  else if (message.type === 'progress') {
    let minLast = Infinity;
    for (const s of streams) if (s.ready && s.last < minLast) minLast = s.last;
    if (message.type === 'progress' && (message as { resetReads?: boolean }).resetReads) {
      reads.done = 0;
      reads.failed = 0;
      reads.bytes = 0;
      reads.ms.length = 0;
    }
    send({ type: 'progress', id: message.id, minLast: minLast === Infinity ? -1 : minLast, maxVersion, events, bytes, ended, errors });
  } else if (message.type === 'report') {
    const n = maxVersion + 1;
    send({
      type: 'report',
      id: message.id,
      streams: streams.filter((s) => s.ready).length,
      maxVersion,
      firstAt: Array.from(firstAt.subarray(0, n)),
      lastAt: Array.from(lastAt.subarray(0, n)),
      count: Array.from(count.subarray(0, n)),
      events,
      bytes,
      ended,
      errors,
      cpu: process.cpuUsage(),
      reads: { done: reads.done, failed: reads.failed, bytes: reads.bytes, ms: reads.ms.splice(0) },
    });
  } else if (message.type === 'close') {
    for (const s of streams) s.request?.destroy();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'started', pid: process.pid });
