import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { AppError } from '../../core/errors.ts';

// Pure helpers for serving evidence files over HTTP: byte ranges, the types
// that may be shown in a browser, safe file names, and a stream that checks a
// file's hash on its way out.

export type ByteRange = { start: number; end: number };
export type RangeRequest = { kind: 'none' } | ({ kind: 'range' } & ByteRange) | { kind: 'unsatisfiable'; reason: string };

const position = /^\d{1,15}$/;

/**
 * One byte range of a representation of `size` bytes (RFC 9110 §14.1.2):
 * `bytes=0-9`, an open range `bytes=100-`, a suffix `bytes=-500`. Anything
 * else (another unit, a malformed or reversed range, several ranges, a range
 * starting past the end) is unsatisfiable: the server answers 416.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return { kind: 'unsatisfiable', reason: 'only byte ranges are served ("bytes=start-end")' };
  const specs = m[1]!.split(',').map((s) => s.trim());
  if (specs.length !== 1) return { kind: 'unsatisfiable', reason: 'one range per request' };
  const [first = '', last = ''] = specs[0]!.split('-').map((s) => s.trim());
  if (specs[0]!.split('-').length !== 2 || (first === '' && last === '') || (first !== '' && !position.test(first)) || (last !== '' && !position.test(last))) {
    return { kind: 'unsatisfiable', reason: `malformed range "${specs[0]}"` };
  }
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable', reason: 'empty suffix range' };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'unsatisfiable', reason: 'the range ends before it starts' };
  if (start >= size) return { kind: 'unsatisfiable', reason: `the range starts at or after the end (${size} bytes)` };
  return { kind: 'range', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/**
 * The Content-Type under which a media type may be shown in the browser, or
 * null: text (as text/plain), raster images and PDF. HTML, SVG, XML, scripts
 * and anything unknown are never shown inline (they could run in our origin).
 */
const textual = new Set(['text/csv', 'text/markdown', 'message/rfc822', 'application/json', 'application/x-ndjson']);

export function inlineContentType(mediaType: string): string | null {
  const t = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  // Textual evidence (e-mails, CSV, JSON, logs) is shown as plain text: read, never run.
  if (t === 'text/plain' || textual.has(t)) return 'text/plain; charset=utf-8';
  if (t === 'application/pdf') return 'application/pdf';
  if (/^image\/[a-z0-9.-]+$/.test(t) && !t.includes('svg') && !t.includes('xml')) return t;
  return null;
}

// Control characters, path and shell-special characters, and the bidirectional
// controls that can disguise an extension ("invoice‮fdp.exe").
const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069"\\/:*?<>|;%]/g;
const rfc5987 = (s: string) => encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A file name safe for any file system and header, from an author-given path. */
export function safeFileName(path: string, fallback: string): string {
  const base = (path.split(/[\\/]/).pop() ?? '').normalize('NFC').replace(unsafe, '_');
  const trimmed = base.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '').slice(0, 180);
  return trimmed === '' ? fallback : trimmed;
}

/** Content-Disposition with an ASCII fallback name and the exact UTF-8 name (RFC 6266). */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${rfc5987(fileName)}`;
}

/** The stored file no longer matches its name. Before any byte is sent it answers 503; later, the response is cut short. */
export class HashMismatch extends AppError {
  readonly actual: string;
  constructor(expected: string, actual: string) {
    super('unavailable', 'The stored evidence file no longer matches its hash; ask a trainer to run the evidence verification');
    this.actual = actual;
    this.cause = `stored file ${expected} now hashes to ${actual}`;
  }
}

/**
 * Passes a whole file through while hashing it, holding back the last chunk
 * until the hash is known: a file whose content no longer matches its name
 * never reaches the client complete (the response is cut short instead).
 */
export function verifyingStream(expectedSha256: string): Transform {
  const hash = createHash('sha256');
  let held: Buffer | null = null;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      const previous = held;
      held = chunk;
      done(null, previous ?? undefined);
    },
    flush(done) {
      const actual = hash.digest('hex');
      if (actual !== expectedSha256) return done(new HashMismatch(expectedSha256, actual));
      done(null, held ?? undefined);
    },
  });
}
