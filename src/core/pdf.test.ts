import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { renderPdf, visualRuns, type PdfDocumentSpec } from './pdf.ts';

const spec = (overrides: Partial<PdfDocumentSpec> = {}): PdfDocumentSpec => ({
  title: 'After-action report',
  subtitle: 'Team Singapore',
  language: 'en',
  createdAt: new Date('2026-11-23T07:30:00Z'),
  footer: 'Generated 23 Nov 2026 07:30 UTC',
  pageLabel: (page, pages) => `Page ${page} of ${pages}`,
  blocks: [
    { kind: 'heading', text: 'Objectives' },
    { kind: 'paragraph', text: 'Première ligne, évidence.\nSegunda línea: ¿señal?' },
    { kind: 'keyValues', items: [{ key: 'Score', value: '120' }, { key: 'Hash', value: 'a'.repeat(64) }] },
    { kind: 'barChart', bars: [{ label: 'OSINT', value: 0.5, display: '50 %' }, { label: 'Logs', value: 1 }], max: 1 },
    { kind: 'table', columns: [{ header: 'Objective', width: 3 }, { header: 'Points', align: 'end' }], rows: [['Wallet', '40']] },
  ],
  ...overrides,
});

function pages(pdf: Buffer) {
  return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

/** The decompressed page content streams (to look for drawn glyph runs). */
function contents(pdf: Buffer) {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const match of text.matchAll(/\/FlateDecode[^]*?stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // fonts and other binary streams that are not page contents
    }
  }
  return out.join('\n');
}

describe('renderPdf', () => {
  it('produces a PDF file with its metadata', async () => {
    const pdf = await renderPdf(spec());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    expect(pdf.toString('latin1')).toContain('/Title');
    expect(pdf.toString('latin1')).toContain('/Lang (en)');
    expect(pages(pdf)).toBe(1);
  });

  it('continues long tables on new pages, each with the header and a page number', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => [`Row ${i}`, String(i)]);
    const pdf = await renderPdf(spec({ blocks: [{ kind: 'table', columns: [{ header: 'Item' }, { header: 'N', align: 'end' }], rows }] }));
    const count = pages(pdf);
    expect(count).toBeGreaterThanOrEqual(3);
    // One text operation per page for the page number, one per page for the repeated header.
    const drawn = contents(pdf);
    expect((drawn.match(/BT/g) ?? []).length).toBeGreaterThan(150 + 2 * count);
  });

  it('renders the four languages, Arabic right to left', async () => {
    const pdf = await renderPdf(
      spec({
        language: 'ar',
        title: 'تقرير ما بعد التمرين',
        blocks: [
          { kind: 'heading', text: 'الأهداف' },
          { kind: 'paragraph', text: 'حل الفريق 3 أهداف في 45 دقيقة (OSINT).' },
          { kind: 'table', columns: [{ header: 'الهدف' }, { header: 'النقاط', align: 'end' }], rows: [['المحفظة', '40']] },
          { kind: 'paragraph', text: 'English, français, español — e-mail: a@b.org' },
        ],
      }),
    );
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/Lang (ar)');
    expect(pdf.toString('latin1')).toContain('NotoSansArabic');
    expect(pages(pdf)).toBe(1);
  });
});

describe('right-to-left pages', () => {
  it('place a Latin word after Arabic words on its left, and align lines to the right', async () => {
    const pdf = await renderPdf(spec({ language: 'ar', title: 'تقرير', subtitle: undefined, footer: '', pageLabel: () => '', blocks: [{ kind: 'paragraph', text: 'مرحبا بالعالم OSINT' }] }));
    // Text fragments as drawn: "x y Tm" then "[<glyphs>] TJ".
    const fragments = [...contents(pdf).matchAll(/1 0 0 1 ([\d.]+) ([\d.]+) Tm\s*(?:\/F\d+ [\d.]+ Tf\s*)?\[<([0-9a-f]+)>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), glyphs: m[3]!.length / 4 }));
    const lines = new Map<number, typeof fragments>();
    // Marks sit a little above or below their letters: a line is a band of 5 points.
    for (const f of fragments) lines.set(Math.round(f.y / 5), [...(lines.get(Math.round(f.y / 5)) ?? []), f]);
    const paragraph = [...lines.values()].find((line) => line[0]?.glyphs === 5)!;
    expect(paragraph).toBeDefined();
    const [latin, ...arabic] = paragraph;
    expect(latin!.x).toBeLessThan(Math.min(...arabic.map((f) => f.x)));
    expect(Math.max(...arabic.map((f) => f.x))).toBeGreaterThan(500);
  });
});

describe('visualRuns', () => {
  it('keeps left-to-right text whole', () => {
    expect(visualRuns('Team Singapore solved 3', 'ltr')).toEqual(['Team Singapore solved 3']);
  });

  it('orders an Arabic line with numbers and Latin from the right', () => {
    // Logical: "حل 3 من OSINT" — visually, from the left: OSINT, then the Arabic word, 3, the first word.
    const runs = visualRuns('حل 3 من OSINT', 'rtl');
    expect(runs.map((r) => r.trim())).toEqual(['OSINT', 'من', '3', 'حل']);
  });

  it('keeps an Arabic phrase as one run for the shaper, in logical order', () => {
    expect(visualRuns('مرحبا بالعالم', 'rtl')).toEqual(['مرحبا بالعالم']);
  });

  it('mirrors brackets inside right-to-left text (the shaper then reverses the run)', () => {
    expect(visualRuns('(مرحبا)', 'rtl')).toEqual([')مرحبا(']);
  });
});
