import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { newId } from './core/ids.ts';
import { ping } from './core/db/index.ts';
import { errorHandler } from './core/http/errors.ts';
import { installAccessControl } from './core/http/access.ts';
import { securityHeaders } from './core/http/security-headers.ts';
import type { App, AppContext } from './core/http/types.ts';
import { AppError } from './core/errors.ts';
import { accountRoutes } from './modules/accounts/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { organisationRoutes } from './modules/organisations/routes.ts';
import { referenceRoutes } from './modules/reference/routes.ts';
import { userRoutes } from './modules/users/routes.ts';
import { scenarioRoutes } from './modules/scenarios/routes.ts';
import { exerciseRoutes } from './modules/exercises/routes.ts';
import { scoringRoutes } from './modules/scoring/routes.ts';
import { evidenceRoutes } from './modules/evidence/routes.ts';
import { partnerRoutes } from './modules/partners/routes.ts';
import { sharingRoutes } from './modules/sharing/routes.ts';
import { legalRoutes } from './modules/legal/routes.ts';
import { adviceRoutes } from './modules/advice/routes.ts';
import { caseFileRoutes } from './modules/casefile/routes.ts';
import { reportRoutes } from './modules/reports/routes.ts';

export type BuildOptions = { webRoot?: string | null; logger?: boolean };

// Each module registers its routes here; see ARCHITECTURE.md, "Adding a module".
const modules = [accountRoutes, userRoutes, organisationRoutes, auditRoutes, referenceRoutes, scenarioRoutes, exerciseRoutes, evidenceRoutes, scoringRoutes, partnerRoutes, sharingRoutes, legalRoutes, adviceRoutes, caseFileRoutes, reportRoutes];

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: ctx.config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : newId();
    },
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  const tls = ctx.config.publicUrl?.startsWith('https:') ?? false;
  const security = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine writes CSS variables into style attributes and <style> tags.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        ...(tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: tls ? { maxAge: 31536000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  // Every response carries them, and the request's id (also on errors: support quotes it).
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(security);
    reply.header('x-request-id', request.id);
    done();
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { files: 1, fields: 10, fieldSize: 1024 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Cybercap API', version: '1', description: 'Cybercrime capacity building platform. Authenticate with the session cookie (+ x-csrf-token header on changes) or an API token: `Authorization: Bearer cct_…`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'cybercap_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  installAccessControl(app, ctx);

  app.get('/healthz', { config: { access: { public: true } }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: { public: true } }, schema: { hide: true } }, async (_request, reply) => {
    try {
      await ping(ctx.database.db);
      return { status: 'ready', database: ctx.database.dialect };
    } catch {
      return reply.status(503).send({ error: { code: 'unavailable', message: 'Database unreachable' } });
    }
  });
  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());

  for (const register of modules) register(app, ctx);

  const webRoot = options.webRoot === undefined ? path.resolve(import.meta.dirname, '../dist/web') : options.webRoot;
  if (webRoot && existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: true,
      index: 'index.html',
      redirect: false,
      // Built assets carry a content hash in their name; the page itself must be revalidated.
      setHeaders: (res, filePath) => res.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
    // The web app routes on the client: any other GET outside /api serves it.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api')) {
        return reply.type('text/html').sendFile('index.html');
      }
      throw new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`);
    });
  } else {
    app.setNotFoundHandler((request) => {
      throw new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`);
    });
  }
  return app;
}
