import { describe, expect, it } from 'vitest';
import { toolFor } from './tools.ts';
import { demo } from './fixtures.ts';

describe('choosing a tool for an exhibit', () => {
  it('picks by kind, name and content', () => {
    expect(toolFor({ kind: 'email', fileName: 'extortion-email.eml', mediaType: 'message/rfc822' }, null)).toBe('email');
    expect(toolFor({ kind: 'document', fileName: 'message.txt', mediaType: 'text/plain' }, demo.email)).toBe('email');
    expect(toolFor({ kind: 'document', fileName: 'blockchain-export.csv', mediaType: 'text/csv' }, demo.blockchain)).toBe('chain');
    expect(toolFor({ kind: 'log', fileName: 'vpn-access.csv', mediaType: 'text/csv' }, demo.vpn)).toBe('logs');
    expect(toolFor({ kind: 'log', fileName: 'mail-gateway.log', mediaType: 'text/plain' }, demo.gatewayLog)).toBe('logs');
    expect(toolFor({ kind: 'document', fileName: 'leaked-customers-sample.csv', mediaType: 'text/csv' }, demo.customers)).toBe('logs');
    expect(toolFor({ kind: 'binary', fileName: 'lsync.bin', mediaType: 'application/octet-stream' }, 'MZ\u0000\u0003\u0000\u0000')).toBe('hash');
  });
});
