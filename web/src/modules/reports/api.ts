import { useQuery } from '@tanstack/react-query';
import type { ExerciseReport, TeamReport, TimelineItem } from '@modules/reports/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { exerciseKey } from '../exercises/api.ts';

export type { ExerciseReport, TeamReport, TimelineItem };
export type ActivityKind = TimelineItem['kind'];

export const teamReportKey = (exerciseId: string, teamId: string) => [...exerciseKey(exerciseId), 'report', 'team', teamId] as const;
export const exerciseReportKey = (exerciseId: string) => [...exerciseKey(exerciseId), 'report', 'exercise'] as const;

export const teamReportUrl = (exerciseId: string, teamId: string, format?: 'pdf' | 'csv' | 'json') => `/api/exercises/${seg(exerciseId)}/teams/${seg(teamId)}/report${format ? `.${format}` : ''}`;
export const exerciseReportUrl = (exerciseId: string, format?: 'pdf' | 'csv' | 'json') => `/api/exercises/${seg(exerciseId)}/report${format ? `.${format}` : ''}`;

// While the exercise runs, the report is read again now and then (it is costlier than a live event's worth).
const whileRunning = (status: string | undefined) => (status === 'running' ? 60_000 : false);

export const useTeamReport = (exerciseId: string, teamId: string | null) =>
  useQuery({
    queryKey: teamReportKey(exerciseId, teamId ?? ''),
    queryFn: ({ signal }) => api.get<TeamReport>(teamReportUrl(exerciseId, teamId!), { signal }),
    enabled: teamId !== null,
    refetchInterval: (query) => whileRunning(query.state.data?.status),
  });

export const useExerciseReport = (exerciseId: string) =>
  useQuery({
    queryKey: exerciseReportKey(exerciseId),
    queryFn: ({ signal }) => api.get<ExerciseReport>(exerciseReportUrl(exerciseId), { signal }),
    refetchInterval: (query) => whileRunning(query.state.data?.status),
  });
