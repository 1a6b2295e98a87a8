import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationError } from '../../core/errors.ts';
import type { AppContext } from '../../core/http/types.ts';
import { newId } from '../../core/ids.ts';
import { contentDisposition, safeFileName } from '../evidence/http-content.ts';
import { documentMaxBytes, type DocumentMediaType } from './schemas.ts';

// Uploaded partnership files (signed agreements, report attachments): their type
// is recognised from their first bytes, whatever the client claims, and only
// documents and raster images are kept. A file is received into a temporary
// file first, so that a refused one never reaches the blob store.

const ascii = (b: Buffer, start: number, end: number) => b.subarray(start, end).toString('latin1');

/**
 * The media type of a file from its head (first bytes) and tail (last bytes,
 * which hold a ZIP's central directory), or null when it is not one we accept.
 * DOCX and ODT are ZIP files: ODT names itself in a first `mimetype` entry;
 * DOCX lists `word/document.xml` and `[Content_Types].xml`.
 */
export function sniffMediaType(head: Buffer, tail: Buffer): DocumentMediaType | null {
  if (ascii(head, 0, 5) === '%PDF-') return 'application/pdf';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (/^GIF8[79]a$/.test(ascii(head, 0, 6))) return 'image/gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) {
    // Local file header: the name starts at 30, its length at 26, the extra field's at 28.
    const nameLength = head.readUInt16LE(26);
    const extraLength = head.readUInt16LE(28);
    const firstName = ascii(head, 30, 30 + nameLength);
    const start = 30 + nameLength + extraLength;
    if (firstName === 'mimetype' && ascii(head, start, start + 39) === 'application/vnd.oasis.opendocument.text') return 'application/vnd.oasis.opendocument.text';
    const directory = tail.toString('latin1');
    const central = directory.lastIndexOf('PK\x05\x06') >= 0;
    if (central && directory.includes('word/document.xml') && directory.includes('[Content_Types].xml')) {
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    }
  }
  return null;
}

const extensionOf: Record<DocumentMediaType, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

export type StoredFile = { fileName: string; mediaType: DocumentMediaType; size: number; sha256: string };

const accepted = 'PDF, DOCX, ODT, PNG, JPEG, GIF or WebP';
const headBytes = 4096;
const tailBytes = 64 * 1024;

/**
 * Receives the one file of a multipart upload (field "file"), bounded by the size
 * limit, checks its type from its content, and only then puts it in the blob
 * store. Any refusal leaves nothing stored.
 */
export async function receiveFile(ctx: AppContext, request: FastifyRequest): Promise<StoredFile> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'file: send the file as multipart/form-data with a "file" field');
  const part = await request.file({ limits: { fileSize: documentMaxBytes, files: 1 } });
  if (!part || part.fieldname !== 'file') throw validationError('file', 'a file is required (field "file")');
  // Like JSON bodies, an upload is strict: any other field is refused.
  const unknown = Object.keys(part.fields).find((name) => name !== 'file');
  if (unknown) throw validationError(`body.${unknown}`, 'unknown field: send only the "file" field');
  const dir = path.join(ctx.config.dataDir, 'tmp');
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `${newId()}.upload`);
  const head: Buffer[] = [];
  let headLength = 0;
  const keepHead = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (headLength < headBytes) {
        head.push(chunk.subarray(0, headBytes - headLength));
        headLength += Math.min(chunk.length, headBytes - headLength);
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(part.file, keepHead, createWriteStream(temp, { flags: 'wx' }));
    if (part.file.truncated) throw new AppError('payload_too_large', `file: larger than ${documentMaxBytes} bytes`, [{ path: 'file', message: `larger than ${documentMaxBytes} bytes` }]);
    const handle = await open(temp, 'r');
    let tail: Buffer;
    let size: number;
    try {
      size = (await handle.stat()).size;
      const length = Math.min(size, tailBytes);
      tail = Buffer.alloc(length);
      await handle.read(tail, 0, length, size - length);
    } finally {
      await handle.close();
    }
    if (size === 0) throw validationError('file', 'the file is empty');
    const mediaType = sniffMediaType(Buffer.concat(head), tail);
    if (!mediaType) throw validationError('file', `not an accepted file type (${accepted}, recognised from the content)`);
    const stored = await ctx.storage.put(createReadStream(temp), documentMaxBytes);
    return { fileName: fileNameFor(part.filename, mediaType), mediaType, size: stored.size, sha256: stored.sha256 };
  } finally {
    await rm(temp, { force: true });
  }
}

/** A safe name that ends with the extension of the recognised type. */
export function fileNameFor(given: string | undefined, mediaType: DocumentMediaType): string {
  const ext = extensionOf[mediaType];
  const name = safeFileName(given ?? '', `document.${ext}`);
  const base = name.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return `${base === '' ? 'document' : base}.${ext}`;
}

/** Sends a stored file as a download: never shown inline, never sniffed by the browser. */
export function sendFile(ctx: AppContext, reply: FastifyReply, file: StoredFile) {
  return reply
    .type(file.mediaType)
    .header('content-disposition', contentDisposition('attachment', file.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-length', String(file.size))
    .send(ctx.storage.open(file.sha256));
}
