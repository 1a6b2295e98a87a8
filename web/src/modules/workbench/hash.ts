import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * Hashes computed in the browser (files never leave it): MD5, SHA-1 and
 * SHA-256 in one pass, read in slices so that large files show progress and
 * the page stays responsive.
 */

export const algorithms = ['md5', 'sha1', 'sha256'] as const;
export type Algorithm = (typeof algorithms)[number];
export type Digests = Record<Algorithm, string>;

export const sliceBytes = 4 * 1024 * 1024;

export function hashBytes(bytes: Uint8Array): Digests {
  return { md5: bytesToHex(md5(bytes)), sha1: bytesToHex(sha1(bytes)), sha256: bytesToHex(sha256(bytes)) };
}

/** Hashes a file (or any Blob) slice by slice; `onProgress` gets the bytes done. Stops with an AbortError when aborted. */
export async function hashBlob(blob: Blob, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<Digests> {
  const hashers = { md5: md5.create(), sha1: sha1.create(), sha256: sha256.create() };
  for (let at = 0; at < blob.size; at += sliceBytes) {
    signal?.throwIfAborted();
    const chunk = new Uint8Array(await blob.slice(at, at + sliceBytes).arrayBuffer());
    hashers.md5.update(chunk);
    hashers.sha1.update(chunk);
    hashers.sha256.update(chunk);
    onProgress?.(Math.min(blob.size, at + chunk.length), blob.size);
    // Lets the page paint the progress between slices.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  onProgress?.(blob.size, blob.size);
  return { md5: bytesToHex(hashers.md5.digest()), sha1: bytesToHex(hashers.sha1.digest()), sha256: bytesToHex(hashers.sha256.digest()) };
}

/** A pasted hash → bare lower-case hex (spaces, colons, a `sha256:` prefix or the file name after it as sha256sum prints removed). */
export function normaliseHash(text: string): string {
  const s = text.trim().replace(/^(md5|sha-?1|sha-?256)\s*[:=]\s*/i, '');
  const compact = s.replace(/[\s:]/g, '').toLowerCase();
  if (/^[0-9a-f]+$/.test(compact)) return compact;
  return (s.split(/\s+/)[0] ?? '').toLowerCase();
}

/** Which algorithm's digest the pasted hash equals, `mismatch` when it has a known length but differs, `invalid` when it is no hash. */
export function compareHash(digests: Digests, pasted: string): { result: 'match'; algorithm: Algorithm } | { result: 'mismatch'; algorithm: Algorithm } | { result: 'invalid' } {
  const h = normaliseHash(pasted);
  if (!/^[0-9a-f]+$/.test(h)) return { result: 'invalid' };
  const algorithm: Algorithm | null = h.length === 32 ? 'md5' : h.length === 40 ? 'sha1' : h.length === 64 ? 'sha256' : null;
  if (!algorithm) return { result: 'invalid' };
  return digests[algorithm] === h ? { result: 'match', algorithm } : { result: 'mismatch', algorithm };
}
