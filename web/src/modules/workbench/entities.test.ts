import { describe, expect, it } from 'vitest';
import { cleanValue, guessKind, isIban } from './entities.ts';
import { sample } from './fixtures.ts';

describe('entity kind guessing', () => {
  it.each([
    [sample.sending_ip, 'ip'],
    ['[2001:db8::25]', 'ip'],
    [`<${sample.extortion_email}>`, 'email'],
    [sample.ransom_wallet, 'wallet'],
    ['bc1q7xkvvp4rpt8q03pegyaczplvfmaztxhtdp5m2z', 'wallet'],
    ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'wallet'],
    ['0x52908400098527886E0F7030069857D2E4169EE7', 'wallet'],
    ['http://p6e4mfg6npjd5xd5f3o75bniekaqx566saagkmqpb4lt23lumi6df5sd.onion/s/sample.csv', 'url'],
    ['cloakpost-mail.net', 'domain'],
    ['mx1.valtrane-logistics.com', 'domain'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'file'],
    ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'file'],
    ['+44 1632 960927', 'phone'],
    ['GB82 WEST 1234 5698 7654 32', 'iban'],
    ['00:1A:2B:3C:4D:5E', 'device'],
    ['490154203237518', 'device'],
    [sample.suspect_username, 'other'],
    ['2025-03-10', 'other'],
    ['', 'other'],
  ])('%s → %s', (value, kind) => {
    expect(guessKind(value)).toBe(kind);
  });
  it('checks IBAN digits and cleans picked values', () => {
    expect(isIban('GB82WEST12345698765432')).toBe(true);
    expect(isIban('GB83WEST12345698765432')).toBe(false);
    expect(cleanValue(' <a@b.example>, ')).toBe('a@b.example');
    expect(cleanValue('"(x)"')).toBe('x');
  });
});
