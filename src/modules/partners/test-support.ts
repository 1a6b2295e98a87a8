import { rawZip } from '../../test/zip.ts';

// Small files of each accepted kind, for the tests of uploads.
/** The least a Word document holds for its type to be recognised. */
export const docx = () =>
  rawZip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: '_rels/.rels', data: Buffer.from('<Relationships/>') },
    { name: 'word/document.xml', data: Buffer.from('<w:document/>'), compress: true },
  ]);
export const odt = () =>
  rawZip([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text') },
    { name: 'content.xml', data: Buffer.from('<office:document-content/>'), compress: true },
  ]);
export const pdf = (extra = '') => Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n${extra}\n%%EOF\n`);
export const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
