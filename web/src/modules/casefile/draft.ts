import type { CaseFile, ChargeDraft, ElementDraft } from '@modules/casefile/schemas.ts';

// The findings document the team edits (the body of a draft save), derived
// from the case file the server shows, and the edits made to it.

export type Draft = ChargeDraft[];
export type ElementPatch = Partial<Omit<ElementDraft, 'elementId'>>;

const emptyElement = (elementId: string): ElementDraft => ({ elementId, finding: '', facts: [], exhibits: [], reasoning: '' });

/** The document as saved: the charges brought, each with the work on every element, in the scenario's order. */
export function draftOf(file: Pick<CaseFile, 'charges'>): Draft {
  return file.charges
    .filter((c) => c.chosen)
    .map((c) => ({
      chargeId: c.chargeId,
      elements: c.elements.map((e) => ({ elementId: e.elementId, finding: e.finding, facts: e.facts.map((f) => f.objectiveKey), exhibits: e.citations.map((x) => x.exhibit), reasoning: e.reasoning })),
    }));
}

/** Brings or drops a charge; a charge brought again starts empty. The scenario's order is kept. */
export function setCharge(draft: Draft, file: Pick<CaseFile, 'charges'>, chargeId: string, chosen: boolean): Draft {
  const others = draft.filter((c) => c.chargeId !== chargeId);
  if (!chosen) return others;
  const charge = file.charges.find((c) => c.chargeId === chargeId);
  if (!charge) return draft;
  const next = [...others, { chargeId, elements: charge.elements.map((e) => emptyElement(e.elementId)) }];
  const order = new Map(file.charges.map((c, i) => [c.chargeId, i]));
  return next.sort((a, b) => (order.get(a.chargeId) ?? 0) - (order.get(b.chargeId) ?? 0));
}

export function elementOf(draft: Draft, chargeId: string, elementId: string): ElementDraft | null {
  const charge = draft.find((c) => c.chargeId === chargeId);
  if (!charge) return null;
  return charge.elements.find((e) => e.elementId === elementId) ?? emptyElement(elementId);
}

export function updateElement(draft: Draft, chargeId: string, elementId: string, patch: ElementPatch): Draft {
  return draft.map((c) => {
    if (c.chargeId !== chargeId) return c;
    const exists = c.elements.some((e) => e.elementId === elementId);
    const elements = exists ? c.elements : [...c.elements, emptyElement(elementId)];
    return { ...c, elements: elements.map((e) => (e.elementId === elementId ? { ...e, ...patch } : e)) };
  });
}

/** Same content, ignoring spaces the server trims. */
export function sameDraft(a: Draft, b: Draft): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}
const normalise = (d: Draft) => d.map((c) => ({ chargeId: c.chargeId, elements: c.elements.map((e) => ({ elementId: e.elementId, finding: e.finding.trim(), facts: e.facts, exhibits: e.exhibits, reasoning: e.reasoning.trim() })) }));
