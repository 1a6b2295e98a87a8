import { iso } from '../../core/clock.ts';
import type { AppContext } from '../../core/http/types.ts';
import type { Actor } from '../../core/permissions.ts';
import { requireOrganiser } from '../exercises/access.ts';
import { loadExercise } from '../exercises/service.ts';
import { verifyCustodyChain } from './custody.ts';
import type { FileProblem, FileReference, VerificationReport } from './schemas.ts';

// Integrity of an exercise's evidence: the custody chain (verifyCustodyChain),
// and every stored file the exercise refers to, re-hashed from disk.

/** What a stored file hashes to now (null: missing), shared across exercises within one run. */
export type RehashCache = Map<string, Promise<string | null>>;

/**
 * Re-hashes every stored file referenced by the exercise (the teams' variants
 * and the scenario's files), streaming, and reports any that is missing, whose
 * content no longer matches its name, or whose recorded size is wrong. Each
 * team variant must also still be the one logged when it was released.
 */
export async function verifyStoredEvidence(ctx: AppContext, exerciseId: string, cache: RehashCache = new Map()): Promise<{ checked: number; problems: FileProblem[] }> {
  const { db } = ctx.database;
  const exercise = await loadExercise(db, exerciseId);
  const variants = await db
    .selectFrom('team_evidence')
    .innerJoin('teams', 'teams.id', 'team_evidence.team_id')
    .select(['team_evidence.team_id', 'teams.name', 'team_evidence.evidence_key', 'team_evidence.sha256', 'team_evidence.size'])
    .where('teams.exercise_id', '=', exerciseId)
    .orderBy('teams.name')
    .orderBy('team_evidence.evidence_key')
    .execute();
  const files = await db.selectFrom('scenario_files').select(['path', 'sha256', 'size']).where('scenario_id', '=', exercise.scenario_id).orderBy('path').execute();

  const blobs = new Map<string, { sizes: Set<number>; references: FileReference[] }>();
  const refer = (sha256: string, size: number, ref: FileReference) => {
    const b = blobs.get(sha256) ?? { sizes: new Set<number>(), references: [] };
    b.sizes.add(Number(size));
    b.references.push(ref);
    blobs.set(sha256, b);
  };
  for (const f of files) refer(f.sha256, f.size, { kind: 'scenario_file', path: f.path });
  for (const v of variants) refer(v.sha256, v.size, { kind: 'team_variant', teamId: v.team_id, teamName: v.name, evidenceKey: v.evidence_key });

  const problems: FileProblem[] = [];
  for (const [sha256, { sizes, references }] of [...blobs].sort(([a], [b]) => a.localeCompare(b))) {
    let pending = cache.get(sha256);
    if (!pending) {
      pending = ctx.storage.rehash(sha256);
      cache.set(sha256, pending);
    }
    const actual = await pending;
    if (actual === null) {
      problems.push({ kind: 'missing', sha256, actual: null, message: `stored file ${sha256} is missing`, references });
    } else if (actual !== sha256) {
      problems.push({ kind: 'content_mismatch', sha256, actual, message: `stored file ${sha256} now hashes to ${actual}: its content was changed`, references });
    } else {
      const onDisk = await ctx.storage.size(sha256);
      const wrong = [...sizes].filter((s) => s !== onDisk);
      if (wrong.length > 0) problems.push({ kind: 'size_mismatch', sha256, actual: null, message: `stored file ${sha256} has ${onDisk} bytes but is recorded with ${wrong.join(', ')}`, references });
    }
  }

  // Each variant must be what the chain of custody says was released to the team.
  const released = await db.selectFrom('custody_log').select(['team_id', 'evidence_key', 'sha256']).where('exercise_id', '=', exerciseId).where('action', '=', 'released').execute();
  const releasedAs = new Map(released.map((r) => [`${r.team_id}\0${r.evidence_key}`, r.sha256]));
  for (const v of variants) {
    const logged = releasedAs.get(`${v.team_id}\0${v.evidence_key}`);
    if (logged === v.sha256) continue;
    const references: FileReference[] = [{ kind: 'team_variant', teamId: v.team_id, teamName: v.name, evidenceKey: v.evidence_key }];
    problems.push(
      logged === undefined
        ? { kind: 'record_mismatch', sha256: v.sha256, actual: null, message: `team ${v.name}'s "${v.evidence_key}" has no release in the chain of custody`, references }
        : { kind: 'record_mismatch', sha256: v.sha256, actual: logged, message: `team ${v.name}'s "${v.evidence_key}" is recorded as ${v.sha256} but was released as ${logged}: the record was changed`, references },
    );
  }
  return { checked: blobs.size, problems };
}

/** The whole report for one exercise: chain and files. */
export async function verifyExercise(ctx: AppContext, exerciseId: string, cache: RehashCache = new Map()): Promise<VerificationReport> {
  const { db } = ctx.database;
  const exercise = await loadExercise(db, exerciseId);
  const chain = await verifyCustodyChain(db, exerciseId);
  const files = await verifyStoredEvidence(ctx, exerciseId, cache);
  return {
    exerciseId,
    title: exercise.title,
    verifiedAt: iso(ctx.clock.now()),
    intact: chain.problems.length === 0 && files.problems.length === 0,
    custody: { entries: chain.entries, head: chain.head, intact: chain.problems.length === 0, problems: chain.problems },
    files: { checked: files.checked, intact: files.problems.length === 0, problems: files.problems },
  };
}

/** The exercise's trainers (and administrators) verify it over the API. */
export async function verifyExerciseFor(ctx: AppContext, actor: Actor, exerciseId: string): Promise<VerificationReport> {
  await requireOrganiser(ctx.database.db, actor, exerciseId);
  return verifyExercise(ctx, exerciseId);
}

/** Plain-text lines of a report, for the command line. */
export function formatReport(r: VerificationReport): string[] {
  const lines = [`${r.intact ? 'INTACT ' : 'BROKEN '} exercise ${r.exerciseId} "${r.title}"`];
  lines.push(`  custody chain: ${r.custody.entries} entries${r.custody.head ? `, head ${r.custody.head.position} ${r.custody.head.hash}` : ''}: ${r.custody.intact ? 'intact' : `${r.custody.problems.length} problem(s)`}`);
  for (const p of r.custody.problems) lines.push(`    ${p.kind}${p.position !== null ? ` at position ${p.position}` : ''}: ${p.message}`);
  lines.push(`  stored files: ${r.files.checked} checked: ${r.files.intact ? 'intact' : `${r.files.problems.length} problem(s)`}`);
  for (const p of r.files.problems) {
    const refs = p.references.map((x) => (x.kind === 'scenario_file' ? `scenario file ${x.path}` : `team ${x.teamName} ${x.evidenceKey}`)).join('; ');
    lines.push(`    ${p.kind}: ${p.message} (${refs})`);
  }
  return lines;
}
