import type { Selectable } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import type { CaseFileEntityTable, CaseFileEventTable, CaseFileTable, ExerciseTable, TeamTable } from '../../core/db/schema.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import type { Actor } from '../../core/permissions.ts';
import { AppError, conflict, forbidden, notFound, validationError } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { isStaff, requireExerciseRole, type ExerciseRole } from '../exercises/access.ts';
import { definitionOf, publishReleases, syncTeamIfDue, type Due } from '../exercises/releases.ts';
import { loadExercise } from '../exercises/service.ts';
import { lockTeam } from '../scoring/access.ts';
import type { ScenarioDefinition } from '../scenarios/definition.ts';
import {
  assess,
  emptyDocument,
  evaluationReadiness,
  lockOf,
  newHashCache,
  parseDocument,
  releasedExhibits,
  releasedObjectives,
  renderText,
  seesAutomaticCheck,
  type Assessment,
  type HashCache,
  type StoredCitation,
  type StoredDocument,
} from './assess.ts';
import type { CaseFile, CaseFileSave, CaseFileVersion, Citation, EntityCreate, Entity, LockReason, TimelineEvent, TimelineEventCreate, VersionSummary } from './schemas.ts';

// The case file of a team: reading it (the team its own, staff any team with
// ?teamId=), draft saves with optimistic concurrency (every save kept as a
// version), entities and timeline events, and the captain's submission. Writes
// are refused once submitted, once the team's time is up, and while the exercise is paused.

export type Meta = { ip: string | null; requestId: string };

export type ReadScope = { role: ExerciseRole; exercise: Selectable<ExerciseTable>; definition: ScenarioDefinition; team: Selectable<TeamTable> };

/** Whose case file the caller reads: a participant only its own team's (another team id → 404), staff the team they name. */
export async function readScope(ctx: AppContext, actor: Actor, exerciseId: string, requestedTeamId: string | undefined): Promise<ReadScope> {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  let teamId: string;
  if (role.kind === 'participant') {
    if (requestedTeamId !== undefined && requestedTeamId !== role.teamId) throw notFound('Team');
    teamId = role.teamId;
  } else {
    if (!requestedTeamId) throw validationError('querystring.teamId', 'choose the team whose case file to read');
    teamId = requestedTeamId;
  }
  const team = await db.selectFrom('teams').selectAll().where('id', '=', teamId).where('exercise_id', '=', exerciseId).executeTakeFirst();
  if (!team) throw notFound('Team');
  const exercise = await loadExercise(db, exerciseId);
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  if (role.kind === 'participant' && exercise.started_at) {
    const fresh = await db.transaction().execute((tx) => syncTeamIfDue(ctx, tx, exercise, definition, team));
    publishReleases(ctx, exerciseId, team.id, fresh);
  }
  return { role, exercise, definition, team };
}

const caseFileOf = (db: Db | Tx, teamId: string) => db.selectFrom('case_files').selectAll().where('team_id', '=', teamId).executeTakeFirst().then((r) => r ?? null);

type WriteScope = { exercise: Selectable<ExerciseTable>; definition: ScenarioDefinition; team: Selectable<TeamTable>; row: Selectable<CaseFileTable>; due: Due };

/** A pause refuses writes the way it refuses answers (reason 'paused'); the other locks are reason 'locked'. */
const lockedError = (lock: LockReason) =>
  lock === 'paused'
    ? new AppError('conflict', 'The exercise is paused: the case file can be changed again when it resumes', { reason: 'paused' })
    : new AppError(
        'conflict',
        lock === 'submitted' ? 'The case file has been submitted: it can no longer be changed' : lock === 'deadline' ? "Your team's time is up: the case file can no longer be changed" : 'The exercise has not started yet',
        { reason: 'locked', lock },
      );

/**
 * In the caller's transaction: the caller's team (staff 403, outsiders 404), its
 * row locked on PostgreSQL so that writes to one case file are serialised, and
 * the case file (created empty on first use). Refuses when the case file is locked.
 */
async function writeScope(ctx: AppContext, tx: Tx, actor: Actor, exerciseId: string): Promise<WriteScope> {
  const role = await requireExerciseRole(tx, actor, exerciseId);
  if (role.kind !== 'participant') throw forbidden('Only the members of a team can change its case file');
  await lockTeam(tx, ctx.database.dialect, role.teamId);
  const team = await tx.selectFrom('teams').selectAll().where('id', '=', role.teamId).executeTakeFirstOrThrow();
  const exercise = await loadExercise(tx, exerciseId);
  const definition = await definitionOf(ctx, tx, exercise.scenario_id);
  let row = await caseFileOf(tx, team.id);
  const lock = lockOf(exercise, team, row, ctx.clock.now());
  if (lock) throw lockedError(lock);
  if (!row) {
    row = { id: newId(), exercise_id: exerciseId, team_id: team.id, status: 'draft', version: 0, document: JSON.stringify(emptyDocument()), saved_at: null, saved_by: null, submitted_at: null, submitted_by: null, created_at: iso(ctx.clock.now()) };
    await tx.insertInto('case_files').values(row).execute();
  }
  // What became due is released first, so that the team can cite it.
  const due = await syncTeamIfDue(ctx, tx, exercise, definition, team);
  return { exercise, definition, team, row, due };
}

/** The hash of the team's copy of an exhibit it may cite, or a 400 naming the field. */
function citable(released: Map<string, string>, exhibit: string, field: string): string {
  const sha256 = released.get(exhibit);
  if (sha256 === undefined) throw validationError(field, `"${exhibit}" is not an exhibit released to your team`);
  return sha256;
}

// ---- Presentation --------------------------------------------------------------

type People = Map<string, string>;
async function peopleOf(db: Db | Tx, ids: Iterable<string | null>): Promise<People> {
  const list = [...new Set([...ids].filter((x): x is string => x !== null))];
  if (list.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
const personOf = (people: People, id: string) => ({ userId: id, displayName: people.get(id) ?? '' });

async function citationView(a: Assessment, c: StoredCitation, relevant: boolean | null): Promise<Citation> {
  const item = a.definition.evidence.find((e) => e.id === c.exhibit);
  const adm = await a.admissibility(c);
  return { exhibit: c.exhibit, title: item && a.released.has(c.exhibit) ? renderText(item.title, a.values) : null, sha256: c.sha256, citedAt: c.citedAt, ...adm, relevant };
}

const storedCitation = (r: { exhibit_key: string | null; sha256: string | null; cited_at: string | null }): StoredCitation | null =>
  r.exhibit_key && r.sha256 && r.cited_at ? { exhibit: r.exhibit_key, sha256: r.sha256, citedAt: r.cited_at } : null;

async function entityView(a: Assessment, r: Selectable<CaseFileEntityTable>, people: People): Promise<Entity> {
  const c = storedCitation(r);
  return {
    id: r.id,
    kind: r.kind as Entity['kind'],
    value: r.value,
    label: r.label,
    note: r.note,
    citation: c ? await citationView(a, c, null) : null,
    createdBy: personOf(people, r.created_by),
    createdAt: r.created_at,
  };
}

async function eventView(a: Assessment, r: Selectable<CaseFileEventTable>, people: People): Promise<TimelineEvent> {
  const c = storedCitation(r);
  return { id: r.id, at: r.at, description: r.description, citation: c ? await citationView(a, c, null) : null, createdBy: personOf(people, r.created_by), createdAt: r.created_at };
}

const entitiesOf = (db: Db | Tx, caseFileId: string) => db.selectFrom('case_file_entities').selectAll().where('case_file_id', '=', caseFileId).orderBy('created_at').orderBy('id').execute();
const eventsOf = (db: Db | Tx, caseFileId: string) => db.selectFrom('case_file_events').selectAll().where('case_file_id', '=', caseFileId).orderBy('at').orderBy('id').execute();

/** The case file as the caller may see it. */
export async function presentCaseFile(ctx: AppContext, db: Db | Tx, scope: ReadScope, actor: Actor, cache: HashCache = newHashCache()): Promise<CaseFile> {
  const { team, exercise, definition, role } = scope;
  const row = await caseFileOf(db, team.id);
  const a = await assess(ctx, db, definition, team, row, cache);
  const [entities, events] = row ? await Promise.all([entitiesOf(db, row.id), eventsOf(db, row.id)]) : [[], []];
  const people = await peopleOf(db, [row?.saved_by ?? null, row?.submitted_by ?? null, ...entities.map((e) => e.created_by), ...events.map((e) => e.created_by), ...a.evaluations.map((e) => e.evaluatorId)]);
  const staff = isStaff(role);
  const lock = lockOf(exercise, team, row, ctx.clock.now());
  const objectives = new Map(definition.objectives.map((o) => [o.id, o]));
  const releasedFacts = await releasedObjectives(db, team.id);
  const final = a.final !== null;
  const showAutomatic = seesAutomaticCheck(staff, exercise);
  const charges = await Promise.all(
    a.charges.map(async (c) => ({
      chargeId: c.charge.id,
      title: renderText(c.charge.title, a.values) ?? {},
      basis: c.charge.basis.source === 'budapest' ? c.charge.basis : { source: 'national' as const, code: renderText(c.charge.basis.code, a.values) ?? {}, article: c.charge.basis.article },
      description: renderText(c.charge.description, a.values),
      chosen: c.chosen,
      ready: showAutomatic || final ? c.ready : false,
      elements: await Promise.all(
        c.charge.elements.map(async (el) => {
          const e = c.elements.get(el.id)!;
          return {
            elementId: el.id,
            title: renderText(el.title, a.values) ?? {},
            rubric: renderText(el.rubric, a.values) ?? {},
            weight: el.weight,
            required: el.required,
            finding: e.stored?.finding ?? '',
            reasoning: e.stored?.reasoning ?? '',
            facts: (e.stored?.facts ?? []).map((f) => ({
              objectiveKey: f,
              prompt: releasedFacts.has(f) ? renderText(objectives.get(f)?.prompt, a.values) : null,
              established: a.solved.has(f),
              relevant: staff ? el.facts.includes(f) : null,
            })),
            citations: await Promise.all((e.stored?.citations ?? []).map((x) => citationView(a, x, staff ? el.exhibits.includes(x.exhibit) : null))),
            automatic: showAutomatic ? e.automatic : null,
            verdict: final ? e.verdict : null,
          };
        }),
      ),
    })),
  );
  const visibleEvaluations = staff || final ? a.evaluations : [];
  return {
    exerciseId: exercise.id,
    teamId: team.id,
    teamName: team.name,
    status: row?.status ?? 'draft',
    version: row?.version ?? 0,
    savedAt: row?.saved_at ?? null,
    savedBy: row?.saved_by ? personOf(people, row.saved_by) : null,
    submittedAt: row?.submitted_at ?? null,
    submittedBy: row?.submitted_by ? personOf(people, row.submitted_by) : null,
    locked: lock,
    canSubmit: role.kind === 'participant' && team.captain_user_id === actor.userId && lock === null && (row?.version ?? 0) > 0,
    prosecution: a.prosecution !== null,
    partlyPercent: a.prosecution?.partlyPercent ?? 0,
    charges,
    entities: await Promise.all(entities.map((r) => entityView(a, r, people))),
    timeline: await Promise.all(events.map((r) => eventView(a, r, people))),
    readiness: { provisional: showAutomatic ? a.provisional : null, final: a.final, evaluationsNeeded: a.evaluationsNeeded, evaluationsDone: a.evaluationsDone, points: a.points, awardedPoints: a.awardedPoints },
    evaluations: visibleEvaluations.map((e) => ({
      id: e.id,
      evaluator: personOf(people, e.evaluatorId),
      round: e.round,
      readiness: a.prosecution ? evaluationReadiness(a.prosecution, e) : 0,
      comment: e.comment,
      elements: e.verdicts,
      createdAt: e.createdAt,
    })),
  };
}

export async function getCaseFile(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string | undefined): Promise<CaseFile> {
  const scope = await readScope(ctx, actor, exerciseId, teamId);
  return presentCaseFile(ctx, ctx.database.db, scope, actor);
}

/** After commit: the team's pages and the staff's overview refresh (and hear of releases the write brought). */
function publishChange(ctx: AppContext, scope: WriteScope, data: { version: number; status: 'draft' | 'submitted'; change: string }) {
  const exerciseId = scope.exercise.id;
  const teamId = scope.team.id;
  publishReleases(ctx, exerciseId, teamId, scope.due);
  ctx.events.publish({ channel: `team:${teamId}`, type: 'case_file', data: { exerciseId, ...data } });
  ctx.events.publish({ channel: `staff:${exerciseId}`, type: 'case_file', data: { teamId, ...data } });
}

// ---- Draft saves and versions -------------------------------------------------

/** Checks the findings document against the scenario and what the team holds; records the hash of each new citation. */
async function documentOf(ctx: AppContext, tx: Tx, scope: WriteScope, input: CaseFileSave): Promise<StoredDocument> {
  const charges = scope.definition.prosecution?.charges ?? [];
  const [released, facts] = await Promise.all([releasedExhibits(tx, scope.team.id), releasedObjectives(tx, scope.team.id)]);
  const previous = parseDocument(scope.row);
  const now = iso(ctx.clock.now());
  const seenCharges = new Set<string>();
  return {
    charges: input.charges.map((c, i) => {
      const charge = charges.find((x) => x.id === c.chargeId);
      if (!charge) throw validationError(`body.charges.${i}.chargeId`, `the scenario has no charge "${c.chargeId}"`);
      if (seenCharges.has(c.chargeId)) throw validationError(`body.charges.${i}.chargeId`, `charge "${c.chargeId}" is given twice`);
      seenCharges.add(c.chargeId);
      const seenElements = new Set<string>();
      return {
        chargeId: c.chargeId,
        elements: c.elements.map((e, j) => {
          const at = `body.charges.${i}.elements.${j}`;
          if (!charge.elements.some((x) => x.id === e.elementId)) throw validationError(`${at}.elementId`, `charge "${c.chargeId}" has no element "${e.elementId}"`);
          if (seenElements.has(e.elementId)) throw validationError(`${at}.elementId`, `element "${e.elementId}" is given twice`);
          seenElements.add(e.elementId);
          e.facts.forEach((f, k) => {
            if (!facts.has(f)) throw validationError(`${at}.facts.${k}`, `"${f}" is not an objective released to your team`);
          });
          const before = previous.charges.find((x) => x.chargeId === c.chargeId)?.elements.find((x) => x.elementId === e.elementId)?.citations ?? [];
          const citations = [...new Set(e.exhibits)].map((exhibit): StoredCitation => {
            const sha256 = citable(released, exhibit, `${at}.exhibits.${e.exhibits.indexOf(exhibit)}`);
            // A citation kept from the previous version keeps the hash recorded when it was made.
            return before.find((b) => b.exhibit === exhibit) ?? { exhibit, sha256, citedAt: now };
          });
          return { elementId: e.elementId, finding: e.finding, facts: [...new Set(e.facts)], reasoning: e.reasoning, citations };
        }),
      };
    }),
  };
}

/** The version's contents as they are now: the document, entities and timeline. */
async function snapshotOf(tx: Tx, caseFileId: string, document: StoredDocument) {
  const [entities, events] = await Promise.all([entitiesOf(tx, caseFileId), eventsOf(tx, caseFileId)]);
  return {
    document,
    entities: entities.map((e) => ({ kind: e.kind as Entity['kind'], value: e.value, label: e.label, note: e.note, exhibit: e.exhibit_key, sha256: e.sha256 })),
    timeline: events.map((e) => ({ at: e.at, description: e.description, exhibit: e.exhibit_key, sha256: e.sha256 })),
  };
}

async function writeVersion(ctx: AppContext, tx: Tx, scope: WriteScope, document: StoredDocument, kind: 'save' | 'submit', actor: Actor): Promise<number> {
  const version = scope.row.version + 1;
  const now = iso(ctx.clock.now());
  const snapshot = await snapshotOf(tx, scope.row.id, document);
  await tx
    .insertInto('case_file_versions')
    .values({ id: newId(), case_file_id: scope.row.id, exercise_id: scope.exercise.id, team_id: scope.team.id, version, kind, snapshot: JSON.stringify(snapshot), saved_by: actor.userId, saved_at: now })
    .execute();
  const updated = await tx
    .updateTable('case_files')
    .set({
      version,
      document: JSON.stringify(document),
      saved_at: now,
      saved_by: actor.userId,
      ...(kind === 'submit' ? { status: 'submitted' as const, submitted_at: now, submitted_by: actor.userId } : {}),
    })
    .where('id', '=', scope.row.id)
    .where('version', '=', scope.row.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw versionConflict(scope.row.version + 1);
  return version;
}

const versionConflict = (currentVersion: number) => conflict(`The case file has changed since you opened it: the current version is ${currentVersion}`, { reason: 'version', currentVersion });

export async function saveDraft(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, input: CaseFileSave): Promise<CaseFile> {
  const result = await ctx.database.db.transaction().execute(async (tx) => {
    const scope = await writeScope(ctx, tx, actor, exerciseId);
    if (input.baseVersion !== scope.row.version) throw versionConflict(scope.row.version);
    const document = await documentOf(ctx, tx, scope, input);
    const version = await writeVersion(ctx, tx, scope, document, 'save', actor);
    return { scope, version };
  });
  publishChange(ctx, result.scope, { version: result.version, status: 'draft', change: 'saved' });
  return getCaseFile(ctx, actor, exerciseId, undefined);
}

export async function submitCaseFile(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, version: number, meta: Meta): Promise<CaseFile> {
  const result = await ctx.database.db.transaction().execute(async (tx) => {
    const scope = await writeScope(ctx, tx, actor, exerciseId);
    if (scope.team.captain_user_id !== actor.userId) throw forbidden('Only the team captain can submit the case file');
    if (scope.row.version === 0) throw conflict('Save the case file before submitting it', { reason: 'empty' });
    if (version !== scope.row.version) throw versionConflict(scope.row.version);
    const submitted = await writeVersion(ctx, tx, scope, parseDocument(scope.row), 'submit', actor);
    await recordAudit(tx, ctx.clock, {
      action: 'case_file.submitted',
      outcome: 'success',
      actor,
      target: { type: 'team', id: scope.team.id },
      ip: meta.ip,
      requestId: meta.requestId,
      details: { exerciseId, caseFileId: scope.row.id, version: submitted },
    });
    return { scope, version: submitted };
  });
  publishChange(ctx, result.scope, { version: result.version, status: 'submitted', change: 'submitted' });
  return getCaseFile(ctx, actor, exerciseId, undefined);
}

export async function listVersions(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, teamId: string | undefined): Promise<{ items: VersionSummary[]; current: number }> {
  const scope = await readScope(ctx, actor, exerciseId, teamId);
  const { db } = ctx.database;
  const rows = await db.selectFrom('case_file_versions').selectAll().where('team_id', '=', scope.team.id).orderBy('version', 'desc').execute();
  const people = await peopleOf(db, rows.map((r) => r.saved_by));
  const row = await caseFileOf(db, scope.team.id);
  return { items: rows.map((r) => summaryOf(r, people)), current: row?.version ?? 0 };
}

type VersionRow = { version: number; kind: 'save' | 'submit'; saved_at: string; saved_by: string; snapshot: string };
type Snapshot = Pick<CaseFileVersion, 'document' | 'entities' | 'timeline'>;
function summaryOf(r: VersionRow, people: People): VersionSummary {
  const s = JSON.parse(r.snapshot) as Snapshot;
  return { version: r.version, savedAt: r.saved_at, savedBy: personOf(people, r.saved_by), kind: r.kind, charges: s.document.charges.length, entities: s.entities.length, events: s.timeline.length };
}

export async function getVersion(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, version: number, teamId: string | undefined): Promise<CaseFileVersion> {
  const scope = await readScope(ctx, actor, exerciseId, teamId);
  const { db } = ctx.database;
  const r = await db.selectFrom('case_file_versions').selectAll().where('team_id', '=', scope.team.id).where('version', '=', version).executeTakeFirst();
  if (!r) throw notFound('Version');
  const s = JSON.parse(r.snapshot) as Snapshot;
  return { ...summaryOf(r, await peopleOf(db, [r.saved_by])), document: s.document, entities: s.entities, timeline: s.timeline };
}

// ---- Entities and timeline events -----------------------------------------------

async function citationOf(ctx: AppContext, tx: Tx, teamId: string, exhibit: string | undefined) {
  if (!exhibit) return { exhibit_key: null, sha256: null, cited_at: null };
  const sha256 = citable(await releasedExhibits(tx, teamId), exhibit, 'body.exhibit');
  return { exhibit_key: exhibit, sha256, cited_at: iso(ctx.clock.now()) };
}

/** An entity or event just added, as its team sees it. */
async function viewOfOne<T>(ctx: AppContext, scope: Pick<WriteScope, 'definition' | 'team'>, present: (a: Assessment, people: People) => Promise<T>, createdBy: string): Promise<T> {
  const { db } = ctx.database;
  const a = await assess(ctx, db, scope.definition, scope.team, null, newHashCache());
  return present(a, await peopleOf(db, [createdBy]));
}

export async function addEntity(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, input: EntityCreate): Promise<Entity> {
  const made = await ctx.database.db.transaction().execute(async (tx) => {
    const scope = await writeScope(ctx, tx, actor, exerciseId);
    const row: Selectable<CaseFileEntityTable> = {
      id: newId(),
      case_file_id: scope.row.id,
      team_id: scope.team.id,
      kind: input.kind,
      value: input.value,
      label: input.label || null,
      note: input.note || null,
      ...(await citationOf(ctx, tx, scope.team.id, input.exhibit)),
      created_by: actor.userId,
      created_at: iso(ctx.clock.now()),
    };
    await tx.insertInto('case_file_entities').values(row).execute();
    return { scope, row };
  });
  publishChange(ctx, made.scope, { version: made.scope.row.version, status: 'draft', change: 'entity_added' });
  return viewOfOne(ctx, made.scope, (a, people) => entityView(a, made.row, people), actor.userId);
}

export async function addEvent(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, input: TimelineEventCreate): Promise<TimelineEvent> {
  const made = await ctx.database.db.transaction().execute(async (tx) => {
    const scope = await writeScope(ctx, tx, actor, exerciseId);
    const row: Selectable<CaseFileEventTable> = {
      id: newId(),
      case_file_id: scope.row.id,
      team_id: scope.team.id,
      at: new Date(input.at).toISOString(),
      description: input.description,
      ...(await citationOf(ctx, tx, scope.team.id, input.exhibit)),
      created_by: actor.userId,
      created_at: iso(ctx.clock.now()),
    };
    await tx.insertInto('case_file_events').values(row).execute();
    return { scope, row };
  });
  publishChange(ctx, made.scope, { version: made.scope.row.version, status: 'draft', change: 'event_added' });
  return viewOfOne(ctx, made.scope, (a, people) => eventView(a, made.row, people), actor.userId);
}

export async function removeItem(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, table: 'case_file_entities' | 'case_file_events', itemId: string): Promise<void> {
  const scope = await ctx.database.db.transaction().execute(async (tx) => {
    const scope = await writeScope(ctx, tx, actor, exerciseId);
    const deleted = await tx.deleteFrom(table).where('id', '=', itemId).where('case_file_id', '=', scope.row.id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) throw notFound(table === 'case_file_entities' ? 'Entity' : 'Event');
    return scope;
  });
  publishChange(ctx, scope, { version: scope.row.version, status: 'draft', change: table === 'case_file_entities' ? 'entity_removed' : 'event_removed' });
}
