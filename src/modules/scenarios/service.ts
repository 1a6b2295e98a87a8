import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import yazl from 'yazl';
import type { Db, Tx } from '../../core/db/index.ts';
import { isUniqueViolation } from '../../core/db/index.ts';
import type { AppContext } from '../../core/http/types.ts';
import { AppError, conflict, notFound } from '../../core/errors.ts';
import { iso } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { BlobTooLarge } from '../../core/storage.ts';
import { recordAudit } from '../audit/service.ts';
import type { ScenarioDefinition } from './definition.ts';
import type { PackageLimits, PackageSource } from './package-source.ts';
import { validatePackage, type Validation } from './validate.ts';
import { presentScenarioDetail, presentScenarioSummary } from './presenters.ts';
import type { ValidationReport } from './schemas.ts';

type Actor = { userId: string; email: string; organisationId: string };
type Meta = { ip: string | null; requestId: string };

export function toReport(v: Validation): ValidationReport {
  return {
    ok: v.ok,
    problems: v.problems,
    warnings: v.warnings,
    summary: v.ok ? { id: v.definition.id, version: v.definition.version, title: v.definition.title, objectives: v.definition.objectives.length, evidence: v.definition.evidence.length } : null,
  };
}

const mediaTypes: Record<string, string> = {
  eml: 'message/rfc822',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  html: 'text/plain',
  md: 'text/markdown',
  xml: 'text/plain',
  pcap: 'application/vnd.tcpdump.pcap',
};
export const mediaTypeOf = (file: string, declared?: string) => declared ?? mediaTypes[file.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

/**
 * Validates, stores the files (content-addressed), then records the scenario in
 * one transaction: a package with any problem imports nothing.
 */
export async function importScenario(ctx: AppContext, source: PackageSource, limits: PackageLimits, actor: Actor | null, meta: Meta) {
  const validation = await validatePackage(source);
  if (!validation.ok) {
    const first = validation.problems[0]!;
    throw new AppError('validation_failed', `${first.path}: ${first.message}${validation.problems.length > 1 ? ` (and ${validation.problems.length - 1} more problems)` : ''}`, validation.problems);
  }
  const definition = validation.definition;
  const { db } = ctx.database;
  const existing = await db.selectFrom('scenarios').select('id').where('slug', '=', definition.id).where('version', '=', definition.version).executeTakeFirst();
  if (existing) throw conflict(`version: scenario "${definition.id}" version ${definition.version} is already imported; raise the version to import a change`, [{ path: 'version', message: 'already imported' }]);

  const files: Array<{ path: string; sha256: string; size: number; mediaType: string }> = [];
  for (const item of definition.evidence) {
    const entry = source.entries.get(item.file)!;
    try {
      const stored = await ctx.storage.put(await entry.open(), limits.maxFileBytes);
      files.push({ path: item.file, ...stored, mediaType: mediaTypeOf(item.file, item.mediaType) });
    } catch (error) {
      if (error instanceof BlobTooLarge) throw new AppError('payload_too_large', `${item.file}: ${error.message}`);
      throw new AppError('bad_request', `${item.file}: could not be read from the package (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const packageSha256 = createHash('sha256')
    .update(JSON.stringify(definition))
    .update(files.map((f) => `${f.path}\0${f.sha256}`).sort().join('\n'))
    .digest('hex');
  const id = newId();
  const now = iso(ctx.clock.now());
  try {
    await db.transaction().execute(async (tx) => {
      for (const f of files) await tx.insertInto('blobs').values({ sha256: f.sha256, size: f.size, created_at: now }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
      await tx
        .insertInto('scenarios')
        .values({
          id,
          slug: definition.id,
          version: definition.version,
          title: JSON.stringify(definition.title),
          theme: definition.theme,
          difficulty: definition.difficulty,
          duration_minutes: definition.durationMinutes,
          definition: JSON.stringify(definition),
          package_sha256: packageSha256,
          file_count: files.length,
          total_bytes: files.reduce((n, f) => n + f.size, 0),
          imported_by: actor?.userId ?? null,
          imported_at: now,
        })
        .execute();
      if (files.length > 0) await tx.insertInto('scenario_files').values(files.map((f) => ({ scenario_id: id, path: f.path, sha256: f.sha256, size: f.size, media_type: f.mediaType }))).execute();
      await recordAudit(tx, ctx.clock, {
        action: 'scenario.imported',
        outcome: 'success',
        actor,
        target: { type: 'scenario', id },
        ip: meta.ip,
        requestId: meta.requestId,
        details: { slug: definition.id, version: definition.version, packageSha256 },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`version: scenario "${definition.id}" version ${definition.version} is already imported`);
    throw error;
  }
  return { scenario: await getScenario(db, id), warnings: validation.warnings };
}

export async function listScenarios(db: Db) {
  const rows = await db.selectFrom('scenarios').selectAll().orderBy('slug').orderBy('imported_at', 'desc').execute();
  return rows.map(presentScenarioSummary);
}

export async function getScenario(db: Db, id: string) {
  const row = await db.selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Scenario');
  const files = await db.selectFrom('scenario_files').selectAll().where('scenario_id', '=', id).execute();
  return presentScenarioDetail(row, files);
}

export async function loadDefinition(db: Db | Tx, scenarioId: string): Promise<ScenarioDefinition> {
  const row = await db.selectFrom('scenarios').select('definition').where('id', '=', scenarioId).executeTakeFirst();
  if (!row) throw notFound('Scenario');
  return JSON.parse(row.definition) as ScenarioDefinition;
}

/** An equivalent package: scenario.yaml (normalised, defaults spelled out) and the stored files. */
export async function exportScenario(ctx: AppContext, id: string) {
  const { db } = ctx.database;
  const row = await db.selectFrom('scenarios').select(['slug', 'version', 'definition']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Scenario');
  const files = await db.selectFrom('scenario_files').select(['path', 'sha256']).where('scenario_id', '=', id).orderBy('path').execute();
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(stringify(JSON.parse(row.definition), { lineWidth: 0 })), 'scenario.yaml');
  for (const f of files) zip.addReadStream(ctx.storage.open(f.sha256), f.path, { compress: true });
  zip.end();
  return { filename: `${row.slug}-${row.version}.zip`, stream: zip.outputStream };
}

