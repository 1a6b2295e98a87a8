import { useState } from 'react';
import { Alert, Button, Card, Group, Stack, Text, Textarea, ThemeIcon, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconBroadcast, IconInfoCircle, IconSend } from '@tabler/icons-react';
import { announcementCreate } from '@modules/exercises/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DateTime, RelativeTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { useT } from '../../i18n/useT.ts';
import { RichText } from '../scenarios/RichText.tsx';
import { announcementsKey, useAnnouncements, type Announcement, type ExerciseSummary } from './api.ts';
import { useRefusalText } from './server-texts.ts';

const maxLength = 2000;

/** The trainers' messages to every team: a composer (organisers, until the exercise ends) and those already sent. */
export function AnnouncementsPanel({ exercise, organiser, polling }: { exercise: ExerciseSummary; organiser: boolean; polling: number | false }) {
  const t = useT();
  const list = useAnnouncements(exercise.id, { refetchInterval: polling });
  const ended = exercise.status === 'ended';
  return (
    <Stack gap="md">
      <Alert variant="light" color="navy" icon={<IconInfoCircle aria-hidden />}>
        {ended ? t('exercises.announcements.ended') : organiser ? t('exercises.announcements.help') : t('exercises.announcements.organisersOnly')}
      </Alert>
      {organiser && !ended ? <Composer exerciseId={exercise.id} /> : null}
      <Title order={2} fz="md">
        {t('exercises.announcements.listTitle')}
      </Title>
      {list.isPending ? (
        <LoadingState variant="table" rows={3} />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <Card>
          <EmptyState icon={<IconBroadcast aria-hidden />} title={t('exercises.announcements.emptyTitle')} description={t('exercises.announcements.emptyDescription')} />
        </Card>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.data.map((a) => (
            <AnnouncementCard key={a.id} announcement={a} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function AnnouncementCard({ announcement: a }: { announcement: Announcement }) {
  return (
    <Card component="li" p="md">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" color="grape" size="lg" radius="xl" aria-hidden>
          <IconBroadcast size={18} />
        </ThemeIcon>
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Text size="xs" c="dimmed">
            <RelativeTime value={a.createdAt} /> · <DateTime value={a.createdAt} />
          </Text>
          <RichText text={a.message} />
        </Stack>
      </Group>
    </Card>
  );
}

function Composer({ exerciseId }: { exerciseId: string }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = useRefusalText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm(announcementCreate, { initialValues: { message: '' } });
  const send = useMutation({
    mutationFn: (v: { message: string }) => api.post<Announcement>(`/api/exercises/${seg(exerciseId)}/announcements`, { message: v.message.trim() }),
    onSuccess: (sent) => {
      client.setQueryData<Announcement[]>(announcementsKey(exerciseId), (list) => (list ? [sent, ...list.filter((a) => a.id !== sent.id)] : list));
      void client.invalidateQueries({ queryKey: announcementsKey(exerciseId) });
      notify.success(t('exercises.announcements.sent'));
      form.reset();
      setFormError(null);
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(refusal(error));
    },
  });
  const length = form.getValues().message.trim().length;
  return (
    <Card p="lg" component="section" aria-labelledby="announcement-composer">
      <form noValidate onSubmit={form.onSubmit((v) => send.mutate(v))}>
        <Stack gap="sm">
          <Title order={2} fz="md" id="announcement-composer">
            {t('exercises.announcements.composerTitle')}
          </Title>
          <FormError>{formError}</FormError>
          <Textarea
            label={t('exercises.announcements.message')}
            description={t('exercises.announcements.messageHint')}
            required
            autosize
            minRows={3}
            maxRows={12}
            maxLength={maxLength}
            disabled={send.isPending}
            {...form.getInputProps('message')}
          />
          <Group justify="space-between" gap="sm">
            <Text size="xs" c={length > maxLength ? 'red' : 'dimmed'}> 
              {t('exercises.announcements.length', { count: length, max: maxLength })}
            </Text>
            <Button type="submit" leftSection={<IconSend size={16} aria-hidden />} loading={send.isPending}>
              {t('exercises.announcements.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
