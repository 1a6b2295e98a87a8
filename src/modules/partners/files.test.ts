import { describe, expect, it } from 'vitest';
import { docx, odt } from './test-support.ts';
import { rawZip } from '../../test/zip.ts';
import { fileNameFor, sniffMediaType } from './files.ts';

const sniff = (b: Buffer) => sniffMediaType(b.subarray(0, 4096), b.subarray(Math.max(0, b.length - 65536)));
describe('sniffMediaType', () => {
  it('recognises documents and raster images from their content', () => {
    expect(sniff(Buffer.from('%PDF-1.7\n1 0 obj\n%%EOF'))).toBe('application/pdf');
    expect(sniff(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20)]))).toBe('image/png');
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniff(Buffer.from('GIF89a\x01\x00'))).toBe('image/gif');
    expect(sniff(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '))).toBe('image/webp');
    expect(sniff(docx())).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sniff(odt())).toBe('application/vnd.oasis.opendocument.text');
  });

  it('refuses anything else, whatever its name says', () => {
    expect(sniff(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniff(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(sniff(Buffer.from(' %PDF-1.7'))).toBeNull();
    // A zip that is neither a Word nor an OpenDocument text.
    expect(sniff(rawZip([{ name: 'payload.exe', data: Buffer.from('MZ') }]))).toBeNull();
    // An OpenDocument spreadsheet is not a text document.
    expect(sniff(rawZip([{ name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet') }]))).toBeNull();
    expect(sniff(Buffer.alloc(0))).toBeNull();
  });
});

describe('fileNameFor', () => {
  it('keeps a safe name and gives it the extension of the recognised type', () => {
    expect(fileNameFor('Signed agreement.pdf', 'application/pdf')).toBe('Signed agreement.pdf');
    expect(fileNameFor('scan.exe', 'image/png')).toBe('scan.png');
    expect(fileNameFor('../../etc/passwd', 'application/pdf')).toBe('passwd.pdf');
    expect(fileNameFor('invoice\u202efdp.exe', 'application/pdf')).toBe('invoice_fdp.pdf');
    expect(fileNameFor(undefined, 'application/vnd.oasis.opendocument.text')).toBe('document.odt');
    expect(fileNameFor('contract', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('contract.docx');
  });
});
