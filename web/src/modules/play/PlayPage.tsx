import './play.css';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { Alert, Badge, Box, Button, Card, Grid, Group, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconBroadcast, IconBulb, IconClockPause, IconFileCertificate, IconFiles, IconFlag, IconGavel, IconHourglassHigh, IconInfoCircle, IconListCheck, IconMessageQuestion, IconReportAnalytics, IconSpeakerphone, IconTools, IconTrophy, IconUsersGroup } from '@tabler/icons-react';
import { FormattedNumber } from 'react-intl';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../core/api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { exerciseKey, modeLabel, useTeams } from '../exercises/api.ts';
import { Countdown } from '../exercises/Countdown.tsx';
import { useLiveEvents, type LiveMessage } from '../exercises/live.ts';
import { LiveIndicator } from '../exercises/LiveIndicator.tsx';
import { useCountryName } from '../organisations/reference.ts';
import { Localized, useLocalized } from '../scenarios/localized.tsx';
import { RichText } from '../scenarios/RichText.tsx';
import { lockerKey, playKey, scoreboardKey, useLocker, usePlay, useScoreboard, type TeamView } from './api.ts';
import { EvidencePanel } from './EvidencePanel.tsx';
import { FeedPanel, feedOf } from './FeedPanel.tsx';
import { HintsPanel } from './HintsPanel.tsx';
import { objectiveNumbers, ObjectivesPanel } from './ObjectivesPanel.tsx';
import { ScoreboardPanel } from './ScoreboardPanel.tsx';
import { WorkbenchPanel } from '../workbench/WorkbenchPanel.tsx';
import { CaseFilePanel } from '../casefile/CaseFilePanel.tsx';
import { LegalRequestsPanel } from '../legal/LegalRequestsPanel.tsx';
import { AdvicePanel } from '../advice/AdvicePanel.tsx';
import { TeamReportPanel } from '../reports/TeamReportPanel.tsx';

const tabs = ['briefing', 'evidence', 'objectives', 'hints', 'workbench', 'casefile', 'legal', 'advice', 'feed', 'scoreboard', 'report'] as const;
type TabId = (typeof tabs)[number];
const pollSeconds = 15;

const seenKey = (id: string) => `cybercap.feedSeen.${id}`;
const readSeen = (id: string): string | null => {
  try {
    return window.localStorage.getItem(seenKey(id));
  } catch {
    return null;
  }
};
const writeSeen = (id: string, at: string) => {
  try {
    window.localStorage.setItem(seenKey(id), at);
  } catch {
    // Private mode: the unread count lasts for this page only.
  }
};

/**
 * Tells the team when something new arrives (evidence, objectives, injects,
 * announcements), whether it came live or with a refresh: what is new is what
 * the previous view did not have.
 */
function useArrivals(view: TeamView | undefined) {
  const t = useT();
  const localized = useLocalized();
  const known = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!view) return;
    const ids = new Set([...view.evidence.map((e) => `e:${e.id}`), ...view.objectives.map((o) => `o:${o.id}`), ...view.injects.map((i) => `i:${i.id}`), ...view.announcements.map((a) => `a:${a.id}`)]);
    const before = known.current;
    known.current = ids;
    if (!before) return;
    for (const i of view.injects) {
      if (!before.has(`i:${i.id}`)) notifications.show({ title: t('play.notify.inject'), message: localized(i.title, i.id), color: 'navy', icon: <IconSpeakerphone size={18} aria-hidden />, autoClose: 12000, withBorder: true });
    }
    for (const a of view.announcements) {
      if (!before.has(`a:${a.id}`)) notifications.show({ title: t('play.notify.announcement'), message: a.message, color: 'grape', icon: <IconBroadcast size={18} aria-hidden />, autoClose: 12000, withBorder: true });
    }
    const evidence = view.evidence.filter((e) => !before.has(`e:${e.id}`));
    if (evidence.length > 0) {
      notifications.show({ title: t('play.notify.evidence', { count: evidence.length }), message: evidence.map((e) => localized(e.title, e.fileName)).join(' · '), color: 'teal', icon: <IconFiles size={18} aria-hidden />, autoClose: 10000, withBorder: true });
    }
    const objectives = view.objectives.filter((o) => !before.has(`o:${o.id}`));
    if (objectives.length > 0) {
      notifications.show({ title: t('play.notify.objectives', { count: objectives.length }), message: t('play.notify.objectivesText'), color: 'teal', icon: <IconListCheck size={18} aria-hidden />, autoClose: 10000, withBorder: true });
    }
  }, [view, t, localized]);
}

const banners: Record<'not_started' | 'paused' | 'ended', { color: string; icon: typeof IconFlag; title: MessageId; text: MessageId }> = {
  not_started: { color: 'blue', icon: IconHourglassHigh, title: 'play.banner.notStartedTitle', text: 'play.banner.notStarted' },
  paused: { color: 'yellow', icon: IconClockPause, title: 'play.banner.pausedTitle', text: 'play.banner.paused' },
  ended: { color: 'gray', icon: IconFlag, title: 'play.banner.endedTitle', text: 'play.banner.ended' },
};

/** The participant's page: the team's investigation, live. */
export default function PlayPage() {
  const t = useT();
  const { id = '', tab: tabParam } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const tab: TabId = (tabs as readonly string[]).includes(tabParam ?? '') ? (tabParam as TabId) : 'briefing';

  const onEvent = useCallback(
    (m: LiveMessage) => {
      if (m.type === 'ready') return;
      if (m.type === 'scoreboard' || m.type === 'adjusted') {
        void client.invalidateQueries({ queryKey: scoreboardKey(id) });
        if (m.type === 'scoreboard') return;
      }
      // Everything else, announcements included, changes the team's view (useArrivals then tells what is new).
      void client.invalidateQueries({ queryKey: playKey(id) });
      if (m.type === 'released' || m.type === 'inject') void client.invalidateQueries({ queryKey: lockerKey(id) });
      if (m.type === 'solved' || m.type === 'hint_unlocked' || m.type === 'clock') void client.invalidateQueries({ queryKey: scoreboardKey(id) });
      if (m.type === 'clock') void client.invalidateQueries({ queryKey: exerciseKey(id), exact: true });
    },
    [client, id],
  );
  const live = useLiveEvents(id ? `/api/exercises/${encodeURIComponent(id)}/events` : null, onEvent);
  const polling = live === 'live' ? false : pollSeconds * 1000;
  const play = usePlay(id, polling);
  const view = play.data;
  const locker = useLocker(id, polling);
  const scoreboard = useScoreboard(id, tab === 'scoreboard' ? polling : false);
  useArrivals(view);

  const feed = useMemo(() => (view ? feedOf(view) : []), [view]);
  const newest = feed[0]?.at ?? null;
  const seen = useRef<string | null>(readSeen(id));
  const unread = feed.filter((f) => seen.current === null || f.at > seen.current).length;
  useEffect(() => {
    if (tab === 'feed' && newest) {
      const timer = window.setTimeout(() => {
        seen.current = newest;
        writeSeen(id, newest);
      }, 4000);
      return () => window.clearTimeout(timer);
    }
  }, [tab, newest, id]);

  useDocumentTitle(`${view?.exercise.title ?? t('play.title')} · Cybercap`);

  if (play.isPending) return <LoadingState />;
  if (play.error) {
    if (isApiError(play.error) && play.error.code === 'forbidden') {
      // Trainers and experts have no team: their page is the control page.
      return <Navigate to={`/exercises/${id}`} replace />;
    }
    if (isApiError(play.error) && play.error.code === 'not_found') {
      return (
        <Card>
          <EmptyState title={t('play.notFoundTitle')} description={t('play.notFound')} action={<Button component={Link} to="/exercises">{t('play.backToExercises')}</Button>} />
        </Card>
      );
    }
    return <ErrorState error={play.error} onRetry={() => void play.refetch()} />;
  }
  const v = play.data;
  const phase = v.clock.phase;
  const accepting = phase === 'running';
  const banner = phase === 'running' ? null : banners[phase];
  const numbers = objectiveNumbers(v);
  const solved = v.objectives.filter((o) => o.solved).length;
  const setTab = (next: string | null) => next && void navigate(`/exercises/${id}/play${next === 'briefing' ? '' : `/${next}`}`);

  const count = (n: number, color = 'gray') => (
    <Badge size="sm" variant="light" color={color} circle={n < 10}>
      <FormattedNumber value={n} />
    </Badge>
  );

  return (
    <>
      <Card className="play-header" p={{ base: 'md', sm: 'lg' }} mb="md" shadow="md">
        <Grid align="center" gap="md">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap={6}>
              <Text size="xs" fw={700} c="navy.2" className="nav-section-label">
                {t('play.kicker')}
              </Text>
              <Title order={1} fz={{ base: 22, sm: 28 }} lh={1.2} c="white" tabIndex={-1} data-page-title>
                {v.exercise.title}
              </Title>
              <Group gap="xs">
                <Badge variant="white" color="navy" leftSection={<IconUsersGroup size={14} aria-hidden />} size="lg" tt="none">
                  {v.team.name}
                </Badge>
                <Badge variant="outline" color="gray.0" c="white" size="lg" tt="none">
                  {t(modeLabel[v.exercise.mode])}
                </Badge>
                <LiveIndicatorOnDark status={live} />
              </Group>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Paper bg="rgba(255,255,255,0.08)" p="sm" radius="md">
              <Countdown clock={v.clock} receivedAt={play.dataUpdatedAt} size="xl" inverted onElapsed={() => void play.refetch()} />
            </Paper>
          </Grid.Col>
        </Grid>
      </Card>

      {banner ? (
        <Alert color={banner.color} variant="light" icon={<banner.icon aria-hidden />} title={t(banner.title)} mb="md" role="status">
          {t(banner.text)}
        </Alert>
      ) : null}

      <Tabs value={tab} onChange={setTab} variant="pills" radius="md">
        <Paper withBorder p={6} mb="lg" radius="md">
          <Tabs.List style={{ flexWrap: 'wrap' }}>
            <Tabs.Tab value="briefing" leftSection={<IconInfoCircle size={17} aria-hidden />}>
              {t('play.tab.briefing')}
            </Tabs.Tab>
            <Tabs.Tab value="evidence" leftSection={<IconFiles size={17} aria-hidden />} rightSection={count(locker.data?.length ?? v.evidence.length)}>
              {t('play.tab.evidence')}
            </Tabs.Tab>
            <Tabs.Tab value="objectives" leftSection={<IconListCheck size={17} aria-hidden />} rightSection={<Badge size="sm" variant="light" color={solved === v.objectives.length && solved > 0 ? 'teal' : 'gray'}>{t('play.tab.objectivesCount', { solved, total: v.objectives.length })}</Badge>}>
              {t('play.tab.objectives')}
            </Tabs.Tab>
            <Tabs.Tab value="hints" leftSection={<IconBulb size={17} aria-hidden />} rightSection={count(v.hints.length)}>
              {t('play.tab.hints')}
            </Tabs.Tab>
            <Tabs.Tab value="workbench" leftSection={<IconTools size={17} aria-hidden />}>
              {t('play.tab.workbench')}
            </Tabs.Tab>
            <Tabs.Tab value="casefile" leftSection={<IconFileCertificate size={17} aria-hidden />}>
              {t('play.tab.casefile')}
            </Tabs.Tab>
            <Tabs.Tab value="legal" leftSection={<IconGavel size={17} aria-hidden />}>
              {t('play.tab.legal')}
            </Tabs.Tab>
            <Tabs.Tab value="advice" leftSection={<IconMessageQuestion size={17} aria-hidden />}>
              {t('play.tab.advice')}
            </Tabs.Tab>
            <Tabs.Tab value="feed" leftSection={<IconSpeakerphone size={17} aria-hidden />} rightSection={unread > 0 ? count(unread, 'red') : null} aria-label={unread > 0 ? t('play.tab.feedUnread', { count: unread }) : undefined}>
              {t('play.tab.feed')}
            </Tabs.Tab>
            <Tabs.Tab value="scoreboard" leftSection={<IconTrophy size={17} aria-hidden />}>
              {t('play.tab.scoreboard')}
            </Tabs.Tab>
            <Tabs.Tab value="report" leftSection={<IconReportAnalytics size={17} aria-hidden />}>
              {t('play.tab.report')}
            </Tabs.Tab>
          </Tabs.List>
        </Paper>

        <Tabs.Panel value="briefing">{tab === 'briefing' ? <BriefingPanel view={v} exerciseId={id} /> : null}</Tabs.Panel>
        <Tabs.Panel value="evidence">{tab === 'evidence' ? <EvidencePanel exerciseId={id} locker={locker} /> : null}</Tabs.Panel>
        <Tabs.Panel value="objectives">{tab === 'objectives' ? <ObjectivesPanel view={v} accepting={accepting} onShowHints={() => setTab('hints')} /> : null}</Tabs.Panel>
        <Tabs.Panel value="hints">{tab === 'hints' ? <HintsPanel view={v} accepting={accepting} /> : null}</Tabs.Panel>
        <Tabs.Panel value="workbench">{tab === 'workbench' ? <WorkbenchPanel exerciseId={id} view={v} accepting={accepting} /> : null}</Tabs.Panel>
        <Tabs.Panel value="casefile">{tab === 'casefile' ? <CaseFilePanel exerciseId={id} view={v} accepting={accepting} /> : null}</Tabs.Panel>
        <Tabs.Panel value="legal">{tab === 'legal' ? <LegalRequestsPanel exerciseId={id} view={v} accepting={accepting} /> : null}</Tabs.Panel>
        <Tabs.Panel value="advice">{tab === 'advice' ? <AdvicePanel exerciseId={id} view={v} accepting={accepting} /> : null}</Tabs.Panel>
        <Tabs.Panel value="feed">{tab === 'feed' ? <FeedPanel view={v} unreadSince={seen.current} /> : null}</Tabs.Panel>
        <Tabs.Panel value="scoreboard">
          {tab === 'scoreboard' ? <ScoreboardPanel scoreboard={scoreboard} live={phase === 'running' || phase === 'paused'} myTeamId={v.team.id} objectiveName={(key) => (numbers.has(key) ? t('scenarios.objective.number', { n: numbers.get(key) ?? 0 }) : t('play.scoreboard.anObjective'))} /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="report">{tab === 'report' ? <TeamReportPanel exerciseId={id} teamId={v.team.id} /> : null}</Tabs.Panel>
      </Tabs>
    </>
  );
}

function LiveIndicatorOnDark({ status }: { status: Parameters<typeof LiveIndicator>[0]['status'] }) {
  return (
    <Box style={{ background: 'white', borderRadius: 'var(--mantine-radius-sm)' }}>
      <LiveIndicator status={status} pollSeconds={pollSeconds} />
    </Box>
  );
}

function BriefingPanel({ view, exerciseId }: { view: TeamView; exerciseId: string }) {
  const t = useT();
  const teams = useTeams(exerciseId);
  const countryName = useCountryName();
  const mine = teams.data?.find((x) => x.id === view.team.id);
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Card p={{ base: 'md', sm: 'xl' }}>
          <Title order={2} fz="lg" mb="md">
            {t('play.briefing.title')}
          </Title>
          <Localized text={view.briefing} component="div" fallback={<Text c="dimmed">{t('play.briefing.none')}</Text>} render={(text) => <RichText text={text} size="md" />} />
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Stack gap="lg">
          <Card p="lg">
            <Group gap="xs" mb="sm">
              <IconUsersGroup size={18} aria-hidden />
              <Title order={2} fz="md">
                {t('play.team.title', { team: view.team.name })}
              </Title>
            </Group>
            {mine ? (
              <Stack gap={8}>
                {mine.members.map((m) => (
                  <Group key={m.userId} justify="space-between" wrap="nowrap" gap="xs">
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text size="sm" fw={500} truncate>
                        {m.displayName}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {m.organisation} · {countryName(m.countryCode)}
                      </Text>
                    </Stack>
                    {m.captain ? (
                      <Badge size="xs" color="yellow" variant="light" style={{ flex: 'none' }}>
                        {t('exercises.teams.captain')}
                      </Badge>
                    ) : null}
                  </Group>
                ))}
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                {t('common.state.loading')}
              </Text>
            )}
          </Card>
          <Card p="lg">
            <Title order={2} fz="md" mb="sm">
              {t('play.howto.title')}
            </Title>
            <Stack gap={8}>
              <Text size="sm">{t('play.howto.evidence')}</Text>
              <Text size="sm">{t('play.howto.answers')}</Text>
              <Text size="sm">{t('play.howto.hints')}</Text>
              <Text size="sm">{t('play.howto.times')}</Text>
            </Stack>
          </Card>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
