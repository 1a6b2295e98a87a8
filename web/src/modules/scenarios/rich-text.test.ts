import { describe, expect, it } from 'vitest';
import { parseInline, parseRichText } from './rich-text.ts';

describe('rich text of scenario authors', () => {
  it('reads paragraphs, keeping line breaks inside them', () => {
    const blocks = parseRichText('First line\nsecond line\n\nNext paragraph\n');
    expect(blocks).toEqual([
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'First line' }], [{ kind: 'text', text: 'second line' }]] },
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'Next paragraph' }]] },
    ]);
  });

  it('reads headings, lists and code blocks', () => {
    const blocks = parseRichText('# Title\n\n- one\n- two\n\n3. third\n4. fourth\n\n```\n$ sha256sum x\n\nabc\n```\nafter');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'list', 'list', 'code', 'paragraph']);
    expect(blocks[2]).toMatchObject({ ordered: true, start: 3 });
    expect(blocks[3]).toEqual({ kind: 'code', text: '$ sha256sum x\n\nabc' });
  });

  it('reads a numbered paragraph over several lines as one item', () => {
    expect(parseRichText('1. Sending IP.\nRead the headers.')).toEqual([{ kind: 'list', ordered: true, start: 1, items: [[{ kind: 'text', text: 'Sending IP. Read the headers.' }]] }]);
  });

  it('reads code and bold inline, never HTML', () => {
    expect(parseInline('Run `whois 203.0.113.7` **now** <b>x</b>')).toEqual([
      { kind: 'text', text: 'Run ' },
      { kind: 'code', text: 'whois 203.0.113.7' },
      { kind: 'text', text: ' ' },
      { kind: 'bold', text: 'now' },
      { kind: 'text', text: ' <b>x</b>' },
    ]);
    expect(parseInline('a ** b')).toEqual([{ kind: 'text', text: 'a ** b' }]);
    expect(parseInline('{{ victim_company }} Logistics')).toEqual([
      { kind: 'variable', text: 'victim_company' },
      { kind: 'text', text: ' Logistics' },
    ]);
  });
});
