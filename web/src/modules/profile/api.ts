import { useQuery } from '@tanstack/react-query';
import type { ApiToken, SessionItem } from '@modules/accounts/schemas.ts';
import { api } from '../../core/api.ts';

export const tokensKey = ['me', 'tokens'] as const;
export const sessionsKey = ['me', 'sessions'] as const;

export const useTokens = () => useQuery({ queryKey: tokensKey, queryFn: ({ signal }) => api.get<ApiToken[]>('/api/me/tokens', { signal }) });
export const useSessions = () => useQuery({ queryKey: sessionsKey, queryFn: ({ signal }) => api.get<SessionItem[]>('/api/me/sessions', { signal }) });

export type TokenStatus = 'active' | 'expired' | 'revoked';
export function tokenStatus(token: Pick<ApiToken, 'revokedAt' | 'expiresAt'>, now = Date.now()): TokenStatus {
  if (token.revokedAt) return 'revoked';
  return new Date(token.expiresAt).getTime() <= now ? 'expired' : 'active';
}

/** "Firefox", "Windows" from a User-Agent header: enough to recognise one's own devices. */
export function describeUserAgent(ua: string | null): { browser: string | null; os: string | null } | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : /curl\//i.test(ua)
              ? 'curl'
              : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad|iOS/.test(ua)
        ? 'iOS'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  if (!browser && !os) return null;
  return { browser, os };
}
