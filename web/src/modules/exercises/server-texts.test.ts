import { describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api.ts';
import { knownRefusal } from './server-texts.ts';

describe('refusals of the exercise endpoints', () => {
  it('recognises the server’s sentences', () => {
    expect(knownRefusal(new ApiError('conflict', 'The team is full (4 members at most)', { status: 409 }))).toBe('exercises.refused.teamFull');
    expect(knownRefusal(new ApiError('conflict', 'The exercise has already started', { status: 409 }))).toBe('exercises.refused.alreadyStarted');
    expect(knownRefusal(new ApiError('conflict', 'The exercise has already ended', { status: 409 }))).toBe('exercises.refused.ended');
    expect(knownRefusal(new ApiError('validation_failed', 'body.code: no team has this code', { status: 400, details: [{ path: 'body.code', message: 'no team has this code' }] }))).toBe('exercises.refused.unknownCode');
  });

  it('leaves other errors to the translation by code', () => {
    expect(knownRefusal(new ApiError('conflict', 'Something new', { status: 409 }))).toBeNull();
    expect(knownRefusal(new ApiError('forbidden', 'The team is full', { status: 403 }))).toBeNull();
    expect(knownRefusal(new Error('x'))).toBeNull();
  });
});
