import { crc32, deflateSync } from 'node:zlib';

// Small binary documents for evidence: a text PDF (an invoice, a ransom note,
// a court order) and a PNG (a logo, a QR-like mark). Deterministic: no dates
// or random ids are written, so regenerating gives the same bytes.
//
// These are not templated: rendering {{ placeholders }} would move the byte
// offsets a PDF's cross-reference table depends on. Per-team documents are
// written as text evidence instead, or a fixed document is described with its
// SHA-256 (see files.ts).

const pdfString = (s: string) => `(${s.replace(/[\\()]/g, '\\$&')})`;

/**
 * A PDF 1.4 of A4 pages in Helvetica, one text line per entry (Latin-1
 * characters; others are replaced by "?"). `title` goes in the document information.
 */
export function writePdf(pages: ReadonlyArray<readonly string[]>, title: string): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body); // the object number: its index + 1
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // the page tree, filled in once the pages are known
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add(`<< /Title ${pdfString(title)} /Producer (Cybercap scenario generator) >>`);
  const kids: number[] = [];
  for (const lines of pages) {
    const text = lines.map((l, i) => `${i === 0 ? '' : 'T* '}${pdfString(l.replace(/[^\x20-\x7e\xa0-\xff]/g, '?'))} Tj`).join('\n');
    const content = `BT /F1 11 Tf 14 TL 56 780 Td\n${text}\nET`;
    const contentId = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`));
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets = objects.map((body, i) => {
    const at = Buffer.byteLength(out, 'latin1');
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** A PNG (8-bit RGB) of `width` × `height` pixels, `pixel(x, y)` giving [r, g, b]. */
export function writePng(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number]): Uint8Array {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (width * 3 + 1) + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, RGB, deflate, no filter method, no interlace
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]));
}
