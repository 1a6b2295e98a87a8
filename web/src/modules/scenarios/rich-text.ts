/**
 * A small, safe reading of the light markdown scenario authors write in
 * briefings, trainer guides, hints and injects: paragraphs, headings (#),
 * bullet and numbered lists, fenced code blocks, `code` and **bold**. No HTML
 * is ever interpreted. Pure, so it is unit-tested; RichText renders it.
 */

export type Inline = { kind: 'text' | 'code' | 'bold' | 'variable'; text: string };
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; lines: Inline[][] }
  | { kind: 'paragraph'; lines: Inline[][] }
  | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { kind: 'code'; text: string };

/** `a **b** \`c\` {{ v }}` → text, bold, code, variable. Unclosed markers stay as they are. */
export function parseInline(line: string): Inline[] {
  const out: Inline[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g;
  let last = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m.index > last) out.push({ kind: 'text', text: line.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ kind: 'code', text: m[1] });
    else if (m[3] !== undefined) out.push({ kind: 'variable', text: m[3] });
    else out.push({ kind: 'bold', text: m[2] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < line.length) out.push({ kind: 'text', text: line.slice(last) });
  return out;
}

const bullet = /^\s*[-*•]\s+/;
const numbered = /^\s*(\d{1,4})[.)]\s+/;
const heading = /^(#{1,3})\s+(.*)$/;

export function parseRichText(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let chunk: string[] = [];

  const flush = () => {
    const body = chunk;
    chunk = [];
    if (body.length === 0) return;
    const first = body[0] ?? '';
    const h = heading.exec(first);
    if (h && body.length === 1) {
      blocks.push({ kind: 'heading', level: (h[1]?.length ?? 1) as 1 | 2 | 3, lines: [parseInline(h[2] ?? '')] });
      return;
    }
    if (body.every((l) => bullet.test(l))) {
      blocks.push({ kind: 'list', ordered: false, start: 1, items: body.map((l) => parseInline(l.replace(bullet, ''))) });
      return;
    }
    if (numbered.test(first) && body.every((l) => numbered.test(l))) {
      blocks.push({ kind: 'list', ordered: true, start: Number(numbered.exec(first)?.[1] ?? 1), items: body.map((l) => parseInline(l.replace(numbered, ''))) });
      return;
    }
    if (numbered.test(first) && body.length > 0) {
      // "1. A numbered paragraph" running over several lines: one item.
      blocks.push({ kind: 'list', ordered: true, start: Number(numbered.exec(first)?.[1] ?? 1), items: [parseInline(body.join(' ').replace(numbered, ''))] });
      return;
    }
    blocks.push({ kind: 'paragraph', lines: body.map(parseInline) });
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*```/.test(line)) {
      flush();
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i] ?? '')) code.push(lines[i++] ?? '');
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    if (line.trim() === '') flush();
    else chunk.push(line.trimEnd());
  }
  flush();
  return blocks;
}
