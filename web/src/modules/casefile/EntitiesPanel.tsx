import { useState } from 'react';
import { ActionIcon, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { entityCreate, entityKinds, type CaseFile, type Entity, type EntityCreate, type EntityKind } from '@modules/casefile/schemas.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';
import type { EvidenceItem } from '../play/api.ts';
import { useLocalized } from '../scenarios/localized.tsx';
import { addEntity, caseFileKey, removeEntity } from './api.ts';
import { groupByKind } from './display.ts';
import { CitationLine } from './parts.tsx';

export const entityKindLabel: Record<EntityKind, MessageId> = {
  person: 'casefile.entity.kind.person',
  organisation: 'casefile.entity.kind.organisation',
  account: 'casefile.entity.kind.account',
  wallet: 'casefile.entity.kind.wallet',
  email: 'casefile.entity.kind.email',
  ip: 'casefile.entity.kind.ip',
  domain: 'casefile.entity.kind.domain',
  url: 'casefile.entity.kind.url',
  phone: 'casefile.entity.kind.phone',
  iban: 'casefile.entity.kind.iban',
  device: 'casefile.entity.kind.device',
  file: 'casefile.entity.kind.file',
  other: 'casefile.entity.kind.other',
};

/** Kinds whose values are identifiers, read left to right in monospace. */
const technical = new Set<EntityKind>(['account', 'wallet', 'email', 'ip', 'domain', 'url', 'phone', 'iban', 'file']);

export const exhibitOptions = (locker: EvidenceItem[], localized: ReturnType<typeof useLocalized>) => locker.map((i) => ({ value: i.key, label: `${localized(i.title, i.fileName)} — ${i.fileName}` }));

/** Persons, organisations, accounts, wallets, devices and addresses of the case, each with the exhibit it comes from. */
export function EntitiesPanel({ exerciseId, file, editable, locker }: { exerciseId: string; file: CaseFile; editable: boolean; locker: EvidenceItem[] }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const [removing, setRemoving] = useState<Entity | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => removeEntity(exerciseId, id),
    onSuccess: () => {
      setRemoving(null);
      void client.invalidateQueries({ queryKey: caseFileKey(exerciseId, null) });
    },
    onError: (error) => {
      setRemoving(null);
      notify.error(error);
    },
  });

  return (
    <Stack gap="md">
      {editable ? <EntityForm exerciseId={exerciseId} locker={locker} /> : null}
      <Card p="md">
        <Title order={3} fz="md" mb="sm">
          {t('casefile.entities.title')}
        </Title>
        <DataTable<Entity>
          label={t('casefile.entities.title')}
          records={groupByKind(file.entities, entityKinds).flatMap((g) => g.items)}
          empty={{ icon: <IconUsersGroup aria-hidden />, title: t('casefile.entities.emptyTitle'), description: editable ? t('casefile.entities.emptyDescription') : undefined }}
          columns={[
            { accessor: 'kind', title: t('casefile.entity.kind'), render: (e) => <Badge variant="light" color="gray" tt="none">{t(entityKindLabel[e.kind])}</Badge> },
            {
              accessor: 'value',
              title: t('casefile.entity.value'),
              render: (e) => (technical.has(e.kind) ? <Ltr mono fz="sm" style={{ wordBreak: 'break-all' }}>{e.value}</Ltr> : <Text size="sm" dir="auto">{e.value}</Text>),
            },
            {
              accessor: 'label',
              title: t('casefile.entity.label'),
              render: (e) => (
                <Stack gap={0}>
                  <Text size="sm" dir="auto">{e.label ?? '—'}</Text>
                  {e.note ? (
                    <Text size="xs" c="dimmed" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                      {e.note}
                    </Text>
                  ) : null}
                </Stack>
              ),
            },
            { accessor: 'citation', title: t('casefile.entity.exhibit'), width: 320, render: (e) => (e.citation ? <CitationLine citation={e.citation} compact /> : <Text size="sm" c="dimmed">—</Text>) },
            { accessor: 'createdBy', title: t('casefile.addedBy'), render: (e) => <Text size="sm">{e.createdBy.displayName}</Text> },
            ...(editable
              ? [
                  {
                    accessor: 'actions',
                    title: <span className="visually-hidden">{t('casefile.actions')}</span>,
                    width: 60,
                    render: (e: Entity) => (
                      <Tooltip label={t('casefile.entities.remove')}>
                        <ActionIcon variant="subtle" color="red" onClick={() => setRemoving(e)} aria-label={t('casefile.entities.removeNamed', { value: e.value })}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <ConfirmDialog
        opened={removing !== null}
        title={t('casefile.entities.removeTitle')}
        message={removing ? t('casefile.entities.removeMessage', { value: removing.value }) : ''}
        confirmLabel={t('casefile.entities.remove')}
        danger
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing.id)}
        onCancel={() => setRemoving(null)}
      />
    </Stack>
  );
}

type EntityValues = { kind: EntityKind; value: string; label: string; note: string; exhibit?: string };

function EntityForm({ exerciseId, locker }: { exerciseId: string; locker: EvidenceItem[] }) {
  const t = useT();
  const localized = useLocalized();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm<EntityValues>(entityCreate, { initialValues: { kind: 'person', value: '', label: '', note: '' } });
  const add = useMutation({
    mutationFn: (v: EntityCreate) => addEntity(exerciseId, v),
    onSuccess: () => {
      setFormError(null);
      form.setValues({ value: '', label: '', note: '', exhibit: undefined });
      void client.invalidateQueries({ queryKey: caseFileKey(exerciseId, null) });
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });
  const kind = form.getValues().kind;
  return (
    <Card p="md">
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          add.mutate({ kind: v.kind, value: v.value, ...(v.label.trim() ? { label: v.label } : {}), ...(v.note.trim() ? { note: v.note } : {}), ...(v.exhibit ? { exhibit: v.exhibit } : {}) }),
        )}
      >
        <Title order={3} fz="md" mb="sm">
          {t('casefile.entities.add')}
        </Title>
        <FormError>{formError}</FormError>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <Select label={t('casefile.entity.kind')} data={entityKinds.map((k) => ({ value: k, label: t(entityKindLabel[k]) }))} allowDeselect={false} required {...form.getInputProps('kind')} />
          <TextInput label={t('casefile.entity.value')} required dir={technical.has(kind) ? 'ltr' : undefined} maxLength={500} {...form.getInputProps('value')} />
          <TextInput label={t('casefile.entity.label')} description={t('casefile.entity.labelHint')} maxLength={200} {...form.getInputProps('label')} />
          <Select
            label={t('casefile.entity.exhibit')}
            description={t('casefile.entity.exhibitHint')}
            data={exhibitOptions(locker, localized)}
            clearable
            searchable
            value={form.getValues().exhibit ?? null}
            error={form.errors.exhibit}
            onChange={(v) => form.setFieldValue('exhibit', v ?? undefined)}
          />
        </SimpleGrid>
        <Group align="flex-end" mt="sm" gap="sm">
          <TextInput label={t('casefile.entity.note')} maxLength={2000} style={{ flex: 1 }} {...form.getInputProps('note')} />
          <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={add.isPending}>
            {t('casefile.entities.addButton')}
          </Button>
        </Group>
      </form>
    </Card>
  );
}
