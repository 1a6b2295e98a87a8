import type { ScenarioProsecution } from '../scenarios/definition.ts';
import type { AutomaticCheck, Verdict } from './schemas.ts';

// The arithmetic of prosecution readiness (docs/scoring.md, "Case file"), as
// pure functions: the automatic check of one element, the credit of verdicts,
// the weighted readiness over every element of every charge of the scenario,
// and whether a charge is ready.

type Element = ScenarioProsecution['charges'][number]['elements'][number];

/** What the team linked to one element, as the automatic check sees it. */
export type ElementLinks = {
  /** Objective keys linked in the finding. */
  facts: readonly string[];
  /** Exhibit keys cited in the finding that are admissible. */
  admissibleExhibits: readonly string[];
};

export const elementKey = (chargeId: string, elementId: string) => `${chargeId}/${elementId}`;

/** Facts count when the scenario lists them for the element and the team solved them; exhibits when listed and admissible. */
export function automaticCheck(element: Element, links: ElementLinks, solved: ReadonlySet<string>): AutomaticCheck {
  const facts = new Set(links.facts.filter((f) => element.facts.includes(f) && solved.has(f))).size;
  const exhibits = new Set(links.admissibleExhibits.filter((x) => element.exhibits.includes(x))).size;
  const needs = { facts: element.needs.facts, exhibits: element.needs.exhibits };
  const status = facts >= needs.facts && exhibits >= needs.exhibits ? 'supported' : facts + exhibits > 0 ? 'partly' : 'unsupported';
  return { status, facts, exhibits, needs };
}

export function verdictCredit(verdict: Verdict, partlyPercent: number): number {
  return verdict === 'proven' ? 1 : verdict === 'partly' ? partlyPercent / 100 : 0;
}

export function automaticCredit(status: AutomaticCheck['status'], partlyPercent: number): number {
  return status === 'supported' ? 1 : status === 'partly' ? partlyPercent / 100 : 0;
}

/** Σ weight × credit / Σ weight over every element of every charge; an element without a credit counts 0. */
export function readinessOf(model: Pick<ScenarioProsecution, 'charges'>, credit: ReadonlyMap<string, number>): number {
  let weights = 0;
  let earned = 0;
  for (const charge of model.charges)
    for (const el of charge.elements) {
      weights += el.weight;
      earned += el.weight * (credit.get(elementKey(charge.id, el.id)) ?? 0);
    }
  return weights === 0 ? 0 : earned / weights;
}

/** A charge is ready when the team brings it and every required element is proven. */
export function chargeReady(charge: ScenarioProsecution['charges'][number], chosen: boolean, proven: (key: string) => boolean): boolean {
  return chosen && charge.elements.every((el) => !el.required || proven(elementKey(charge.id, el.id)));
}

export type EvaluationVerdicts = { evaluatorId: string; round: number; verdicts: ReadonlyArray<{ chargeId: string; elementId: string; verdict: Verdict }> };

/**
 * The final result of the experts' evaluations, or null while not final. Each
 * evaluator's latest evaluation counts; the result is final once `needed`
 * different people have evaluated. An element's credit is the mean of their
 * verdicts' credits, and its verdict theirs when they agree, else "partly" (so
 * with two evaluators an element is proven only when both find it proven).
 */
export function finalResult(evaluations: readonly EvaluationVerdicts[], needed: number, partlyPercent: number): { credit: Map<string, number>; verdict: Map<string, Verdict> } | null {
  const latest = new Map<string, EvaluationVerdicts>();
  for (const e of [...evaluations].sort((a, b) => a.round - b.round)) latest.set(e.evaluatorId, e);
  if (latest.size === 0 || latest.size < needed) return null;
  const credit = new Map<string, number>();
  const verdict = new Map<string, Verdict>();
  for (const e of latest.values())
    for (const v of e.verdicts) {
      const k = elementKey(v.chargeId, v.elementId);
      credit.set(k, (credit.get(k) ?? 0) + verdictCredit(v.verdict, partlyPercent) / latest.size);
      const seen = verdict.get(k);
      verdict.set(k, seen === undefined || seen === v.verdict ? v.verdict : 'partly');
    }
  return { credit, verdict };
}

/** The case file's points for a final readiness. */
export const caseFilePoints = (points: number, readiness: number) => Math.round(points * readiness);
