import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

// A scenario package is a folder or a .zip holding scenario.yaml and its
// evidence files. Both are read through the same interface, with the checks
// that hostile packages need: no path may leave the package, no links, no
// encrypted entries, sizes and counts bounded, and no zip bombs.

export type PackageLimits = {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  /** Uncompressed / compressed above this, for entries over 256 KiB, is refused as a zip bomb. */
  maxCompressionRatio: number;
};

export const defaultPackageLimits: PackageLimits = {
  maxFiles: 2000,
  maxFileBytes: 4 * 1024 ** 3,
  maxTotalBytes: 8 * 1024 ** 3,
  maxCompressionRatio: 200,
};

export type PackageEntry = { path: string; size: number; open: () => Promise<Readable> };
export type PackageSource = { entries: Map<string, PackageEntry>; close: () => Promise<void> };

export class PackageError extends Error {
  readonly where: string;
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.where = where;
  }
}

/** Relative, forward-slash, no "..", no drive letters or control characters. */
export function checkEntryPath(name: string): string {
  if (name.length === 0 || name.length > 500) throw new PackageError(`package entry "${name.slice(0, 80)}"`, 'name is empty or too long');
  if (/[\u0000-\u001f\\]/.test(name)) throw new PackageError(`package entry "${name}"`, 'name holds a backslash or a control character');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new PackageError(`package entry "${name}"`, 'absolute paths are not allowed');
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) throw new PackageError(`package entry "${name}"`, 'path leaves the package ("..")');
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}

function checkSize(name: string, size: number, total: number, limits: PackageLimits) {
  if (size > limits.maxFileBytes) throw new PackageError(`package entry "${name}"`, `file is larger than the limit of ${limits.maxFileBytes} bytes`);
  if (total > limits.maxTotalBytes) throw new PackageError('package', `files add up to more than the limit of ${limits.maxTotalBytes} bytes`);
}

/** A package wrapped in one top folder (as zip tools make them) is read from inside it. */
function stripCommonRoot(entries: Map<string, PackageEntry>): Map<string, PackageEntry> {
  if (entries.has('scenario.yaml')) return entries;
  const roots = new Set([...entries.keys()].map((p) => p.split('/')[0]));
  if (roots.size !== 1) return entries;
  const [root] = roots;
  if (!entries.has(`${root}/scenario.yaml`)) return entries;
  return new Map([...entries.values()].map((e) => [e.path.slice(root!.length + 1), { ...e, path: e.path.slice(root!.length + 1) }]));
}

export async function openFolderPackage(dir: string, limits: PackageLimits = defaultPackageLimits): Promise<PackageSource> {
  const entries = new Map<string, PackageEntry>();
  let total = 0;
  async function walk(rel: string) {
    for (const dirent of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const relPath = rel ? `${rel}/${dirent.name}` : dirent.name;
      const full = path.join(dir, relPath);
      const info = await lstat(full);
      if (info.isSymbolicLink()) throw new PackageError(`package entry "${relPath}"`, 'links are not allowed');
      if (info.isDirectory()) {
        await walk(relPath);
        continue;
      }
      if (!info.isFile()) throw new PackageError(`package entry "${relPath}"`, 'only regular files are allowed');
      if (entries.size + 1 > limits.maxFiles) throw new PackageError('package', `more than ${limits.maxFiles} files`);
      total += info.size;
      checkSize(relPath, info.size, total, limits);
      entries.set(relPath, { path: relPath, size: info.size, open: async () => createReadStream(full) });
    }
  }
  try {
    const info = await lstat(dir);
    if (!info.isDirectory()) throw new PackageError('package', 'not a folder');
  } catch (error) {
    if (error instanceof PackageError) throw error;
    throw new PackageError('package', `cannot read folder ${dir}`);
  }
  await walk('');
  return { entries: stripCommonRoot(entries), close: async () => undefined };
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export async function openZipPackage(file: string, limits: PackageLimits = defaultPackageLimits): Promise<PackageSource> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false, decodeStrings: true }, (err, z) =>
      err ? reject(new PackageError('package', `not a readable zip file (${err.message})`)) : resolve(z),
    ),
  );
  const entries = new Map<string, PackageEntry>();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (err: Error) => reject(/invalid relative path|absolute path/.test(err.message) ? new PackageError('package entry', `path leaves the package (${err.message})`) : new PackageError('package', `damaged zip file (${err.message})`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          const name = entry.fileName;
          if (name.endsWith('/')) return zip.readEntry();
          const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
          if (mode === S_IFLNK) throw new PackageError(`package entry "${name}"`, 'links are not allowed');
          if (entry.isEncrypted()) throw new PackageError(`package entry "${name}"`, 'encrypted entries are not allowed');
          const relPath = checkEntryPath(name);
          if (entries.has(relPath)) throw new PackageError(`package entry "${name}"`, 'appears twice');
          if (entries.size + 1 > limits.maxFiles) throw new PackageError('package', `more than ${limits.maxFiles} files`);
          if (entry.uncompressedSize > 256 * 1024 && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxCompressionRatio) {
            throw new PackageError(`package entry "${name}"`, `compression ratio above ${limits.maxCompressionRatio}:1 (zip bomb?)`);
          }
          total += entry.uncompressedSize;
          checkSize(relPath, entry.uncompressedSize, total, limits);
          // yauzl checks while streaming that the entry really has its declared size.
          entries.set(relPath, { path: relPath, size: entry.uncompressedSize, open: () => zip.openReadStreamPromise(entry) });
          zip.readEntry();
        } catch (error) {
          reject(error);
        }
      });
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  return { entries: stripCommonRoot(entries), close: async () => zip.close() };
}

/** Reads a small text entry whole (scenario.yaml, templated evidence), refusing past maxBytes. */
export async function readEntryText(entry: PackageEntry, maxBytes: number): Promise<string> {
  if (entry.size > maxBytes) throw new PackageError(entry.path, `larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await entry.open()) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new PackageError(entry.path, `larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const buffer = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new PackageError(entry.path, 'is not valid UTF-8 text');
  }
}
