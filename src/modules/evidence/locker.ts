import type { Selectable } from 'kysely';
import type { ExerciseTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { Actor } from '../../core/permissions.ts';
import { notFound } from '../../core/errors.ts';
import { renderTemplate } from '../scenarios/templates.ts';
import type { LocalizedText, ScenarioDefinition, ScenarioEvidence } from '../scenarios/definition.ts';
import { requireExerciseRole, type ExerciseRole } from '../exercises/access.ts';
import { loadExercise } from '../exercises/service.ts';
import { definitionOf, publishReleases, syncTeam } from '../exercises/releases.ts';
import { inlineContentType } from './http-content.ts';
import type { EvidenceItem } from './schemas.ts';

// The evidence locker: what one team holds (the items released to it, each in
// the team's own variant), or, for staff without a team, the scenario's items.
// Every read path (list, metadata, content) goes through lockerScope and then
// lockerItems, so an item a caller may not see is simply not found.

export type LockerScope = {
  role: ExerciseRole;
  exercise: Selectable<ExerciseTable>;
  definition: ScenarioDefinition;
  /** The team whose locker is read; null: the scenario's own items (staff only). */
  teamId: string | null;
  values: Record<string, string>;
};

export type LockerItem = EvidenceItem;

/**
 * Whose locker a request reads. A participant always reads its own team's:
 * naming another team answers 404, like an exercise it has no part in. Staff
 * read a team's with ?teamId= (a team of this exercise), or the scenario's items.
 * Reads bring the team's releases up to date first, as the team view does.
 */
export async function lockerScope(ctx: AppContext, actor: Actor, exerciseId: string, requestedTeamId: string | undefined): Promise<LockerScope> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  let teamId: string | null;
  if (role.kind === 'participant') {
    if (requestedTeamId !== undefined && requestedTeamId !== role.teamId) throw notFound('Team');
    teamId = role.teamId;
  } else {
    teamId = requestedTeamId ?? null;
  }
  const exercise = await loadExercise(db, exerciseId);
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  let values: Record<string, string> = {};
  if (teamId) {
    const team = await db.selectFrom('teams').selectAll().where('id', '=', teamId).where('exercise_id', '=', exerciseId).executeTakeFirst();
    if (!team) throw notFound('Team');
    values = JSON.parse(team.variables) as Record<string, string>;
    if (exercise.started_at) {
      const fresh = await db.transaction().execute((tx) => syncTeam(ctx, tx, exercise, definition, team));
      publishReleases(ctx, exerciseId, team.id, fresh);
    }
  }
  return { role, exercise, definition, teamId, values };
}

/** A team's texts are rendered with its values; the scenario's items keep their placeholders. */
const render = (text: LocalizedText | undefined, values: Record<string, string> | null): LocalizedText | null =>
  text ? Object.fromEntries(Object.entries(text).map(([lang, t]) => [lang, values ? renderTemplate(t, values) : t])) : null;

/** The one visibility query of evidence items: a team's released items with its variants, or the scenario's items. */
export async function lockerItems(ctx: AppContext, scope: LockerScope, onlyKey?: string): Promise<LockerItem[]> {
  const { db } = ctx.database;
  const byKey = new Map(scope.definition.evidence.map((e) => [e.id, e]));
  let files = db.selectFrom('scenario_files').select(['path', 'sha256', 'size', 'media_type']).where('scenario_id', '=', scope.exercise.scenario_id);
  if (onlyKey !== undefined) {
    const item = byKey.get(onlyKey);
    if (!item) return [];
    files = files.where('path', '=', item.file);
  }
  const fileByPath = new Map((await files.execute()).map((f) => [f.path, f]));
  const present = (e: ScenarioEvidence, held: { sha256: string; size: number; releasedAt: string | null }): LockerItem => {
    const mediaType = fileByPath.get(e.file)?.media_type ?? e.mediaType ?? 'application/octet-stream';
    return {
      key: e.id,
      title: render(e.title, scope.teamId ? scope.values : null) ?? {},
      description: render(e.description, scope.teamId ? scope.values : null),
      kind: e.kind,
      fileName: e.file.split('/').pop() ?? e.file,
      mediaType,
      inlineViewable: inlineContentType(mediaType) !== null,
      sha256: held.sha256,
      size: Number(held.size),
      teamId: scope.teamId,
      releasedAt: held.releasedAt,
    };
  };

  if (scope.teamId === null) {
    const items = onlyKey !== undefined ? [byKey.get(onlyKey)!] : scope.definition.evidence;
    return items.flatMap((e) => {
      const f = fileByPath.get(e.file);
      return f ? [present(e, { sha256: f.sha256, size: f.size, releasedAt: null })] : [];
    });
  }
  let q = db
    .selectFrom('team_releases')
    .innerJoin('team_evidence', (j) => j.onRef('team_evidence.team_id', '=', 'team_releases.team_id').onRef('team_evidence.evidence_key', '=', 'team_releases.item_key'))
    .select(['team_releases.item_key', 'team_releases.released_at', 'team_evidence.sha256', 'team_evidence.size'])
    .where('team_releases.team_id', '=', scope.teamId)
    .where('team_releases.kind', '=', 'evidence');
  if (onlyKey !== undefined) q = q.where('team_releases.item_key', '=', onlyKey);
  const held = new Map((await q.execute()).map((r) => [r.item_key, r]));
  // In the scenario's order, which is the order authors gave.
  return scope.definition.evidence.flatMap((e) => {
    const h = held.get(e.id);
    return h ? [present(e, { sha256: h.sha256, size: h.size, releasedAt: h.released_at })] : [];
  });
}

/** One item of the scope, or 404: unreleased items and unknown keys look the same. */
export async function lockerItem(ctx: AppContext, scope: LockerScope, key: string): Promise<LockerItem> {
  const [item] = await lockerItems(ctx, scope, key);
  if (!item) throw notFound('Evidence');
  return item;
}
