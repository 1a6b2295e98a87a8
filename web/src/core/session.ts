/**
 * The signed-in session as the web app sees it: one TanStack Query entry
 * (`sessionKey`) holding SessionInfo, or null when signed out. Everything that
 * changes the session (sign-in, second factor, enrolment, profile edits,
 * sign-out) writes this entry, and the route guard reads it.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Me, SessionInfo } from '@modules/accounts/schemas.ts';
import { api, isApiError, setCsrfToken } from './api.ts';

export const sessionKey = ['session'] as const;

/** Actions the server lists in SessionInfo.permissions (src/core/permissions.ts). */
export type Permission =
  | 'profile.manage'
  | 'reference.read'
  | 'organisations.read'
  | 'organisations.manage'
  | 'users.read'
  | 'users.manage'
  | 'security.manage'
  | 'audit.read'
  | 'partners.read'
  | 'partners.manage'
  | 'sharing.read'
  | 'sharing.report'
  | 'sharing.log.read'
  | 'sharing.log.verify'
  | (string & {});

export async function fetchSession(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    const session = await api.get<SessionInfo>('/api/auth/session', { expectUnauthenticated: true, ...(signal ? { signal } : {}) });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSessionQuery() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5 * 60_000,
    retry: 1,
  });
}

/** The current session, or null (signed out or not loaded yet). */
export function useSession(): SessionInfo | null {
  return useSessionQuery().data ?? null;
}

/** The signed-in user; only for components under the route guard. */
export function useMe(): Me {
  const session = useSession();
  if (!session) throw new Error('useMe outside a signed-in route');
  return session.user;
}

export function hasPermission(session: SessionInfo | null, permission: Permission | undefined): boolean {
  return !permission || (session?.stage === 'active' && session.permissions.includes(permission));
}

export function useCan(): (permission: Permission | undefined) => boolean {
  const session = useSession();
  return useCallback((permission) => hasPermission(session, permission), [session]);
}

/** Stores a SessionInfo the server just returned (sign-in, second factor, enrolment). */
export function storeSession(client: QueryClient, session: SessionInfo | null): void {
  setCsrfToken(session?.csrfToken ?? null);
  client.setQueryData(sessionKey, session);
}

/** Replaces the user in the stored session after a profile change (PATCH /api/me answers Me). */
export function storeMe(client: QueryClient, me: Me): void {
  client.setQueryData<SessionInfo | null>(sessionKey, (s) => (s ? { ...s, user: me } : s));
}

/** Forgets everything about the signed-in user: the session and every cached answer. */
export function clearSession(client: QueryClient): void {
  setCsrfToken(null);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  client.setQueryData(sessionKey, null);
}

export function useSignOut(): () => Promise<void> {
  const client = useQueryClient();
  return useCallback(async () => {
    try {
      await api.post('/api/auth/sign-out');
    } catch {
      // Signed out on the server or not, the client forgets the session.
    }
    clearSession(client);
    // A full page load leaves nothing of the previous user in memory (shared
    // classroom laptops) and lands on a plain sign-in page, without a return path.
    window.location.replace('/sign-in');
  }, [client]);
}

/** A return path from `?next=`, only if it stays on this site. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/sign-in')) return fallback;
  return next;
}

export const signInPath = (next?: string) => (next && next !== '/' ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
