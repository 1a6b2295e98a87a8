import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { forbidden } from '../../core/errors.ts';
import { renderTemplate } from '../scenarios/templates.ts';
import type { LocalizedText } from '../scenarios/definition.ts';
import { requireExerciseRole } from './access.ts';
import { loadExercise, presentClock } from './service.ts';
import { definitionOf, publishReleases, syncTeam } from './releases.ts';

const render = (text: LocalizedText | undefined, values: Record<string, string>): LocalizedText | null => {
  if (!text) return null;
  return Object.fromEntries(Object.entries(text).map(([lang, t]) => [lang, renderTemplate(t, values)]));
};

/**
 * What a team sees of its exercise: the briefing, its clock, the evidence and
 * objectives released to it (rendered with its own values), injects and
 * announcements. Answers never leave the server.
 */
export async function teamView(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string) {
  const { db } = ctx.database;
  const role = await requireExerciseRole(db, actor, exerciseId);
  if (role.kind !== 'participant') throw forbidden('This view is for the members of a team');
  const teamId = role.teamId;
  const exercise = await loadExercise(db, exerciseId);
  const definition = await definitionOf(ctx, undefined, exercise.scenario_id);
  const team = await db.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirstOrThrow();
  // Reads bring the team's releases up to date, so nothing waits for the ticker.
  const fresh = await db.transaction().execute((tx) => syncTeam(ctx, tx, exercise, definition, team));
  publishReleases(ctx, exerciseId, teamId, fresh);

  const values = JSON.parse(team.variables) as Record<string, string>;
  const releases = await db.selectFrom('team_releases').selectAll().where('team_id', '=', teamId).execute();
  const released = (kind: 'evidence' | 'objective') => new Map(releases.filter((r) => r.kind === kind).map((r) => [r.item_key, r.released_at]));
  const evidenceReleased = released('evidence');
  const objectivesReleased = released('objective');
  const variants = new Map((await db.selectFrom('team_evidence').selectAll().where('team_id', '=', teamId).execute()).map((v) => [v.evidence_key, v]));
  const scores = new Map((await db.selectFrom('objective_scores').selectAll().where('team_id', '=', teamId).execute()).map((s) => [s.objective_key, s]));
  const attempts = await db
    .selectFrom('submissions')
    .select(['objective_key', (eb) => eb.fn.countAll<number>().as('n')])
    .where('team_id', '=', teamId)
    .groupBy('objective_key')
    .execute();
  const attemptsBy = new Map(attempts.map((a) => [a.objective_key, Number(a.n)]));
  const unlocked = new Map((await db.selectFrom('hint_unlocks').selectAll().where('team_id', '=', teamId).execute()).map((h) => [h.hint_key, h]));
  const fired = await db
    .selectFrom('fired_injects')
    .select(['inject_key', 'fired_at'])
    .where('exercise_id', '=', exerciseId)
    .where('team_id', 'in', [teamId, '*'])
    .orderBy('fired_at')
    .execute();
  const announcements = await db.selectFrom('announcements').select(['id', 'message', 'created_at']).where('exercise_id', '=', exerciseId).orderBy('created_at').execute();
  const solved = (key: string) => scores.get(key)?.solved_at != null;

  return {
    exercise: { id: exercise.id, title: exercise.title, mode: exercise.mode, status: exercise.status },
    clock: presentClock(exercise, ctx.clock.now(), team.extra_seconds),
    team: { id: team.id, name: team.name, captainUserId: team.captain_user_id },
    briefing: render(definition.briefing, values) ?? {},
    evidence: definition.evidence
      .filter((e) => evidenceReleased.has(e.id))
      .map((e) => ({
        id: e.id,
        title: render(e.title, values) ?? {},
        description: render(e.description, values),
        kind: e.kind,
        fileName: e.file.split('/').pop() ?? e.file,
        mediaType: e.mediaType ?? null,
        sha256: variants.get(e.id)?.sha256 ?? '',
        size: Number(variants.get(e.id)?.size ?? 0),
        releasedAt: evidenceReleased.get(e.id)!,
      })),
    // `position`: the objective's 1-based place in the scenario, the number trainers see too.
    objectives: definition.objectives
      .map((o, index) => ({ o, position: index + 1 }))
      .filter(({ o }) => objectivesReleased.has(o.id))
      .map(({ o, position }) => {
        const locked = o.requires.some((r) => !solved(r));
        const score = scores.get(o.id);
        return {
          id: o.id,
          position,
          prompt: locked ? null : render(o.prompt, values),
          points: o.points,
          answerType: o.answer.type,
          locked,
          requires: o.requires,
          skills: o.skills,
          attempts: attemptsBy.get(o.id) ?? 0,
          maxAttempts: o.maxAttempts ?? null,
          solved: score?.solved_at != null,
          creditPercent: score ? Math.round(score.credit_permille / 10) : 0,
          solvedAt: score?.solved_at ?? null,
        };
      }),
    hints: definition.hints
      .filter((h) => !h.objective || objectivesReleased.has(h.objective))
      .map((h) => ({ id: h.id, objective: h.objective ?? null, cost: h.cost, unlocked: unlocked.has(h.id), paid: unlocked.get(h.id)?.cost ?? null, text: unlocked.has(h.id) ? render(h.text, values) : null })),
    injects: fired.flatMap((f) => {
      const inject = definition.injects.find((i) => i.id === f.inject_key);
      return inject ? [{ id: inject.id, title: render(inject.title, values) ?? {}, message: render(inject.message, values), firedAt: f.fired_at }] : [];
    }),
    announcements: announcements.map((a) => ({ id: a.id, message: a.message, createdAt: a.created_at })),
    scoring: { advicePenalty: definition.scoring.advicePenalty, mode: definition.scoring.mode },
  };
}
