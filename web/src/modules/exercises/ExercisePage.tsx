import { useCallback } from 'react';
import { Badge, Group, Tabs } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconBroadcast, IconFileCertificate, IconFingerprint, IconGavel, IconLayoutGrid, IconMessageQuestion, IconReportAnalytics, IconSpeakerphone, IconUserShield, IconUsersGroup } from '@tabler/icons-react';
import { FormattedNumber } from 'react-intl';
import { Link, Navigate, useParams, useSearchParams } from 'react-router';
import { Anchor } from '@mantine/core';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useCan } from '../../core/session.ts';
import { useT } from '../../i18n/useT.ts';
import { Localized } from '../scenarios/localized.tsx';
import { announcementsKey, exerciseKey, isOrganiser, modeLabel, useExercise, useTeams } from './api.ts';
import { AnnouncementsPanel } from './AnnouncementsPanel.tsx';
import { BoardPanel, boardKey } from './BoardPanel.tsx';
import { ControlCard } from './ControlCard.tsx';
import { CustodyPanel } from './CustodyPanel.tsx';
import { InjectsPanel } from './InjectsPanel.tsx';
import { useLiveEvents, type LiveMessage } from './live.ts';
import { LiveIndicator } from './LiveIndicator.tsx';
import { StaffPanel } from './StaffPanel.tsx';
import { TeamsPanel } from './TeamsPanel.tsx';
import { AdviceQueuePanel } from '../advice/AdviceQueuePanel.tsx';
import { LegalStaffPanel } from '../legal/LegalStaffPanel.tsx';
import { CaseFilesStaffPanel } from '../casefile/CaseFilesStaffPanel.tsx';
import { ExerciseReportPanel } from '../reports/ExerciseReportPanel.tsx';

const tabs = ['teams', 'board', 'advice', 'legal', 'casefiles', 'injects', 'announcements', 'staff', 'custody', 'report'] as const;
type TabId = (typeof tabs)[number];
const pollSeconds = 20;

/** Running an exercise: the clock and its controls, teams, the live board, injects, announcements, staff and the chain of custody. */
export default function ExercisePage() {
  const t = useT();
  const { id = '' } = useParams();
  const can = useCan();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();

  const onEvent = useCallback(
    (message: LiveMessage) => {
      if (message.type === 'ready') return;
      // An announcement (from any trainer) only changes the list of those sent.
      if (message.type === 'announcement') {
        void client.invalidateQueries({ queryKey: announcementsKey(id) });
        return;
      }
      if (message.type === 'clock') void client.invalidateQueries({ queryKey: exerciseKey(id), exact: true });
      // Every other event (answers, solves, hints, releases, adjustments, scoreboard) changes the board.
      void client.invalidateQueries({ queryKey: boardKey(id) });
      if (message.type === 'released' || message.type === 'inject') void client.invalidateQueries({ queryKey: [...exerciseKey(id), 'custody'] });
    },
    [client, id],
  );
  const live = useLiveEvents(id ? `/api/exercises/${encodeURIComponent(id)}/events` : null, onEvent);
  const polling = live === 'live' ? false : pollSeconds * 1000;
  const exercise = useExercise(id, { refetchInterval: polling });
  // Nobody is told when a participant joins with a code: the teams are read again now and then.
  const teams = useTeams(id, { refetchInterval: pollSeconds * 1000, enabled: exercise.data !== undefined && exercise.data.myRole !== 'participant' });

  if (exercise.isPending) return <LoadingState />;
  if (exercise.error) {
    return (
      <>
        <PageHeader title={t('exercises.detail.title')} breadcrumbs={[{ label: t('exercises.title'), to: '/exercises' }]} />
        <ErrorState error={exercise.error} onRetry={() => void exercise.refetch()} />
      </>
    );
  }
  const e = exercise.data;
  if (e.myRole === 'participant') return <Navigate to={`/exercises/${e.id}/play`} replace />;
  const organiser = isOrganiser(e.myRole);
  const tab: TabId = (tabs as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as TabId) : 'teams';
  const setTab = (v: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (v && v !== 'teams') next.set('tab', v);
        else next.delete('tab');
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader
        title={e.title}
        breadcrumbs={[{ label: t('exercises.title'), to: '/exercises' }, { label: e.title }]}
        description={
          <Group gap="xs" component="span">
            {can('scenarios.read') ? (
              <Anchor component={Link} to={`/scenarios/${e.scenario.id}`} size="sm">
                <Localized text={e.scenario.title} fallback={e.scenario.slug} />
              </Anchor>
            ) : (
              <Localized text={e.scenario.title} fallback={e.scenario.slug} />
            )}
            <Badge color="gray" variant="outline" tt="none">
              <Ltr mono>v{e.scenario.version}</Ltr>
            </Badge>
            <Badge color={e.mode === 'competition' ? 'navy' : 'teal'} variant="light">
              {t(modeLabel[e.mode])}
            </Badge>
          </Group>
        }
        actions={<LiveIndicator status={live} pollSeconds={pollSeconds} />}
      />

      <ControlCard exercise={e} receivedAt={exercise.dataUpdatedAt} organiser={organiser} />

      <Tabs value={tab} onChange={setTab} variant="outline">
        <Tabs.List mb="lg" style={{ flexWrap: 'wrap' }}>
          <Tabs.Tab value="teams" leftSection={<IconUsersGroup size={17} aria-hidden />} rightSection={<Badge size="sm" variant="light" color="gray" circle><FormattedNumber value={teams.data?.length ?? e.teamCount} /></Badge>}>
            {t('exercises.tab.teams')}
          </Tabs.Tab>
          <Tabs.Tab value="board" leftSection={<IconLayoutGrid size={17} aria-hidden />}>
            {t('exercises.tab.board')}
          </Tabs.Tab>
          <Tabs.Tab value="advice" leftSection={<IconMessageQuestion size={17} aria-hidden />}>
            {t('exercises.tab.advice')}
          </Tabs.Tab>
          <Tabs.Tab value="legal" leftSection={<IconGavel size={17} aria-hidden />}>
            {t('exercises.tab.legal')}
          </Tabs.Tab>
          <Tabs.Tab value="casefiles" leftSection={<IconFileCertificate size={17} aria-hidden />}>
            {t('exercises.tab.casefiles')}
          </Tabs.Tab>
          <Tabs.Tab value="injects" leftSection={<IconSpeakerphone size={17} aria-hidden />}>
            {t('exercises.tab.injects')}
          </Tabs.Tab>
          <Tabs.Tab value="announcements" leftSection={<IconBroadcast size={17} aria-hidden />}>
            {t('exercises.tab.announcements')}
          </Tabs.Tab>
          <Tabs.Tab value="staff" leftSection={<IconUserShield size={17} aria-hidden />}>
            {t('exercises.tab.staff')}
          </Tabs.Tab>
          <Tabs.Tab value="custody" leftSection={<IconFingerprint size={17} aria-hidden />}>
            {t('exercises.tab.custody')}
          </Tabs.Tab>
          <Tabs.Tab value="report" leftSection={<IconReportAnalytics size={17} aria-hidden />}>
            {t('exercises.tab.report')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="teams">{tab === 'teams' ? <TeamsPanel exercise={e} teams={teams} organiser={organiser} /> : null}</Tabs.Panel>
        <Tabs.Panel value="board">{tab === 'board' ? <BoardPanel exercise={e} organiser={organiser} polling={polling} /> : null}</Tabs.Panel>
        <Tabs.Panel value="advice">{tab === 'advice' ? <AdviceQueuePanel exercise={e} teams={teams.data ?? []} /> : null}</Tabs.Panel>
        <Tabs.Panel value="legal">{tab === 'legal' ? <LegalStaffPanel exercise={e} teams={teams.data ?? []} /> : null}</Tabs.Panel>
        <Tabs.Panel value="casefiles">{tab === 'casefiles' ? <CaseFilesStaffPanel exercise={e} teams={teams.data ?? []} /> : null}</Tabs.Panel>
        <Tabs.Panel value="injects">{tab === 'injects' ? <InjectsPanel exercise={e} teams={teams.data ?? []} organiser={organiser} /> : null}</Tabs.Panel>
        <Tabs.Panel value="announcements">{tab === 'announcements' ? <AnnouncementsPanel exercise={e} organiser={organiser} polling={polling} /> : null}</Tabs.Panel>
        <Tabs.Panel value="staff">{tab === 'staff' ? <StaffPanel exercise={e} organiser={organiser} /> : null}</Tabs.Panel>
        <Tabs.Panel value="custody">{tab === 'custody' ? <CustodyPanel exercise={e} teams={teams.data ?? []} organiser={organiser} /> : null}</Tabs.Panel>
        <Tabs.Panel value="report">{tab === 'report' ? <ExerciseReportPanel exercise={e} teams={teams.data ?? []} /> : null}</Tabs.Panel>
      </Tabs>
    </>
  );
}
