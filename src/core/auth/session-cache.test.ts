import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../events.ts';
import { resyncChannel } from '../events-pg.ts';
import type { RequestAuth } from './context.ts';
import { forgetSessions, sessionCacheOf, sessionsChannel, type SessionCache } from './sessions.ts';

const auth = (sessionId: string, userId: string): Extract<RequestAuth, { kind: 'session' }> => ({
  kind: 'session',
  sessionId,
  stage: 'active',
  csrfToken: 'csrf',
  user: { userId, organisationId: 'org', roles: ['participant'], email: `${userId}@example.org`, displayName: userId, locale: 'en', totpEnabled: false },
});
const entry = (sessionId: string, userId: string) => ({ auth: auth(sessionId, userId), expiresAt: '2999-01-01T00:00:00.000Z', lastSeenAt: '2026-01-01T00:00:00.000Z' });

describe('session cache', () => {
  const opened: SessionCache[] = [];
  const cacheOn = (bus: EventBus) => {
    const cache = sessionCacheOf(bus);
    opened.push(cache);
    return cache;
  };
  afterEach(() => opened.splice(0).forEach((c) => c.close()));

  it('forgets what another process says on the event bus, and does not cache it again for a while', () => {
    const bus = new EventBus();
    const cache = cacheOn(bus);
    cache.set('h1', entry('s1', 'u1'), cache.generation);
    cache.set('h2', entry('s2', 'u2'), cache.generation);
    cache.set('h3', entry('s3', 'u2'), cache.generation);
    expect(cache.get('h1')?.auth.sessionId).toBe('s1');
    // As the PostgreSQL transport delivers a message of another process.
    bus.publish({ channel: sessionsChannel, type: 'forget', data: { userId: 'u2' } });
    expect(cache.get('h1')).toBeDefined();
    expect(cache.get('h2')).toBeUndefined();
    expect(cache.get('h3')).toBeUndefined();
    // Read again before the change committed: not cached.
    cache.set('h2', entry('s2', 'u2'), cache.generation);
    expect(cache.get('h2')).toBeUndefined();
    bus.publish({ channel: sessionsChannel, type: 'forget', data: { sessionId: 's1' } });
    expect(cache.get('h1')).toBeUndefined();
  });

  it('does not keep what a resolution read before a forget', () => {
    const cache = cacheOn(new EventBus());
    const generation = cache.generation;
    forgetSessions({ userId: 'someone else' });
    cache.set('h1', entry('s1', 'u1'), generation);
    expect(cache.get('h1')).toBeUndefined();
  });

  it('forgets in every app of the process and tells the other processes', () => {
    const [busA, busB] = [new EventBus(), new EventBus()];
    const [a, b] = [cacheOn(busA), cacheOn(busB)];
    const told: unknown[] = [];
    busA.subscribe(sessionsChannel, (e) => told.push(e.data));
    a.set('h', entry('s', 'u'), a.generation);
    b.set('h', entry('s', 'u'), b.generation);
    forgetSessions({ sessionId: 's' });
    expect(a.get('h')).toBeUndefined();
    expect(b.get('h')).toBeUndefined();
    expect(told).toEqual([{ sessionId: 's' }]);
  });

  it('forgets everything when the transport reconnects (messages may have been lost)', () => {
    const bus = new EventBus();
    const cache = cacheOn(bus);
    cache.set('h', entry('s', 'u'), cache.generation);
    bus.publish({ channel: resyncChannel, type: 'resync', data: {} });
    expect(cache.get('h')).toBeUndefined();
  });
});
