import { describe, expect, it } from 'vitest';
import { compareHash, hashBlob, hashBytes, normaliseHash, sliceBytes } from './hash.ts';

const abc = { md5: '900150983cd24fb0d6963f7d28e17f72', sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' };

describe('hashes', () => {
  it('computes MD5, SHA-1 and SHA-256', () => {
    expect(hashBytes(new TextEncoder().encode('abc'))).toEqual(abc);
  });
  it('gives the same digests slice by slice, with progress', async () => {
    const bytes = new Uint8Array(sliceBytes * 2 + 123).map((_, i) => i % 251);
    const progress: number[] = [];
    const digests = await hashBlob(new Blob([bytes]), (done) => progress.push(done));
    expect(digests).toEqual(hashBytes(bytes));
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress.length).toBeGreaterThanOrEqual(3);
  });
  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(hashBlob(new Blob([new Uint8Array(10)]), undefined, controller.signal)).rejects.toThrow();
  });
  it('compares with a pasted hash in any usual form', () => {
    expect(normaliseHash('SHA256: BA78 16BF')).toBe('ba7816bf');
    expect(normaliseHash(`${abc.sha256}  evidence.eml`)).toBe(abc.sha256);
    expect(compareHash(abc, abc.md5.toUpperCase())).toEqual({ result: 'match', algorithm: 'md5' });
    expect(compareHash(abc, `${abc.sha1}  file`)).toEqual({ result: 'match', algorithm: 'sha1' });
    expect(compareHash(abc, 'a'.repeat(64))).toEqual({ result: 'mismatch', algorithm: 'sha256' });
    expect(compareHash(abc, 'not a hash')).toEqual({ result: 'invalid' });
    expect(compareHash(abc, 'abcd')).toEqual({ result: 'invalid' });
  });
});
