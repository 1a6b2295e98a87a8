import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { contentDisposition, HashMismatch, inlineContentType, parseRange, safeFileName, verifyingStream } from './http-content.ts';

describe('parseRange', () => {
  const size = 100;
  it('reads one byte range in each form', () => {
    expect(parseRange(undefined, size)).toEqual({ kind: 'none' });
    expect(parseRange('', size)).toEqual({ kind: 'none' });
    expect(parseRange('bytes=0-9', size)).toEqual({ kind: 'range', start: 0, end: 9 });
    expect(parseRange('bytes=90-', size)).toEqual({ kind: 'range', start: 90, end: 99 });
    expect(parseRange('bytes=-10', size)).toEqual({ kind: 'range', start: 90, end: 99 });
    expect(parseRange('bytes=-1000', size)).toEqual({ kind: 'range', start: 0, end: 99 });
    expect(parseRange('bytes=50-5000', size)).toEqual({ kind: 'range', start: 50, end: 99 });
    expect(parseRange(' Bytes = 5 - 5 ', size)).toEqual({ kind: 'range', start: 5, end: 5 });
    expect(parseRange('bytes=99-99', size)).toEqual({ kind: 'range', start: 99, end: 99 });
  });
  it('finds anything else unsatisfiable', () => {
    for (const header of ['bytes=100-', 'bytes=100-200', 'bytes=-0', 'bytes=9-0', 'bytes=abc', 'bytes=-', 'bytes=1-2-3', 'items=0-9', 'bytes=0-1,5-6', 'bytes=0x1-2', 'bytes=99999999999999999999-']) {
      expect(parseRange(header, size).kind, header).toBe('unsatisfiable');
    }
    expect(parseRange('bytes=0-', 0).kind).toBe('unsatisfiable');
    expect(parseRange('bytes=-5', 0).kind).toBe('unsatisfiable');
  });
});

describe('inline content types', () => {
  it('shows only text (as plain text), raster images and PDF', () => {
    expect(inlineContentType('text/plain')).toBe('text/plain; charset=utf-8');
    for (const t of ['message/rfc822', 'text/csv', 'application/json', 'application/x-ndjson']) expect(inlineContentType(t), t).toBe('text/plain; charset=utf-8');
    expect(inlineContentType('Text/Plain; charset=latin1')).toBe('text/plain; charset=utf-8');
    expect(inlineContentType('image/png')).toBe('image/png');
    expect(inlineContentType('image/jpeg')).toBe('image/jpeg');
    expect(inlineContentType('application/pdf')).toBe('application/pdf');
    for (const t of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'application/octet-stream', 'image/png<script>', '']) {
      expect(inlineContentType(t), t).toBeNull();
    }
  });
});

describe('file names', () => {
  it('keeps a safe base name, falling back when nothing is left', () => {
    expect(safeFileName('evidence/mail.eml', 'x')).toBe('mail.eml');
    expect(safeFileName('..\\..\\boot.ini', 'x')).toBe('boot.ini');
    expect(safeFileName('a"b;c\r\nd.txt', 'x')).toBe('a_b_c__d.txt');
    expect(safeFileName('invoice\u202Efdp.exe', 'x')).toBe('invoice_fdp.exe');
    expect(safeFileName('...', 'fallback')).toBe('fallback');
    expect(safeFileName('dir/', 'fallback')).toBe('fallback');
    expect(safeFileName(`${'a'.repeat(300)}.txt`, 'x').length).toBe(180);
  });
  it('writes Content-Disposition with an ASCII name and the exact UTF-8 name', () => {
    expect(contentDisposition('attachment', 'mail.eml')).toBe(`attachment; filename="mail.eml"; filename*=UTF-8''mail.eml`);
    expect(contentDisposition('inline', 'رسالة (1).txt')).toBe(`inline; filename="_____ (1).txt"; filename*=UTF-8''%D8%B1%D8%B3%D8%A7%D9%84%D8%A9%20%281%29.txt`);
  });
});

describe('verifyingStream', () => {
  const chunks = [Buffer.from('first chunk, '), Buffer.from('second chunk, '), Buffer.from('last chunk')];
  const sha = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
  async function collect(expected: string) {
    const out: Buffer[] = [];
    const error = await pipeline(Readable.from(chunks), verifyingStream(expected), async (source: AsyncIterable<Buffer>) => {
      for await (const c of source) out.push(c);
    }).then(() => null, (e: unknown) => e);
    return { data: Buffer.concat(out).toString(), error };
  }
  it('passes a file that matches its hash through unchanged', async () => {
    expect(await collect(sha)).toEqual({ data: Buffer.concat(chunks).toString(), error: null });
  });
  it('never lets a changed file through complete', async () => {
    const res = await collect('0'.repeat(64));
    expect(res.error).toBeInstanceOf(HashMismatch);
    expect(Buffer.concat(chunks).toString().startsWith(res.data)).toBe(true);
    expect(res.data.length).toBeLessThan(Buffer.concat(chunks).length);
  });
});
