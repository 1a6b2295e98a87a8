import { useMemo, useState } from 'react';
import { ActionIcon, Button, Card, Fieldset, Group, MultiSelect, Select, SimpleGrid, Slider, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import type { Organisation } from '@modules/organisations/schemas.ts';
import { regions, type Region } from '@modules/reference/countries.ts';
import { crimeTypes, indicatorTypes, reportCreate, tlpLevels, type IndicatorType, type Tlp } from '@modules/sharing/schemas.ts';
import { api, isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { FormError } from '../../components/FormError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';
import { regionLabel } from '../organisations/reference.ts';
import { organisationsKey } from '../organisations/OrganisationSelect.tsx';
import { crimeTypeLabel, indicatorTypeLabel, needsRecipients, refusesRecipients, sharingKey, TlpBadge, tlpName, tlpText, type Report } from './labels.tsx';

type Row = { key: number; type: IndicatorType; value: string; firstSeen: string; lastSeen: string; tlp: Tlp | null };
type Values = {
  title: string;
  summary: string;
  crimeType: string | null;
  regions: Region[];
  confidence: number;
  tlp: Tlp | null;
  recipientOrganisationIds: string[];
  indicators: Row[];
};

/** A `datetime-local` value (the user's time zone) as an ISO instant, or the text as typed when it is not a date. */
const instant = (local: string) => {
  const d = new Date(local);
  return local && !Number.isNaN(d.getTime()) ? d.toISOString() : local;
};
const localNow = () => {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

const payload = (v: Values) => ({
  title: v.title,
  summary: v.summary,
  crimeType: v.crimeType ?? '',
  regions: v.regions,
  confidence: v.confidence,
  tlp: v.tlp ?? '',
  recipientOrganisationIds: refusesRecipients(v.tlp) ? [] : v.recipientOrganisationIds,
  indicators: v.indicators.map((i) => ({ type: i.type, value: i.value, firstSeen: instant(i.firstSeen), lastSeen: instant(i.lastSeen), tlp: i.tlp })),
});
const schema = z.preprocess((v) => payload(v as Values), reportCreate);

let nextKey = 1;
const emptyRow = (): Row => ({ key: nextKey++, type: 'ipv4', value: '', firstSeen: localNow(), lastSeen: localNow(), tlp: null });

/** The server's own English texts on the marking rules, as our messages (by their wording). */
function serverText(path: string, message: string): MessageId {
  if (path.endsWith('.lastSeen')) return 'sharing.error.lastBeforeFirst';
  if (path.endsWith('.value')) return /already in this report/.test(message) ? 'sharing.error.duplicate' : 'sharing.error.invalidValue';
  if (path.endsWith('.tlp') && /looser/.test(message)) return 'sharing.error.looser';
  if (/needs .*recipient/.test(message)) return 'sharing.error.needsRecipients';
  if (/not addressed to named recipients/.test(message)) return 'sharing.error.noRecipients';
  if (/reporting organisation always sees/.test(message)) return 'sharing.error.ownOrganisation';
  if (/no data-sharing agreement/.test(message)) return 'sharing.error.recipientAgreement';
  if (/not an active organisation/.test(message)) return 'sharing.error.recipientInactive';
  return 'validation.invalid';
}

function useOrganisationOptions(search: string) {
  const [term] = useDebouncedValue(search.trim(), 300);
  return useQuery({
    queryKey: [...organisationsKey, 'recipients', { term }],
    queryFn: ({ signal }) => api.get<{ items: Array<Pick<Organisation, 'id' | 'name' | 'kind' | 'countryCode'>> }>('/api/sharing/recipients', { query: { search: term || undefined }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export default function NewReportPage() {
  const t = useT();
  const navigate = useNavigate();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const [orgSearch, setOrgSearch] = useState('');
  const [orgNames, setOrgNames] = useState<Record<string, string>>({});
  const form = useZodForm<Values>(schema, {
    initialValues: { title: '', summary: '', crimeType: null, regions: [], confidence: 50, tlp: 'amber', recipientOrganisationIds: [], indicators: [emptyRow()] },
  });
  const values = form.getValues();
  const orgs = useOrganisationOptions(orgSearch);

  const save = useMutation({
    mutationFn: (v: Values) => api.post<Report>('/api/sharing/reports', payload(v)),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: sharingKey });
      notify.success(t('sharing.new.created', { title: saved.title }));
      void navigate(`/sharing/reports/${encodeURIComponent(saved.id)}`);
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'validation_failed' && Array.isArray(error.details)) {
        let placed = 0;
        let first: string | null = null;
        for (const d of error.details as { path?: unknown; message?: unknown }[]) {
          if (typeof d?.path !== 'string' || typeof d.message !== 'string') continue;
          const path = d.path.replace(/^body\./, '');
          if (!(path.split('.')[0]! in values)) continue;
          form.setFieldError(path, t(serverText(path, d.message)));
          first ??= path;
          placed++;
        }
        if (first) form.getInputNode(first as never)?.focus();
        if (placed > 0) return;
      }
      setFormError(errorText(error));
    },
  });

  const checkRules = (v: Values) => {
    let ok = true;
    if (needsRecipients(v.tlp) && v.recipientOrganisationIds.length === 0) {
      form.setFieldError('recipientOrganisationIds', t('sharing.error.needsRecipients'));
      ok = false;
    }
    v.indicators.forEach((i, n) => {
      if (i.firstSeen && i.lastSeen && new Date(i.lastSeen) < new Date(i.firstSeen)) {
        form.setFieldError(`indicators.${n}.lastSeen`, t('sharing.error.lastBeforeFirst'));
        ok = false;
      }
      if (i.tlp && v.tlp && tlpLevels.indexOf(i.tlp) < tlpLevels.indexOf(v.tlp)) {
        form.setFieldError(`indicators.${n}.tlp`, t('sharing.error.looser'));
        ok = false;
      }
    });
    return ok;
  };

  const crimeOptions = useMemo(() => crimeTypes.map((c) => ({ value: c, label: t(crimeTypeLabel[c]) })), [t]);
  const regionOptions = useMemo(() => regions.map((r) => ({ value: r, label: t(regionLabel[r]) })), [t]);
  const typeOptions = useMemo(() => indicatorTypes.map((k) => ({ value: k, label: t(indicatorTypeLabel[k]) })), [t]);
  const tlpOptions = tlpLevels.map((l) => ({ value: l, label: tlpName[l] }));
  const orgOptions = (orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }));
  for (const id of values.recipientOrganisationIds) if (!orgOptions.some((o) => o.value === id)) orgOptions.push({ value: id, label: orgNames[id] ?? id });
  const showRecipients = !refusesRecipients(values.tlp);

  return (
    <>
      <PageHeader title={t('sharing.new.title')} description={t('sharing.new.subtitle')} breadcrumbs={[{ label: t('sharing.title'), to: '/sharing' }, { label: t('sharing.new.title') }]} />
      <form
        noValidate
        onSubmit={form.onSubmit((v) => {
          setFormError(null);
          if (checkRules(v)) save.mutate(v);
        })}
      >
        <Stack gap="lg">
          <FormError>{formError}</FormError>
          <Card withBorder radius="md" p="lg">
            <Stack gap="md">
              <TextInput label={t('sharing.field.title')} required autoComplete="off" {...form.getInputProps('title')} />
              <Textarea label={t('sharing.field.summary')} required autosize minRows={4} maxRows={14} {...form.getInputProps('summary')} />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <Select label={t('sharing.field.crimeType')} data={crimeOptions} required {...form.getInputProps('crimeType')} />
                <MultiSelect label={t('sharing.field.regions')} data={regionOptions} searchable {...form.getInputProps('regions')} />
              </SimpleGrid>
              <div>
                <Text size="sm" fw={500} id="confidence-label">
                  {t('sharing.field.confidence')}
                </Text>
                <Slider
                  mt="xs"
                  mb="lg"
                  min={0}
                  max={100}
                  step={5}
                  thumbProps={{ 'aria-labelledby': 'confidence-label' } as React.ComponentProps<'div'>}
                  marks={[{ value: 0, label: '0' }, { value: 50, label: '50' }, { value: 100, label: '100' }]}
                  {...form.getInputProps('confidence')}
                />
              </div>
            </Stack>
          </Card>
          <Fieldset legend={t('sharing.field.marking')} radius="md">
            <Stack gap="md">
              <Select
                label={t('sharing.field.tlp')}
                data={tlpOptions}
                required
                allowDeselect={false}
                renderOption={({ option }) => (
                  <Stack gap={2}>
                    <TlpBadge tlp={option.value as Tlp} />
                    <Text size="xs" c="dimmed">
                      {t(tlpText[option.value as Tlp])}
                    </Text>
                  </Stack>
                )}
                {...form.getInputProps('tlp')}
                onChange={(v) => {
                  form.setFieldValue('tlp', v as Tlp | null);
                  form.clearFieldError('recipientOrganisationIds');
                }}
              />
              {values.tlp ? (
                <Group gap="sm" wrap="nowrap" align="flex-start">
                  <TlpBadge tlp={values.tlp} />
                  <Text size="sm">{t(tlpText[values.tlp])}</Text>
                </Group>
              ) : null}
              {showRecipients ? (
                <MultiSelect
                  label={t('sharing.field.recipients')}
                  description={needsRecipients(values.tlp) ? t('sharing.field.recipientsRequired') : t('sharing.field.recipientsOptional')}
                  required={needsRecipients(values.tlp)}
                  searchable
                  hidePickedOptions
                  data={orgOptions}
                  onSearchChange={setOrgSearch}
                  filter={({ options }) => options}
                  nothingFoundMessage={orgs.isFetching ? t('sharing.field.searching') : t('sharing.field.noOrganisation')}
                  {...form.getInputProps('recipientOrganisationIds')}
                  onChange={(ids) => {
                    const names = { ...orgNames };
                    for (const o of orgOptions) if (ids.includes(o.value)) names[o.value] = o.label;
                    setOrgNames(names);
                    form.setFieldValue('recipientOrganisationIds', ids);
                  }}
                />
              ) : (
                <Text size="sm" c="dimmed">
                  {t('sharing.field.noRecipientsForTlp')}
                </Text>
              )}
            </Stack>
          </Fieldset>
          <Fieldset legend={t('sharing.field.indicators')} radius="md">
            <Stack gap="md">
              {values.indicators.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('sharing.field.noIndicators')}
                </Text>
              ) : null}
              {values.indicators.map((row, n) => (
                <Card key={row.key} withBorder radius="md" p="sm" role="group" aria-label={t('sharing.field.indicatorN', { n: n + 1 })}>
                  <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
                    <Select label={t('sharing.field.type')} data={typeOptions} allowDeselect={false} {...form.getInputProps(`indicators.${n}.type`)} />
                    <TextInput label={t('sharing.field.value')} required dir="ltr" ff="monospace" autoComplete="off" spellCheck={false} {...form.getInputProps(`indicators.${n}.value`)} />
                    <TextInput label={t('sharing.field.firstSeen')} type="datetime-local" required {...form.getInputProps(`indicators.${n}.firstSeen`)} />
                    <TextInput label={t('sharing.field.lastSeen')} type="datetime-local" required {...form.getInputProps(`indicators.${n}.lastSeen`)} />
                    <Group gap="xs" align="flex-end" wrap="nowrap">
                      <Select
                        style={{ flex: 1 }}
                        label={t('sharing.field.indicatorTlp')}
                        placeholder={t('sharing.field.sameAsReport')}
                        data={tlpOptions.filter((o) => !values.tlp || tlpLevels.indexOf(o.value) >= tlpLevels.indexOf(values.tlp))}
                        clearable
                        {...form.getInputProps(`indicators.${n}.tlp`)}
                      />
                      <ActionIcon variant="subtle" color="red" size="lg" mb={2} aria-label={t('sharing.field.removeIndicator', { n: n + 1 })} onClick={() => form.removeListItem('indicators', n)}>
                        <IconTrash size={18} aria-hidden />
                      </ActionIcon>
                    </Group>
                  </SimpleGrid>
                </Card>
              ))}
              <Group>
                <Button variant="light" leftSection={<IconPlus size={18} aria-hidden />} onClick={() => form.insertListItem('indicators', emptyRow())}>
                  {t('sharing.field.addIndicator')}
                </Button>
              </Group>
            </Stack>
          </Fieldset>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => void navigate('/sharing')}>
              {t('common.action.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('sharing.new.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
