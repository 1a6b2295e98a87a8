import { describe, expect, it } from 'vitest';
import { parseAuthenticationResults, parseEmail, parseReceived, parseReceivedSpf, relayPath, originatingStep } from './email.ts';
import { demo, sample } from './fixtures.ts';

describe('Received headers', () => {
  it('reads a Postfix hop with the rDNS name and bracketed IP', () => {
    const hop = parseReceived(
      'from mx-out-2.cloakpost-mail.net (mx-out-2.cloakpost-mail.net [198.51.100.37]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) (No client certificate requested) by mx1.valtrane-logistics.com (Postfix) with ESMTPS id 4Z9K2m1QxKz9sWd for <e.marquardt@valtrane-logistics.com>; Mon, 10 Mar 2025 07:42:19 +0000 (UTC)',
    );
    expect(hop).toMatchObject({ fromHelo: 'mx-out-2.cloakpost-mail.net', fromHost: 'mx-out-2.cloakpost-mail.net', fromIp: '198.51.100.37', by: 'mx1.valtrane-logistics.com', with: 'ESMTPS', id: '4Z9K2m1QxKz9sWd', for: 'e.marquardt@valtrane-logistics.com' });
    expect(hop.time).toBe(Date.UTC(2025, 2, 10, 7, 42, 19));
  });
  it('takes the IP the server saw, not the one the client announced', () => {
    const hop = parseReceived('from [192.168.1.23] (unknown [203.0.113.9]) (Authenticated sender: a@b.example) by smtp.b.example (Postfix) with ESMTPSA id 4F2B; Mon, 10 Mar 2025 07:42:16 +0000');
    expect(hop.fromHelo).toBe('[192.168.1.23]');
    expect(hop.fromIp).toBe('203.0.113.9');
    expect(hop.fromHost).toBeNull();
    expect(hop.authenticatedSender).toBe('a@b.example');
  });
  it('reads IPv6 in the bracketed and IPv6: forms, Exim and Exchange styles, and hops without from', () => {
    expect(parseReceived('from mail.example.org (mail.example.org [IPv6:2001:db8::25]) by mx.example.net; Tue, 11 Mar 2025 10:00:00 +0000').fromIp).toBe('2001:db8::25');
    expect(parseReceived('from host.example (host.example [2001:db8:1::7]) by mx.example.net with ESMTP; Tue, 11 Mar 2025 10:00:00 +0000').fromIp).toBe('2001:db8:1::7');
    expect(parseReceived('from [198.51.100.4] (helo=laptop) by mail.example.com with esmtpsa (TLS1.2) (Exim 4.96) (envelope-from <x@example.com>) id 1tA; Tue, 11 Mar 2025 10:00:00 +0000').fromIp).toBe('198.51.100.4');
    const exchange = parseReceived('from mx1.v.com (10.20.0.5) by EXCH01.corp.v.com (10.20.0.15) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.2.1544.14; Mon, 10 Mar 2025 08:42:21 +0100');
    expect(exchange).toMatchObject({ fromIp: '10.20.0.5', by: 'EXCH01.corp.v.com', byIp: '10.20.0.15', with: 'Microsoft SMTP Server', id: '15.2.1544.14' });
    const gmail = parseReceived('by 2002:a05:6a10:8a4e:b0:5a1:1234:5678 with SMTP id x12csp; Tue, 11 Mar 2025 02:00:00 -0800 (PST)');
    expect(gmail.fromIp).toBeNull();
    expect(gmail.by).toBe('2002:a05:6a10:8a4e:b0:5a1:1234:5678');
    expect(gmail.time).toBe(Date.UTC(2025, 2, 11, 10, 0, 0));
  });
  it('orders hops from the first relay to the last and measures delays', () => {
    const hops = relayPath([
      'from b.example (b.example [198.51.100.2]) by c.example; Mon, 10 Mar 2025 07:00:30 +0000',
      'from a.example (a.example [198.51.100.1]) by b.example; Mon, 10 Mar 2025 08:00:10 +0100',
      'from [10.0.0.4] (unknown [10.0.0.4]) by a.example; Mon, 10 Mar 2025 07:00:00 +0000',
    ]);
    expect(hops.map((h) => [h.step, h.by, h.delaySeconds])).toEqual([
      [1, 'a.example', null],
      [2, 'b.example', 10],
      [3, 'c.example', 20],
    ]);
    expect(originatingStep(hops)).toBe(2);
  });
});

describe('authentication results', () => {
  it('reads Authentication-Results per method with properties and comments', () => {
    const results = parseAuthenticationResults(
      'mx1.v.com; dkim=pass (2048-bit key; unprotected) header.d=cloakpost-mail.net header.s=cp2024; dmarc=pass (p=quarantine dis=none) header.from=cloakpost-mail.net; spf=softfail (mx1.v.com: domain of x@y designates 198.51.100.37 as permitted sender) smtp.mailfrom=x@y',
    );
    expect(results.map((r) => [r.authServId, r.method, r.result])).toEqual([
      ['mx1.v.com', 'dkim', 'pass'],
      ['mx1.v.com', 'dmarc', 'pass'],
      ['mx1.v.com', 'spf', 'softfail'],
    ]);
    expect(results[0]?.comment).toBe('2048-bit key; unprotected');
    expect(results[0]?.properties).toEqual([['header.d', 'cloakpost-mail.net'], ['header.s', 'cp2024']]);
    expect(results[2]?.properties).toEqual([['smtp.mailfrom', 'x@y']]);
    expect(parseAuthenticationResults('mx.example; none')).toEqual([]);
  });
  it('reads Received-SPF', () => {
    const spf = parseReceivedSpf('Pass (mailfrom) identity=mailfrom; client-ip=198.51.100.37; helo=mx-out-2.cloakpost-mail.net; envelope-from=a@b; receiver=<UNKNOWN>');
    expect(spf?.result).toBe('pass');
    expect(spf?.properties).toContainEqual(['client-ip', '198.51.100.37']);
  });
});

describe('the demo extortion e-mail', () => {
  it('is analysed end to end', async () => {
    const mail = await parseEmail(new TextEncoder().encode(demo.email));
    expect(mail.hops).toHaveLength(4);
    expect(mail.hops.map((h) => h.fromIp)).toEqual([sample.sending_ip, '10.44.2.14', '198.51.100.37', '10.20.0.5']);
    expect(mail.hops.map((h) => h.delaySeconds)).toEqual([null, 1, 2, 2]);
    expect(mail.originatingStep).toBe(1);
    expect(mail.hops[0]?.authenticatedSender).toBe(sample.extortion_email);
    expect(mail.auth.map((a) => `${a.method}=${a.result}`)).toEqual(['dkim=pass', 'dmarc=pass', 'spf=pass', 'spf=pass']);
    expect(mail.dkimSignatures).toEqual([{ domain: 'cloakpost-mail.net', selector: 'cp2024', algorithm: 'rsa-sha256' }]);
    expect(mail.from).toBe(sample.extortion_email);
    expect(mail.returnPath).toBe(sample.extortion_email);
    expect(mail.messageId).toBe('<a3f9c2e1-5b7d-4e08-9c41-7d2e6b0f3a95@cloakpost-mail.net>');
    expect(mail.date).toBe(Date.UTC(2025, 2, 10, 7, 42, 9));
    expect(mail.warnings).toEqual([]);
    expect(mail.text).toContain(sample.ransom_wallet);
    expect(mail.headers.find((h) => h.name === 'Subject')?.value).toBe('Valtrane Logistics - your customer database - 72 hours');
  });
  it('warns about a Reply-To or Return-Path that differ from From, failed checks, and lists attachments', async () => {
    const raw = [
      'Return-Path: <bounce@mailer.example>',
      'Received: from x (x [198.51.100.9]) by mx.example; Mon, 10 Mar 2025 07:00:00 +0000',
      'Authentication-Results: mx.example; spf=fail smtp.mailfrom=bounce@mailer.example',
      'From: Bank <security@bank.example>',
      'Reply-To: helpdesk@freemail.example',
      'Date: Mon, 10 Mar 2025 09:00:00 +0000',
      'Subject: hi',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Hello <script>x</script></p>',
      '--b',
      'Content-Type: application/octet-stream; name="a.bin"',
      'Content-Disposition: attachment; filename="a.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      'AAECAw==',
      '--b--',
      '',
    ].join('\r\n');
    const mail = await parseEmail(new TextEncoder().encode(raw));
    expect(mail.warnings.map((w) => w.kind)).toEqual(['replyToDiffers', 'returnPathDomainDiffers', 'authFailed', 'dateAfterReceipt']);
    expect(mail.html).toContain('<script>');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ fileName: 'a.bin', size: 4 });
  });
});
