import { useQuery } from '@tanstack/react-query';
import type { AdviceDesk, AdviceMessage, AdviceQueue, AdviceRequest, AdviceStatsResponse, AdviceStatus, AdviceThread } from '@modules/advice/schemas.ts';
import { api, seg } from '../../core/api.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { exerciseKey } from '../exercises/api.ts';

export type { AdviceDesk, AdviceMessage, AdviceQueue, AdviceRequest, AdviceStatsResponse, AdviceStatus, AdviceThread };

/** Every advice query of an exercise starts with this key: one live event refreshes them all. */
export const adviceKey = (id: string) => [...exerciseKey(id), 'advice'] as const;
const base = (id: string) => `/api/exercises/${seg(id)}/advice`;

export const useDesk = (id: string, refetchInterval: number | false) =>
  useQuery({ queryKey: [...adviceKey(id), 'desk'], queryFn: ({ signal }) => api.get<AdviceDesk>(base(id), { signal }), refetchInterval });

export const useThread = (id: string, requestId: string | null, refetchInterval: number | false) =>
  useQuery({
    queryKey: [...adviceKey(id), 'thread', requestId],
    queryFn: ({ signal }) => api.get<AdviceThread>(`${base(id)}/${seg(requestId ?? '')}`, { signal }),
    enabled: requestId !== null,
    refetchInterval,
  });

export const useAdviceStats = (id: string, refetchInterval: number | false) =>
  useQuery({ queryKey: [...adviceKey(id), 'stats'], queryFn: ({ signal }) => api.get<AdviceStatsResponse>(`${base(id)}/stats`, { signal }), refetchInterval });

export const queuePath = (id: string) => `${base(id)}/queue`;

export const raiseRequest = (id: string, body: { subject: string; text: string; evidenceKey: string | null }) => api.post<AdviceThread>(base(id), body);
export const postMessage = (id: string, requestId: string, text: string) => api.post<AdviceMessage>(`${base(id)}/${seg(requestId)}/messages`, { text });
export const claim = (id: string, requestId: string, take: boolean) => api.post<AdviceRequest>(`${base(id)}/${seg(requestId)}/${take ? 'claim' : 'unclaim'}`, {});
export const grantHint = (id: string, requestId: string, hintKey: string) => api.post<AdviceThread>(`${base(id)}/${seg(requestId)}/hints`, { hintKey });
export const applyPenalty = (id: string, requestId: string) => api.post<AdviceThread>(`${base(id)}/${seg(requestId)}/penalty`, {});
export const closeRequest = (id: string, requestId: string) => api.post<AdviceRequest>(`${base(id)}/${seg(requestId)}/close`, {});
export const broadcast = (id: string, message: string) => api.post<{ id: string; message: string; createdAt: string }>(`${base(id)}/broadcast`, { message });

export const statusLabel: Record<AdviceStatus, MessageId> = {
  open: 'advice.status.open',
  claimed: 'advice.status.claimed',
  answered: 'advice.status.answered',
  closed: 'advice.status.closed',
};
export const statusColor: Record<AdviceStatus, string> = { open: 'orange', claimed: 'blue', answered: 'teal', closed: 'gray' };
