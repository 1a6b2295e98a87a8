import { useCallback, useEffect, useState } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Card, Grid, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea, ThemeIcon, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconClockPause, IconFileCertificate, IconGavel, IconInfoCircle, IconPlus, IconSend, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router';
import { z } from 'zod';
import { normaliseActivityTime } from '@modules/legal/identifiers.ts';
import { identifierKinds, justificationMaxLength, justificationMinLength, legalRequestCreate, legalRequestTypes, maxIdentifiers } from '@modules/legal/schemas.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useNotify } from '../../core/notify.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useLiveEvents, type LiveMessage } from '../exercises/live.ts';
import { useCountryName } from '../organisations/reference.ts';
import type { TeamView } from '../play/api.ts';
import { Localized, useLocalized } from '../scenarios/localized.tsx';
import { RichText } from '../scenarios/RichText.tsx';
import { identifierLabel, legalKey, partyKindIcon, partyKindLabel, sendRequest, statusColor, statusLabel, typeHelp, typeLabel, useParties, useTeamRequests, type LegalParty, type LegalRequest, type LegalRequestCreate } from './api.ts';

const pollMs = 15_000;

/** Fixed texts of the shared schema (src/modules/legal/schemas.ts), in the user's language. */
const schemaTexts: Record<string, MessageId> = {
  'not an IP address': 'legal.form.notAnIp',
  'give the date and time of the activity for an IP address': 'legal.form.needsTime',
};

/** Why the server refused to take a request (not a party's refusal: those are replies). */
const refusals: Record<string, MessageId> = {
  not_started: 'legal.refused.notRunning',
  paused: 'legal.refused.notRunning',
  ended: 'legal.refused.ended',
  time_up: 'legal.refused.ended',
};

/** The team's legal requests: the parties, a form to write to one, and the requests with their replies. */
export function LegalRequestsPanel({ exerciseId, accepting }: { exerciseId: string; view: TeamView; accepting: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const onEvent = useCallback(
    (m: LiveMessage) => {
      if (m.type === 'legal_request' || m.type === 'legal_reply' || m.type === 'clock' || m.type === 'released') void client.invalidateQueries({ queryKey: legalKey(exerciseId) });
    },
    [client, exerciseId],
  );
  const live = useLiveEvents(`/api/exercises/${encodeURIComponent(exerciseId)}/events`, onEvent);
  const parties = useParties(exerciseId);
  const requests = useTeamRequests(exerciseId, live === 'live' ? false : pollMs);
  const [party, setParty] = useState<string | null>(null);

  if (parties.isPending) return <LoadingState variant="table" rows={3} />;
  if (parties.error) return <ErrorState error={parties.error} onRetry={() => void parties.refetch()} />;
  if (parties.data.length === 0) {
    return (
      <Card>
        <EmptyState icon={<IconGavel aria-hidden />} title={t('legal.team.noPartiesTitle')} description={t('legal.team.noParties')} />
      </Card>
    );
  }

  return (
    <Stack gap="md">
      <Alert variant="light" color="navy" icon={<IconInfoCircle aria-hidden />} title={t('legal.team.introTitle')}>
        {t('legal.team.intro')}
      </Alert>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Title order={2} fz="md" id="legal-parties">
              {t('legal.team.parties')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 1 }} spacing="sm" aria-labelledby="legal-parties" role="list">
              {parties.data.map((p) => (
                <PartyCard key={p.id} party={p} selected={party === p.id} onWrite={accepting ? () => setParty(p.id) : undefined} />
              ))}
            </SimpleGrid>
            {accepting ? (
              <RequestForm exerciseId={exerciseId} parties={parties.data} party={party} onParty={setParty} />
            ) : (
              <Alert variant="light" color="gray" icon={<IconClockPause aria-hidden />}>
                {t('legal.team.notAccepting')}
              </Alert>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card p="md" component="section" aria-labelledby="legal-requests">
            <Title order={2} fz="md" mb="sm" id="legal-requests">
              {t('legal.team.requests')}
            </Title>
            {requests.isPending ? (
              <LoadingState variant="table" rows={3} />
            ) : requests.error ? (
              <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />
            ) : requests.data.items.length === 0 ? (
              <EmptyState icon={<IconFileCertificate aria-hidden />} title={t('legal.team.emptyTitle')} description={t('legal.team.empty')} />
            ) : (
              <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {requests.data.items.map((r) => (
                  <RequestCard key={r.id} exerciseId={exerciseId} request={r} />
                ))}
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function PartyCard({ party: p, selected, onWrite }: { party: LegalParty; selected: boolean; onWrite?: () => void }) {
  const t = useT();
  const localized = useLocalized();
  const country = useCountryName();
  const KindIcon = partyKindIcon[p.kind];
  return (
    <Card p="md" withBorder role="listitem" style={selected ? { borderColor: 'var(--mantine-color-navy-5, var(--mantine-color-blue-5))' } : undefined}>
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <ThemeIcon size={40} radius="md" variant="light" aria-hidden>
          <KindIcon size={22} stroke={1.6} />
        </ThemeIcon>
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Text fw={600}>{localized(p.name, p.id)}</Text>
          <Text size="xs" c="dimmed">
            {t(partyKindLabel[p.kind])}
            {p.country ? ` · ${country(p.country)}` : ''}
          </Text>
          {p.description ? <Localized text={p.description} component="div" fz="sm" /> : null}
        </Stack>
      </Group>
      {onWrite ? (
        <Group justify="flex-end" mt="xs">
          <Button size="xs" variant="light" leftSection={<IconGavel size={14} aria-hidden />} onClick={onWrite} aria-label={t('legal.team.writeTo', { party: localized(p.name, p.id) })}>
            {t('legal.team.write')}
          </Button>
        </Group>
      ) : null}
    </Card>
  );
}

/** The form keeps times as typed (copied from the evidence); they are checked and sent as ISO 8601. */
type FormIdentifier = { kind: LegalRequestCreate['identifiers'][number]['kind']; value: string; at: string };
type FormValues = Omit<LegalRequestCreate, 'identifiers'> & { identifiers: FormIdentifier[] } & Record<string, unknown>;
const emptyIdentifier = (): FormIdentifier => ({ kind: 'account', value: '', at: '' });

const asRequest = (v: FormValues): LegalRequestCreate => ({
  party: v.party,
  type: v.type,
  identifiers: v.identifiers.map((i) => {
    const at = i.kind === 'ip' && i.at.trim() ? (normaliseActivityTime(i.at) ?? i.at) : undefined;
    return { kind: i.kind, value: i.value.trim(), ...(at ? { at } : {}) };
  }),
  justification: v.justification.trim(),
});
const formSchema = z.preprocess((v) => asRequest(v as FormValues), legalRequestCreate);

function RequestForm({ exerciseId, parties, party, onParty }: { exerciseId: string; parties: LegalParty[]; party: string | null; onParty: (id: string | null) => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const localized = useLocalized();
  const [formError, setFormError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<LegalRequestCreate | null>(null);
  const form = useZodForm<FormValues>(formSchema, { initialValues: { party: party ?? '', type: 'preservation', identifiers: [emptyIdentifier()], justification: '' } });
  // "Write a request" on a party's card chooses it here. Keyed on the party only:
  // form.setFieldValue changes on every render, and as a dependency re-ran this without end.
  useEffect(() => {
    if (party) form.setFieldValue('party', party);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [party]);
  const send = useMutation({
    mutationFn: (v: LegalRequestCreate) => sendRequest(exerciseId, v),
    onSuccess: () => {
      setConfirming(null);
      // The party stays chosen: a team often sends it a second request.
      form.setValues({ type: 'preservation', identifiers: [emptyIdentifier()], justification: '' });
      form.clearErrors();
      setFormError(null);
      notify.success(t('legal.team.sent'));
      void client.invalidateQueries({ queryKey: legalKey(exerciseId) });
    },
    onError: (error) => {
      setConfirming(null);
      if (applyServerErrors(form, error, t)) return;
      const details = isApiError(error) ? error.details : undefined;
      const reason = details && typeof details === 'object' && !Array.isArray(details) ? (details as Record<string, unknown>).reason : undefined;
      const known = typeof reason === 'string' ? refusals[reason] : undefined;
      setFormError(known ? t(known) : errorText(error));
    },
  });
  const fieldError = (path: string) => {
    const e = form.errors[path];
    if (typeof e !== 'string') return e;
    const id = schemaTexts[e];
    return id ? t(id) : e;
  };
  const justified = form.values.justification.trim().length;
  const chosen = parties.find((p) => p.id === form.values.party);
  const identifiers = form.values.identifiers;

  return (
    <Card p="md" component="section" aria-labelledby="legal-form">
      <form
        noValidate
        onSubmit={form.onSubmit((v) => setConfirming(asRequest(v)))}
      >
        <Stack gap="sm">
          <Title order={2} fz="md" id="legal-form">
            {t('legal.form.title')}
          </Title>
          <FormError>{formError}</FormError>
          <Select
            label={t('legal.form.party')}
            required
            data={parties.map((p) => ({ value: p.id, label: localized(p.name, p.id) }))}
            {...form.getInputProps('party')}
            onChange={(v) => {
              form.setFieldValue('party', v ?? '');
              onParty(v);
            }}
          />
          <Select
            label={t('legal.form.type')}
            description={t(typeHelp[form.values.type])}
            required
            allowDeselect={false}
            data={legalRequestTypes.map((type) => ({ value: type, label: t(typeLabel[type]) }))}
            {...form.getInputProps('type')}
          />
          <Stack gap={6} role="group" aria-labelledby="legal-identifiers">
            <Text size="sm" fw={500} id="legal-identifiers">
              {t('legal.form.identifiers')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('legal.form.identifiersHint')}
            </Text>
            {identifiers.map((identifier, i) => (
              <Paper key={i} withBorder p="xs" radius="md">
                <Stack gap={6}>
                  <Group gap="xs" align="flex-start" wrap="nowrap">
                    <Select
                      label={t('legal.form.kind')}
                      w={150}
                      allowDeselect={false}
                      data={identifierKinds.map((k) => ({ value: k, label: t(identifierLabel[k]) }))}
                      {...form.getInputProps(`identifiers.${i}.kind`)}
                      onChange={(v) => {
                        form.setFieldValue(`identifiers.${i}.kind`, (v ?? 'other') as never);
                        if (v !== 'ip') form.setFieldValue(`identifiers.${i}.at`, '');
                      }}
                    />
                    <TextInput
                      label={t('legal.form.value')}
                      dir="ltr"
                      required
                      maxLength={500}
                      style={{ flex: 1, minWidth: 0 }}
                      {...form.getInputProps(`identifiers.${i}.value`)}
                      error={fieldError(`identifiers.${i}.value`)}
                    />
                    {identifiers.length > 1 ? (
                      <ActionIcon variant="subtle" color="red" mt={26} aria-label={t('legal.form.removeIdentifier', { n: i + 1 })} onClick={() => form.removeListItem('identifiers', i)}>
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    ) : null}
                  </Group>
                  {identifier.kind === 'ip' ? (
                    <TextInput
                      label={t('legal.form.at')}
                      description={t('legal.form.atHint')}
                      placeholder="2025-03-10 07:42:16"
                      dir="ltr"
                      required
                      maxLength={40}
                      {...form.getInputProps(`identifiers.${i}.at`)}
                      error={fieldError(`identifiers.${i}.at`)}
                    />
                  ) : null}
                </Stack>
              </Paper>
            ))}
            {typeof form.errors.identifiers === 'string' ? (
              <Text size="xs" c="red">
                {form.errors.identifiers}
              </Text>
            ) : null}
            {identifiers.length < maxIdentifiers ? (
              <Group>
                <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => form.insertListItem('identifiers', emptyIdentifier())}>
                  {t('legal.form.addIdentifier')}
                </Button>
              </Group>
            ) : null}
          </Stack>
          <Textarea
            label={t('legal.form.justification')}
            description={t('legal.form.justificationHint', { min: justificationMinLength })}
            autosize
            minRows={3}
            maxRows={10}
            maxLength={justificationMaxLength}
            {...form.getInputProps('justification')}
          />
          <Text size="xs" c={justified < justificationMinLength ? 'orange.8' : 'dimmed'} ta="end" aria-live="polite">
            {justified < justificationMinLength ? t('legal.form.counterShort', { count: justified, min: justificationMinLength }) : t('legal.form.counter', { count: justified, max: justificationMaxLength })}
          </Text>
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconSend size={16} aria-hidden className="mirror-rtl" />} loading={send.isPending}>
              {t('legal.form.send')}
            </Button>
          </Group>
        </Stack>
      </form>
      <ConfirmDialog
        opened={confirming !== null}
        title={t('legal.form.confirmTitle')}
        message={
          confirming ? (
            <Stack gap="xs" component="span">
              <span>{t('legal.form.confirm', { party: chosen ? localized(chosen.name, chosen.id) : confirming.party, type: t(typeLabel[confirming.type]) })}</span>
              {confirming.justification.length < justificationMinLength ? <Text component="span" size="sm" c="orange.8">{t('legal.form.confirmShort', { min: justificationMinLength })}</Text> : null}
            </Stack>
          ) : null
        }
        confirmLabel={t('legal.form.send')}
        onConfirm={() => confirming && send.mutate(confirming)}
        onCancel={() => setConfirming(null)}
        loading={send.isPending}
      />
    </Card>
  );
}

export function IdentifierList({ identifiers }: { identifiers: LegalRequest['identifiers'] }) {
  const t = useT();
  return (
    <Stack gap={2}>
      {identifiers.map((i, n) => (
        <Text key={n} size="sm">
          <Text component="span" c="dimmed" size="xs">
            {t(identifierLabel[i.kind])}:{' '}
          </Text>
          <Ltr mono>{i.value}</Ltr>
          {i.at ? (
            <Text component="span" size="xs" c="dimmed">
              {' · '}
              <Ltr>{i.at.replace('.000Z', 'Z').replace('T', ' ')}</Ltr>
            </Text>
          ) : null}
        </Text>
      ))}
    </Stack>
  );
}

/** A request's justification, whole (or its first lines, `clamped`), or that it has none. */
export function Justification({ text, clamped = false }: { text: string; clamped?: boolean }) {
  const t = useT();
  if (!text)
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {t('legal.request.noJustification')}
      </Text>
    );
  return clamped ? (
    <Text size="sm" lineClamp={3} title={text} dir="auto">
      {text}
    </Text>
  ) : (
    <Text size="sm" c="dimmed" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
      {text}
    </Text>
  );
}

function RequestCard({ exerciseId, request: r }: { exerciseId: string; request: LegalRequest }) {
  const t = useT();
  const localized = useLocalized();
  return (
    <Paper component="li" withBorder p="md" radius="md">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Text fw={600}>{localized(r.partyName, r.party)}</Text>
            <Text size="xs" c="dimmed">
              {t(typeLabel[r.type])} · <DateTime value={r.sentAt} /> · {r.sentByName}
            </Text>
          </Stack>
          <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
            <Badge color={statusColor[r.status]} variant="light">
              {t(statusLabel[r.status])}
            </Badge>
            {r.points !== null && r.points !== 0 ? (
              <Badge size="sm" variant="outline" color={r.points > 0 ? 'teal' : 'red'}>
                {t('legal.request.points', { points: r.points })}
              </Badge>
            ) : null}
          </Stack>
        </Group>
        <IdentifierList identifiers={r.identifiers} />
        <Justification text={r.justification} />
        {r.reply ? (
          <Paper bg="var(--mantine-color-gray-0)" p="sm" radius="md">
            <Text size="xs" c="dimmed" mb={4}>
              {t('legal.request.replied')} <DateTime value={r.repliedAt} />
            </Text>
            <Localized text={r.reply} component="div" render={(text) => <RichText text={text} />} />
          </Paper>
        ) : null}
        {r.status === 'already_provided' ? (
          <Text size="sm" c="dimmed">
            {t('legal.request.alreadyProvided')}
          </Text>
        ) : null}
        {r.evidence.length > 0 ? (
          <Group gap="xs">
            <Text size="sm" fw={500}>
              {t('legal.request.evidence')}
            </Text>
            {r.evidence.map((e) => (
              <Anchor key={e.id} component={Link} to={`/exercises/${encodeURIComponent(exerciseId)}/play/evidence?item=${encodeURIComponent(e.id)}`} size="sm">
                {localized(e.title, e.id)}
              </Anchor>
            ))}
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
