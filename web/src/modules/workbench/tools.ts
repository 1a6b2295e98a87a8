import { chainColumns } from './chain.ts';
import { parseDelimited } from './logs.ts';

/** The workbench's tools, and which one suits an exhibit (from its kind, name, type and first bytes). Pure, unit-tested. */

export const tools = ['email', 'logs', 'chain', 'hash'] as const;
export type Tool = (typeof tools)[number];

export const isTool = (v: string | null): v is Tool => v !== null && (tools as readonly string[]).includes(v);

const looksLikeMail = (head: string) => /^(?:(?:Return-Path|Received|From|Delivered-To|X-[\w-]+|Message-ID|DKIM-Signature|Authentication-Results|MIME-Version):)/im.test(head.slice(0, 2000)) && /^(From|Received):/im.test(head);

/** The first line of a delimited file after any # comment lines. */
function headerLine(head: string): string {
  for (const line of head.split(/\r?\n/)) if (line.trim() !== '' && !line.startsWith('#')) return line;
  return '';
}

export function toolFor(item: { kind: string; fileName: string; mediaType: string | null }, head: string | null): Tool {
  const name = item.fileName.toLowerCase();
  const type = (item.mediaType ?? '').toLowerCase();
  if (item.kind === 'email' || /\.(eml|mbox)$/.test(name) || type === 'message/rfc822') return 'email';
  if (head !== null) {
    const header = headerLine(head);
    for (const separator of [',', ';', '\t']) {
      const fields = parseDelimited(header, separator)[0]?.fields ?? [];
      if (fields.length >= 3 && chainColumns(fields)) return 'chain';
    }
    if (looksLikeMail(head)) return 'email';
  }
  if (item.kind === 'blockchain' || /blockchain|transactions?[-_.]/.test(name)) return 'chain';
  if (item.kind === 'log' || /\.(log|csv|tsv|json|jsonl|ndjson|txt)$/.test(name) || type.startsWith('text/') || type.includes('json') || type.includes('csv')) return 'logs';
  if (head !== null && !/[\u0000-\u0008\u000e-\u001a]/.test(head.slice(0, 4096))) return 'logs';
  return 'hash';
}
