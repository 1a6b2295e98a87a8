import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { idParams } from '../shared-schemas.ts';
import { exportReportStix, exportSearchStix, stixBundle, stixExportQuery } from './stix.ts';
import { bundleFileSource, importStixBundle, stixImportQuery, stixImportResult } from './stix-import.ts';

const stixMediaType = 'application/stix+json;version=2.1';

const tooLarge = (max: number) => new AppError('payload_too_large', `file: the bundle is larger than ${max} bytes (STIX_IMPORT_MAX_MB)`);

/**
 * Spools the bundle (the request body, or the file of a multipart upload, field
 * "file") to a temporary file, counting bytes as they arrive: memory stays flat,
 * and the import's transaction does not wait on the network.
 */
async function spool(request: FastifyRequest, dir: string, maxBytes: number): Promise<string> {
  if (!request.isMultipart()) return spoolStream(request.raw, dir, maxBytes);
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part) throw new AppError('validation_failed', 'file: a STIX 2.1 bundle (.json) is required', [{ path: 'file', message: 'required' }]);
  return spoolStream(part.file, dir, maxBytes);
}

export async function spoolStream(input: Readable, dir: string, maxBytes: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `stix-${newId()}.json`);
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) done(tooLarge(maxBytes));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(input, counter, createWriteStream(file));
    if ((input as Readable & { truncated?: boolean }).truncated) throw tooLarge(maxBytes);
  } catch (e) {
    await rm(file, { force: true });
    if (e instanceof AppError) throw e;
    throw new AppError('validation_failed', 'body: the upload was interrupted', [{ path: 'body', message: 'interrupted' }]);
  }
  return file;
}

export function stixRoutes(app: App, ctx: AppContext) {
  const { db, dialect } = ctx.database;
  const s = { db, dialect, clock: ctx.clock };
  const tags = ['sharing'];
  const maxBytes = ctx.config.stixImportMaxBytes;
  const spoolDir = path.join(ctx.config.dataDir, 'tmp');

  // A STIX media type is JSON (TAXII answers, exports sent back to us).
  app.addContentTypeParser(['application/stix+json', 'application/taxii+json'], { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(new AppError('validation_failed', `body: not valid JSON (${(e as Error).message})`), undefined);
    }
  });

  // The import reads its body itself, as a stream: in its own scope, JSON bodies are not parsed up front.
  void app.register(async (scope: FastifyInstance) => {
    scope.removeContentTypeParser(['application/json', 'application/stix+json', 'application/taxii+json']);
    scope.addContentTypeParser(['application/json', 'application/stix+json'], (_request, _payload, done) => done(null, undefined));
    (scope as unknown as App).post(
      '/api/sharing/stix/bundles',
      {
        config: { access: { permission: 'sharing.report' } },
        schema: {
          tags,
          summary: 'Import a STIX 2.1 bundle (JSON body, or multipart/form-data with a "file" field)',
          description:
            'Indicators (single-comparison patterns), observables (SCOs and observed-data), reports, identities and marking definitions (TLP 2.0 and 1.0 ids). Objects without a TLP marking are refused unless defaultTlp is given. Unknown objects are listed in `ignored`. Read as a stream (up to STIX_IMPORT_MAX_MB), each object validated as it arrives and staged, then stored in one transaction: any error stores nothing, and names the place (`objects[12].pattern: …`).',
          querystring: stixImportQuery,
          response: { 201: stixImportResult },
        },
      },
      async (request, reply) => {
        const file = await spool(request, spoolDir, maxBytes);
        try {
          const result = await importStixBundle(s, bundleFileSource(file), request.query, auditContext(request));
          return reply.status(201).send(result);
        } finally {
          await rm(file, { force: true });
        }
      },
    );
  });
  app.get(
    '/api/sharing/reports/:id/stix',
    { config: { access: { permission: 'sharing.read' } }, schema: { tags, summary: 'Export a report the caller may see as a STIX 2.1 bundle', description: 'Only the indicators the caller may see; TLP 2.0 markings; recorded in the sharing log.', params: idParams, response: { 200: stixBundle } } },
    async (request, reply) => {
      const bundle = await exportReportStix(s, actorOf(request), request.params.id);
      return reply.type(stixMediaType).send(bundle);
    },
  );
  app.get(
    '/api/sharing/stix',
    {
      config: { access: { permission: 'sharing.read' } },
      schema: { tags, summary: 'Export the reports the caller may see (filtered, paged) as a STIX 2.1 bundle', description: 'The total of matching visible reports is in the x-total-count header; recorded in the sharing log.', querystring: stixExportQuery, response: { 200: stixBundle } },
    },
    async (request, reply) => {
      const { bundle, total } = await exportSearchStix(s, actorOf(request), request.query);
      return reply.type(stixMediaType).header('x-total-count', String(total)).send(bundle);
    },
  );
}
