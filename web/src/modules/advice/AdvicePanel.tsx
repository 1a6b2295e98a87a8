import { useCallback, useState } from 'react';
import { Alert, Badge, Button, Card, Grid, Group, Select, Stack, Text, TextInput, Textarea, Title, UnstyledButton } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCoin, IconInfoCircle, IconMessageQuestion, IconSend } from '@tabler/icons-react';
import { adviceCreate } from '@modules/advice/schemas.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { RelativeTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { useT } from '../../i18n/useT.ts';
import { useLiveEvents, type LiveMessage } from '../exercises/live.ts';
import { contentUrl, useLocker, type TeamView } from '../play/api.ts';
import { useLocalized } from '../scenarios/localized.tsx';
import { adviceKey, raiseRequest, statusColor, statusLabel, useDesk, useThread, type AdviceRequest } from './api.ts';
import { useAdviceRefusal } from './refusals.ts';
import { ThreadView } from './ThreadView.tsx';

const pollMs = 15_000;

/** The team's advice desk: what asking costs, a form to ask, its threads and the conversation in one. */
export function AdvicePanel({ exerciseId, view, accepting }: { exerciseId: string; view: TeamView; accepting: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const onEvent = useCallback(
    (m: LiveMessage) => {
      if (m.type === 'advice' || m.type === 'adjusted') void client.invalidateQueries({ queryKey: adviceKey(exerciseId) });
    },
    [client, exerciseId],
  );
  const live = useLiveEvents(`/api/exercises/${encodeURIComponent(exerciseId)}/events`, onEvent);
  const polling = live === 'live' ? false : pollMs;
  const desk = useDesk(exerciseId, polling);
  const [selected, setSelected] = useState<string | null>(null);
  const current = selected ?? desk.data?.requests[0]?.id ?? null;
  const thread = useThread(exerciseId, current, polling);
  const localized = useLocalized();
  const hintLabel = (hintKey: string) => {
    const hint = view.hints.find((h) => h.id === hintKey);
    return hint?.text ? localized(hint.text, hintKey) : hintKey;
  };
  const exhibit = (key: string) => view.evidence.find((e) => e.id === key);

  if (desk.isPending) return <LoadingState variant="table" rows={3} />;
  if (desk.error) return <ErrorState error={desk.error} onRetry={() => void desk.refetch()} />;
  const penalty = desk.data.advicePenalty;

  return (
    <Stack gap="md">
      <Alert variant="light" color={penalty > 0 ? 'orange' : 'navy'} icon={penalty > 0 ? <IconCoin aria-hidden /> : <IconInfoCircle aria-hidden />} title={t('advice.team.noticeTitle')}>
        {penalty > 0 ? t('advice.team.penaltyNotice', { points: penalty }) : t('advice.team.freeNotice')}
      </Alert>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            {accepting ? <AskForm exerciseId={exerciseId} onRaised={setSelected} /> : <Alert variant="light" color="gray">{t('advice.team.notAccepting')}</Alert>}
            <Card p="md" component="section" aria-labelledby="advice-threads">
              <Title order={2} fz="md" mb="sm" id="advice-threads">
                {t('advice.team.threads')}
              </Title>
              {desk.data.requests.length === 0 ? (
                <EmptyState icon={<IconMessageQuestion aria-hidden />} title={t('advice.team.emptyTitle')} description={t('advice.team.emptyDescription')} />
              ) : (
                <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  {desk.data.requests.map((r) => (
                    <ThreadLink key={r.id} request={r} active={r.id === current} onSelect={() => setSelected(r.id)} />
                  ))}
                </Stack>
              )}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card p="md" component="section" aria-label={t('advice.thread.title')}>
            {current === null ? (
              <EmptyState icon={<IconMessageQuestion aria-hidden />} title={t('advice.thread.noneTitle')} description={t('advice.thread.noneDescription')} />
            ) : thread.isPending ? (
              <LoadingState variant="table" rows={3} />
            ) : thread.error ? (
              <ErrorState error={thread.error} onRetry={() => void thread.refetch()} />
            ) : (
              <ThreadView
                exerciseId={exerciseId}
                thread={thread.data}
                viewer="team"
                exhibitTitle={thread.data.request.evidence ? localized(exhibit(thread.data.request.evidence.key)?.title, thread.data.request.evidence.key) : undefined}
                exhibitHref={thread.data.request.evidence ? contentUrl(exerciseId, thread.data.request.evidence.key, false) : undefined}
                hintLabel={hintLabel}
                canWrite={accepting}
              />
            )}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function ThreadLink({ request: r, active, onSelect }: { request: AdviceRequest; active: boolean; onSelect: () => void }) {
  const t = useT();
  return (
    <li>
      <UnstyledButton
        onClick={onSelect}
        aria-current={active ? 'true' : undefined}
        p="xs"
        w="100%"
        style={{ borderRadius: 'var(--mantine-radius-md)', background: active ? 'var(--mantine-color-navy-0, var(--mantine-color-blue-0))' : undefined }}
      >
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text size="sm" fw={500} truncate dir="auto">
              {r.subject}
            </Text>
            <Text size="xs" c="dimmed">
              <RelativeTime value={r.lastMessageAt} /> · {t('advice.team.messages', { count: r.messageCount })}
            </Text>
          </Stack>
          <Stack gap={2} align="flex-end" style={{ flexShrink: 0 }}>
            <Badge size="sm" variant="light" color={statusColor[r.status]}>
              {t(statusLabel[r.status])}
            </Badge>
            {r.penaltyPoints !== null ? (
              <Badge size="xs" variant="outline" color="red">
                {t('advice.team.penalised', { points: r.penaltyPoints })}
              </Badge>
            ) : null}
          </Stack>
        </Group>
      </UnstyledButton>
    </li>
  );
}

function AskForm({ exerciseId, onRaised }: { exerciseId: string; onRaised: (id: string) => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = useAdviceRefusal();
  const localized = useLocalized();
  const locker = useLocker(exerciseId, false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm<{ subject: string; text: string; evidenceKey: string | null }>(adviceCreate, { initialValues: { subject: '', text: '', evidenceKey: null } });
  const ask = useMutation({
    mutationFn: (v: { subject: string; text: string; evidenceKey: string | null }) => raiseRequest(exerciseId, { subject: v.subject.trim(), text: v.text.trim(), evidenceKey: v.evidenceKey }),
    onSuccess: (thread) => {
      form.reset();
      setFormError(null);
      onRaised(thread.request.id);
      notify.success(t('advice.team.sent'));
      void client.invalidateQueries({ queryKey: adviceKey(exerciseId) });
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(refusal(error));
    },
  });
  const exhibits = (locker.data ?? []).map((e) => ({ value: e.key, label: localized(e.title, e.fileName) }));
  return (
    <Card p="md" component="section" aria-labelledby="advice-ask">
      <form noValidate onSubmit={form.onSubmit((v) => ask.mutate(v))}>
        <Stack gap="sm">
          <Title order={2} fz="md" id="advice-ask">
            {t('advice.team.askTitle')}
          </Title>
          <FormError>{formError}</FormError>
          <TextInput label={t('advice.team.subject')} required maxLength={200} disabled={ask.isPending} {...form.getInputProps('subject')} />
          <Textarea label={t('advice.team.text')} description={t('advice.team.textHint')} required autosize minRows={3} maxRows={10} maxLength={5000} disabled={ask.isPending} {...form.getInputProps('text')} />
          <Select
            label={t('advice.team.exhibit')}
            description={t('advice.team.exhibitHint')}
            placeholder={t('advice.team.noExhibit')}
            data={exhibits}
            clearable
            searchable
            nothingFoundMessage={t('advice.team.noExhibitFound')}
            disabled={ask.isPending || locker.isPending}
            {...form.getInputProps('evidenceKey')}
          />
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconSend size={16} aria-hidden className="mirror-rtl" />} loading={ask.isPending}>
              {t('advice.team.ask')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
