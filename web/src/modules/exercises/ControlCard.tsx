import { useState } from 'react';
import { Button, Card, Chip, Divider, Grid, Group, Modal, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconClockPlus, IconPlayerPause, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import { api, seg } from '../../core/api.ts';
import { useNotify } from '../../core/notify.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useFormatMinutes } from '../scenarios/format.ts';
import { exerciseKey, exercisesKey, modeLabel, type ExerciseSummary } from './api.ts';
import { Countdown } from './Countdown.tsx';
import { useNotifyRefusal } from './server-texts.ts';

type Action = 'start' | 'pause' | 'resume' | 'end';

const confirmTexts: Record<Action, { title: MessageId; message: MessageId; confirm: MessageId; done: MessageId }> = {
  start: { title: 'exercises.control.startTitle', message: 'exercises.control.startConfirm', confirm: 'exercises.control.start', done: 'exercises.control.started' },
  pause: { title: 'exercises.control.pauseTitle', message: 'exercises.control.pauseConfirm', confirm: 'exercises.control.pause', done: 'exercises.control.paused' },
  resume: { title: 'exercises.control.resumeTitle', message: 'exercises.control.resumeConfirm', confirm: 'exercises.control.resume', done: 'exercises.control.resumed' },
  end: { title: 'exercises.control.endTitle', message: 'exercises.control.endConfirm', confirm: 'exercises.control.end', done: 'exercises.control.ended' },
};

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** The clock of the exercise, big, with the trainer's controls beside it. */
export function ControlCard({ exercise, receivedAt, organiser }: { exercise: ExerciseSummary; receivedAt: number; organiser: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refused = useNotifyRefusal();
  const formatMinutes = useFormatMinutes();
  const [asking, setAsking] = useState<Action | null>(null);
  const [extending, setExtending] = useState(false);
  const [minutes, setMinutes] = useState<number | string>(10);

  const control = useMutation({
    mutationFn: (body: { action: Action } | { action: 'extend'; minutes: number }) => api.post<ExerciseSummary>(`/api/exercises/${seg(exercise.id)}/control`, body),
    onSuccess: (updated, body) => {
      client.setQueryData(exerciseKey(exercise.id), updated);
      void client.invalidateQueries({ queryKey: exercisesKey });
      setAsking(null);
      setExtending(false);
      notify.success(body.action === 'extend' ? t('exercises.control.extended', { minutes: body.minutes }) : t(confirmTexts[body.action].done));
    },
    onError: (error) => {
      setAsking(null);
      refused(error);
    },
  });

  const { phase } = exercise.clock;
  const status = exercise.status;
  const canStart = status === 'draft';
  const canPause = phase === 'running';
  const canResume = status === 'paused';
  const canExtend = status !== 'ended';
  const canEnd = status === 'running' || status === 'paused';

  return (
    <Card p="lg" mb="lg">
      <Grid gap="lg" align="center">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Countdown clock={exercise.clock} receivedAt={receivedAt} size="xl" onElapsed={() => void client.invalidateQueries({ queryKey: exerciseKey(exercise.id) })} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            {organiser ? (
              <Group gap="sm">
                {canStart ? (
                  <Button size="md" color="teal" leftSection={<IconPlayerPlay size={20} aria-hidden />} onClick={() => setAsking('start')}>
                    {t('exercises.control.start')}
                  </Button>
                ) : null}
                {canPause ? (
                  <Button size="md" variant="light" color="yellow" leftSection={<IconPlayerPause size={20} aria-hidden />} onClick={() => setAsking('pause')}>
                    {t('exercises.control.pause')}
                  </Button>
                ) : null}
                {canResume ? (
                  <Button size="md" color="teal" leftSection={<IconPlayerPlay size={20} aria-hidden />} onClick={() => setAsking('resume')}>
                    {t('exercises.control.resume')}
                  </Button>
                ) : null}
                {canExtend ? (
                  <Button size="md" variant="default" leftSection={<IconClockPlus size={20} aria-hidden />} onClick={() => setExtending(true)}>
                    {t('exercises.control.extend')}
                  </Button>
                ) : null}
                {canEnd ? (
                  <Button size="md" variant="light" color="red" leftSection={<IconPlayerStop size={20} aria-hidden />} onClick={() => setAsking('end')}>
                    {t('exercises.control.end')}
                  </Button>
                ) : null}
                {status === 'ended' ? <Text size="sm" c="dimmed">{t('exercises.control.over')}</Text> : null}
              </Group>
            ) : (
              <Text size="sm" c="dimmed">
                {t('exercises.control.expertView')}
              </Text>
            )}
            <Divider />
            <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" verticalSpacing="sm">
              <Fact label={t('exercises.fact.mode')}>{t(modeLabel[exercise.mode])}</Fact>
              <Fact label={t('exercises.fact.duration')}>
                {formatMinutes(exercise.durationMinutes)}
                {exercise.extendedMinutes > 0 ? (
                  <Text span size="xs" c="orange.8">
                    {' '}
                    {t('exercises.fact.extendedBy', { duration: formatMinutes(exercise.extendedMinutes) })}
                  </Text>
                ) : null}
              </Fact>
              <Fact label={t('exercises.fact.freeze')}>
                {exercise.mode === 'training' ? t('exercises.fact.noScoreboard') : exercise.freezeMinutes ? t('exercises.fact.freezeValue', { duration: formatMinutes(exercise.freezeMinutes) }) : t('exercises.fact.noFreeze')}
              </Fact>
              <Fact label={exercise.clock.startedAt ? t('exercises.fact.startedAt') : t('exercises.fact.scheduledStart')}>
                <DateTime value={exercise.clock.startedAt ?? exercise.scheduledStart} fallback={t('exercises.fact.byHand')} />
              </Fact>
              <Fact label={t('exercises.fact.teams')}>{t('exercises.fact.teamsValue', { count: exercise.teamCount, limit: exercise.teamSizeLimit })}</Fact>
              <Fact label={t('exercises.fact.elapsed')}>{formatMinutes(Math.floor(exercise.clock.elapsedSeconds / 60))}</Fact>
            </SimpleGrid>
          </Stack>
        </Grid.Col>
      </Grid>

      {asking ? (
        <ConfirmDialog
          opened
          danger={asking === 'end'}
          title={t(confirmTexts[asking].title)}
          message={t(confirmTexts[asking].message, { title: exercise.title })}
          confirmLabel={t(confirmTexts[asking].confirm)}
          loading={control.isPending}
          onCancel={() => setAsking(null)}
          onConfirm={() => control.mutate({ action: asking })}
        />
      ) : null}

      <Modal opened={extending} onClose={() => setExtending(false)} title={t('exercises.control.extendTitle')} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(minutes);
            if (Number.isInteger(n) && n >= 1 && n <= 1440) control.mutate({ action: 'extend', minutes: n });
          }}
        >
          <Stack gap="md">
            <Text size="sm">{t('exercises.control.extendText')}</Text>
            <Chip.Group value={String(minutes)} onChange={(v) => setMinutes(Number(v))}>
              <Group gap="xs">
                {[5, 10, 15, 30, 60].map((m) => (
                  <Chip key={m} value={String(m)} variant="outline">
                    {formatMinutes(m)}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
            <NumberInput label={t('exercises.control.extendMinutes')} min={1} max={1440} allowDecimal={false} allowNegative={false} value={minutes} onChange={setMinutes} data-autofocus required maw={220} />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setExtending(false)}>
                {t('common.action.cancel')}
              </Button>
              <Button type="submit" loading={control.isPending} leftSection={<IconClockPlus size={18} aria-hidden />}>
                {t('exercises.control.extendSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}
