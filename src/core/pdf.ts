// Printable documents (after-action report, prosecution report) from a few simple blocks.
//
//   const pdf: Buffer = await renderPdf({
//     title: 'After-action report', subtitle: 'Team Singapore', language: 'fr',
//     createdAt: clock.now(), footer: 'Généré le 23/11/2026 07:30 UTC',
//     pageLabel: (page, pages) => `Page ${page} / ${pages}`,
//     blocks: [
//       { kind: 'heading', text: 'Objectifs' },                       // level 1 (default) or 2
//       { kind: 'paragraph', text: 'Texte libre, retours à la ligne gardés.' },
//       { kind: 'keyValues', items: [{ key: 'Score', value: '120' }] },
//       { kind: 'table', columns: [{ header: 'Objectif', width: 3 }, { header: 'Points', align: 'end' }],
//         rows: [['Wallet', '40']] },                                  // header repeated on each page
//       { kind: 'barChart', bars: [{ label: 'OSINT', value: 0.5, display: '50 %' }], max: 1 },
//       { kind: 'pageBreak' },
//     ],
//   });
//
// Every text is shaped and ordered for its script: the embedded font (Noto Sans Arabic, which also
// covers Latin with accents) is laid out by fontkit, and lines mixing directions are reordered with
// the Unicode bidirectional algorithm. `language: 'ar'` lays the pages out right to left (columns,
// alignment, bars). Callers pass display strings already formatted in the reader's language.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Bidi } from 'bidi-js';

export type PdfColumn = {
  header: string;
  /** Relative width (default 1). */
  width?: number;
  /** 'end' for numbers. */
  align?: 'start' | 'end';
};

export type PdfBlock =
  | { kind: 'heading'; text: string; level?: 1 | 2 }
  | { kind: 'paragraph'; text: string; muted?: boolean }
  | { kind: 'keyValues'; items: Array<{ key: string; value: string }> }
  | { kind: 'table'; columns: PdfColumn[]; rows: string[][] }
  | { kind: 'barChart'; bars: Array<{ label: string; value: number; display?: string }>; max?: number }
  | { kind: 'pageBreak' };

export type PdfDocumentSpec = {
  title: string;
  subtitle?: string;
  /** BCP 47 language of the texts; Arabic is laid out right to left. */
  language: string;
  author?: string;
  subject?: string;
  keywords?: string[];
  /** Document creation time (metadata). */
  createdAt: Date;
  /** Printed at the bottom of every page, e.g. the generation time. */
  footer: string;
  pageLabel: (page: number, pages: number) => string;
  blocks: PdfBlock[];
};

const require = createRequire(import.meta.url);
const fontFile = (weight: string) =>
  require.resolve(`@expo-google-fonts/noto-sans-arabic/${weight}/NotoSansArabic_${weight}.ttf`);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function loadFonts() {
  fonts ??= { regular: readFileSync(fontFile('400Regular')), bold: readFileSync(fontFile('700Bold')) };
  return fonts;
}

// bidi-js is a UMD bundle whose types describe its ES build: load the CommonJS one explicitly.
const bidi = (require('bidi-js') as () => Bidi)();
// pdfkit lays a text out word by word (shaped, cached) and places the words in logical order,
// which is right for left-to-right runs only: right-to-left runs are placed here word by word
// from their right edge (each word's glyphs come out of fontkit in visual order).
const STRONG_RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

const PAGE = { width: 595.28, height: 841.89, margin: 50, footer: 28 };
const COLOURS = { text: '#1a1b1e', muted: '#5c5f66', rule: '#ced4da', header: '#f1f3f5', bar: '#228be6' };
const SIZES = { title: 20, subtitle: 11, h1: 15, h2: 12, body: 10, small: 8 };
const LINE = 1.5;
const CELL_PAD = 4;

type Style = { size: number; bold?: boolean; color?: string };
type Align = 'start' | 'end' | 'center';

/** Renders the document; resolves with the whole file. */
export function renderPdf(spec: PdfDocumentSpec): Promise<Buffer> {
  const rtl = spec.language.split('-')[0] === 'ar';
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    autoFirstPage: true,
    lang: spec.language,
    displayTitle: true,
    info: {
      Title: spec.title,
      Author: spec.author ?? 'Cybercap',
      Subject: spec.subject ?? spec.subtitle ?? spec.title,
      Keywords: (spec.keywords ?? []).join(', '),
      Creator: 'Cybercap',
      Producer: 'Cybercap',
      CreationDate: spec.createdAt,
      ModDate: spec.createdAt,
    },
  });
  const { regular, bold } = loadFonts();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const writer = new Writer(doc, rtl);
  writer.title(spec.title, spec.subtitle);
  for (const block of spec.blocks) writer.block(block);
  writer.footers(spec.footer, spec.pageLabel);
  doc.end();
  return done;
}

class Writer {
  doc: PDFKit.PDFDocument;
  rtl: boolean;
  y = PAGE.margin;
  left = PAGE.margin;
  width = PAGE.width - 2 * PAGE.margin;
  bottom = PAGE.height - PAGE.margin - PAGE.footer;
  /** Word and space widths at size 1, by font: line breaking asks for the same words again and again. */
  widths = new Map<string, number>();
  spaces = new Map<string, number>();

  constructor(doc: PDFKit.PDFDocument, rtl: boolean) {
    this.doc = doc;
    this.rtl = rtl;
  }

  title(title: string, subtitle: string | undefined) {
    this.lines(title, { size: SIZES.title, bold: true });
    if (subtitle) this.lines(subtitle, { size: SIZES.subtitle, color: COLOURS.muted });
    this.y += 4;
    this.rule(this.y);
    this.y += 12;
  }

  block(block: PdfBlock) {
    switch (block.kind) {
      case 'heading': {
        const style = { size: block.level === 2 ? SIZES.h2 : SIZES.h1, bold: true };
        this.y += block.level === 2 ? 6 : 10;
        // Keep a heading with the start of what follows it.
        this.ensure(lineHeight(style.size) * 2 + lineHeight(SIZES.body) * 2);
        this.lines(block.text, style);
        this.y += 2;
        return;
      }
      case 'paragraph':
        for (const part of block.text.split(/\r?\n/)) {
          this.lines(part, { size: SIZES.body, color: block.muted ? COLOURS.muted : COLOURS.text });
        }
        this.y += 4;
        return;
      case 'keyValues':
        this.keyValues(block.items);
        return;
      case 'table':
        this.table(block.columns, block.rows);
        return;
      case 'barChart':
        this.barChart(block.bars, block.max);
        return;
      case 'pageBreak':
        this.newPage();
        return;
    }
  }

  newPage() {
    this.doc.addPage();
    this.y = PAGE.margin;
  }

  ensure(height: number) {
    if (this.y + height > this.bottom && this.y > PAGE.margin) this.newPage();
  }

  /** The x of a box given in reading order (offset from the start edge). */
  boxX(offset: number, width: number) {
    return this.rtl ? this.left + this.width - offset - width : this.left + offset;
  }

  lines(text: string, style: Style) {
    const height = lineHeight(style.size);
    for (const line of this.wrap(text, style, this.width)) {
      this.ensure(height);
      this.draw(line, this.left, this.width, this.y, style, 'start');
      this.y += height;
    }
  }

  keyValues(items: Array<{ key: string; value: string }>) {
    const keyWidth = this.width * 0.35;
    const valueWidth = this.width - keyWidth - 8;
    const height = lineHeight(SIZES.body);
    for (const { key, value } of items) {
      const keyLines = this.wrap(key, { size: SIZES.body, bold: true }, keyWidth);
      const valueLines = this.wrap(value, { size: SIZES.body }, valueWidth);
      const rowHeight = Math.max(keyLines.length, valueLines.length) * height;
      this.ensure(rowHeight);
      keyLines.forEach((line, i) =>
        this.draw(line, this.boxX(0, keyWidth), keyWidth, this.y + i * height, { size: SIZES.body, bold: true }, 'start'),
      );
      valueLines.forEach((line, i) =>
        this.draw(line, this.boxX(keyWidth + 8, valueWidth), valueWidth, this.y + i * height, { size: SIZES.body }, 'start'),
      );
      this.y += rowHeight + 2;
    }
    this.y += 4;
  }

  table(columns: PdfColumn[], rows: string[][]) {
    const total = columns.reduce((sum, c) => sum + (c.width ?? 1), 0);
    const widths = columns.map((c) => ((c.width ?? 1) / total) * this.width);
    const offsets = widths.map((_, i) => widths.slice(0, i).reduce((a, b) => a + b, 0));
    const height = lineHeight(SIZES.body);
    const maxLines = Math.floor((this.bottom - PAGE.margin - 3 * height) / height);
    const layout = (cells: string[], style: Style) => {
      const wrapped = columns.map((_, i) => this.wrap(cells[i] ?? '', style, widths[i]! - 2 * CELL_PAD).slice(0, maxLines));
      return { wrapped, height: Math.max(1, ...wrapped.map((w) => w.length)) * height + 2 * CELL_PAD };
    };
    const drawRow = (cells: { wrapped: string[][]; height: number }, style: Style, shaded: boolean) => {
      if (shaded) this.doc.rect(this.left, this.y, this.width, cells.height).fill(COLOURS.header);
      cells.wrapped.forEach((lines, i) => {
        const x = this.boxX(offsets[i]!, widths[i]!) + CELL_PAD;
        const align = columns[i]!.align ?? 'start';
        lines.forEach((line, l) =>
          this.draw(line, x, widths[i]! - 2 * CELL_PAD, this.y + CELL_PAD + l * height, style, align),
        );
      });
      this.y += cells.height;
      this.rule(this.y);
    };
    const headerStyle = { size: SIZES.body, bold: true };
    const header = layout(columns.map((c) => c.header), headerStyle);
    const first = rows[0] ? layout(rows[0], { size: SIZES.body }) : { height: 0 };
    this.ensure(header.height + first.height);
    drawRow(header, headerStyle, true);
    for (const row of rows) {
      const cells = layout(row, { size: SIZES.body });
      if (this.y + cells.height > this.bottom) {
        this.newPage();
        drawRow(header, headerStyle, true);
      }
      drawRow(cells, { size: SIZES.body }, false);
    }
    this.y += 8;
  }

  barChart(bars: Array<{ label: string; value: number; display?: string }>, max: number | undefined) {
    const top = max ?? Math.max(0, ...bars.map((b) => b.value));
    const labelWidth = this.width * 0.35;
    const valueWidth = this.width * 0.15;
    const barWidth = this.width - labelWidth - valueWidth - 16;
    const height = lineHeight(SIZES.body) + 2;
    for (const bar of bars) {
      this.ensure(height);
      const label = this.wrap(bar.label, { size: SIZES.body }, labelWidth)[0] ?? '';
      this.draw(label, this.boxX(0, labelWidth), labelWidth, this.y, { size: SIZES.body }, 'start');
      const length = top > 0 ? (Math.max(0, Math.min(bar.value, top)) / top) * barWidth : 0;
      if (length > 0) {
        this.doc.rect(this.boxX(labelWidth + 8, length), this.y + 3, length, height - 8).fill(COLOURS.bar);
      }
      const value = bar.display ?? String(bar.value);
      this.draw(value, this.boxX(labelWidth + barWidth + 16, valueWidth), valueWidth, this.y, { size: SIZES.body }, 'start');
      this.y += height;
    }
    this.y += 6;
  }

  footers(footer: string, pageLabel: (page: number, pages: number) => string) {
    const range = this.doc.bufferedPageRange();
    const style = { size: SIZES.small, color: COLOURS.muted };
    const y = PAGE.height - PAGE.margin - PAGE.footer + 12;
    for (let i = 0; i < range.count; i++) {
      this.doc.switchToPage(range.start + i);
      this.rule(y - 4);
      const half = this.width / 2;
      this.draw(footer, this.boxX(0, half), half, y, style, 'start');
      this.draw(pageLabel(i + 1, range.count), this.boxX(half, half), half, y, style, 'end');
    }
  }

  rule(y: number) {
    this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.5).stroke(COLOURS.rule);
  }

  /** The width of a text, word by word (shaping never joins across a space). */
  measure(text: string, style: Style) {
    const font = style.bold ? 'bold' : 'regular';
    let unit = 0;
    const words = text.split(' ');
    for (const word of words) {
      const key = `${font}\u0000${word}`;
      let width = this.widths.get(key);
      if (width === undefined) {
        width = this.doc.font(font).fontSize(1).widthOfString(word);
        this.widths.set(key, width);
      }
      unit += width;
    }
    if (words.length > 1) unit += (words.length - 1) * this.measureSpace(font);
    return unit * style.size;
  }

  measureSpace(font: string) {
    let width = this.spaces.get(font);
    if (width === undefined) {
      width = this.doc.font(font).fontSize(1).widthOfString(' ');
      this.spaces.set(font, width);
    }
    return width;
  }

  /** Greedy line breaking on spaces; a word longer than the line (a hash) is cut. */
  wrap(text: string, style: Style, width: number): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/).filter((w) => w !== '')) {
      const candidate = current === '' ? word : `${current} ${word}`;
      if (this.measure(candidate, style) <= width) {
        current = candidate;
        continue;
      }
      if (current !== '') lines.push(current);
      current = word;
      while (this.measure(current, style) > width && current.length > 1) {
        // The longest head that fits (at least one character), by bisection.
        let fits = 1;
        let over = current.length;
        while (over - fits > 1) {
          const mid = (fits + over) >> 1;
          if (this.measure(current.slice(0, mid), style) <= width) fits = mid;
          else over = mid;
        }
        lines.push(current.slice(0, fits));
        current = current.slice(fits);
      }
    }
    if (current !== '' || lines.length === 0) lines.push(current);
    return lines;
  }

  /** Draws one line inside [x, x + width], runs in visual order, aligned in reading direction. */
  draw(text: string, x: number, width: number, y: number, style: Style, align: Align) {
    const runs = visualRuns(text, this.rtl ? 'rtl' : 'ltr');
    const total = runs.reduce((sum, run) => sum + this.measure(run, style), 0);
    const free = Math.max(0, width - total);
    const atEnd = align === 'end' ? !this.rtl : align === 'start' ? this.rtl : false;
    let cursor = x + (align === 'center' ? free / 2 : atEnd ? free : 0);
    this.doc.font(style.bold ? 'bold' : 'regular').fontSize(style.size).fillColor(style.color ?? COLOURS.text);
    for (const run of runs) {
      const width = this.measure(run, style);
      if (STRONG_RTL.test(run)) {
        let right = cursor + width;
        for (const word of run.split(' ')) {
          right -= this.measure(word, style);
          if (word !== '') this.doc.text(word, right, y, { lineBreak: false });
          right -= this.measureSpace(style.bold ? 'bold' : 'regular') * style.size;
        }
      } else {
        this.doc.text(run, cursor, y, { lineBreak: false });
      }
      cursor += width;
    }
  }
}

function lineHeight(size: number) {
  return size * LINE;
}

/**
 * Splits a line into runs in left-to-right visual order, each in logical order: the writer places
 * the words of a run with Arabic letters from its right edge (fontkit gives each word's glyphs in
 * visual order), so only right-to-left runs without such letters (punctuation between Arabic
 * words) are reversed here. Mirrored characters (brackets) are swapped.
 */
export function visualRuns(text: string, direction: 'ltr' | 'rtl'): string[] {
  if (text === '') return [];
  if (direction === 'ltr' && !STRONG_RTL.test(text)) return [text];
  const levels = bidi.getEmbeddingLevels(text, direction);
  const order = bidi.getReorderedIndices(text, levels);
  const mirrored = bidi.getMirroredCharactersMap(text, levels.levels);
  const charAt = (i: number) => mirrored.get(i) ?? text[i]!;
  const runs: string[] = [];
  let group: number[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const rtl = (levels.levels[group[0]!]! & 1) === 1;
    const logical = [...group].sort((a, b) => a - b).map(charAt).join('');
    runs.push(rtl && !STRONG_RTL.test(logical) ? [...logical].reverse().join('') : logical);
    group = [];
  };
  for (const index of order) {
    const previous = group[group.length - 1];
    const level = levels.levels[index]!;
    const rtl = (level & 1) === 1;
    const contiguous =
      previous !== undefined && levels.levels[previous] === level && index === (rtl ? previous - 1 : previous + 1);
    if (!contiguous) flush();
    group.push(index);
  }
  flush();
  return runs;
}
