import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import type { CaseFileEvaluationTable, CaseFileTable, ExerciseTable, TeamTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { LocalizedText, ScenarioDefinition, ScenarioProsecution } from '../scenarios/definition.ts';
import { renderTemplate } from '../scenarios/templates.ts';
import { phaseOf } from '../exercises/clock.ts';
import { clockState } from '../exercises/service.ts';
import { automaticCheck, automaticCredit, caseFilePoints, chargeReady, elementKey, finalResult, readinessOf, verdictCredit, type EvaluationVerdicts } from './readiness.ts';
import type { AutomaticCheck, InadmissibleReason, LockReason, Verdict } from './schemas.ts';

// Everything about one team's case file that depends on the state of the
// exercise: which exhibits are released and with what hash, which facts are
// established, whether each citation is still admissible, the automatic check
// of each element, the experts' result and the readiness. Shared by the case
// file view, the staff overview, the summaries and the printable report.

/** A citation as stored: the exhibit and the hash of the team's copy when it was first cited. */
export type StoredCitation = { exhibit: string; sha256: string; citedAt: string };
export type StoredElement = { elementId: string; finding: string; facts: string[]; reasoning: string; citations: StoredCitation[] };
export type StoredDocument = { charges: Array<{ chargeId: string; elements: StoredElement[] }> };
export const emptyDocument = (): StoredDocument => ({ charges: [] });

export type Admissibility = { admissible: boolean; reason: InadmissibleReason | null };

/** Re-hashes stored files at most once per request. */
export type HashCache = Map<string, Promise<string | null>>;
export const newHashCache = (): HashCache => new Map();

function rehashOnce(ctx: AppContext, cache: HashCache, sha256: string): Promise<string | null> {
  let p = cache.get(sha256);
  if (!p) {
    p = ctx.storage.rehash(sha256).catch(() => null);
    cache.set(sha256, p);
  }
  return p;
}

/** The team's released exhibits with the hash of its copy. */
export async function releasedExhibits(db: Db | Tx, teamId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('team_releases')
    .innerJoin('team_evidence', (j) => j.onRef('team_evidence.team_id', '=', 'team_releases.team_id').onRef('team_evidence.evidence_key', '=', 'team_releases.item_key'))
    .select(['team_releases.item_key', 'team_evidence.sha256'])
    .where('team_releases.team_id', '=', teamId)
    .where('team_releases.kind', '=', 'evidence')
    .execute();
  return new Map(rows.map((r) => [r.item_key, r.sha256]));
}

export async function releasedObjectives(db: Db | Tx, teamId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('team_releases').select('item_key').where('team_id', '=', teamId).where('kind', '=', 'objective').execute();
  return new Set(rows.map((r) => r.item_key));
}

async function solvedObjectives(db: Db | Tx, teamId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('objective_scores').select('objective_key').where('team_id', '=', teamId).where('solved_at', 'is not', null).execute();
  return new Set(rows.map((r) => r.objective_key));
}

/** Why the case file refuses writes now, if it does: submitted, the team's time is up (its extra time counts), or not started. */
export function lockOf(exercise: Selectable<ExerciseTable>, team: Pick<Selectable<TeamTable>, 'extra_seconds'>, row: Pick<Selectable<CaseFileTable>, 'status'> | null, now: Date): LockReason | null {
  if (row?.status === 'submitted') return 'submitted';
  const phase = phaseOf(clockState(exercise), now, team.extra_seconds);
  if (phase === 'ended') return 'deadline';
  if (phase === 'not_started') return 'not_started';
  if (phase === 'paused') return 'paused';
  return null;
}

export const parseDocument = (row: Pick<Selectable<CaseFileTable>, 'document'> | null): StoredDocument => (row ? (JSON.parse(row.document) as StoredDocument) : emptyDocument());

export type StoredEvaluation = EvaluationVerdicts & { id: string; comment: string; createdAt: string; verdicts: Array<{ chargeId: string; elementId: string; verdict: Verdict; comment: string }> };
export const parseEvaluation = (r: Selectable<CaseFileEvaluationTable>): StoredEvaluation => ({
  id: r.id,
  evaluatorId: r.evaluator_id,
  round: r.round,
  comment: r.comment,
  createdAt: r.created_at,
  verdicts: JSON.parse(r.verdicts) as StoredEvaluation['verdicts'],
});

export type AssessedCitation = StoredCitation & Admissibility;
export type AssessedElement = {
  stored: StoredElement | null;
  citations: AssessedCitation[];
  automatic: AutomaticCheck;
  /** Final verdict, when the experts' result is final. */
  verdict: Verdict | null;
};
export type AssessedCharge = { charge: ScenarioProsecution['charges'][number]; chosen: boolean; ready: boolean; elements: Map<string, AssessedElement> };

export type Assessment = {
  definition: ScenarioDefinition;
  prosecution: ScenarioProsecution | null;
  values: Record<string, string>;
  released: Map<string, string>;
  solved: Set<string>;
  admissibility: (c: { exhibit: string; sha256: string }) => Promise<Admissibility>;
  charges: AssessedCharge[];
  provisional: number;
  evaluations: StoredEvaluation[];
  evaluationsNeeded: number;
  /** Distinct evaluators whose latest evaluation counts. */
  evaluationsDone: number;
  final: number | null;
  points: number;
  awardedPoints: number | null;
};

export async function assess(
  ctx: AppContext,
  db: Db | Tx,
  definition: ScenarioDefinition,
  team: Selectable<TeamTable>,
  row: Selectable<CaseFileTable> | null,
  cache: HashCache,
): Promise<Assessment> {
  const [released, solved, evalRows] = await Promise.all([
    releasedExhibits(db, team.id),
    solvedObjectives(db, team.id),
    row ? db.selectFrom('case_file_evaluations').selectAll().where('case_file_id', '=', row.id).orderBy('round').execute() : Promise.resolve([]),
  ]);
  const admissibility = async (c: { exhibit: string; sha256: string }): Promise<Admissibility> => {
    const copy = released.get(c.exhibit);
    if (copy === undefined) return { admissible: false, reason: 'not_released' };
    if (copy !== c.sha256) return { admissible: false, reason: 'copy_changed' };
    if ((await rehashOnce(ctx, cache, c.sha256)) !== c.sha256) return { admissible: false, reason: 'file_altered' };
    return { admissible: true, reason: null };
  };
  const prosecution = definition.prosecution ?? null;
  const evaluations = evalRows.map(parseEvaluation);
  const evaluationsNeeded = prosecution?.secondEvaluator ? 2 : 1;
  const partly = prosecution?.partlyPercent ?? 0;
  const doc = parseDocument(row);
  const charges: AssessedCharge[] = [];
  const autoCredit = new Map<string, number>();
  const supported = new Set<string>();
  for (const charge of prosecution?.charges ?? []) {
    const chosen = doc.charges.find((c) => c.chargeId === charge.id);
    const elements = new Map<string, AssessedElement>();
    for (const el of charge.elements) {
      const stored = chosen?.elements.find((e) => e.elementId === el.id) ?? null;
      const citations = await Promise.all((stored?.citations ?? []).map(async (c) => ({ ...c, ...(await admissibility(c)) })));
      const automatic = chosen
        ? automaticCheck(el, { facts: stored?.facts ?? [], admissibleExhibits: citations.filter((c) => c.admissible).map((c) => c.exhibit) }, solved)
        : { status: 'unsupported' as const, facts: 0, exhibits: 0, needs: { facts: el.needs.facts, exhibits: el.needs.exhibits } };
      const k = elementKey(charge.id, el.id);
      autoCredit.set(k, automaticCredit(automatic.status, partly));
      if (automatic.status === 'supported') supported.add(k);
      elements.set(el.id, { stored, citations, automatic, verdict: null });
    }
    charges.push({ charge, chosen: chosen !== undefined, ready: chargeReady(charge, chosen !== undefined, (k) => supported.has(k)), elements });
  }
  const result = prosecution ? finalResult(evaluations, evaluationsNeeded, partly) : null;
  if (result)
    for (const c of charges) {
      for (const [id, el] of c.elements) el.verdict = result.verdict.get(elementKey(c.charge.id, id)) ?? 'not_proven';
      c.ready = chargeReady(c.charge, c.chosen, (k) => result.verdict.get(k) === 'proven');
    }
  const final = prosecution && result ? readinessOf(prosecution, result.credit) : null;
  const points = prosecution?.points ?? 0;
  return {
    definition,
    prosecution,
    values: JSON.parse(team.variables) as Record<string, string>,
    released,
    solved,
    admissibility,
    charges,
    provisional: prosecution ? readinessOf(prosecution, autoCredit) : 0,
    evaluations,
    evaluationsNeeded,
    evaluationsDone: new Set(evaluations.map((e) => e.evaluatorId)).size,
    final,
    points,
    awardedPoints: final === null ? null : caseFilePoints(points, final),
  };
}

/**
 * Whether the caller may see the automatic check and what derives from it (provisional readiness,
 * a charge ready before the experts' result): staff, or a team once the exercise has ended. Its
 * counts, cited one exhibit at a time, would tell a team which facts and exhibits the scenario lists.
 */
export const seesAutomaticCheck = (staff: boolean, exercise: Pick<Selectable<ExerciseTable>, 'status'>) => staff || exercise.status === 'ended';

/** The readiness one evaluation alone gives. */
export function evaluationReadiness(prosecution: ScenarioProsecution, e: StoredEvaluation): number {
  return readinessOf(prosecution, new Map(e.verdicts.map((v) => [elementKey(v.chargeId, v.elementId), verdictCredit(v.verdict, prosecution.partlyPercent)])));
}

/** A team's texts are rendered with its values. */
export const renderText = (text: LocalizedText | undefined, values: Record<string, string>): LocalizedText | null =>
  text ? Object.fromEntries(Object.entries(text).map(([lang, t]) => [lang, renderTemplate(t, values)])) : null;
