import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, sessionCookie } from '../../core/http/access.ts';
import { AppError } from '../../core/errors.ts';
import { idParams } from '../shared-schemas.ts';
import {
  apiToken,
  apiTokenCreated,
  me,
  passwordChange,
  passwordResetComplete,
  passwordResetInfo,
  profileUpdate,
  resetTokenParams,
  sessionInfo,
  sessionItem,
  signInBody,
  signInResult,
  tokenCreate,
  totpCodeBody,
  totpDisable,
  totpSetup,
} from './schemas.ts';
import { completeSecondFactor, signIn, signOut, upgradeEnrolledSession, type RequestMeta } from './sign-in.ts';
import { completePasswordReset, describePasswordReset } from './password-reset.ts';
import {
  changePassword,
  createApiToken,
  disableTotp,
  enableTotp,
  listApiTokens,
  listSessions,
  revokeApiToken,
  revokeOwnSession,
  startTotpSetup,
  updateProfile,
} from './profile.ts';
import { presentMe, presentSession } from './presenters.ts';

const meta = (request: FastifyRequest): RequestMeta => ({
  ip: request.ip ?? null,
  userAgent: request.headers['user-agent'] ?? null,
  requestId: request.id,
});

function currentSession(request: FastifyRequest) {
  const auth = request.auth;
  if (auth?.kind !== 'session') throw new AppError('unauthenticated', 'Sign in to continue');
  return auth;
}

export function accountRoutes(app: App, ctx: AppContext) {
  const { db } = ctx.database;
  const secure = ctx.config.publicUrl?.startsWith('https:') ?? false;
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(sessionCookie, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: ctx.config.sessionMaxHours * 3600 });
  const tags = ['auth'];
  const profileTags = ['profile'];
  const noContent = { 204: z.null().describe('No content') };

  app.post(
    '/api/auth/sign-in',
    { config: { access: { public: true } }, schema: { tags, summary: 'Sign in with e-mail and password', body: signInBody, response: { 200: signInResult } } },
    async (request, reply) => {
      const result = await signIn(ctx, request.body, meta(request));
      setSessionCookie(reply, result.token);
      return { stage: result.stage, session: result.session };
    },
  );

  app.post(
    '/api/auth/second-factor',
    { config: { access: { stages: ['totp'], sessionOnly: true } }, schema: { tags, summary: 'Complete sign-in with an authenticator code', body: totpCodeBody, response: { 200: sessionInfo } } },
    async (request, reply) => {
      const auth = currentSession(request);
      if (auth.stage !== 'totp') throw new AppError('conflict', 'No second factor is awaited for this session');
      const result = await completeSecondFactor(ctx, auth.sessionId, auth.user.userId, request.body.code, meta(request));
      setSessionCookie(reply, result.token);
      return result.session;
    },
  );

  app.post(
    '/api/auth/sign-out',
    { config: { access: { stages: ['totp', 'enrol'], sessionOnly: true } }, schema: { tags, summary: 'End this session', response: noContent } },
    async (request, reply) => {
      const auth = currentSession(request);
      await signOut(ctx, auth.sessionId, auth.user, meta(request));
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/session',
    { config: { access: { stages: ['totp', 'enrol'], sessionOnly: true } }, schema: { tags, summary: 'The current session, its CSRF token and permissions', response: { 200: sessionInfo } } },
    async (request) => {
      const auth = currentSession(request);
      return presentSession(db, auth.user.userId, auth.stage, auth.csrfToken);
    },
  );

  app.get(
    '/api/auth/password-reset/:token',
    { config: { access: { public: true } }, schema: { tags, summary: 'Check a password reset link', params: resetTokenParams, response: { 200: passwordResetInfo } } },
    async (request) => describePasswordReset(ctx, request.params.token),
  );

  app.post(
    '/api/auth/password-reset/:token',
    { config: { access: { public: true } }, schema: { tags, summary: 'Choose a new password with a reset link', params: resetTokenParams, body: passwordResetComplete, response: noContent } },
    async (request, reply) => {
      await completePasswordReset(ctx, request.params.token, request.body.password, meta(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { config: { access: { permission: 'profile.manage' } }, schema: { tags: profileTags, summary: 'My profile', response: { 200: me } } },
    async (request) => presentMe(db, actorOf(request).userId),
  );

  app.patch(
    '/api/me',
    { config: { access: { permission: 'profile.manage' } }, schema: { tags: profileTags, summary: 'Update my name or language', body: profileUpdate, response: { 200: me } } },
    async (request) => updateProfile(ctx, actorOf(request), request.body),
  );

  app.post(
    '/api/me/password',
    { config: { access: { permission: 'profile.manage', sessionOnly: true } }, schema: { tags: profileTags, summary: 'Change my password (ends my other sessions)', body: passwordChange, response: noContent } },
    async (request, reply) => {
      const auth = currentSession(request);
      await changePassword(ctx, auth.user, auth.sessionId, request.body, meta(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/totp/setup',
    { config: { access: { stages: ['enrol'], sessionOnly: true } }, schema: { tags: profileTags, summary: 'Start two-factor enrolment', response: { 200: totpSetup } } },
    async (request) => startTotpSetup(ctx, currentSession(request).user),
  );

  app.post(
    '/api/me/totp/enable',
    { config: { access: { stages: ['enrol'], sessionOnly: true } }, schema: { tags: profileTags, summary: 'Confirm two-factor enrolment with a code', body: totpCodeBody, response: { 200: sessionInfo } } },
    async (request, reply) => {
      const auth = currentSession(request);
      await enableTotp(ctx, auth.user, request.body.code, meta(request));
      if (auth.stage === 'enrol') {
        const upgraded = await upgradeEnrolledSession(ctx, auth.sessionId, auth.user.userId, meta(request));
        setSessionCookie(reply, upgraded.token);
        return upgraded.session;
      }
      return presentSession(db, auth.user.userId, auth.stage, auth.csrfToken);
    },
  );

  app.post(
    '/api/me/totp/disable',
    { config: { access: { permission: 'profile.manage', sessionOnly: true } }, schema: { tags: profileTags, summary: 'Turn two-factor authentication off', body: totpDisable, response: noContent } },
    async (request, reply) => {
      await disableTotp(ctx, currentSession(request).user, request.body, meta(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/tokens',
    { config: { access: { permission: 'profile.manage', sessionOnly: true } }, schema: { tags: profileTags, summary: 'My API tokens', response: { 200: z.array(apiToken) } } },
    async (request) => listApiTokens(ctx, actorOf(request)),
  );

  app.post(
    '/api/me/tokens',
    { config: { access: { permission: 'profile.manage', sessionOnly: true } }, schema: { tags: profileTags, summary: 'Create an API token (shown once)', body: tokenCreate, response: { 201: apiTokenCreated } } },
    async (request, reply) => reply.status(201).send(await createApiToken(ctx, actorOf(request), request.body, meta(request))),
  );

  app.delete(
    '/api/me/tokens/:id',
    { config: { access: { permission: 'profile.manage', sessionOnly: true } }, schema: { tags: profileTags, summary: 'Revoke an API token', params: idParams, response: noContent } },
    async (request, reply) => {
      await revokeApiToken(ctx, actorOf(request), request.params.id, meta(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/sessions',
    { config: { access: { permission: 'profile.manage', sessionOnly: true } }, schema: { tags: profileTags, summary: 'My open sessions', response: { 200: z.array(sessionItem) } } },
    async (request) => listSessions(ctx, actorOf(request), currentSession(request).sessionId),
  );

  app.delete(
    '/api/me/sessions/:id',
    { config: { access: { permission: 'profile.manage', sessionOnly: true } }, schema: { tags: profileTags, summary: 'End one of my sessions', params: idParams, response: noContent } },
    async (request, reply) => {
      await revokeOwnSession(ctx, actorOf(request), request.params.id, meta(request));
      return reply.status(204).send(null);
    },
  );
}
