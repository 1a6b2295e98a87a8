import { describe, expect, it } from 'vitest';
import { automaticCheck, automaticCredit, caseFilePoints, chargeReady, elementKey, finalResult, readinessOf, verdictCredit } from './readiness.ts';

const el = (id: string, over: Partial<{ weight: number; required: boolean; facts: string[]; exhibits: string[]; needs: { facts: number; exhibits: number } }> = {}) => ({
  id,
  title: { en: id },
  rubric: { en: id },
  weight: 1,
  required: true,
  facts: [] as string[],
  exhibits: [] as string[],
  needs: { facts: 1, exhibits: 1 },
  ...over,
});

// The example of docs/scoring.md: weights 3, 2, 2 and 2, 2, 1 (the last optional).
const model = {
  charges: [
    { id: 'extortion', title: { en: 'x' }, basis: { source: 'budapest' as const, article: 2 as const }, elements: [el('who', { weight: 3 }), el('threat', { weight: 2 }), el('gain', { weight: 2 })] },
    { id: 'access', title: { en: 'y' }, basis: { source: 'budapest' as const, article: 2 as const }, elements: [el('access', { weight: 2 }), el('right', { weight: 2 }), el('data', { weight: 1, required: false })] },
  ],
};

describe('automatic check', () => {
  const element = el('who', { facts: ['ip', 'name'], exhibits: ['mail', 'log', 'vpn'], needs: { facts: 1, exhibits: 2 } });
  it('counts only listed facts the team solved and listed admissible exhibits', () => {
    expect(automaticCheck(element, { facts: ['ip', 'other'], admissibleExhibits: ['mail', 'log'] }, new Set(['ip', 'other']))).toEqual({ status: 'supported', facts: 1, exhibits: 2, needs: { facts: 1, exhibits: 2 } });
    // An unsolved fact and an exhibit the element does not list do not count.
    expect(automaticCheck(element, { facts: ['name'], admissibleExhibits: ['mail', 'chat'] }, new Set())).toMatchObject({ status: 'partly', facts: 0, exhibits: 1 });
    expect(automaticCheck(element, { facts: ['name'], admissibleExhibits: [] }, new Set())).toMatchObject({ status: 'unsupported', facts: 0, exhibits: 0 });
    // The same exhibit cited twice counts once.
    expect(automaticCheck(element, { facts: ['ip'], admissibleExhibits: ['mail', 'mail'] }, new Set(['ip']))).toMatchObject({ status: 'partly', exhibits: 1 });
  });
  it('an element needing nothing is supported', () => {
    expect(automaticCheck(el('x', { needs: { facts: 0, exhibits: 0 } }), { facts: [], admissibleExhibits: [] }, new Set()).status).toBe('supported');
  });
});

describe('credits and readiness', () => {
  it('gives proven 1, partly partlyPercent, not proven 0', () => {
    expect([verdictCredit('proven', 50), verdictCredit('partly', 50), verdictCredit('not_proven', 50)]).toEqual([1, 0.5, 0]);
    expect([automaticCredit('supported', 40), automaticCredit('partly', 40), automaticCredit('unsupported', 40)]).toEqual([1, 0.4, 0]);
  });
  it('weighs every element of every charge, missing ones as 0', () => {
    const credit = new Map([
      [elementKey('extortion', 'who'), 1],
      [elementKey('extortion', 'threat'), 0.5],
      [elementKey('extortion', 'gain'), 1],
      [elementKey('access', 'access'), 1],
      [elementKey('access', 'data'), 0.5],
    ]);
    expect(readinessOf(model, credit)).toBeCloseTo(8.5 / 12, 10);
    expect(caseFilePoints(300, readinessOf(model, credit))).toBe(213);
    expect(readinessOf(model, new Map())).toBe(0);
  });
  it('a charge is ready when brought and every required element is proven', () => {
    const proven = new Set(['access/access', 'access/right']);
    expect(chargeReady(model.charges[1]!, true, (k) => proven.has(k))).toBe(true);
    expect(chargeReady(model.charges[1]!, false, (k) => proven.has(k))).toBe(false);
    expect(chargeReady(model.charges[0]!, true, (k) => proven.has(k))).toBe(false);
  });
});

describe('final result of the evaluations', () => {
  const v = (verdict: 'proven' | 'partly' | 'not_proven') => [{ chargeId: 'access', elementId: 'access', verdict }];
  it('is not final until enough different people evaluated', () => {
    expect(finalResult([], 1, 50)).toBeNull();
    expect(finalResult([{ evaluatorId: 'a', round: 1, verdicts: v('proven') }, { evaluatorId: 'a', round: 2, verdicts: v('proven') }], 2, 50)).toBeNull();
  });
  it('takes each evaluator’s latest evaluation', () => {
    const r = finalResult([{ evaluatorId: 'a', round: 1, verdicts: v('not_proven') }, { evaluatorId: 'a', round: 2, verdicts: v('proven') }], 1, 50)!;
    expect(r.credit.get('access/access')).toBe(1);
    expect(r.verdict.get('access/access')).toBe('proven');
  });
  it('averages two evaluators; they must agree for proven', () => {
    const r = finalResult([{ evaluatorId: 'a', round: 1, verdicts: v('proven') }, { evaluatorId: 'b', round: 2, verdicts: v('partly') }], 2, 50)!;
    expect(r.credit.get('access/access')).toBeCloseTo(0.75, 10);
    expect(r.verdict.get('access/access')).toBe('partly');
    const agree = finalResult([{ evaluatorId: 'a', round: 1, verdicts: v('proven') }, { evaluatorId: 'b', round: 2, verdicts: v('proven') }], 2, 50)!;
    expect(agree.verdict.get('access/access')).toBe('proven');
  });
});
