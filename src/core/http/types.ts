import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import type { Clock } from '../clock.ts';
import type { DbHandle } from '../db/index.ts';
import type { RequestAuth } from '../auth/context.ts';
import type { Action } from '../permissions.ts';
import type { BlobStore } from '../storage.ts';
import type { EventBus } from '../events.ts';

/**
 * What a route needs before its handler runs. Routes are private by default:
 * without `access`, an authenticated, fully signed-in session or token is required.
 */
export type Access =
  | { public: true }
  | {
      public?: false;
      permission?: Action;
      /** Half-signed-in sessions (awaiting a second factor or its enrolment) allowed here. */
      stages?: ReadonlyArray<'totp' | 'enrol'>;
      /** Refused to API tokens: password, second factor, token management. */
      sessionOnly?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

export type AppContext = {
  config: Config;
  database: DbHandle;
  clock: Clock;
  storage: BlobStore;
  events: EventBus;
};

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
