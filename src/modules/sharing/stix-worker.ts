import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { AppError, type ErrorCode, type ErrorDetails } from '../../core/errors.ts';
import { stixLimits } from './stix.ts';
import { readBundle, type BundleHead } from './stix-reader.ts';
import { Planner, type Ignored, type PlannedReport, type PlanQuery, type StagedRows } from './stix-validate.ts';

// Reading and validating a bundle in a worker thread, beside the thread that
// writes the staged rows: tokenising, the schemas and normalising the values are
// about as much work as the writing, and the machine has more than one core.
// The writer hands the text over in chunks, at most `chunksAhead` not yet read,
// and receives the staged rows in small batches, in order: memory stays bounded
// whatever the bundle's size, and the first failure (with its place) ends both.

export type Plan = { head: BundleHead; reports: PlannedReport[]; ignored: Ignored[]; sources: Map<string, string> };

type FromWorker =
  | { rows: StagedRows }
  | { consumed: true }
  | { done: { head: BundleHead; reports: PlannedReport[]; ignored: Ignored[]; sources: Array<[string, string]> } }
  | { error: { code?: ErrorCode; message: string; details?: ErrorDetails } };

/** Chunks of text (256 KB each from the routes) handed over and not yet read by the worker. */
const chunksAhead = 32;
const role = 'cybercap-stix-planner';

/**
 * Reads and validates the bundle from `source`, calling `write` with each batch of staged rows (awaited:
 * more text is read only as the rows are written). A bundle of up to `inThreadBytes` characters is read
 * here (starting a worker costs more than reading it); a larger one in a worker thread.
 */
export async function planBundle(source: AsyncIterable<string>, query: PlanQuery, excluded: ReadonlySet<string>, write: (rows: StagedRows) => Promise<void>, inThreadBytes = 4 * 1024 * 1024): Promise<Plan> {
  const chunks = source[Symbol.asyncIterator]();
  const first: string[] = [];
  let size = 0;
  let ended = false;
  while (!ended && size <= inThreadBytes) {
    const c = await chunks.next();
    if (c.done) ended = true;
    else {
      first.push(c.value);
      size += c.value.length;
    }
  }
  if (ended) {
    const batches: StagedRows[] = [];
    const planner = new Planner(query, excluded, (rows) => batches.push(rows));
    const head = await readBundle(first, stixLimits, (o, i) => planner.add(o, i));
    planner.flush();
    for (const rows of batches) await write(rows);
    return { head, reports: planner.reports, ignored: planner.ignored, sources: planner.sources };
  }

  const worker = new Worker(new URL(import.meta.url), { workerData: { role, query: { defaultTlp: query.defaultTlp, crimeType: query.crimeType }, excluded: [...excluded] } });
  const inbox: Array<FromWorker | { crash: Error }> = [];
  let wake: (() => void) | null = null;
  const deliver = (m: FromWorker | { crash: Error }) => {
    inbox.push(m);
    wake?.();
    wake = null;
  };
  worker.on('message', deliver);
  worker.on('error', (e) => deliver({ crash: e }));
  worker.on('exit', (code) => deliver({ crash: new Error(`the STIX reader stopped (exit ${code})`) }));
  const next = async () => {
    while (inbox.length === 0) await new Promise<void>((r) => (wake = r));
    return inbox.shift()!;
  };
  for (const c of first) worker.postMessage(c);
  let ahead = first.length;
  try {
    for (;;) {
      while (!ended && ahead < chunksAhead) {
        const c = await chunks.next();
        if (c.done) ended = true;
        else ahead++;
        worker.postMessage(c.done ? null : c.value);
      }
      const m = await next();
      if ('consumed' in m) ahead--;
      else if ('rows' in m) await write(m.rows);
      else if ('done' in m) return { ...m.done, sources: new Map(m.done.sources) };
      else if ('error' in m) throw m.error.code ? new AppError(m.error.code, m.error.message, m.error.details) : new Error(m.error.message);
      else throw m.crash;
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
    if (!ended) await chunks.return?.();
  }
}

function runWorker(port: NonNullable<typeof parentPort>, data: { query: PlanQuery; excluded: string[] }) {
  const queue: Array<string | null> = [];
  let wake: (() => void) | null = null;
  port.on('message', (chunk: string | null) => {
    queue.push(chunk);
    wake?.();
    wake = null;
  });
  async function* text() {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      const chunk = queue.shift()!;
      if (chunk === null) return;
      yield chunk;
      port.postMessage({ consumed: true } satisfies FromWorker);
    }
  }
  const planner = new Planner(data.query, new Set(data.excluded), (rows) => port.postMessage({ rows } satisfies FromWorker));
  readBundle(text(), stixLimits, (o, i) => planner.add(o, i)).then(
    (head) => {
      planner.flush();
      port.postMessage({ done: { head, reports: planner.reports, ignored: planner.ignored, sources: [...planner.sources] } } satisfies FromWorker);
    },
    (e: unknown) => {
      const error = e instanceof AppError ? { code: e.code, message: e.message, details: e.details } : { message: e instanceof Error ? e.message : String(e) };
      port.postMessage({ error } satisfies FromWorker);
    },
  );
}

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === role) runWorker(parentPort, workerData as { query: PlanQuery; excluded: string[] });
