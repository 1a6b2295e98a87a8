import { parseLog, type LogTable } from './logs.ts';

/** Parses a log in a Web Worker when the browser has them, else on the page (in tests, old browsers). */
export function parseLogOffThread(bytes: Uint8Array, year: number): Promise<LogTable> {
  if (typeof Worker === 'undefined') return Promise.resolve(parseLog(new TextDecoder('utf-8').decode(bytes), { year }));
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./logs.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ table?: LogTable; error?: string }>) => {
      worker.terminate();
      if (event.data.table) resolve(event.data.table);
      else reject(new Error(event.data.error ?? 'parse failed'));
    };
    worker.onerror = (event) => {
      worker.terminate();
      // A worker that cannot start (blocked by policy) leaves the work to the page.
      event.preventDefault();
      try {
        resolve(parseLog(new TextDecoder('utf-8').decode(bytes), { year }));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    worker.postMessage({ bytes, year });
  });
}
