import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { newId } from './ids.ts';

// Content-addressed file store under DATA_DIR/blobs: a file is named by its
// SHA-256, computed while it streams to a temporary file that is renamed once
// the hash is known. Nothing is ever held whole in memory.
export class BlobTooLarge extends Error {}

export type BlobStore = ReturnType<typeof createBlobStore>;

export function createBlobStore(dataDir: string) {
  const root = path.resolve(dataDir, 'blobs');
  const tmp = path.join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });

  const pathOf = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid sha256');
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  /** Streams into the store; refuses (and cleans up) past maxBytes. */
  async function put(source: Readable, maxBytes = Number.MAX_SAFE_INTEGER): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    const temp = path.join(tmp, newId());
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new BlobTooLarge(`larger than ${maxBytes} bytes`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(temp, { flags: 'wx' }));
      const sha256 = hash.digest('hex');
      const final = pathOf(sha256);
      mkdirSync(path.dirname(final), { recursive: true });
      // Same content, same name: an existing copy is kept as is.
      if (existsSync(final)) await rm(temp, { force: true });
      else await rename(temp, final);
      return { sha256, size };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /**
   * Stores bytes already in memory. Up to 1 MiB (a team's rendered evidence, written while its
   * answer's transaction holds the database) the file is hashed and written at once: two trips
   * through the thread pool would cost more than the write, and keep the database waiting.
   */
  async function putBuffer(data: Buffer | string): Promise<{ sha256: string; size: number }> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (bytes.length > 1024 * 1024) {
      const { Readable } = await import('node:stream');
      return put(Readable.from([bytes]));
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const final = pathOf(sha256);
    if (!existsSync(final)) {
      const temp = path.join(tmp, newId());
      try {
        writeFileSync(temp, bytes, { flag: 'wx' });
        mkdirSync(path.dirname(final), { recursive: true });
        renameSync(temp, final);
      } catch (error) {
        rmSync(temp, { force: true });
        throw error;
      }
    }
    return { sha256, size: bytes.length };
  }

  const open = (sha256: string, range?: { start: number; end: number }) => createReadStream(pathOf(sha256), range);

  async function size(sha256: string): Promise<number | null> {
    try {
      return (await stat(pathOf(sha256))).size;
    } catch {
      return null;
    }
  }

  /** Re-hashes a stored file: the name it is stored under must still be its hash. */
  async function rehash(sha256: string): Promise<string | null> {
    if ((await size(sha256)) === null) return null;
    const hash = createHash('sha256');
    await pipeline(open(sha256), hash);
    return hash.digest('hex');
  }

  return { root, pathOf, put, putBuffer, open, size, rehash };
}
