import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Announcement, ExerciseSummary, exerciseStatuses, staffMember, Team } from '@modules/exercises/schemas.ts';
import { api, seg } from '../../core/api.ts';
import type { MessageId } from '../../i18n/message-ids.ts';

export type { Announcement, ExerciseSummary, Team };
export type StaffMember = z.infer<typeof staffMember>;
export type ExerciseStatus = (typeof exerciseStatuses)[number];
export type Clock = ExerciseSummary['clock'];
export type Phase = Clock['phase'];
export type ExerciseRoleKind = ExerciseSummary['myRole'];

/** Every exercise query starts with this key: invalidating it refreshes lists, details, teams and boards. */
export const exercisesKey = ['exercises'] as const;
export const exerciseKey = (id: string) => [...exercisesKey, 'one', id] as const;
export const teamsKey = (id: string) => [...exerciseKey(id), 'teams'] as const;
export const staffKey = (id: string) => [...exerciseKey(id), 'staff'] as const;
export const announcementsKey = (id: string) => [...exerciseKey(id), 'announcements'] as const;

export const useExercises = () => useQuery({ queryKey: [...exercisesKey, 'mine'], queryFn: ({ signal }) => api.get<ExerciseSummary[]>('/api/exercises', { signal }) });

export const useExercise = (id: string, options: { refetchInterval?: number | false } = {}) =>
  useQuery({ queryKey: exerciseKey(id), queryFn: ({ signal }) => api.get<ExerciseSummary>(`/api/exercises/${seg(id)}`, { signal }), ...options });

export const useTeams = (id: string, options: { refetchInterval?: number | false; enabled?: boolean } = {}) =>
  useQuery({ queryKey: teamsKey(id), queryFn: ({ signal }) => api.get<Team[]>(`/api/exercises/${seg(id)}/teams`, { signal }), ...options });

export const useStaff = (id: string) => useQuery({ queryKey: staffKey(id), queryFn: ({ signal }) => api.get<StaffMember[]>(`/api/exercises/${seg(id)}/staff`, { signal }) });

/** The trainers' announcements, newest first. */
export const useAnnouncements = (id: string, options: { refetchInterval?: number | false } = {}) =>
  useQuery({ queryKey: announcementsKey(id), queryFn: ({ signal }) => api.get<Announcement[]>(`/api/exercises/${seg(id)}/announcements`, { signal }), ...options });

/** Organisers (administrators and the exercise's trainers) run the exercise; experts watch and advise. */
export const isOrganiser = (role: ExerciseRoleKind) => role === 'administrator' || role === 'trainer';
export const isStaffRole = (role: ExerciseRoleKind) => role !== 'participant';

export const phaseLabel: Record<Phase, MessageId> = {
  not_started: 'exercises.phase.not_started',
  running: 'exercises.phase.running',
  paused: 'exercises.phase.paused',
  ended: 'exercises.phase.ended',
};
export const phaseColor: Record<Phase, string> = { not_started: 'gray', running: 'teal', paused: 'yellow', ended: 'dark' };

export const modeLabel: Record<ExerciseSummary['mode'], MessageId> = {
  competition: 'exercises.mode.competition',
  training: 'exercises.mode.training',
};

export const roleLabel: Record<ExerciseRoleKind, MessageId> = {
  administrator: 'exercises.myRole.administrator',
  trainer: 'exercises.myRole.trainer',
  expert: 'exercises.myRole.expert',
  participant: 'exercises.myRole.participant',
};

/** Where the user goes to take part: participants play, staff run the exercise. */
export const exercisePath = (e: Pick<ExerciseSummary, 'id' | 'myRole'>) => (e.myRole === 'participant' ? `/exercises/${e.id}/play` : `/exercises/${e.id}`);
