import type { CaseFile, Verdict } from '@modules/casefile/schemas.ts';

/** The evaluation form: one line per element of each charge brought; '' until a verdict is chosen. */
export type EvaluationValues = {
  elements: Array<{ chargeId: string; elementId: string; verdict: Verdict | ''; comment: string }>;
  comment: string;
};

/**
 * Where an evaluator starts: every element of the charges the team brought, in
 * the scenario's order, filled from the evaluator's own latest evaluation when
 * there is one (evaluating again replaces it), else empty.
 */
export function evaluationStart(file: Pick<CaseFile, 'charges' | 'evaluations'>, evaluatorId: string): { values: EvaluationValues; previous: number | null } {
  const mine = file.evaluations.filter((e) => e.evaluator.userId === evaluatorId).sort((a, b) => b.round - a.round)[0];
  const elements = file.charges
    .filter((c) => c.chosen)
    .flatMap((c) =>
      c.elements.map((el) => {
        const before = mine?.elements.find((v) => v.chargeId === c.chargeId && v.elementId === el.elementId);
        return { chargeId: c.chargeId, elementId: el.elementId, verdict: before?.verdict ?? ('' as const), comment: before?.comment ?? '' };
      }),
    );
  return { values: { elements, comment: mine?.comment ?? '' }, previous: mine?.round ?? null };
}
