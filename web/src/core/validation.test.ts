import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { passwordChange, signInBody, tokenCreate, totpCodeBody } from '../../../src/modules/accounts/schemas.ts';
import { validateWith } from './validation.ts';

// A stand-in for react-intl: the id and its values, so the tests read what was chosen.
const t = (id: string, values?: Record<string, unknown>) => (values ? `${id} ${JSON.stringify(values)}` : id);

describe('validateWith', () => {
  it('says "required" for empty fields rather than zod\'s wording', () => {
    expect(validateWith(signInBody, { email: '', password: '' }, t)).toEqual({ email: 'validation.required', password: 'validation.required' });
  });

  it('explains formats and lengths', () => {
    expect(validateWith(signInBody, { email: 'not-an-address', password: 'x' }, t)).toEqual({ email: 'validation.email' });
    expect(validateWith(passwordChange, { currentPassword: 'x', newPassword: 'short' }, t)).toEqual({ newPassword: 'validation.minLength {"min":12}' });
  });

  it('translates the fixed texts written in the shared schemas', () => {
    expect(validateWith(totpCodeBody, { code: '12a' }, t)).toEqual({ code: 'validation.totpCode' });
  });

  it('handles numbers and lists', () => {
    expect(validateWith(tokenCreate, { name: 'ci', scopes: [], expiresInDays: 400 }, t)).toEqual({
      scopes: 'validation.chooseAtLeastOne',
      expiresInDays: 'validation.maxNumber {"max":365}',
    });
    expect(validateWith(tokenCreate, { name: 'ci', scopes: ['read'], expiresInDays: '' }, t)).toEqual({ expiresInDays: 'validation.required' });
  });

  it('places refinements on their path', () => {
    const form = z.object({ a: z.string(), b: z.string() }).refine((v) => v.a === v.b, { path: ['b'], message: 'passwords do not match' });
    expect(validateWith(form, { a: 'x', b: 'y' }, t)).toEqual({ b: 'validation.passwordsDiffer' });
  });

  it('is empty for valid values', () => {
    expect(validateWith(signInBody, { email: 'a@b.org', password: 'x' }, t)).toEqual({});
  });
});
