import { describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api.ts';
import { groupProblems, problemSection, reportFromError } from './api.ts';

describe('validation reports', () => {
  it('finds the part of the package a problem is in', () => {
    expect(problemSection('objectives[2].answer.value')).toBe('objectives');
    expect(problemSection('variables.victim')).toBe('variables');
    expect(problemSection('title')).toBe('title');
    expect(problemSection('evidence[1] (evidence/mail.log)')).toBe('evidence');
    expect(problemSection('evidence/mail.log')).toBe('files');
    expect(problemSection('README.md')).toBe('files');
    expect(problemSection('scenario.yaml line 3, column 5')).toBe('yaml');
    expect(problemSection('package')).toBe('package');
  });

  it('groups problems by part, in the order of the package', () => {
    const groups = groupProblems([
      { path: 'objectives.0.id', message: 'a' },
      { path: 'title', message: 'b' },
      { path: 'objectives.3.points', message: 'c' },
    ]);
    expect(groups.map((g) => [g.section, g.problems.length])).toEqual([
      ['title', 1],
      ['objectives', 2],
    ]);
  });

  it('reads a validation_failed answer as a failed report', () => {
    const error = new ApiError('validation_failed', 'file: not a zip', { status: 400, details: [{ path: 'file', message: 'not a zip archive' }] });
    expect(reportFromError(error)).toEqual({ ok: false, problems: [{ path: 'file', message: 'not a zip archive' }], warnings: [], summary: null });
    expect(reportFromError(new ApiError('conflict', 'x', { status: 409 }))).toBeNull();
  });
});
