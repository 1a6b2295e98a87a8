import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { safeEqual } from '../ids.ts';
import { can } from '../permissions.ts';
import { resolveSession, sessionCacheOf } from '../auth/sessions.ts';
import { resolveApiToken } from '../auth/api-tokens.ts';
import type { App, AppContext } from './types.ts';

export const sessionCookie = 'cybercap_session';
export const csrfHeader = 'x-csrf-token';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

async function authenticate(ctx: AppContext, request: FastifyRequest) {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    return resolveApiToken(ctx.database.db, ctx.clock, header.slice(7).trim());
  }
  const cookie = request.cookies[sessionCookie];
  if (!cookie) return null;
  return resolveSession(ctx.database.db, ctx.clock, { idleMinutes: ctx.config.sessionIdleMinutes, maxHours: ctx.config.sessionMaxHours }, cookie, sessionCacheOf(ctx.events));
}

/** Authenticates every request, then enforces the route's declared access before its handler runs. */
export function installAccessControl(app: App, ctx: AppContext) {
  app.decorateRequest('auth', null);
  app.addHook('onClose', async () => sessionCacheOf(ctx.events).close());
  app.addHook('preValidation', async (request) => {
    request.auth = await authenticate(ctx, request);
    const access = request.routeOptions.config.access;
    // Only the API is private by default; the web app's files and the browsable
    // API reference (served by their own plugins) are public.
    const url = request.routeOptions.url;
    if (!url || access?.public || !url.startsWith('/api') || url.startsWith('/api/docs')) return;
    const auth = request.auth;
    if (!auth) throw new AppError('unauthenticated', 'Sign in to continue');
    if (auth.kind === 'session') {
      if (auth.stage !== 'active' && !access?.stages?.includes(auth.stage)) {
        throw new AppError('second_factor_required', auth.stage === 'totp' ? 'Enter your authentication code to continue' : 'Set up two-factor authentication to continue', { stage: auth.stage });
      }
      const csrf = request.headers[csrfHeader];
      if (!safeMethods.has(request.method) && (typeof csrf !== 'string' || !safeEqual(csrf, auth.csrfToken))) {
        throw new AppError('csrf_failed', 'Missing or invalid CSRF token: reload the page and try again');
      }
    } else {
      if (access?.sessionOnly) throw new AppError('forbidden', 'This action needs a signed-in session, not an API token');
      if (!safeMethods.has(request.method) && !auth.scopes.includes('write')) {
        throw new AppError('forbidden', 'This API token is read-only');
      }
    }
    if (access?.permission && !can(auth.user, access.permission)) {
      throw new AppError('forbidden', 'You are not allowed to do this');
    }
  });
}

/** The signed-in actor in a handler whose route requires authentication. */
export function actorOf(request: FastifyRequest) {
  if (!request.auth) throw new AppError('unauthenticated', 'Sign in to continue');
  return request.auth.user;
}

/** Who did it and from where, for the audit entry of a change. */
export function auditContext(request: FastifyRequest) {
  return { actor: actorOf(request), ip: request.ip, requestId: request.id };
}
