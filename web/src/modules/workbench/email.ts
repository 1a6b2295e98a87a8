import PostalMime, { type Address, type Email } from 'postal-mime';
import { bareIp, isIp, isPrivateIp, parseMailDate } from './net.ts';

/**
 * E-mail analysis: MIME is left to postal-mime; what investigators read in the
 * headers (the relay path, authentication results, mismatches) is worked out
 * here. Pure, unit-tested.
 */

export type Hop = {
  /** 1 = the first relay the message went through (the bottom Received header). */
  step: number;
  /** The name the sending host announced (HELO/EHLO), as written. */
  fromHelo: string | null;
  /** The reverse-DNS name the receiving server noted, when it gave one. */
  fromHost: string | null;
  /** The IP the receiving server saw the connection come from. */
  fromIp: string | null;
  by: string | null;
  byIp: string | null;
  with: string | null;
  id: string | null;
  for: string | null;
  /** Epoch ms of the receiving server's stamp, NaN when unreadable. */
  time: number;
  /** Seconds since the previous hop's stamp (null for the first or when a time is missing); negative means clocks disagree. */
  delaySeconds: number | null;
  /** Authenticated sender noted by the server (webmail/submission). */
  authenticatedSender: string | null;
  raw: string;
};

type Clause = { key: string; text: string };

/** Splits a Received value into its `from`, `by`, `via`, `with`, `id`, `for` clauses, keeping comments in their clause. */
function clauses(value: string): { clauses: Clause[]; date: string } {
  let depth = 0;
  let dateAt = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) dateAt = i;
  }
  const body = dateAt >= 0 ? value.slice(0, dateAt) : value;
  const date = dateAt >= 0 ? value.slice(dateAt + 1).trim() : '';
  const out: Clause[] = [];
  const keywords = new Set(['from', 'by', 'via', 'with', 'id', 'for']);
  depth = 0;
  let current: Clause | null = null;
  let i = 0;
  while (i < body.length) {
    const c = body[i] ?? '';
    if (c === '(' || c === '[' || c === '<') depth++;
    if (c === ')' || c === ']' || c === '>') depth = Math.max(0, depth - 1);
    if (depth === 0 && /[A-Za-z]/.test(c) && (i === 0 || /\s/.test(body[i - 1] ?? ''))) {
      const word = /^[A-Za-z]+/.exec(body.slice(i))?.[0] ?? '';
      const next = body[i + word.length];
      if (keywords.has(word.toLowerCase()) && (next === undefined || /\s/.test(next))) {
        current = { key: word.toLowerCase(), text: '' };
        out.push(current);
        i += word.length;
        continue;
      }
    }
    if (current) current.text += c;
    i++;
  }
  return { clauses: out.map((c) => ({ key: c.key, text: c.text.replace(/\s+/g, ' ').trim() })), date };
}

const firstToken = (text: string) => /^[^\s(]+/.exec(text)?.[0] ?? null;
const comments = (text: string) => [...text.matchAll(/\(([^()]*)\)/g)].map((m) => m[1] ?? '');

/** The IP in a clause: a bracketed address in a comment first (what the server saw), else a bare one in a comment, else the announced name if it is a literal. */
function clauseIp(text: string): string | null {
  for (const m of text.matchAll(/\[([^\]]+)\]/g)) {
    const ip = bareIp(m[1] ?? '');
    // The announced name `[192.168.1.23]` comes first; the server's view is in the comment after it.
    if (ip && !text.trimStart().startsWith(`[${m[1]}]`)) return ip;
  }
  for (const comment of comments(text)) {
    for (const token of comment.split(/[\s,;=]+/)) {
      const ip = bareIp(token.replace(/^\[|\]$/g, ''));
      if (ip) return ip;
    }
  }
  const helo = firstToken(text);
  return helo ? bareIp(helo) : null;
}

function clauseHost(text: string): string | null {
  for (const comment of comments(text)) {
    const name = /^\s*([A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])\.?\s*(?:\[|$)/.exec(comment)?.[1];
    if (name && name.toLowerCase() !== 'unknown' && !isIp(name) && name.includes('.')) return name;
  }
  return null;
}

/** One Received header value → a hop (its step and delay are set by `relayPath`). */
export function parseReceived(value: string): Omit<Hop, 'step' | 'delaySeconds'> {
  const { clauses: list, date } = clauses(value);
  const get = (key: string) => list.find((c) => c.key === key)?.text ?? null;
  const from = get('from');
  const by = get('by');
  const helo = from ? firstToken(from) : null;
  return {
    fromHelo: helo,
    fromHost: from ? clauseHost(from) : null,
    fromIp: from ? clauseIp(from) : null,
    by: by ? firstToken(by) : null,
    byIp: by ? (comments(by).map((c) => bareIp(c.trim())).find(Boolean) ?? null) : null,
    with: stripComments(get('with') ?? '') || null,
    id: firstToken(get('id') ?? '') ?? null,
    for: (get('for') ?? '').replace(/^<|>.*$/g, '') || null,
    time: date ? parseMailDate(date) : NaN,
    authenticatedSender: /authenticated sender:\s*([^\s)]+)/i.exec(value)?.[1] ?? null,
    raw: value,
  };
}

/** The Received headers (top first, as in the message) → the hops in the order the message travelled, with the delay between them. */
export function relayPath(received: readonly string[]): Hop[] {
  const hops = [...received].reverse().map((value, index) => ({ ...parseReceived(value), step: index + 1, delaySeconds: null as number | null }));
  for (let i = 1; i < hops.length; i++) {
    const hop = hops[i];
    const before = hops[i - 1];
    if (hop && before && Number.isFinite(hop.time) && Number.isFinite(before.time)) hop.delaySeconds = Math.round((hop.time - before.time) / 1000);
  }
  return hops;
}

/** The step of the hop that shows where the message entered the internet: the earliest one coming from a public IP. */
export function originatingStep(hops: readonly Hop[]): number | null {
  return hops.find((h) => h.fromIp && !isPrivateIp(h.fromIp))?.step ?? null;
}

export type AuthResult = { source: 'authentication-results' | 'received-spf'; authServId: string | null; method: string; result: string; comment: string | null; properties: Array<[string, string]> };

/** Splits at `;` outside parentheses and quotes. */
function splitTop(value: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === separator) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

const stripComments = (s: string) => s.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();

/** `Authentication-Results` (RFC 8601): one result per method (spf, dkim, dmarc, arc…). */
export function parseAuthenticationResults(value: string): AuthResult[] {
  const parts = splitTop(value, ';');
  const authServId = parts[0] && !parts[0].includes('=') ? (firstToken(parts[0]) ?? null) : null;
  const results: AuthResult[] = [];
  for (const part of authServId !== null ? parts.slice(1) : parts) {
    const m = /^([A-Za-z0-9_.-]+)\s*=\s*([A-Za-z0-9_-]+)/.exec(part);
    if (!m) continue;
    const comment = comments(part)[0]?.trim() ?? null;
    const rest = stripComments(part.slice(m[0].length));
    const properties: Array<[string, string]> = [];
    for (const p of rest.matchAll(/([A-Za-z0-9_.-]+)=("[^"]*"|[^\s;]+)/g)) properties.push([p[1] ?? '', (p[2] ?? '').replace(/^"|"$/g, '')]);
    results.push({ source: 'authentication-results', authServId, method: (m[1] ?? '').toLowerCase(), result: (m[2] ?? '').toLowerCase(), comment, properties });
  }
  return results;
}

/** `Received-SPF: Pass (comment) client-ip=…; helo=…; envelope-from=…` */
export function parseReceivedSpf(value: string): AuthResult | null {
  const m = /^\s*([A-Za-z]+)/.exec(value);
  if (!m) return null;
  const properties: Array<[string, string]> = [];
  for (const p of stripComments(value.slice(m[0].length)).matchAll(/([A-Za-z0-9_.-]+)=("[^"]*"|[^\s;]+)/g)) properties.push([p[1] ?? '', (p[2] ?? '').replace(/^"|"$/g, '')]);
  return { source: 'received-spf', authServId: null, method: 'spf', result: (m[1] ?? '').toLowerCase(), comment: comments(value)[0]?.trim() ?? null, properties };
}

export type HeaderRow = { index: number; name: string; value: string };

export type MailWarning =
  | { kind: 'replyToDiffers'; from: string; replyTo: string }
  | { kind: 'returnPathDomainDiffers'; from: string; returnPath: string }
  | { kind: 'authFailed'; method: string; result: string }
  | { kind: 'dateAfterReceipt'; minutes: number };

export type Attachment = { fileName: string | null; mediaType: string; size: number; content: Uint8Array };

export type MailAnalysis = {
  headers: HeaderRow[];
  hops: Hop[];
  originatingStep: number | null;
  auth: AuthResult[];
  dkimSignatures: Array<{ domain: string | null; selector: string | null; algorithm: string | null }>;
  from: string | null;
  fromName: string | null;
  replyTo: string | null;
  returnPath: string | null;
  to: string[];
  subject: string | null;
  messageId: string | null;
  /** The Date header as written, and in epoch ms. */
  dateText: string | null;
  date: number;
  warnings: MailWarning[];
  text: string | null;
  html: string | null;
  attachments: Attachment[];
};

const domainOf = (address: string | null) => (address ? (address.split('@').pop() ?? '').toLowerCase().replace(/>$/, '') : '');
const addresses = (list: Address[] | undefined): string[] => (list ?? []).flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address]));
const tagValue = (value: string, tag: string) => new RegExp(`(?:^|;)\\s*${tag}=([^;]+)`).exec(value)?.[1]?.replace(/\s+/g, '') ?? null;

/** The message (parsed by postal-mime) → what the e-mail tool shows. */
export function analyseEmail(email: Email): MailAnalysis {
  const headers = email.headers.map((h, index) => ({ index, name: h.originalKey, value: h.value }));
  const values = (key: string) => email.headers.filter((h) => h.key === key).map((h) => h.value);
  const hops = relayPath(values('received'));
  const auth = [...values('authentication-results').flatMap(parseAuthenticationResults), ...values('received-spf').map(parseReceivedSpf).filter((r): r is AuthResult => r !== null)];
  const fromAddress = email.from && !email.from.group ? email.from.address : null;
  const replyTo = addresses(email.replyTo)[0] ?? null;
  const returnPath = email.returnPath ? email.returnPath.replace(/^<|>$/g, '') : null;
  const dateText = values('date')[0] ?? null;
  const date = dateText ? parseMailDate(dateText) : NaN;

  const warnings: MailWarning[] = [];
  if (fromAddress && replyTo && replyTo.toLowerCase() !== fromAddress.toLowerCase()) warnings.push({ kind: 'replyToDiffers', from: fromAddress, replyTo });
  if (fromAddress && returnPath && domainOf(returnPath) !== domainOf(fromAddress)) warnings.push({ kind: 'returnPathDomainDiffers', from: fromAddress, returnPath });
  for (const a of auth) {
    if (['fail', 'softfail', 'permerror', 'temperror'].includes(a.result) && ['spf', 'dkim', 'dmarc'].includes(a.method)) warnings.push({ kind: 'authFailed', method: a.method, result: a.result });
  }
  const firstStamp = hops.find((h) => Number.isFinite(h.time))?.time;
  // A Date well after the first relay's stamp means a forged or skewed Date header.
  if (Number.isFinite(date) && firstStamp !== undefined && date - firstStamp > 10 * 60_000) warnings.push({ kind: 'dateAfterReceipt', minutes: Math.round((date - firstStamp) / 60_000) });

  return {
    headers,
    hops,
    originatingStep: originatingStep(hops),
    auth,
    dkimSignatures: values('dkim-signature').map((v) => ({ domain: tagValue(v, 'd'), selector: tagValue(v, 's'), algorithm: tagValue(v, 'a') })),
    from: fromAddress,
    fromName: email.from && !email.from.group ? email.from.name || null : null,
    replyTo,
    returnPath,
    to: addresses(email.to),
    subject: email.subject ?? null,
    messageId: email.messageId ?? null,
    dateText,
    date,
    warnings,
    text: email.text ?? null,
    html: email.html ?? null,
    attachments: email.attachments.map((a) => {
      const content = typeof a.content === 'string' ? new TextEncoder().encode(a.content) : a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content);
      return { fileName: a.filename, mediaType: a.mimeType, size: content.byteLength, content };
    }),
  };
}

export async function parseEmail(bytes: Uint8Array): Promise<MailAnalysis> {
  return analyseEmail(await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' }));
}
