import { createWriteStream, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { auditContext } from '../../core/http/access.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { idParams } from '../shared-schemas.ts';
import { openZipPackage, PackageError, type PackageSource } from './package-source.ts';
import { validatePackage } from './validate.ts';
import { problem, scenarioDetail, scenarioSummary, validationReport } from './schemas.ts';
import { exportScenario, getScenario, importScenario, listScenarios, toReport } from './service.ts';

/** Receives the uploaded .zip into a temporary file (bounded), opens it, and always cleans up. */
async function withUploadedPackage<T>(ctx: AppContext, request: FastifyRequest, use: (source: PackageSource) => Promise<T>): Promise<T> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'file: send the package as multipart/form-data with a "file" field');
  const part = await request.file({ limits: { fileSize: ctx.config.scenarioLimits.maxTotalBytes, files: 1 } });
  if (!part) throw new AppError('validation_failed', 'file: a .zip package is required', [{ path: 'file', message: 'required' }]);
  const dir = path.join(ctx.config.dataDir, 'tmp');
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `${newId()}.zip`);
  try {
    await pipeline(part.file, createWriteStream(temp));
    if (part.file.truncated) throw new AppError('payload_too_large', `file: the package is larger than ${ctx.config.scenarioLimits.maxTotalBytes} bytes`);
    let source: PackageSource;
    try {
      source = await openZipPackage(temp, ctx.config.scenarioLimits);
    } catch (error) {
      if (error instanceof PackageError) throw new AppError('validation_failed', error.message, [{ path: error.where, message: error.message.slice(error.where.length + 2) }]);
      throw error;
    }
    try {
      return await use(source);
    } catch (error) {
      if (error instanceof PackageError) throw new AppError('validation_failed', error.message, [{ path: error.where, message: error.message.slice(error.where.length + 2) }]);
      throw error;
    } finally {
      await source.close();
    }
  } finally {
    await rm(temp, { force: true });
  }
}

export function scenarioRoutes(app: App, ctx: AppContext) {
  const { db } = ctx.database;
  const tags = ['scenarios'];
  const upload = { description: 'multipart/form-data with a "file" field holding the .zip package' };

  app.get('/api/scenarios', { config: { access: { permission: 'scenarios.read' } }, schema: { tags, summary: 'Imported scenario packages (every version)', response: { 200: z.array(scenarioSummary) } } }, async () =>
    listScenarios(db),
  );
  app.get('/api/scenarios/:id', { config: { access: { permission: 'scenarios.read' } }, schema: { tags, summary: 'One scenario version, with its trainer guide (never the answers)', params: idParams, response: { 200: scenarioDetail } } }, async (request) =>
    getScenario(db, request.params.id),
  );
  app.post('/api/scenarios/validate', { config: { access: { permission: 'scenarios.manage' } }, schema: { tags, summary: 'Check a package without importing it', ...upload, response: { 200: validationReport } } }, async (request) =>
    withUploadedPackage(ctx, request, async (source) => toReport(await validatePackage(source))),
  );
  app.post('/api/scenarios', { config: { access: { permission: 'scenarios.manage' } }, schema: { tags, summary: 'Import a package (nothing is imported when anything is wrong)', ...upload, response: { 201: z.object({ scenario: scenarioDetail, warnings: z.array(problem) }) } } }, async (request, reply) => {
    const { actor, ...meta } = auditContext(request);
    const result = await withUploadedPackage(ctx, request, (source) => importScenario(ctx, source, ctx.config.scenarioLimits, actor, meta));
    return reply.status(201).send(result);
  });
  app.get('/api/scenarios/:id/export', { config: { access: { permission: 'scenarios.manage' } }, schema: { tags, summary: 'Download the package (.zip)', params: idParams } }, async (request, reply) => {
    const { filename, stream } = await exportScenario(ctx, request.params.id);
    return reply.type('application/zip').header('content-disposition', `attachment; filename="${filename}"`).send(stream);
  });
}
