import { Readable, pipeline } from 'node:stream';
import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf } from '../../core/http/access.ts';
import { errorHandler } from '../../core/http/errors.ts';
import { prepareContent, listLocker, readItem, resumeWindowMinutes } from './acquire.ts';
import { listCustody } from './custody-read.ts';
import { verifyingStream } from './http-content.ts';
import { contentQuery, custodyPage, custodyQuery, evidenceItem, itemParams, lockerParams, lockerQuery, verificationReport } from './schemas.ts';
import { verifyExerciseFor } from './verify.ts';

export function evidenceRoutes(app: App, ctx: AppContext) {
  const tags = ['evidence'];
  const signedIn = { access: {} };
  const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

  app.get(
    '/api/exercises/:id/evidence',
    { config: signedIn, schema: { tags, summary: "My team's evidence locker (staff: a team's with ?teamId=, or the scenario's items)", params: lockerParams, querystring: lockerQuery, response: { 200: z.array(evidenceItem) } } },
    async (request) => listLocker(ctx, actorOf(request), request.params.id, request.query.teamId),
  );
  app.get(
    '/api/exercises/:id/evidence/:key',
    { config: signedIn, schema: { tags, summary: "One item's metadata (logged as 'viewed' in the chain of custody)", params: itemParams, querystring: lockerQuery, response: { 200: evidenceItem } } },
    async (request) => readItem(ctx, actorOf(request), request.params.id, request.params.key, request.query.teamId, { requestId: request.id, method: request.method }),
  );
  app.get(
    '/api/exercises/:id/evidence/:key/content',
    {
      config: signedIn,
      schema: {
        tags,
        summary: "Download the team's variant of an item (one byte range per request; logged in the chain of custody)",
        description:
          'Streams the file with Range support (206, 416), ETag and X-Evidence-SHA256 = the SHA-256 of the whole file. `?inline=1` shows text, images and PDF in the browser; ' +
          `anything else downloads. A whole file or a range starting at byte 0 is logged as an acquisition; a later range only when its user has no such entry for the item in the last ${resumeWindowMinutes} minutes.`,
        params: itemParams,
        querystring: contentQuery,
      },
      // A stream failing before its first byte (a changed file) is answered as an error, without the file's headers.
      errorHandler: (error, request, reply) => {
        for (const name of ['content-type', 'content-length', 'content-range', 'content-disposition', 'etag', 'x-evidence-sha256', 'accept-ranges']) reply.removeHeader(name);
        return errorHandler(error, request, reply);
      },
    },
    async (request, reply) => {
      const plan = await prepareContent(ctx, actorOf(request), request.params.id, request.params.key, request.query, {
        method: request.method,
        range: header(request.headers.range),
        ifRange: header(request.headers['if-range']),
        requestId: request.id,
      });
      if (plan.status === 416) {
        return reply
          .status(416)
          .header('accept-ranges', 'bytes')
          .header('content-range', plan.headers['content-range']!)
          .send({ error: { code: 'bad_request', message: `Range not satisfiable: ${plan.reason}`, details: { size: plan.size } } });
      }
      void reply.status(plan.status).headers(plan.headers);
      // HEAD: the headers only (an empty stream keeps the Content-Length given above).
      if (request.method === 'HEAD') return reply.send(Readable.from([]));
      const file = ctx.storage.open(plan.sha256, plan.range ?? undefined);
      const onError = (error: Error | null) => {
        if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') request.log.error({ err: error, sha256: plan.sha256 }, 'evidence download cut short');
      };
      // A whole file is re-hashed on its way out: a changed file never arrives complete.
      return reply.send(plan.verify ? pipeline(file, verifyingStream(plan.sha256), onError) : file);
    },
  );
  app.get(
    '/api/exercises/:id/custody',
    { config: signedIn, schema: { tags, summary: 'The chain of custody (a team: its own entries; staff: all), newest first', params: lockerParams, querystring: custodyQuery, response: { 200: custodyPage } } },
    async (request) => listCustody(ctx, actorOf(request), request.params.id, request.query),
  );
  app.get(
    '/api/exercises/:id/custody/verify',
    { config: signedIn, schema: { tags, summary: 'Verify the chain of custody and re-hash every stored file of the exercise (trainers)', params: lockerParams, response: { 200: verificationReport } } },
    async (request) => verifyExerciseFor(ctx, actorOf(request), request.params.id),
  );
}
