import { useState } from 'react';
import { ActionIcon, Button, Card, Group, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Timeline, Title, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconClockHour4, IconPlus, IconTimeline, IconTrash } from '@tabler/icons-react';
import { useIntl } from 'react-intl';
import { timelineEventCreate, type CaseFile, type TimelineEvent, type TimelineEventCreate } from '@modules/casefile/schemas.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { useT } from '../../i18n/useT.ts';
import type { EvidenceItem } from '../play/api.ts';
import { useLocalized } from '../scenarios/localized.tsx';
import { addEvent, caseFileKey, removeEvent } from './api.ts';
import { parseCaseTime, sortTimeline } from './display.ts';
import { exhibitOptions } from './EntitiesPanel.tsx';
import { CitationLine } from './parts.tsx';

/** "12 Mar 2026, 14:05:09 UTC" in the user's language: times of the case are shown in UTC, as in logs and exports. */
export function useUtcTime() {
  const intl = useIntl();
  return (iso: string) => `${intl.formatDate(new Date(iso), { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })} UTC`;
}

/** The events of the case in time order, each with the exhibit that shows it. */
export function TimelinePanel({ exerciseId, file, editable, locker }: { exerciseId: string; file: CaseFile; editable: boolean; locker: EvidenceItem[] }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const utc = useUtcTime();
  const [removing, setRemoving] = useState<TimelineEvent | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => removeEvent(exerciseId, id),
    onSuccess: () => {
      setRemoving(null);
      void client.invalidateQueries({ queryKey: caseFileKey(exerciseId, null) });
    },
    onError: (error) => {
      setRemoving(null);
      notify.error(error);
    },
  });
  const events = sortTimeline(file.timeline);

  return (
    <Stack gap="md">
      {editable ? <EventForm exerciseId={exerciseId} locker={locker} /> : null}
      <Card p="md">
        <Title order={3} fz="md" mb="md">
          {t('casefile.timeline.title')}
        </Title>
        {events.length === 0 ? (
          <EmptyState icon={<IconTimeline aria-hidden />} title={t('casefile.timeline.emptyTitle')} description={editable ? t('casefile.timeline.emptyDescription') : undefined} />
        ) : (
          <Timeline bulletSize={22} lineWidth={2} active={events.length}>
            {events.map((e) => (
              <Timeline.Item key={e.id} bullet={<IconClockHour4 size={13} aria-hidden />} title={<Text size="sm" fw={600}><time dateTime={e.at}>{utc(e.at)}</time></Text>}>
                <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
                  <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
                    <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                      {e.description}
                    </Text>
                    {e.citation ? (
                      <Paper withBorder p="xs" radius="sm" maw={560}>
                        <CitationLine citation={e.citation} compact />
                      </Paper>
                    ) : null}
                    <Text size="xs" c="dimmed">
                      {t('casefile.addedByName', { name: e.createdBy.displayName })}
                    </Text>
                  </Stack>
                  {editable ? (
                    <Tooltip label={t('casefile.timeline.remove')}>
                      <ActionIcon variant="subtle" color="red" onClick={() => setRemoving(e)} aria-label={t('casefile.timeline.removeNamed', { at: utc(e.at) })}>
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  ) : null}
                </Group>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Card>
      <ConfirmDialog
        opened={removing !== null}
        title={t('casefile.timeline.removeTitle')}
        message={removing ? t('casefile.timeline.removeMessage', { at: utc(removing.at) }) : ''}
        confirmLabel={t('casefile.timeline.remove')}
        danger
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing.id)}
        onCancel={() => setRemoving(null)}
      />
    </Stack>
  );
}

type EventValues = { at: string; description: string; exhibit?: string };

function EventForm({ exerciseId, locker }: { exerciseId: string; locker: EvidenceItem[] }) {
  const t = useT();
  const localized = useLocalized();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const utc = useUtcTime();
  // What the investigator typed; the form holds the time it reads as (ISO, UTC), which the shared schema checks.
  const [typed, setTyped] = useState('');
  const form = useZodForm<EventValues>(timelineEventCreate, { initialValues: { at: '', description: '' } });
  const add = useMutation({
    mutationFn: (v: TimelineEventCreate) => addEvent(exerciseId, v),
    onSuccess: () => {
      setFormError(null);
      form.setValues({ description: '', exhibit: undefined });
      void client.invalidateQueries({ queryKey: caseFileKey(exerciseId, null) });
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });
  const values = form.getValues();
  return (
    <Card p="md">
      <form noValidate onSubmit={form.onSubmit((v) => add.mutate({ at: v.at, description: v.description, ...(v.exhibit ? { exhibit: v.exhibit } : {}) }))}>
        <Title order={3} fz="md" mb="sm">
          {t('casefile.timeline.add')}
        </Title>
        <FormError>{formError}</FormError>
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
          <TextInput
            label={t('casefile.timeline.at')}
            description={values.at ? t('casefile.timeline.atRead', { time: utc(values.at) }) : t('casefile.timeline.atHint')}
            required
            dir="ltr"
            placeholder="2025-03-10 07:42:19"
            value={typed}
            onChange={(e) => {
              setTyped(e.currentTarget.value);
              form.setFieldValue('at', parseCaseTime(e.currentTarget.value));
            }}
            error={form.errors.at}
            leftSection={<IconClockHour4 size={16} aria-hidden />}
          />
          <Select
            label={t('casefile.entity.exhibit')}
            description={t('casefile.timeline.exhibitHint')}
            data={exhibitOptions(locker, localized)}
            clearable
            searchable
            value={values.exhibit ?? null}
            error={form.errors.exhibit}
            onChange={(v) => form.setFieldValue('exhibit', v ?? undefined)}
          />
        </SimpleGrid>
        <Group align="flex-end" mt="sm" gap="sm">
          <Textarea dir="auto" label={t('casefile.timeline.description')} required autosize minRows={2} maxRows={8} maxLength={2000} style={{ flex: 1 }} {...form.getInputProps('description')} />
          <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={add.isPending}>
            {t('casefile.timeline.addButton')}
          </Button>
        </Group>
      </form>
    </Card>
  );
}
