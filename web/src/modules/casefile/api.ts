import { useQuery } from '@tanstack/react-query';
import type { CaseFile, CaseFileOverview, CaseFileSave, CaseFileVersion, Entity, EntityCreate, EvaluationCreate, TimelineEvent, TimelineEventCreate, VersionList } from '@modules/casefile/schemas.ts';
import { api, isApiError, seg } from '../../core/api.ts';
import { exerciseKey } from '../exercises/api.ts';
import { playKey } from '../play/api.ts';

/**
 * Query keys sit under the key each page refreshes on live events: the team's
 * under its play view, the staff's under the exercise's board, so a save by a
 * team-mate or an evaluation shows without another event stream.
 */
export const teamCaseFileKey = (exerciseId: string) => [...playKey(exerciseId), 'casefile'] as const;
export const staffCaseFilesKey = (exerciseId: string) => [...exerciseKey(exerciseId), 'board', 'casefiles'] as const;
/** Whose case file a query reads: the caller's team (null) or, for staff, a team's. */
export const caseFileKey = (exerciseId: string, teamId: string | null) => (teamId ? ([...staffCaseFilesKey(exerciseId), teamId] as const) : teamCaseFileKey(exerciseId));

const base = (exerciseId: string) => `/api/exercises/${seg(exerciseId)}/case-file`;
const teamQuery = (teamId: string | null) => (teamId ? { teamId } : undefined);

export const fetchCaseFile = (exerciseId: string, teamId: string | null, signal?: AbortSignal) => api.get<CaseFile>(base(exerciseId), { query: teamQuery(teamId), ...(signal ? { signal } : {}) });

export const useCaseFile = (exerciseId: string, teamId: string | null) => useQuery({ queryKey: caseFileKey(exerciseId, teamId), queryFn: ({ signal }) => fetchCaseFile(exerciseId, teamId, signal) });

export const useVersions = (exerciseId: string, teamId: string | null) =>
  useQuery({ queryKey: [...caseFileKey(exerciseId, teamId), 'versions'], queryFn: ({ signal }) => api.get<VersionList>(`${base(exerciseId)}/versions`, { query: teamQuery(teamId), signal }) });

export const useVersion = (exerciseId: string, teamId: string | null, version: number | null) =>
  useQuery({
    queryKey: [...caseFileKey(exerciseId, teamId), 'versions', version],
    queryFn: ({ signal }) => api.get<CaseFileVersion>(`${base(exerciseId)}/versions/${version ?? 0}`, { query: teamQuery(teamId), signal }),
    enabled: version !== null,
    // A saved version never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });

export const useOverview = (exerciseId: string) =>
  useQuery({ queryKey: staffCaseFilesKey(exerciseId), queryFn: ({ signal }) => api.get<CaseFileOverview>(`/api/exercises/${seg(exerciseId)}/case-files`, { signal }) });

export const saveDraft = (exerciseId: string, body: CaseFileSave) => api.put<CaseFile>(base(exerciseId), body);
export const submitCaseFile = (exerciseId: string, version: number) => api.post<CaseFile>(`${base(exerciseId)}/submit`, { version });
export const addEntity = (exerciseId: string, body: EntityCreate) => api.post<Entity>(`${base(exerciseId)}/entities`, body);
export const removeEntity = (exerciseId: string, id: string) => api.delete(`${base(exerciseId)}/entities/${seg(id)}`);
export const addEvent = (exerciseId: string, body: TimelineEventCreate) => api.post<TimelineEvent>(`${base(exerciseId)}/events`, body);
export const removeEvent = (exerciseId: string, id: string) => api.delete(`${base(exerciseId)}/events/${seg(id)}`);
export const evaluate = (exerciseId: string, teamId: string, body: EvaluationCreate) => api.post<CaseFile>(`/api/exercises/${seg(exerciseId)}/case-files/${seg(teamId)}/evaluations`, body);

/** The printable prosecution report; staff name the team. */
export const reportUrl = (exerciseId: string, teamId: string | null, lang: string) => `${base(exerciseId)}/report.pdf?${new URLSearchParams({ ...(teamId ? { teamId } : {}), lang }).toString()}`;

/** What a 409 from the case file means: another save came first, the file is locked, the exercise is paused, or nothing was saved yet. */
export type ConflictKind = { reason: 'version'; currentVersion: number | null } | { reason: 'locked'; lock: string | null } | { reason: 'paused' } | { reason: 'empty' } | { reason: 'other' };
export function conflictOf(error: unknown): ConflictKind | null {
  if (!isApiError(error) || error.code !== 'conflict') return null;
  const d = (error.details && typeof error.details === 'object' ? error.details : {}) as Record<string, unknown>;
  if (d.reason === 'version') return { reason: 'version', currentVersion: typeof d.currentVersion === 'number' ? d.currentVersion : null };
  if (d.reason === 'locked') return { reason: 'locked', lock: typeof d.lock === 'string' ? d.lock : null };
  if (d.reason === 'paused') return { reason: 'paused' };
  if (d.reason === 'empty') return { reason: 'empty' };
  return { reason: 'other' };
}
