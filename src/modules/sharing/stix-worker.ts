import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { AppError, type ErrorCode, type ErrorDetails } from '../../core/errors.ts';
import { stixLimits } from './stix.ts';
import { readBundle, type BundleHead } from './stix-reader.ts';
import { copyLines } from '../../core/db/pg-client.ts';
import { heldObjects, Planner, stagedColumns, type Ignored, type PlannedReport, type PlanQuery, type StagedRows, type StagedTable } from './stix-validate.ts';

// Reading and validating a bundle in a worker thread, beside the thread that
// writes the staged rows: tokenising, the schemas and normalising the values are
// about as much work as the writing, and the machine has more than one core.
// The writer hands the text over in chunks, at most `chunksAhead` not yet read,
// and receives the staged rows in small batches, in order: memory stays bounded
// whatever the bundle's size, and the first failure (with its place) ends both.

export type Plan = { head: BundleHead; reports: PlannedReport[]; ignored: Ignored[]; sources: Map<string, string> };

/** Staged rows as handed to the writer: each table's rows flat, or (PlanOptions.copy) already in COPY's text format, UTF-8. */
export type Handover = { [K in StagedTable]: unknown[] | Uint8Array<ArrayBuffer> } & Pick<StagedRows, 'placed' | 'batch'>;

/** The rows in COPY's text format, encoded where they are read (the writer only forwards the bytes). */
function encoded(rows: StagedRows): Handover {
  const out: Handover = { ...rows };
  for (const t of Object.keys(stagedColumns) as StagedTable[]) out[t] = new TextEncoder().encode([...copyLines(rows[t], stagedColumns[t].length)].join(''));
  return out;
}
const transferables = (h: Handover) => (Object.keys(stagedColumns) as StagedTable[]).flatMap((t) => (h[t] instanceof Uint8Array ? [h[t].buffer] : []));

type FromWorker =
  | { rows: Handover }
  | { consumed: true }
  | { done: { head: BundleHead; reports: PlannedReport[]; ignored: Ignored[]; sources: Array<[string, string]> } }
  | { error: { code?: ErrorCode; message: string; details?: ErrorDetails } };

/** Chunks of text (64 KB each from the routes: 8 MB) handed over and not yet read by the worker. */
const chunksAhead = 128;
/** Handovers received and not yet written past which no more text is handed to the worker. */
const writesAhead = 16;
const role = 'cybercap-stix-planner';

export type PlanOptions = {
  /** A bundle of up to this many characters is read here (starting a worker costs more than reading it); a larger one in a worker thread. */
  inThreadBytes?: number;
  /** Objects held to place reports on reading (stix-validate.ts, heldObjects); 0: every report is placed at the end. */
  held?: number;
  /** Hand the rows over in COPY's text format (PostgreSQL). */
  copy?: boolean;
};

/**
 * Reads and validates the bundle from `source`, calling `write` with each batch of staged rows, one after
 * the other, in order. The reader goes on while a batch is written, as long as few batches wait (memory
 * stays bounded); `write` is never running when this returns or throws.
 */
export async function planBundle(source: AsyncIterable<string>, query: PlanQuery, excluded: ReadonlySet<string>, write: (rows: Handover) => Promise<void>, options: PlanOptions = {}): Promise<Plan> {
  const { inThreadBytes = 4 * 1024 * 1024, held = heldObjects, copy = false } = options;
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
    const planner = new Planner(query, excluded, (rows) => batches.push(rows), held);
    const head = await readBundle(first, stixLimits, (o, i) => planner.add(o, i));
    planner.flush();
    for (const rows of batches) await write(copy ? encoded(rows) : rows);
    return { head, reports: planner.reports, ignored: planner.ignored, sources: planner.sources };
  }

  const worker = new Worker(new URL(import.meta.url), { workerData: { role, query: { defaultTlp: query.defaultTlp, crimeType: query.crimeType, now: query.now }, excluded: [...excluded], held, copy } satisfies WorkerData });
  const inbox: Array<FromWorker | { crash: Error } | { written: true }> = [];
  let wake: (() => void) | null = null;
  const deliver = (m: FromWorker | { crash: Error } | { written: true }) => {
    inbox.push(m);
    wake?.();
    wake = null;
  };
  // The batches waiting to be written, and the writing of them, one at a time (the first failure stops it).
  const toWrite: Handover[] = [];
  const failed: { error?: unknown; yes: boolean } = { yes: false };
  let writing: Promise<void> | null = null;
  const drain = async () => {
    try {
      while (toWrite.length > 0 && !failed.yes) await write(toWrite.shift()!);
    } catch (error) {
      Object.assign(failed, { error, yes: true });
    }
  };
  const startWriting = () => {
    writing ??= drain().finally(() => {
      writing = null;
      deliver({ written: true });
    });
  };
  const written = async () => {
    while (writing || (toWrite.length > 0 && !failed.yes)) {
      startWriting();
      await writing;
    }
    if (failed.yes) throw failed.error;
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
      if (failed.yes) throw failed.error;
      while (!ended && ahead < chunksAhead && toWrite.length < writesAhead) {
        const c = await chunks.next();
        if (c.done) ended = true;
        else ahead++;
        worker.postMessage(c.done ? null : c.value);
      }
      const m = await next();
      if ('written' in m) continue;
      if ('consumed' in m) ahead--;
      else if ('rows' in m) {
        toWrite.push(m.rows);
        startWriting();
      } else if ('done' in m) {
        await written();
        return { ...m.done, sources: new Map(m.done.sources) };
      } else if ('error' in m) throw m.error.code ? new AppError(m.error.code, m.error.message, m.error.details) : new Error(m.error.message);
      else throw m.crash;
    }
  } finally {
    // Nothing more is written; the batch being written finishes first (the caller's transaction is theirs).
    toWrite.length = 0;
    await writing;
    worker.removeAllListeners('exit');
    await worker.terminate();
    if (!ended) await chunks.return?.();
  }
}

type WorkerData = { role: string; query: PlanQuery; excluded: string[]; held: number; copy: boolean };

function runWorker(port: NonNullable<typeof parentPort>, data: WorkerData) {
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
  const planner = new Planner(
    data.query,
    new Set(data.excluded),
    (rows) => {
      const h: Handover = data.copy ? encoded(rows) : rows;
      port.postMessage({ rows: h } satisfies FromWorker, transferables(h));
    },
    data.held,
  );
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

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === role) runWorker(parentPort, workerData as WorkerData);
