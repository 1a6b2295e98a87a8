import { describe, expect, it } from 'vitest';
import type { CaseFile, ChargeView, ElementView } from '@modules/casefile/schemas.ts';
import { ApiError } from '../../core/api.ts';
import { conflictOf } from './api.ts';
import { chargeFigure, chargeReadiness, elementProgress, elementWork, groupByKind, overallFigure, readinessKind, workShare, overviewRows, parseCaseTime, percentOf, readinessColor, sortTimeline } from './display.ts';
import { draftOf, elementOf, sameDraft, setCharge, updateElement } from './draft.ts';
import { evaluationStart } from './evaluation.ts';

const element = (id: string, over: Partial<ElementView> = {}): ElementView => ({
  elementId: id,
  title: { en: id },
  rubric: { en: 'rubric' },
  weight: 1,
  required: true,
  finding: '',
  reasoning: '',
  facts: [],
  citations: [],
  automatic: { status: 'unsupported', facts: 0, exhibits: 0, needs: { facts: 1, exhibits: 1 } },
  verdict: null,
  ...over,
});
const charge = (id: string, chosen: boolean, elements: ElementView[]): ChargeView => ({ chargeId: id, title: { en: id }, basis: { source: 'budapest', article: 8 }, description: null, chosen, ready: false, elements });

describe('readiness per charge', () => {
  const fraud = charge('fraud', true, [
    element('identity', { weight: 2, automatic: { status: 'supported', facts: 1, exhibits: 1, needs: { facts: 1, exhibits: 1 } }, verdict: 'proven' }),
    element('act', { weight: 1, automatic: { status: 'partly', facts: 1, exhibits: 0, needs: { facts: 1, exhibits: 1 } }, verdict: 'not_proven' }),
    element('gain', { weight: 1 }),
  ]);

  it('weights the automatic check while provisional, partly counting its percentage', () => {
    // (2×1 + 1×0.5 + 1×0) / 4
    expect(chargeReadiness(fraud, 50, 'provisional')).toBeCloseTo(0.625);
    expect(chargeReadiness(fraud, 0, 'provisional')).toBeCloseTo(0.5);
  });

  it('weights the final verdicts once evaluated; an element without a verdict counts nothing', () => {
    expect(chargeReadiness(fraud, 50, 'final')).toBeCloseTo(0.5);
  });

  it('counts nothing for an element whose automatic check is withheld', () => {
    expect(chargeReadiness({ ...fraud, elements: fraud.elements.map((e) => ({ ...e, automatic: null })) }, 50, 'provisional')).toBe(0);
  });

  it('counts nothing for a charge not brought', () => {
    expect(chargeReadiness({ ...fraud, chosen: false }, 50, 'provisional')).toBe(0);
  });

  it('shows whole percentages, never 100 before complete, and colours by thresholds', () => {
    expect(percentOf(0.995)).toBe(99);
    expect(percentOf(1)).toBe(100);
    expect(percentOf(0.333)).toBe(33);
    expect(percentOf(-1)).toBe(0);
    expect(readinessColor(0.1)).toBe('red');
    expect(readinessColor(0.5)).toBe('orange');
    expect(readinessColor(0.8)).toBe('blue');
    expect(readinessColor(1)).toBe('teal');
  });

  it('summarises the work on an element', () => {
    const el = element('x', {
      finding: '  ',
      citations: [
        { exhibit: 'a', title: null, sha256: 'h', citedAt: '', admissible: true, reason: null, relevant: null },
        { exhibit: 'b', title: null, sha256: 'h', citedAt: '', admissible: false, reason: 'file_altered', relevant: null },
      ],
    });
    expect(elementProgress(el)).toEqual({ written: false, facts: 0, exhibits: 2, inadmissible: 1 });
  });
});

describe("the team's own progress while the automatic check is withheld", () => {
  const established = { objectiveKey: 'o1', prompt: null, established: true, relevant: null };
  const admissible = { exhibit: 'a', title: null, sha256: 'h', citedAt: '', admissible: true, reason: null, relevant: null };
  const altered = { ...admissible, admissible: false, reason: 'file_altered' as const };

  it('is complete with a finding, an established fact and an admissible exhibit', () => {
    expect(elementWork(element('x', { finding: 'f', facts: [established], citations: [admissible] }))).toBe('complete');
    expect(elementWork(element('x', { finding: 'f', facts: [established], citations: [altered] }))).toBe('started');
    expect(elementWork(element('x', { finding: 'f', facts: [{ ...established, established: false }], citations: [admissible] }))).toBe('started');
    expect(elementWork(element('x', { reasoning: 'r' }))).toBe('started');
    expect(elementWork(element('x', { finding: '  ' }))).toBe('empty');
  });

  it('weights complete elements fully and started ones half', () => {
    const elements = [element('a', { weight: 2, finding: 'f', facts: [established], citations: [admissible] }), element('b', { weight: 1, finding: 'f' }), element('c', { weight: 1 })];
    expect(workShare(elements)).toBeCloseTo(0.625);
    expect(workShare([])).toBe(0);
  });

  it('shows the final figure, else the provisional one, else the progress over the charges brought', () => {
    const readiness = { provisional: null, final: null, evaluationsNeeded: 1, evaluationsDone: 0, points: 0, awardedPoints: null };
    const charges = [charge('a', true, [element('a1', { finding: 'f', facts: [established], citations: [admissible] }), element('a2')]), charge('b', false, [element('b1', { finding: 'f', facts: [established], citations: [admissible] })])];
    expect(readinessKind({ readiness })).toBe('progress');
    expect(overallFigure({ readiness, charges })).toBeCloseTo(0.5);
    expect(chargeFigure(charges[1]!, 50, 'progress')).toBe(0);
    expect(readinessKind({ readiness: { ...readiness, provisional: 0.3 } })).toBe('provisional');
    expect(overallFigure({ readiness: { ...readiness, provisional: 0.3 }, charges })).toBe(0.3);
    expect(readinessKind({ readiness: { ...readiness, provisional: 0.3, final: 0.8 } })).toBe('final');
    expect(overallFigure({ readiness: { ...readiness, provisional: 0.3, final: 0.8 }, charges })).toBe(0.8);
  });
});

describe('timeline and entities', () => {
  it('sorts events by time whatever the offset, then by when they were added; bad times last', () => {
    const events = [
      { id: 'late', at: '2026-03-02T10:00:00Z', createdAt: '1' },
      { id: 'bad', at: 'not a time', createdAt: '0' },
      { id: 'offset', at: '2026-03-02T11:30:00+02:00', createdAt: '2' },
      { id: 'same-b', at: '2026-03-01T00:00:00Z', createdAt: '5' },
      { id: 'same-a', at: '2026-03-01T00:00:00Z', createdAt: '4' },
    ];
    expect(sortTimeline(events).map((e) => e.id)).toEqual(['same-a', 'same-b', 'offset', 'late', 'bad']);
  });

  it('groups entities by kind in the given order', () => {
    const groups = groupByKind(
      [
        { kind: 'wallet' as const, v: 1 },
        { kind: 'person' as const, v: 2 },
        { kind: 'wallet' as const, v: 3 },
      ],
      ['person', 'ip', 'wallet'] as const,
    );
    expect(groups.map((g) => [g.kind, g.items.map((i) => i.v)])).toEqual([
      ['person', [2]],
      ['wallet', [1, 3]],
    ]);
  });

  it('reads a typed time as UTC unless it has an offset', () => {
    expect(parseCaseTime('2025-03-10 07:42:19')).toBe('2025-03-10T07:42:19.000Z');
    expect(parseCaseTime(' 2025-03-10T07:42 ')).toBe('2025-03-10T07:42:00.000Z');
    expect(parseCaseTime('2025-03-10 09:42:09 +0200')).toBe('2025-03-10T07:42:09.000Z');
    expect(parseCaseTime('2025-03-10T09:42:09.5+02:00')).toBe('2025-03-10T07:42:09.500Z');
    expect(parseCaseTime('2025-03-10 07:42:19 UTC')).toBe('2025-03-10T07:42:19.000Z');
    expect(parseCaseTime('2025-02-30 07:42')).toBe('');
    expect(parseCaseTime('2025-03-10 25:00')).toBe('');
    expect(parseCaseTime('10/03/2025 07:42')).toBe('');
    expect(parseCaseTime('2025-13-10 07:42')).toBe('');
    expect(parseCaseTime('')).toBe('');
  });
});

describe('the draft document', () => {
  const file = {
    charges: [
      charge('access', false, [element('a1'), element('a2')]),
      charge('fraud', true, [
        element('f1', { finding: 'He did it', facts: [{ objectiveKey: 'o1', prompt: null, established: true, relevant: null }], citations: [{ exhibit: 'mail', title: null, sha256: 'h', citedAt: '', admissible: true, reason: null, relevant: null }] }),
        element('f2'),
      ]),
    ],
  };

  it('holds the charges brought with the work on each element', () => {
    expect(draftOf(file)).toEqual([
      {
        chargeId: 'fraud',
        elements: [
          { elementId: 'f1', finding: 'He did it', facts: ['o1'], exhibits: ['mail'], reasoning: '' },
          { elementId: 'f2', finding: '', facts: [], exhibits: [], reasoning: '' },
        ],
      },
    ]);
  });

  it('brings a charge empty in the scenario order, and drops it', () => {
    const d = setCharge(draftOf(file), file, 'access', true);
    expect(d.map((c) => c.chargeId)).toEqual(['access', 'fraud']);
    expect(d[0]?.elements.map((e) => e.elementId)).toEqual(['a1', 'a2']);
    expect(setCharge(d, file, 'fraud', false).map((c) => c.chargeId)).toEqual(['access']);
    expect(setCharge(d, file, 'unknown', true)).toBe(d);
  });

  it('edits one element without touching the others', () => {
    const before = draftOf(file);
    const after = updateElement(before, 'fraud', 'f2', { finding: 'new', exhibits: ['log'] });
    expect(elementOf(after, 'fraud', 'f2')).toEqual({ elementId: 'f2', finding: 'new', facts: [], exhibits: ['log'], reasoning: '' });
    expect(elementOf(after, 'fraud', 'f1')).toBe(elementOf(before, 'fraud', 'f1'));
    expect(elementOf(after, 'access', 'a1')).toBeNull();
    expect(elementOf(before, 'fraud', 'f1')?.finding).toBe('He did it');
  });

  it('compares drafts as the server stores them (trimmed)', () => {
    const d = draftOf(file);
    expect(sameDraft(d, updateElement(d, 'fraud', 'f1', { finding: 'He did it  ' }))).toBe(true);
    expect(sameDraft(d, updateElement(d, 'fraud', 'f1', { finding: 'She did it' }))).toBe(false);
  });
});

describe('the evaluation form', () => {
  const file: Pick<CaseFile, 'charges' | 'evaluations'> = {
    charges: [charge('access', false, [element('a1')]), charge('fraud', true, [element('f1'), element('f2')])],
    evaluations: [
      { id: 'e1', evaluator: { userId: 'me', displayName: 'Me' }, round: 1, readiness: 0.5, comment: 'first', elements: [{ chargeId: 'fraud', elementId: 'f1', verdict: 'partly', comment: 'weak' }], createdAt: '' },
      { id: 'e2', evaluator: { userId: 'other', displayName: 'Other' }, round: 2, readiness: 1, comment: 'theirs', elements: [], createdAt: '' },
      { id: 'e3', evaluator: { userId: 'me', displayName: 'Me' }, round: 3, readiness: 1, comment: 'again', elements: [{ chargeId: 'fraud', elementId: 'f1', verdict: 'proven', comment: 'ok' }], createdAt: '' },
    ],
  };

  it('lists every element of the charges brought, empty for a new evaluator', () => {
    const start = evaluationStart(file, 'new');
    expect(start.previous).toBeNull();
    expect(start.values).toEqual({
      comment: '',
      elements: [
        { chargeId: 'fraud', elementId: 'f1', verdict: '', comment: '' },
        { chargeId: 'fraud', elementId: 'f2', verdict: '', comment: '' },
      ],
    });
  });

  it("starts from the evaluator's own latest evaluation", () => {
    const start = evaluationStart(file, 'me');
    expect(start.previous).toBe(3);
    expect(start.values.comment).toBe('again');
    expect(start.values.elements[0]).toEqual({ chargeId: 'fraud', elementId: 'f1', verdict: 'proven', comment: 'ok' });
    expect(start.values.elements[1]?.verdict).toBe('');
  });
});

describe('the staff overview', () => {
  const item = { teamId: 't', teamName: 'Falcon', version: 3, submittedAt: null, provisionalReadiness: 0.4, finalReadiness: null, evaluations: 0, evaluationsNeeded: 2, charges: [{ chargeId: 'a', ready: true }, { chargeId: 'b', ready: false }] };
  it('says where each case file stands in its evaluation', () => {
    const rows = overviewRows([
      { ...item, status: 'draft' },
      { ...item, status: 'submitted' },
      { ...item, status: 'submitted', evaluations: 1 },
      { ...item, status: 'submitted', evaluations: 2, finalReadiness: 0.7 },
    ]);
    expect(rows.map((r) => r.evaluationState)).toEqual(['none', 'waiting', 'in_progress', 'final']);
    expect(rows[0]?.chargesReady).toBe(1);
  });
});

describe('conflicts', () => {
  const conflict = (details: unknown) => new ApiError('conflict', 'x', { status: 409, details });
  it('tells a newer version, a lock and an empty case file apart', () => {
    expect(conflictOf(conflict({ reason: 'version', currentVersion: 7 }))).toEqual({ reason: 'version', currentVersion: 7 });
    expect(conflictOf(conflict({ reason: 'locked', lock: 'deadline' }))).toEqual({ reason: 'locked', lock: 'deadline' });
    expect(conflictOf(conflict({ reason: 'paused' }))).toEqual({ reason: 'paused' });
    expect(conflictOf(conflict({ reason: 'empty' }))).toEqual({ reason: 'empty' });
    expect(conflictOf(conflict(undefined))).toEqual({ reason: 'other' });
    expect(conflictOf(new ApiError('not_found', 'x', { status: 404 }))).toBeNull();
    expect(conflictOf(new Error('x'))).toBeNull();
  });
});
