// RFC 5322 messages as a mail client and the servers on the way write them,
// with a coherent trace: one Received header per hop, newest on top, each
// stating its time with its zone. Values may be {{ placeholders }}: the writer
// only lays out text, so times are given as they must appear.

/** One server that accepted the message: it writes a Received header (and possibly trace headers above it). */
export interface Hop {
  /** The name the client gave in HELO/EHLO, e.g. "mx-out-1.vaultmail.example" or "[192.168.1.20]". */
  helo: string;
  /** The reverse DNS name of the connecting address; none gives "unknown". */
  rdns?: string | undefined;
  /** The connecting address. */
  ip: string;
  /** The receiving server. */
  by: string;
  /** Software, shown in parentheses after `by`, e.g. "Postfix". */
  software?: string | undefined;
  /** ESMTP, ESMTPS (TLS), ESMTPSA (TLS and authenticated), LMTP… */
  protocol: string;
  /** The queue id the receiving server gave the message. */
  id: string;
  /** The envelope recipient. */
  for?: string | undefined;
  /** TLS details, e.g. "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)". */
  tls?: string | undefined;
  /** The authenticated submitter (ESMTPSA). */
  authenticatedSender?: string | undefined;
  /** The time, RFC 5322 form with its offset ("Mon, 09 Feb 2026 07:12:03 +0000"), or a placeholder giving it. */
  date: string;
  /** A zone comment after the date, e.g. "(UTC)". */
  zoneComment?: string | undefined;
  /** Trace headers this server puts above its Received header (Authentication-Results, Received-SPF…). */
  trace?: ReadonlyArray<readonly [string, string]> | undefined;
}

export interface Message {
  /** In the order the message travelled: hops[0] is the first server, which received it from the sender's client. */
  hops: readonly Hop[];
  /** The originator's headers, in order (Message-ID, Date, From, To, Subject…). MIME-Version and Content-Type are added. */
  headers: ReadonlyArray<readonly [string, string]>;
  /** A text/plain body, 7-bit or UTF-8; lines are kept. */
  body: string;
  /** Headers added below the originator's, e.g. X-Mailer. */
  extra?: ReadonlyArray<readonly [string, string]> | undefined;
}

/** The Received header of a hop, folded as Postfix does. */
export function received(hop: Hop): string {
  const lines = [`from ${hop.helo} (${hop.rdns ?? 'unknown'} [${hop.ip}])`];
  if (hop.tls) lines.push(`(using ${hop.tls})`);
  if (hop.authenticatedSender) lines.push(`(Authenticated sender: ${hop.authenticatedSender})`);
  lines.push(`by ${hop.by}${hop.software ? ` (${hop.software})` : ''} with ${hop.protocol} id ${hop.id}`);
  lines.push(`${hop.for ? `for <${hop.for}>` : ''}; ${hop.date}${hop.zoneComment ? ` ${hop.zoneComment}` : ''}`);
  return lines.join('\n\t');
}

export interface SpfResult {
  result: 'pass' | 'fail' | 'softfail' | 'neutral' | 'none';
  ip: string;
  mailFrom: string;
  helo: string;
  receiver: string;
}

/** A Received-SPF header (RFC 7208 §9.1). */
export function receivedSpf(spf: SpfResult): string {
  const result = spf.result.charAt(0).toUpperCase() + spf.result.slice(1);
  const domain = spf.mailFrom.split('@').at(-1)!;
  const verdict = spf.result === 'pass' ? 'designates' : 'does not designate';
  return `${result} (${spf.receiver}: domain of ${domain} ${verdict} ${spf.ip} as permitted sender) client-ip=${spf.ip}; envelope-from=${spf.mailFrom}; helo=${spf.helo};`;
}

/** An Authentication-Results header (RFC 8601). */
export function authenticationResults(authserv: string, results: { spf: SpfResult; dkim?: { result: string; domain: string; selector: string } | undefined; dmarc?: { result: string; domain: string; policy: string } | undefined }): string {
  const parts = [authserv];
  if (results.dkim) parts.push(`dkim=${results.dkim.result} header.d=${results.dkim.domain} header.s=${results.dkim.selector}`);
  parts.push(`spf=${results.spf.result} (${authserv}: domain of ${results.spf.mailFrom} ${results.spf.result === 'pass' ? 'designates' : 'does not designate'} ${results.spf.ip} as permitted sender) smtp.mailfrom=${results.spf.mailFrom}`);
  if (results.dmarc) parts.push(`dmarc=${results.dmarc.result} (p=${results.dmarc.policy}) header.from=${results.dmarc.domain}`);
  return parts.join(';\n\t');
}

/** The whole message, LF line endings (as a Unix mail store keeps it). */
export function writeEml(message: Message): string {
  const header = (name: string, value: string) => `${name}: ${value}`;
  const trace: string[] = [];
  for (const hop of [...message.hops].reverse()) {
    for (const [name, value] of hop.trace ?? []) trace.push(header(name, value));
    trace.push(header('Received', received(hop)));
  }
  const utf8 = /[^\x00-\x7f]/.test(message.body);
  const lines = [
    ...trace,
    ...message.headers.map(([n, v]) => header(n, v)),
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${utf8 ? 'UTF-8' : 'us-ascii'}; format=flowed`,
    `Content-Transfer-Encoding: ${utf8 ? '8bit' : '7bit'}`,
    ...(message.extra ?? []).map(([n, v]) => header(n, v)),
  ];
  return `${lines.join('\n')}\n\n${message.body.replace(/\n*$/, '\n')}`;
}

/** A file attached to a message. */
export interface Attachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/**
 * The message of `writeEml` with files attached: multipart/mixed, the text
 * first, then each file in base64 (76 characters a line). `boundary` is given
 * so that the bytes stay the same from one generation to the next.
 */
export function writeEmlWithAttachments(message: Message, attachments: readonly Attachment[], boundary: string): string {
  const plain = writeEml(message);
  const split = plain.indexOf('\n\n');
  const headers = plain.slice(0, split).split('\n');
  const isPartHeader = (line: string) => /^Content-(Type|Transfer-Encoding): /.test(line);
  const parts = [
    [...headers.filter(isPartHeader), '', plain.slice(split + 2).replace(/\n$/, '')].join('\n'),
    ...attachments.map((a) =>
      [
        `Content-Type: ${a.contentType}; name="${a.filename}"`,
        `Content-Disposition: attachment; filename="${a.filename}"`,
        'Content-Transfer-Encoding: base64',
        '',
        ...(Buffer.from(a.content).toString('base64').match(/.{1,76}/g) ?? []),
      ].join('\n'),
    ),
  ];
  return [
    ...headers.filter((line) => !isPartHeader(line)),
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    'This is a multi-part message in MIME format.',
    ...parts.map((p) => `--${boundary}\n${p}`),
    `--${boundary}--`,
    '',
  ].join('\n');
}
