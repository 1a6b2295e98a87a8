import type { AutomaticStatus, CaseFile, CaseFileOverviewItem, ChargeView, ElementView, Verdict } from '@modules/casefile/schemas.ts';

// Pure helpers for showing a case file: readiness per charge, colours,
// the timeline in order, entities by kind, and the staff overview's order.

/** Credit of an element, as the server counts it (src/modules/casefile/readiness.ts). */
export function automaticCredit(status: AutomaticStatus, partlyPercent: number): number {
  return status === 'supported' ? 1 : status === 'partly' ? partlyPercent / 100 : 0;
}
export function verdictCredit(verdict: Verdict, partlyPercent: number): number {
  return verdict === 'proven' ? 1 : verdict === 'partly' ? partlyPercent / 100 : 0;
}

/**
 * A charge's readiness, 0–1: the weighted share of its elements supported by the
 * automatic check (provisional) or proven in the final evaluation (final). A
 * charge the team does not bring counts nothing.
 */
export function chargeReadiness(charge: Pick<ChargeView, 'chosen' | 'elements'>, partlyPercent: number, kind: 'provisional' | 'final'): number {
  if (!charge.chosen) return 0;
  return weighted(charge.elements, (el) => (kind === 'final' ? (el.verdict ? verdictCredit(el.verdict, partlyPercent) : 0) : el.automatic ? automaticCredit(el.automatic.status, partlyPercent) : 0));
}

function weighted<T extends { weight: number }>(elements: readonly T[], credit: (el: T) => number): number {
  let weights = 0;
  let earned = 0;
  for (const el of elements) {
    weights += el.weight;
    earned += el.weight * credit(el);
  }
  return weights === 0 ? 0 : earned / weights;
}

/**
 * How far the team's own work on an element goes, from what the team may see
 * during the exercise (the automatic check is withheld until it ends, as it would
 * tell which facts and exhibits the scenario expects): complete with a finding,
 * an established fact and an admissible exhibit; started with any of them.
 */
export type WorkState = 'complete' | 'started' | 'empty';
export function elementWork(el: Pick<ElementView, 'finding' | 'reasoning' | 'facts' | 'citations'>): WorkState {
  const written = el.finding.trim() !== '';
  const fact = el.facts.some((f) => f.established);
  const exhibit = el.citations.some((c) => c.admissible);
  if (written && fact && exhibit) return 'complete';
  return written || el.reasoning.trim() !== '' || el.facts.length > 0 || el.citations.length > 0 ? 'started' : 'empty';
}

/** The weighted share of the work done (a started element counts half), over the given elements. */
export function workShare(elements: ReadonlyArray<Pick<ElementView, 'weight' | 'finding' | 'reasoning' | 'facts' | 'citations'>>): number {
  return weighted(elements, (el) => ({ complete: 1, started: 0.5, empty: 0 })[elementWork(el)]);
}

/** What the readiness figures of a case file are: the final evaluation, the automatic check, or (a team during the exercise) its own progress. */
export function readinessKind(file: Pick<CaseFile, 'readiness'>): 'final' | 'provisional' | 'progress' {
  return file.readiness.final !== null ? 'final' : file.readiness.provisional !== null ? 'provisional' : 'progress';
}

/** A charge's figure of that kind, 0–1. */
export function chargeFigure(charge: Pick<ChargeView, 'chosen' | 'elements'>, partlyPercent: number, kind: 'final' | 'provisional' | 'progress'): number {
  if (kind === 'progress') return charge.chosen ? workShare(charge.elements) : 0;
  return chargeReadiness(charge, partlyPercent, kind);
}

/** The case file's overall figure: the server's readiness, or the progress over the charges brought. */
export function overallFigure(file: Pick<CaseFile, 'readiness' | 'charges'>): number {
  const kind = readinessKind(file);
  if (kind === 'final') return file.readiness.final ?? 0;
  if (kind === 'provisional') return file.readiness.provisional ?? 0;
  return workShare(file.charges.filter((c) => c.chosen).flatMap((c) => c.elements));
}

/** Whole percent for display, never 100 unless complete. */
export function percentOf(share: number): number {
  const p = Math.max(0, Math.min(1, share)) * 100;
  return p > 99 && p < 100 ? 99 : Math.round(p);
}

/** Colour of a readiness: red below a third, orange below two thirds, teal when complete, blue between. */
export function readinessColor(share: number): string {
  if (share >= 1) return 'teal';
  if (share < 1 / 3) return 'red';
  if (share < 2 / 3) return 'orange';
  return 'blue';
}

export const automaticColor: Record<AutomaticStatus, string> = { supported: 'teal', partly: 'yellow', unsupported: 'gray' };
export const verdictColor: Record<Verdict, string> = { proven: 'teal', partly: 'yellow', not_proven: 'red' };

/** Events in time order (then in the order they were added). Unparsable times go last. */
export function sortTimeline<T extends { at: string; createdAt?: string }>(events: readonly T[]): T[] {
  const time = (s: string) => {
    const n = Date.parse(s);
    return Number.isNaN(n) ? Number.POSITIVE_INFINITY : n;
  };
  return [...events].sort((a, b) => time(a.at) - time(b.at) || (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
}

/** Entities grouped by kind, kinds in the given order, only kinds present. */
export function groupByKind<K extends string, T extends { kind: K }>(items: readonly T[], order: readonly K[]): Array<{ kind: K; items: T[] }> {
  return order.map((kind) => ({ kind, items: items.filter((i) => i.kind === kind) })).filter((g) => g.items.length > 0);
}

/** Counts of an element's work, for its summary line. */
export function elementProgress(el: Pick<ElementView, 'finding' | 'reasoning' | 'facts' | 'citations'>): { written: boolean; facts: number; exhibits: number; inadmissible: number } {
  return {
    written: el.finding.trim() !== '' || el.reasoning.trim() !== '',
    facts: el.facts.length,
    exhibits: el.citations.length,
    inadmissible: el.citations.filter((c) => !c.admissible).length,
  };
}

/** Overview rows with what the staff table sorts by. */
export type OverviewRow = CaseFileOverviewItem & { chargesReady: number; evaluationState: 'none' | 'waiting' | 'in_progress' | 'final' };

export function overviewRows(items: readonly CaseFileOverviewItem[]): OverviewRow[] {
  return items.map((i) => ({
    ...i,
    chargesReady: i.charges.filter((c) => c.ready).length,
    evaluationState: i.status === 'draft' ? 'none' : i.finalReadiness !== null ? 'final' : i.evaluations > 0 ? 'in_progress' : 'waiting',
  }));
}

// Times of the case are kept and shown in UTC, as in logs and exports. A time
// typed without a zone ("2025-03-10 07:42:19") is read as UTC; one with an
// offset ("…T09:42:09+02:00") keeps it.
const caseTime = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/** The ISO time (UTC) of a typed time, or '' when it is not one. */
export function parseCaseTime(text: string): string {
  const m = caseTime.exec(text.trim());
  // Refuses days that do not exist, which Date would roll over (30 February → 2 March).
  if (!m || Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`)) || new Date(`${m[1]}T00:00:00Z`).toISOString().slice(0, 10) !== m[1]) return '';
  const zone = !m[4] || /^(z|utc)$/i.test(m[4]) ? 'Z' : m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}${zone}`);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
