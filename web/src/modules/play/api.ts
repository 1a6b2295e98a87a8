import { useQuery } from '@tanstack/react-query';
import type { EvidenceItem } from '@modules/evidence/schemas.ts';
import type { AnswerResult, Scoreboard } from '@modules/scoring/schemas.ts';
import { api, parseErrorBody, seg } from '../../core/api.ts';
import { exerciseKey, type Clock, type ExerciseSummary } from '../exercises/api.ts';
import type { LocalizedText } from '../scenarios/localized.tsx';

export type { AnswerResult, EvidenceItem, Scoreboard };

/** What a team sees of its exercise (GET /api/exercises/:id/play, src/modules/exercises/play.ts). Answers never appear. */
export type TeamView = {
  exercise: Pick<ExerciseSummary, 'id' | 'title' | 'mode' | 'status'>;
  clock: Clock;
  team: { id: string; name: string; captainUserId: string | null };
  briefing: LocalizedText;
  evidence: Array<{ id: string; title: LocalizedText; description: LocalizedText | null; kind: string; fileName: string; mediaType: string | null; sha256: string; size: number; releasedAt: string }>;
  objectives: Array<{
    id: string;
    /** 1-based place of the objective in the scenario: the number trainers see too. */
    position: number;
    /** Null while the objective is locked by its prerequisites. */
    prompt: LocalizedText | null;
    points: number;
    answerType: string;
    locked: boolean;
    requires: string[];
    skills: string[];
    attempts: number;
    maxAttempts: number | null;
    solved: boolean;
    creditPercent: number;
    solvedAt: string | null;
  }>;
  /** `paid`: the points the unlock cost (0 when an expert granted the hint), null while locked. */
  hints: Array<{ id: string; objective: string | null; cost: number; unlocked: boolean; paid: number | null; text: LocalizedText | null }>;
  injects: Array<{ id: string; title: LocalizedText; message: LocalizedText | null; firedAt: string }>;
  announcements: Array<{ id: string; message: string; createdAt: string }>;
  scoring: { advicePenalty: number; mode: 'static' | 'decay' };
};
export type PlayObjective = TeamView['objectives'][number];
export type PlayHint = TeamView['hints'][number];

export const playKey = (id: string) => [...exerciseKey(id), 'play'] as const;
export const lockerKey = (id: string) => [...exerciseKey(id), 'evidence'] as const;
export const scoreboardKey = (id: string) => [...exerciseKey(id), 'scoreboard'] as const;

export const usePlay = (id: string, refetchInterval: number | false) =>
  useQuery({ queryKey: playKey(id), queryFn: ({ signal }) => api.get<TeamView>(`/api/exercises/${seg(id)}/play`, { signal }), refetchInterval });

export const useLocker = (id: string, refetchInterval: number | false) =>
  useQuery({ queryKey: lockerKey(id), queryFn: ({ signal }) => api.get<EvidenceItem[]>(`/api/exercises/${seg(id)}/evidence`, { signal }), refetchInterval });

export const useScoreboard = (id: string, refetchInterval: number | false) =>
  useQuery({ queryKey: scoreboardKey(id), queryFn: ({ signal }) => api.get<Scoreboard>(`/api/exercises/${seg(id)}/scoreboard`, { signal }), refetchInterval });

/** The address of an item's content: `inline` for the in-browser viewers (logged as viewed), else a download. */
export const contentUrl = (exerciseId: string, key: string, inline: boolean) => `/api/exercises/${seg(exerciseId)}/evidence/${seg(key)}/content${inline ? '?inline=1' : ''}`;

export type RangeResult = { bytes: Uint8Array; start: number; end: number; total: number; partial: boolean };

/** Reads part of an item (one byte range). Servers without Range support answer the whole file; it is then cut. */
export async function fetchRange(url: string, start: number, length: number, signal?: AbortSignal): Promise<RangeResult> {
  const response = await fetch(url, { headers: { range: `bytes=${start}-${start + length - 1}` }, credentials: 'same-origin', ...(signal ? { signal } : {}) });
  if (response.status === 416) {
    const total = Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1] ?? 0);
    return { bytes: new Uint8Array(), start, end: start - 1, total, partial: true };
  }
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw parseErrorBody(response.status, body, response.headers);
  }
  const buffer = new Uint8Array(await response.arrayBuffer());
  if (response.status === 206) {
    const m = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(response.headers.get('content-range') ?? '');
    const s = m ? Number(m[1]) : start;
    const total = m && m[3] !== '*' ? Number(m[3]) : s + buffer.length;
    return { bytes: buffer, start: s, end: s + buffer.length - 1, total, partial: s > 0 || s + buffer.length < total };
  }
  const slice = buffer.subarray(start, start + length);
  return { bytes: slice, start, end: start + slice.length - 1, total: buffer.length, partial: slice.length < buffer.length };
}

export const submitAnswer = (exerciseId: string, objectiveKey: string, answer: string) =>
  api.post<AnswerResult>(`/api/exercises/${seg(exerciseId)}/objectives/${seg(objectiveKey)}/answers`, { answer });

export type HintUnlockResult = { hintKey: string; objectiveKey: string | null; cost: number; text: LocalizedText; unlockedAt: string; alreadyUnlocked: boolean };
export const unlockHint = (exerciseId: string, hintKey: string) => api.post<HintUnlockResult>(`/api/exercises/${seg(exerciseId)}/hints/${seg(hintKey)}/unlock`);
