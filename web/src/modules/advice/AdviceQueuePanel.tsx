import '@mantine/charts/styles.css';
import { useCallback, useMemo, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { BarChart } from '@mantine/charts';
import { ActionIcon, Badge, Box, Button, Card, Drawer, Grid, Group, Select, SimpleGrid, Skeleton, Stack, Text, Textarea, Title, Tooltip, useDirection } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconBroadcast, IconBulb, IconCoin, IconHandGrab, IconHandOff, IconLock, IconMessageQuestion, IconMessages, IconSend } from '@tabler/icons-react';
import { adviceBroadcast, adviceStatuses } from '@modules/advice/schemas.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState } from '../../core/table/useTableState.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';
import { useMe } from '../../core/session.ts';
import type { ExerciseSummary, Team } from '../exercises/api.ts';
import { announcementsKey } from '../exercises/api.ts';
import { useLiveEvents, type LiveMessage } from '../exercises/live.ts';
import { useEndAlign } from '../scenarios/format.ts';
import { useLocalized } from '../scenarios/localized.tsx';
import { adviceKey, applyPenalty, broadcast, claim, closeRequest, grantHint, queuePath, statusColor, statusLabel, useAdviceStats, useThread, type AdviceQueue, type AdviceRequest } from './api.ts';
import { useAdviceRefusal } from './refusals.ts';
import { ThreadView } from './ThreadView.tsx';
import { formatWaiting, secondsSince, useNow } from './waiting.ts';

const pollMs = 15_000;

const doneMessage = {
  claim: 'advice.done.claim',
  unclaim: 'advice.done.unclaim',
  penalty: 'advice.done.penalty',
  close: 'advice.done.close',
  hint: 'advice.done.hint',
} as const satisfies Record<string, MessageId>;

/** The staff's one queue across teams: waiting times, claims, the thread with its actions, a broadcast box and the desk's figures. */
export function AdviceQueuePanel({ exercise, teams }: { exercise: ExerciseSummary; teams: Team[] }) {
  const t = useT();
  const client = useQueryClient();
  const onEvent = useCallback(
    (m: LiveMessage) => {
      if (m.type === 'advice') void client.invalidateQueries({ queryKey: adviceKey(exercise.id) });
    },
    [client, exercise.id],
  );
  const live = useLiveEvents(`/api/exercises/${encodeURIComponent(exercise.id)}/events`, onEvent);
  const polling = live === 'live' ? false : pollMs;
  const table = useTableState({ prefix: 'advice', defaultSort: 'raisedAt', filters: ['status', 'teamId'] as const });
  const queue = usePagedQuery<AdviceRequest>([...adviceKey(exercise.id), 'queue'], queuePath(exercise.id), table);
  const data = queue.data as AdviceQueue | undefined;
  const now = useNow();
  // The server's clock decides waiting times; ours may be off.
  const serverTime = data?.serverTime;
  const skewMs = useMemo(() => (serverTime ? Date.parse(serverTime) - Date.now() : 0), [serverTime]);
  const [open, setOpen] = useState<string | null>(null);
  const endAlign = useEndAlign();
  const teamOptions = teams.map((team) => ({ value: team.id, label: team.name }));

  return (
    <Stack gap="md">
      <StatsCard exerciseId={exercise.id} polling={polling} />
      <Group align="flex-end" gap="sm">
        <Select
          label={t('advice.queue.filterStatus')}
          placeholder={t('advice.queue.allStatuses')}
          data={adviceStatuses.map((s) => ({ value: s, label: t(statusLabel[s]) }))}
          value={table.filters.status ?? null}
          onChange={(v) => table.setFilter('status', v)}
          clearable
          w={200}
        />
        <Select
          label={t('advice.queue.filterTeam')}
          placeholder={t('advice.queue.allTeams')}
          data={teamOptions}
          value={table.filters.teamId ?? null}
          onChange={(v) => table.setFilter('teamId', v)}
          clearable
          searchable
          w={240}
        />
      </Group>
      <DataTable<AdviceRequest>
        label={t('advice.queue.title')}
        table={table}
        query={queue}
        columns={[
          { accessor: 'teamName', title: t('advice.queue.col.team'), sortable: true },
          { accessor: 'subject', title: t('advice.queue.col.subject'), render: (r) => <Text size="sm" lineClamp={2} dir="auto" style={{ overflowWrap: 'anywhere' }}>{r.subject}</Text> },
          {
            accessor: 'status',
            title: t('advice.queue.col.status'),
            sortable: true,
            render: (r) => (
              <Group gap={4} wrap="nowrap">
                <Badge variant="light" color={statusColor[r.status]}>
                  {t(statusLabel[r.status])}
                </Badge>
                {r.penaltyPoints !== null ? (
                  <Tooltip label={t('advice.queue.penalised', { points: r.penaltyPoints })}>
                    <IconCoin size={16} color="var(--mantine-color-red-6)" aria-label={t('advice.queue.penalised', { points: r.penaltyPoints })} />
                  </Tooltip>
                ) : null}
              </Group>
            ),
          },
          {
            accessor: 'raisedAt',
            title: t('advice.queue.col.waiting'),
            sortable: true,
            render: (r) => (
              <Stack gap={0}>
                <Text size="sm" fw={r.awaitingReply ? 600 : undefined} c={r.awaitingReply ? 'orange.8' : undefined}>
                  {r.firstReplySeconds !== null ? t('advice.queue.firstReplyIn', { time: formatWaiting(r.firstReplySeconds) }) : formatWaiting(secondsSince(r.raisedAt, now, skewMs))}
                </Text>
                {r.awaitingReply && r.lastTeamMessageAt !== r.raisedAt ? (
                  <Text size="xs" c="dimmed">
                    {t('advice.queue.sinceTeam', { time: formatWaiting(secondsSince(r.lastTeamMessageAt, now, skewMs)) })}
                  </Text>
                ) : null}
              </Stack>
            ),
          },
          { accessor: 'claimedByName', title: t('advice.queue.col.claimedBy'), render: (r) => r.claimedByName ?? <Text size="sm" c="dimmed">{t('advice.queue.unclaimed')}</Text> },
          {
            accessor: 'actions',
            title: '',
            textAlign: endAlign,
            render: (r) => (
              <ActionIcon variant="subtle" aria-label={t('advice.queue.open', { subject: r.subject })} onClick={() => setOpen(r.id)}>
                <IconMessages size={18} />
              </ActionIcon>
            ),
          },
        ]}
        empty={{ title: t('advice.queue.emptyTitle'), description: t('advice.queue.emptyDescription'), icon: <IconMessageQuestion aria-hidden /> }}
        tableProps={{ onRowClick: ({ record, event }) => !(event.target as HTMLElement).closest('button, a') && setOpen(record.id) }}
      />
      <BroadcastBox exerciseId={exercise.id} ended={exercise.status === 'ended'} />
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="lg" title={t('advice.thread.title')} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
        {open ? <StaffThread exerciseId={exercise.id} requestId={open} queue={data} polling={polling} /> : null}
      </Drawer>
    </Stack>
  );
}

function StaffThread({ exerciseId, requestId, queue, polling }: { exerciseId: string; requestId: string; queue: AdviceQueue | undefined; polling: number | false }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = useAdviceRefusal();
  const localized = useLocalized();
  const me = useMe().id;
  const thread = useThread(exerciseId, requestId, polling);
  const [hintKey, setHintKey] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'penalty' | 'close' | null>(null);
  const done = (message: string) => {
    setConfirm(null);
    notify.success(message);
    void client.invalidateQueries({ queryKey: adviceKey(exerciseId) });
  };
  const onError = (error: unknown) => {
    setConfirm(null);
    notifications.show({ message: refusal(error), color: 'red', icon: <IconAlertTriangle size={18} aria-hidden />, withBorder: true, autoClose: 8000 });
  };
  const act = useMutation({
    mutationFn: async (action: { kind: 'claim' | 'unclaim' | 'penalty' | 'close' | 'hint'; hintKey?: string }) => {
      if (action.kind === 'claim' || action.kind === 'unclaim') await claim(exerciseId, requestId, action.kind === 'claim');
      else if (action.kind === 'penalty') await applyPenalty(exerciseId, requestId);
      else if (action.kind === 'close') await closeRequest(exerciseId, requestId);
      else await grantHint(exerciseId, requestId, action.hintKey ?? '');
      return action.kind;
    },
    onSuccess: (kind) => {
      if (kind === 'hint') setHintKey(null);
      done(t(doneMessage[kind]));
    },
    onError,
  });

  if (thread.isPending) return <LoadingState variant="table" rows={4} />;
  if (thread.error) return <ErrorState error={thread.error} onRetry={() => void thread.refetch()} />;
  const r = thread.data.request;
  const hints = queue?.hints ?? [];
  const penalty = queue?.advicePenalty ?? 0;
  const hintLabel = (key: string) => localized(hints.find((h) => h.key === key)?.text, key);
  const closed = r.status === 'closed';
  const mine = r.claimedBy !== null && r.claimedBy === me;

  return (
    <Stack gap="md">
      <Group gap="xs">
        {mine ? (
          <Button size="xs" variant="default" leftSection={<IconHandOff size={16} aria-hidden />} disabled={closed} loading={act.isPending && act.variables?.kind === 'unclaim'} onClick={() => act.mutate({ kind: 'unclaim' })}>
            {t('advice.action.unclaim')}
          </Button>
        ) : (
          <Button size="xs" variant="light" leftSection={<IconHandGrab size={16} aria-hidden />} disabled={closed} loading={act.isPending && act.variables?.kind === 'claim'} onClick={() => act.mutate({ kind: 'claim' })}>
            {r.claimedBy ? t('advice.action.takeOver', { name: r.claimedByName ?? '' }) : t('advice.action.claim')}
          </Button>
        )}
        <Button
          size="xs"
          variant="light"
          color="red"
          leftSection={<IconCoin size={16} aria-hidden />}
          disabled={r.penaltyPoints !== null || penalty <= 0}
          onClick={() => setConfirm('penalty')}
        >
          {r.penaltyPoints !== null ? t('advice.action.penalised', { points: r.penaltyPoints }) : t('advice.action.penalty', { points: penalty })}
        </Button>
        <Button size="xs" variant="default" leftSection={<IconLock size={16} aria-hidden />} disabled={closed} onClick={() => setConfirm('close')}>
          {t('advice.action.close')}
        </Button>
      </Group>
      {hints.length > 0 && !closed ? (
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <Select
            label={t('advice.action.hintLabel')}
            placeholder={t('advice.action.hintPlaceholder')}
            data={hints.map((h) => ({ value: h.key, label: `${h.key} — ${localized(h.text, h.key)}`.slice(0, 120) }))}
            value={hintKey}
            onChange={setHintKey}
            searchable
            style={{ flex: 1 }}
          />
          <Button size="sm" variant="light" color="yellow" leftSection={<IconBulb size={16} aria-hidden />} disabled={!hintKey} loading={act.isPending && act.variables?.kind === 'hint'} onClick={() => hintKey && act.mutate({ kind: 'hint', hintKey })}>
            {t('advice.action.grantHint')}
          </Button>
        </Group>
      ) : null}
      <ThreadView
        exerciseId={exerciseId}
        thread={thread.data}
        viewer="staff"
        exhibitHref={r.evidence ? `/api/exercises/${encodeURIComponent(exerciseId)}/evidence/${encodeURIComponent(r.evidence.key)}/content?teamId=${encodeURIComponent(r.teamId)}` : undefined}
        hintLabel={hintLabel}
        canWrite
      />
      <ConfirmDialog
        opened={confirm === 'penalty'}
        title={t('advice.confirm.penaltyTitle')}
        message={t('advice.confirm.penaltyMessage', { points: penalty, team: r.teamName })}
        confirmLabel={t('advice.action.penalty', { points: penalty })}
        danger
        loading={act.isPending}
        onConfirm={() => act.mutate({ kind: 'penalty' })}
        onCancel={() => setConfirm(null)}
      />
      <ConfirmDialog
        opened={confirm === 'close'}
        title={t('advice.confirm.closeTitle')}
        message={t('advice.confirm.closeMessage')}
        confirmLabel={t('advice.action.close')}
        loading={act.isPending}
        onConfirm={() => act.mutate({ kind: 'close' })}
        onCancel={() => setConfirm(null)}
      />
    </Stack>
  );
}

function StatsCard({ exerciseId, polling }: { exerciseId: string; polling: number | false }) {
  const t = useT();
  const { dir } = useDirection();
  const stats = useAdviceStats(exerciseId, polling);
  if (stats.error) return <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />;
  const s = stats.data;
  const time = (seconds: number | null) => (seconds === null ? '—' : formatWaiting(seconds));
  const bars = (s?.perTeam ?? []).map((p) => ({ team: p.teamName, requests: p.requests, penalties: p.penalties }));
  const summary = bars.map((b) => t('advice.stats.teamSummary', { team: b.team, requests: b.requests, penalties: b.penalties })).join('; ');
  return (
    <Card p="lg" component="section" aria-labelledby="advice-stats">
      <Title order={2} fz="md" mb="sm" id="advice-stats">
        {t('advice.stats.title')}
      </Title>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <SimpleGrid cols={2} spacing="md">
            <Figure label={t('advice.stats.median')} value={s ? time(s.medianFirstReplySeconds) : null} />
            <Figure label={t('advice.stats.p90')} value={s ? time(s.p90FirstReplySeconds) : null} />
            <Figure label={t('advice.stats.answered')} value={s ? t('advice.stats.answeredOf', { answered: s.answered, total: s.requests }) : null} />
            <Figure label={t('advice.stats.experts')} value={s ? String(s.perExpert.length) : null} />
          </SimpleGrid>
          {s && s.perExpert.length > 0 ? (
            <Stack gap={2} mt="sm">
              {s.perExpert.map((p) => (
                <Text key={p.userId} size="xs" c="dimmed">
                  {t('advice.stats.expertLine', { name: p.displayName, replies: p.replies, median: time(p.medianFirstReplySeconds) })}
                </Text>
              ))}
            </Stack>
          ) : null}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          {stats.isPending ? (
            <Skeleton h={180} radius="md" />
          ) : bars.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('advice.stats.noTeams')}
            </Text>
          ) : (
            <Box role="img" aria-label={`${t('advice.stats.chart')}. ${summary}`}>
              <BarChart
                h={180}
                data={dir === 'rtl' ? [...bars].reverse() : bars}
                dataKey="team"
                withLegend
                legendProps={{ verticalAlign: 'top', height: 32 }}
                tickLine="none"
                gridAxis="y"
                maxBarWidth={40}
                yAxisProps={{ orientation: dir === 'rtl' ? 'right' : 'left', width: 32, allowDecimals: false }}
                xAxisProps={{ interval: 0, tick: { fontSize: 11 } }}
                series={[
                  { name: 'requests', label: t('advice.stats.requests'), color: 'navy.6' },
                  { name: 'penalties', label: t('advice.stats.penalties'), color: 'red.5' },
                ]}
              />
            </Box>
          )}
        </Grid.Col>
      </Grid>
    </Card>
  );
}

function Figure({ label, value }: { label: string; value: string | null }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {value === null ? <Skeleton h={24} w={60} /> : <Text fz="lg" fw={700}>{value}</Text>}
    </Stack>
  );
}

function BroadcastBox({ exerciseId, ended }: { exerciseId: string; ended: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = useAdviceRefusal();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm(adviceBroadcast, { initialValues: { message: '' } });
  const send = useMutation({
    mutationFn: (v: { message: string }) => broadcast(exerciseId, v.message.trim()),
    onSuccess: () => {
      form.reset();
      setFormError(null);
      notify.success(t('advice.broadcast.sent'));
      void client.invalidateQueries({ queryKey: announcementsKey(exerciseId) });
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(refusal(error));
    },
  });
  if (ended) return null;
  return (
    <Card p="lg" component="section" aria-labelledby="advice-broadcast">
      <form noValidate onSubmit={form.onSubmit((v) => send.mutate(v))}>
        <Stack gap="sm">
          <Group gap="xs">
            <IconBroadcast size={18} aria-hidden />
            <Title order={2} fz="md" id="advice-broadcast">
              {t('advice.broadcast.title')}
            </Title>
          </Group>
          <FormError>{formError}</FormError>
          <Textarea label={t('advice.broadcast.message')} description={t('advice.broadcast.hint')} autosize minRows={2} maxRows={8} maxLength={2000} disabled={send.isPending} {...form.getInputProps('message')} />
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconSend size={16} aria-hidden className="mirror-rtl" />} loading={send.isPending}>
              {t('advice.broadcast.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
