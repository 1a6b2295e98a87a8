import { describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api.ts';
import { knownRefusal, refusalReason } from './server-texts.ts';

const conflictWith = (details: unknown, message = 'Whatever the server says') => new ApiError('conflict', message, { status: 409, details });

describe('refusals of the exercise endpoints', () => {
  it('translates conflicts by details.reason, never by the English text', () => {
    expect(knownRefusal(conflictWith({ reason: 'team_full', teamSizeLimit: 4 }))).toBe('exercises.refused.teamFull');
    expect(knownRefusal(conflictWith({ reason: 'already_started' }))).toBe('exercises.refused.alreadyStarted');
    expect(knownRefusal(conflictWith({ reason: 'ended' }))).toBe('exercises.refused.ended');
    expect(knownRefusal(conflictWith({ reason: 'team_name_taken' }))).toBe('exercises.refused.teamNameTaken');
    expect(knownRefusal(conflictWith(undefined, 'The team is full (4 members at most)'))).toBeNull();
  });

  it('translates invalid inputs by the code of their problem', () => {
    const error = new ApiError('validation_failed', 'body.code: no team has this code', { status: 400, details: [{ path: 'body.code', message: 'no team has this code', code: 'unknown_code' }] });
    expect(refusalReason(error)).toBe('unknown_code');
    expect(knownRefusal(error)).toBe('exercises.refused.unknownCode');
    expect(knownRefusal(new ApiError('validation_failed', 'body.code: no team has this code', { status: 400, details: [{ path: 'body.code', message: 'no team has this code' }] }))).toBeNull();
  });

  it('lets a context word a reason its own way', () => {
    expect(knownRefusal(conflictWith({ reason: 'not_running' }))).toBe('exercises.refused.notRunning');
    expect(knownRefusal(conflictWith({ reason: 'not_running' }), { not_running: 'exercises.refused.injectNotRunning' })).toBe('exercises.refused.injectNotRunning');
  });

  it('leaves other errors to the translation by code', () => {
    expect(knownRefusal(conflictWith({ reason: 'something_new' }))).toBeNull();
    expect(knownRefusal(conflictWith([{ path: 'body.name', message: 'already exists' }]))).toBeNull();
    expect(knownRefusal(new ApiError('forbidden', 'x', { status: 403, details: { reason: 'team_full' } }))).toBeNull();
    expect(knownRefusal(new Error('x'))).toBeNull();
  });
});
