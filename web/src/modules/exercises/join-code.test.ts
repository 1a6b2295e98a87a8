import { describe, expect, it } from 'vitest';
import { joinBody } from '@modules/exercises/schemas.ts';
import { formatJoinCode, hasLookAlike } from './join-code.ts';

describe('invitation codes', () => {
  it('are formatted as they are typed', () => {
    expect(formatJoinCode('kw2e')).toBe('KW2E');
    expect(formatJoinCode('kw2e4')).toBe('KW2E-4');
    expect(formatJoinCode(' kw2e 43qq ')).toBe('KW2E-43QQ');
    expect(formatJoinCode('KW2E-43QQ-EXTRA')).toBe('KW2E-43QQ');
  });

  it('are accepted by the server’s schema once formatted', () => {
    expect(joinBody.safeParse({ code: formatJoinCode('kw2e43qq') }).success).toBe(true);
    expect(joinBody.safeParse({ code: formatJoinCode('kw2e43') }).success).toBe(false);
  });

  it('never contain look-alike characters', () => {
    expect(hasLookAlike('KW2E-43QQ')).toBe(false);
    expect(hasLookAlike('K0ZE-43QQ')).toBe(true);
  });
});
