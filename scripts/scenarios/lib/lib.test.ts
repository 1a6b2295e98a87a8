import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isValidBitcoinAddress, validateVariable } from '../../../src/modules/scenarios/generators.ts';
import { renderTemplate, resolveVariables } from '../../../src/modules/scenarios/templates.ts';
import { crc32, inflateSync } from 'node:zlib';
import { Trail, amountVar, btc } from './blockchain.ts';
import { writePdf, writePng } from './documents.ts';
import { writeTextPng } from './bitmap-text.ts';
import { authenticationResults, receivedSpf, writeEml, writeEmlWithAttachments, type Hop } from './eml.ts';
import { GENERATED_BEGIN, GENERATED_END, sha256Hex, updateScenarioYaml } from './files.ts';
import { bindQueryLine, csv, squidLine, syslogLine, windowsEventsCsv, windowsEventsJsonl } from './logs.ts';
import { PackageRandom } from './random.ts';
import { VariableSet } from './variables.ts';

describe('writeEml', () => {
  const hop = (by: string, ip: string, date: string, extra: Partial<Hop> = {}): Hop => ({ helo: `h.${ip}`, ip, by, protocol: 'ESMTP', id: 'Q1', for: 'to@example.org', date, ...extra });
  const spf = { result: 'pass' as const, ip: '192.0.2.7', mailFrom: 'a@example.net', helo: 'out.example.net', receiver: 'mx.example.org' };
  const raw = writeEml({
    hops: [
      hop('submit.example.net', '198.51.100.9', 'Mon, 09 Feb 2026 07:00:02 +0000', { authenticatedSender: 'a@example.net', protocol: 'ESMTPSA' }),
      hop('mx.example.org', '192.0.2.7', 'Mon, 09 Feb 2026 07:00:04 +0000', { trace: [['Received-SPF', receivedSpf(spf)], ['Authentication-Results', authenticationResults('mx.example.org', { spf })]] }),
    ],
    headers: [
      ['Message-ID', '<m1@example.net>'],
      ['Date', 'Mon, 09 Feb 2026 09:00:00 +0200'],
      ['From', 'A <a@example.net>'],
      ['To', 'to@example.org'],
      ['Subject', 'Hello'],
    ],
    body: 'Grüße\nline two',
  });

  it('writes a message a standard parser reads, newest Received on top, trace headers above their hop', async () => {
    const mail = await PostalMime.parse(raw);
    expect(mail.subject).toBe('Hello');
    expect(mail.messageId).toBe('<m1@example.net>');
    expect(mail.from).toMatchObject({ address: 'a@example.net' });
    expect(mail.text).toBe('Grüße\nline two\n');
    const keys = mail.headers.map((h) => h.key);
    expect(keys.slice(0, 4)).toEqual(['received-spf', 'authentication-results', 'received', 'received']);
    const received = mail.headers.filter((h) => h.key === 'received').map((h) => h.value);
    expect(received[0]).toMatch(/^from h\.192\.0\.2\.7 \(unknown \[192\.0\.2\.7\]\)\s+by mx\.example\.org with ESMTP id Q1\s+for <to@example\.org>; Mon, 09 Feb 2026 07:00:04 \+0000$/);
    expect(received[1]).toMatch(/\(Authenticated sender: a@example\.net\)/);
    expect(raw).toContain('Content-Type: text/plain; charset=UTF-8');
    expect(mail.headers.find((h) => h.key === 'received-spf')!.value).toMatch(/^Pass .* client-ip=192\.0\.2\.7; envelope-from=a@example\.net; helo=out\.example\.net;$/);
  });
});

describe('writeEmlWithAttachments', () => {
  it('keeps the trace and the text, and attaches the files byte for byte', async () => {
    const file = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
    const message = {
      hops: [{ helo: 'h', ip: '198.51.100.9', by: 'mx.example.org', protocol: 'ESMTP', id: 'Q1', date: 'Mon, 09 Feb 2026 07:00:02 +0000' }],
      headers: [['From', 'a@example.net'], ['Subject', 'Invoice']] as Array<[string, string]>,
      body: 'See the attached invoice.',
    };
    const raw = writeEmlWithAttachments(message, [{ filename: 'invoice.pdf', contentType: 'application/pdf', content: file }], 'b-1');
    expect(raw.startsWith(writeEml(message).split('\nMIME-Version: 1.0\n')[0]!)).toBe(true);
    expect(raw.split('\n').every((l) => l.length <= 998)).toBe(true);
    const mail = await PostalMime.parse(raw);
    expect(mail.text!.trim()).toBe('See the attached invoice.');
    expect(mail.attachments.map((a) => [a.filename, a.mimeType])).toEqual([['invoice.pdf', 'application/pdf']]);
    expect(Buffer.from(mail.attachments[0]!.content as ArrayBuffer)).toEqual(Buffer.from(file));
    expect(mail.headers.find((h) => h.key === 'received')!.value).toContain('[198.51.100.9]');
  });
});

describe('writeTextPng', () => {
  it('draws each character of each line in its cell, the same bytes every time', () => {
    const lines = ['I', { text: 'i?', color: [255, 0, 0] as const, background: [0, 0, 255] as const }];
    const png = Buffer.from(writeTextPng(lines, { scale: 1, padding: 0 }));
    expect(png).toEqual(Buffer.from(writeTextPng(lines, { scale: 1, padding: 0 })));
    const ihdr = png.subarray(16, 24);
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)]).toEqual([12, 20]);
    // Raw rows after inflating: a filter byte, then 3 bytes a pixel.
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    const pixel = (x: number, y: number) => [...raw.subarray(y * 37 + 1 + x * 3, y * 37 + 4 + x * 3)];
    // "I": a bar of three on its first glyph row (y = 1), the stem in the middle below it.
    expect([0, 1, 2, 3, 4].map((x) => pixel(x, 1))).toEqual([[255, 255, 255], [33, 37, 41], [33, 37, 41], [33, 37, 41], [255, 255, 255]]);
    expect(pixel(2, 3)).toEqual([33, 37, 41]);
    // The second line: lower case drawn in upper case, then a question mark, in the line's colours.
    expect(pixel(2, 13)).toEqual([255, 0, 0]);
    expect(pixel(0, 13)).toEqual([0, 0, 255]);
    expect(pixel(7, 12)).toEqual([0, 0, 255]);
    expect(pixel(7, 11)).toEqual([255, 0, 0]);
  });
});

describe('log writers', () => {
  it('writes the usual formats', () => {
    expect(syslogLine('2026-02-09T07:00:00Z', 'mx1', 'postfix/smtpd', 12, 'connect from x[192.0.2.1]')).toBe('2026-02-09T07:00:00Z mx1 postfix/smtpd[12]: connect from x[192.0.2.1]');
    expect(csv(['a', 'b'], [['x,y', 'say "hi"'], [1, '{{ v }}']])).toBe('a,b\n"x,y","say ""hi"""\n1,{{ v }}\n');
    expect(squidLine('1770620400.120', 35, '10.0.0.5', 'TCP_MISS/200', 512, 'GET', 'http://c2.example/beacon', '-', 'HIER_DIRECT/203.0.113.5', 'text/html')).toBe(
      '1770620400.120     35 10.0.0.5 TCP_MISS/200 512 GET http://c2.example/beacon - HIER_DIRECT/203.0.113.5 text/html',
    );
    expect(bindQueryLine('09-Feb-2026 07:00:00.120', '10.0.0.5', 53211, 'c2.example', 'A', '10.0.0.53')).toMatch(/client @0x[0-9a-f]+ 10\.0\.0\.5#53211 \(c2\.example\): query: c2\.example IN A \+ \(10\.0\.0\.53\)$/);
    const events = [{ TimeCreated: '2026-02-09T07:00:00Z', EventID: 4624, Computer: 'WS01', TargetUserName: 'bob', IpAddress: '10.0.0.5', LogonType: 10, Message: 'An account was successfully logged on.' }];
    expect(windowsEventsCsv(events).split('\n')[1]).toBe('2026-02-09T07:00:00Z,4624,WS01,bob,10.0.0.5,10,An account was successfully logged on.');
    expect(JSON.parse(windowsEventsJsonl(events).trim())).toEqual(events[0]);
  });
});

describe('Trail', () => {
  it('makes every transaction balance for every team, through derived change outputs', () => {
    const vars = new VariableSet();
    vars.define('paid', { generator: 'amount', params: { min: 0.5, max: 2, decimals: 8 } });
    vars.define('fee', { generator: 'amount', params: { min: 0.00001, max: 0.0001, decimals: 8 } });
    const trail = new Trail(vars);
    const funding = { txid: 'a'.repeat(64), vout: 0, address: 'bc1qsrc', amount: btc('3.00000000') };
    const pay = trail.add({ txid: 't1', time: '2026-02-10T10:00:00Z', block: 1, inputs: [funding], pay: [{ address: 'victim-to', amount: amountVar('paid') }], fee: btc('0.00002000'), change: { address: 'back', variable: 'change1' } });
    trail.add({ txid: 't2', time: '2026-02-10T11:00:00Z', block: 2, inputs: [trail.output(pay, 0)], pay: [], fee: amountVar('fee'), change: { address: 'next', variable: 'swept' } });
    for (const seed of ['a', 'b', 'c']) {
      const values = resolveVariables(vars.toDefinitions(), seed);
      const json = JSON.parse(renderTemplate(trail.toJson({ source: 'test' }), values));
      for (const tx of json.transactions) {
        const s = (x: string) => BigInt(x.replace('.', ''));
        expect(tx.inputs.reduce((a: bigint, i: { value_btc: string }) => a + s(i.value_btc), 0n)).toBe(tx.outputs.reduce((a: bigint, o: { value_btc: string }) => a + s(o.value_btc), 0n) + s(tx.fee_btc));
      }
      expect(json.transactions[1].inputs[0]).toEqual({ prev_txid: 't1', prev_vout: 0, address: 'victim-to', value_btc: values.paid });
    }
    expect(() => trail.output(pay, 5)).toThrow(/no output 5/);
  });

  it('refuses amounts that do not add up or are not in BTC with 8 decimals', () => {
    const trail = new Trail(new VariableSet());
    const input = { txid: 'x', vout: 0, address: 'a', amount: btc('1.00000000') };
    expect(() => trail.add({ txid: 'bad', time: 't', block: 1, inputs: [input], pay: [{ address: 'b', amount: btc('0.99000000') }], fee: btc('0.00100000') })).toThrow(/inputs 100000000 sat, outputs and fee 99100000 sat/);
    expect(() => btc('0.1')).toThrow(/8 decimals/);
  });
});

describe('VariableSet and the generated block', () => {
  it('writes a variables block that reads back as the same valid definitions', () => {
    const vars = new VariableSet();
    vars.define('company', { generator: 'choice', params: { values: ['Alpha', 'yes', 'Two words', 3] } }, 'a comment');
    vars.define('sent', { generator: 'timestamp', params: { start: '2026-02-09T07:00:00Z', end: '2026-02-09T08:00:00Z' } });
    vars.sum('relayed', ['sent', 2], { format: 'rfc2822', utcOffset: '+02:00' });
    vars.sum('left', ['1.50000000', '-0.00001000'], { decimals: 8 });
    expect(() => vars.define('sent', { generator: 'ipv4' })).toThrow(/twice/);
    expect(() => vars.ref('nope')).toThrow(/not defined/);
    expect(vars.ref('company', 'lower')).toBe('{{ company | lower }}');
    const read = parse(vars.toYaml()).variables;
    expect(read).toEqual(vars.toDefinitions());
    for (const def of Object.values(read)) expect(validateVariable(def)).toEqual([]);
    expect(resolveVariables(read, 's').left).toBe('1.49999000');
  });

  it('replaces the block between the markers and the quoted hashes of the files', () => {
    const yaml = `id: x\n${GENERATED_BEGIN}\nvariables: {}\n${GENERATED_END}\ndescription: evidence/a.bin (SHA-256 ${'0'.repeat(64)}) and evidence/other.txt (SHA-256 ${'1'.repeat(64)})\n`;
    const out = updateScenarioYaml(yaml, 'variables:\n  v: { generator: ipv4 }\n', (f) => (f === 'evidence/a.bin' ? 'A' : undefined));
    expect(out).toBe(`id: x\n${GENERATED_BEGIN}\nvariables:\n  v: { generator: ipv4 }\n${GENERATED_END}\ndescription: evidence/a.bin (SHA-256 ${sha256Hex('A')}) and evidence/other.txt (SHA-256 ${'1'.repeat(64)})\n`);
    expect(() => updateScenarioYaml('id: x\n', '', () => undefined)).toThrow(/no block between/);
  });
});

describe('PackageRandom', () => {
  it('gives the same fixed values for the same seed, per stream', () => {
    const a = new PackageRandom('seed');
    const b = new PackageRandom('seed');
    const draw = (r: PackageRandom) => [r.hex('x', 64), r.queueId('q'), r.bech32Address('w'), r.docIp('ip'), r.int('n', 1, 6), r.pick('p', ['a', 'b', 'c'])];
    expect(draw(a)).toEqual(draw(b));
    expect(draw(a)).not.toEqual(draw(new PackageRandom('other')));
    expect(isValidBitcoinAddress(a.bech32Address('w'))).toBe(true);
    expect(a.queueId('q')).toMatch(/^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{11}$/);
    expect(a.docIp('ip')).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/);
  });
});

describe('documents', () => {
  it('writes a PDF whose cross-reference table points at its objects', () => {
    const pdf = Buffer.from(writePdf([['INVOICE 2026-117', 'Total: 12,450.00 EUR (paid)'], ['Page two \\ (notes)']], 'Invoice 2026-117'));
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.endsWith('%%EOF\n')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(entries).toHaveLength(8);
    entries.forEach((offset, i) => expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    for (const m of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) expect(text.slice(m.index + m[0].length + Number(m[1]), m.index + m[0].length + Number(m[1]) + 10)).toBe('\nendstream');
    expect(text).toContain('/Count 2');
    expect(text).toContain('(Page two \\\\ \\(notes\\)) Tj');
    expect(Buffer.from(writePdf([['x']], 't'))).toEqual(Buffer.from(writePdf([['x']], 't')));
  });

  it('writes a PNG with valid chunks and the pixels asked for', () => {
    const png = Buffer.from(writePng(3, 2, (x, y) => [x * 100, y * 200, 7]));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks: Array<{ type: string; data: Buffer }> = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      const body = png.subarray(at + 4, at + 8 + length);
      expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(body));
      chunks.push({ type: body.subarray(0, 4).toString('latin1'), data: body.subarray(4) });
      at += 12 + length;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([chunks[0]!.data.readUInt32BE(0), chunks[0]!.data.readUInt32BE(4)]).toEqual([3, 2]);
    const raw = inflateSync(chunks[1]!.data);
    expect([...raw.subarray(10, 20)]).toEqual([0, 0, 200, 7, 100, 200, 7, 200, 200, 7]);
  });
});
