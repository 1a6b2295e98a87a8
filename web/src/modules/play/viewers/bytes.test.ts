import { describe, expect, it } from 'vitest';
import { decodeText, findMatches, hexRow, hexRowCount, looksBinary, parseOffset, segmentLine, splitLines, viewersFor } from './bytes.ts';

describe('hex dump', () => {
  it('lays out a row: offset, two groups of eight bytes, printable characters', () => {
    const bytes = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x41]);
    expect(hexRow(bytes, 0, 0x1000)).toEqual({ offset: '00001000', hex: '4d 5a 90 00 03 00 00 00  04 00 00 00 ff ff 00 00', ascii: 'MZ..............' });
    const last = hexRow(bytes, 1);
    expect(last.offset).toBe('00000010');
    expect(last.hex.startsWith('41 ')).toBe(true);
    expect(last.hex.length).toBe(hexRow(bytes, 0).hex.length);
    expect(last.ascii).toBe('A');
    expect(hexRowCount(17)).toBe(2);
  });
});

describe('text', () => {
  it('tells binary from text', () => {
    expect(looksBinary(new TextEncoder().encode('Received: from mail\r\n\tby x'))).toBe(false);
    expect(looksBinary(new Uint8Array([0x4d, 0x5a, 0x00, 0x01]))).toBe(true);
    expect(looksBinary(new Uint8Array())).toBe(false);
  });

  it('decodes UTF-8, dropping a character cut at the end of a partial read and the BOM', () => {
    const bytes = new TextEncoder().encode('\ufeffكود é');
    expect(decodeText(bytes, false)).toBe('كود é');
    expect(decodeText(bytes.subarray(0, bytes.length - 1), true)).toBe('كود ');
    expect(splitLines('a\r\nb\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('finds every match, ignoring case unless asked, and cuts lines around them', () => {
    const lines = ['Received: from 203.0.113.7', 'nothing', 'RECEIVED twice: received'];
    const matches = findMatches(lines, 'received');
    expect(matches).toEqual([
      { line: 0, start: 0, end: 8 },
      { line: 2, start: 0, end: 8 },
      { line: 2, start: 16, end: 24 },
    ]);
    expect(findMatches(lines, 'received', true)).toEqual([{ line: 2, start: 16, end: 24 }]);
    expect(findMatches(lines, '203.0.113.7')).toEqual([{ line: 0, start: 15, end: 26 }]);
    expect(findMatches(lines, '')).toEqual([]);
    expect(segmentLine(lines[2]!, [{ ...matches[1]!, index: 1 }, { ...matches[2]!, index: 2 }])).toEqual([
      { text: 'RECEIVED', match: 1 },
      { text: ' twice: ', match: null },
      { text: 'received', match: 2 },
    ]);
    expect(segmentLine('', [])).toEqual([{ text: '', match: null }]);
  });
});

describe('viewers', () => {
  it('reads offsets in hex or decimal', () => {
    expect(parseOffset('0x1f0')).toBe(0x1f0);
    expect(parseOffset('1f0h')).toBe(0x1f0);
    expect(parseOffset('496')).toBe(496);
    expect(parseOffset('ff')).toBe(255);
    expect(parseOffset('zz')).toBeNull();
  });

  it('chooses the views of an item', () => {
    expect(viewersFor({ mediaType: 'image/png', fileName: 'a.png', kind: 'image', inlineViewable: true })).toEqual(['image', 'hex']);
    expect(viewersFor({ mediaType: 'application/pdf', fileName: 'a.pdf', kind: 'document', inlineViewable: true })).toEqual(['pdf', 'hex']);
    expect(viewersFor({ mediaType: 'application/octet-stream', fileName: 'mail.eml', kind: 'email', inlineViewable: false })).toEqual(['text', 'hex']);
    expect(viewersFor({ mediaType: 'text/plain', fileName: 'x', kind: 'other', inlineViewable: true })).toEqual(['text', 'hex']);
    expect(viewersFor({ mediaType: 'application/octet-stream', fileName: 'lsync.bin', kind: 'binary', inlineViewable: false })).toEqual(['hex', 'text']);
  });
});
