import type { FastifyRequest } from 'fastify';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { AppError } from '../../core/errors.ts';
import { idParams } from '../shared-schemas.ts';
import { exportReportStix, exportSearchStix, importStixBundle, stixBundle, stixExportQuery, stixImportQuery, stixImportResult, stixLimits } from './stix.ts';

const stixMediaType = 'application/stix+json;version=2.1';

/** The bundle: the JSON body, or the JSON file of a multipart upload (field "file"), bounded in size. */
async function bundleOf(request: FastifyRequest): Promise<unknown> {
  if (!request.isMultipart()) return request.body;
  const part = await request.file({ limits: { fileSize: stixLimits.maxBytes, files: 1 } });
  if (!part) throw new AppError('validation_failed', 'file: a STIX 2.1 bundle (.json) is required', [{ path: 'file', message: 'required' }]);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    chunks.push(chunk);
  }
  if (part.file.truncated || size > stixLimits.maxBytes) throw new AppError('payload_too_large', `file: the bundle is larger than ${stixLimits.maxBytes} bytes`);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AppError('validation_failed', `file: not valid JSON (${(e as Error).message}): truncated or not a STIX bundle`, [{ path: 'file', message: 'not valid JSON' }]);
  }
}

export function stixRoutes(app: App, ctx: AppContext) {
  const { db, dialect } = ctx.database;
  const s = { db, dialect, clock: ctx.clock };
  const tags = ['sharing'];

  // A STIX media type is JSON.
  app.addContentTypeParser(['application/stix+json', 'application/taxii+json'], { parseAs: 'string', bodyLimit: stixLimits.maxBytes }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(new AppError('validation_failed', `body: not valid JSON (${(e as Error).message})`), undefined);
    }
  });

  app.post(
    '/api/sharing/stix/bundles',
    {
      bodyLimit: stixLimits.maxBytes,
      config: { access: { permission: 'sharing.report' } },
      schema: {
        tags,
        summary: 'Import a STIX 2.1 bundle (JSON body, or multipart/form-data with a "file" field)',
        description:
          'Indicators (single-comparison patterns), observables (SCOs and observed-data), reports, identities and marking definitions (TLP 2.0 and 1.0 ids). Objects without a TLP marking are refused unless defaultTlp is given. Unknown objects are listed in `ignored`. The whole bundle is validated before anything is stored, and stored in one transaction; errors name the place (`objects[12].pattern: …`).',
        querystring: stixImportQuery,
        response: { 201: stixImportResult },
      },
    },
    async (request, reply) => reply.status(201).send(await importStixBundle(s, await bundleOf(request), request.query, auditContext(request))),
  );
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
