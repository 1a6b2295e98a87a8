import { useMemo, useState } from 'react';
import { Button, Fieldset, Group, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { regions, type Region } from '@modules/reference/countries.ts';
import { agreementCreate, agreementUpdate, dataCategories, partnershipKinds, tlpLevels, type Agreement, type PartnershipKind, type Tlp } from '@modules/partners/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { FormError } from '../../components/FormError.tsx';
import { useT } from '../../i18n/useT.ts';
import { placeServerErrors, validateChangedOnBlur } from '../users/admin-ui.tsx';
import { regionLabel } from '../organisations/reference.ts';
import { categoryLabel, kindLabel, partnersKey, tlpName, type DataCategory } from './labels.tsx';
import { OrgMultiPicker, OrgPicker } from './OrgPicker.tsx';

type Values = {
  organisationId: string | null;
  kind: PartnershipKind;
  title: string;
  reference: string;
  startsOn: string | null;
  endsOn: string | null;
  dataCategories: DataCategory[];
  maxTlp: Tlp | null;
  scopeOrganisationIds: string[];
  scopeRegions: Region[];
};

/** Only a data-sharing agreement has categories, a TLP and a scope: the other kinds send none. */
function fields(v: Values) {
  const sharing = v.kind === 'data_sharing';
  return {
    title: v.title,
    reference: v.reference,
    startsOn: v.startsOn ?? '',
    endsOn: v.endsOn || null,
    dataCategories: sharing ? v.dataCategories : [],
    maxTlp: sharing ? v.maxTlp : null,
    scopeOrganisationIds: sharing ? v.scopeOrganisationIds : [],
    scopeRegions: sharing ? v.scopeRegions : [],
  };
}
const createPayload = (v: Values) => ({ organisationId: v.organisationId ?? '', kind: v.kind, ...fields(v) });
const createSchema = z.preprocess((v) => createPayload(v as Values), agreementCreate);
const updateSchema = z.preprocess((v) => fields(v as Values), agreementUpdate);

const valuesOf = (a: Agreement | null): Values => ({
  organisationId: a?.organisationId ?? null,
  kind: a?.kind ?? 'data_sharing',
  title: a?.title ?? '',
  reference: a?.reference ?? '',
  startsOn: a?.startsOn ?? null,
  endsOn: a?.endsOn ?? null,
  dataCategories: a?.dataCategories ?? [],
  maxTlp: a?.maxTlp ?? null,
  scopeOrganisationIds: a?.scopeOrganisationIds ?? [],
  scopeRegions: a?.scopeRegions ?? [],
});

/** Create an agreement (as a draft) or edit one; the data-sharing fields show for data-sharing agreements only. */
export function AgreementForm({ agreement, onDone, onCancel }: { agreement: Agreement | null; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const editing = agreement !== null;
  const form = useZodForm<Values>(editing ? updateSchema : createSchema, { initialValues: valuesOf(agreement), ...validateChangedOnBlur<Values>() });
  const values = form.getValues();
  const sharing = values.kind === 'data_sharing';

  const save = useMutation({
    mutationFn: (v: Values) => {
      if (!agreement) return api.post<Agreement>('/api/partner-agreements', createPayload(v));
      const next = fields(v) as Record<string, unknown>;
      const before = fields(valuesOf(agreement)) as Record<string, unknown>;
      const changes = Object.fromEntries(Object.entries(next).filter(([k, value]) => JSON.stringify(value) !== JSON.stringify(before[k])));
      return api.patch<Agreement>(`/api/partner-agreements/${seg(agreement.id)}`, changes);
    },
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: partnersKey });
      notify.success(t(editing ? 'partners.agreement.saved' : 'partners.agreement.created', { title: saved.title }));
      onDone();
    },
    onError: (error) => {
      if (!placeServerErrors(form, error, t, { conflicts: { reference: 'partners.agreement.referenceTaken' } })) setFormError(errorText(error));
    },
  });

  /** The rules the schema cannot express alone (the server checks them too). */
  const checkRules = (v: Values): boolean => {
    let ok = true;
    if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) {
      form.setFieldError('endsOn', t('partners.agreement.endBeforeStart'));
      ok = false;
    }
    if (v.kind === 'data_sharing') {
      if (v.dataCategories.length === 0) {
        form.setFieldError('dataCategories', t('partners.agreement.categoriesRequired'));
        ok = false;
      }
      if (!v.maxTlp) {
        form.setFieldError('maxTlp', t('partners.agreement.tlpRequired'));
        ok = false;
      }
      if (v.scopeOrganisationIds.length === 0 && v.scopeRegions.length === 0) {
        form.setFieldError('scopeRegions', t('partners.agreement.scopeRequired'));
        ok = false;
      }
    }
    return ok;
  };

  const kindOptions = useMemo(() => partnershipKinds.map((k) => ({ value: k, label: t(kindLabel[k]) })), [t]);
  const categoryOptions = useMemo(() => dataCategories.map((c) => ({ value: c, label: t(categoryLabel[c]) })), [t]);
  const regionOptions = useMemo(() => regions.map((r) => ({ value: r, label: t(regionLabel[r]) })), [t]);
  const tlpOptions = tlpLevels.map((l) => ({ value: l, label: tlpName[l] }));
  const dateProps = {
    placeholder: t('partners.agreement.datePlaceholder'),
    valueFormat: 'D MMMM YYYY',
    popoverProps: { withinPortal: true },
  } as const;

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => {
        setFormError(null);
        if (checkRules(v)) save.mutate(v);
      })}
    >
      <Stack gap="md">
        <FormError>{formError}</FormError>
        {editing ? null : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <OrgPicker
              kind="partner"
              label={t('partners.agreement.organisation')}
              required
              {...form.getInputProps('organisationId')}
              value={values.organisationId}
              onChange={(v) => form.setFieldValue('organisationId', v)}
            />
            <Select label={t('partners.agreement.kind')} data={kindOptions} required allowDeselect={false} {...form.getInputProps('kind')} />
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <TextInput label={t('partners.agreement.title')} required autoComplete="off" style={{ gridColumn: 'span 2' }} {...form.getInputProps('title')} />
          <TextInput label={t('partners.agreement.reference')} required autoComplete="off" dir="ltr" {...form.getInputProps('reference')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <DateInput label={t('partners.agreement.startsOn')} required {...dateProps} {...form.getInputProps('startsOn')} value={values.startsOn} onChange={(v) => form.setFieldValue('startsOn', v)} />
          <DateInput
            label={t('partners.agreement.endsOn')}
            description={t('partners.agreement.endsOnHint')}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            clearable
            clearButtonProps={{ 'aria-label': t('partners.agreement.clearDate') } as React.ComponentProps<'button'>}
            minDate={values.startsOn ?? undefined}
            {...dateProps}
            {...form.getInputProps('endsOn')}
            value={values.endsOn}
            onChange={(v) => form.setFieldValue('endsOn', v)}
          />
        </SimpleGrid>
        {sharing ? (
          <Fieldset legend={t('partners.agreement.dataSharing')} radius="md">
            <Stack gap="md">
              <Text size="sm" c="dimmed">
                {t('partners.agreement.dataSharingHint')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
                <MultiSelect label={t('partners.agreement.categories')} data={categoryOptions} required {...form.getInputProps('dataCategories')} />
                <Select
                  label={t('partners.agreement.maxTlp')}
                  data={tlpOptions}
                  required
                  {...form.getInputProps('maxTlp')}
                  value={values.maxTlp}
                  onChange={(v) => form.setFieldValue('maxTlp', v as Tlp | null)}
                />
              </SimpleGrid>
              <OrgMultiPicker
                kind="police_unit"
                label={t('partners.agreement.scopeOrganisations')}
                description={t('partners.agreement.scopeHint')}
                {...form.getInputProps('scopeOrganisationIds')}
                value={values.scopeOrganisationIds}
                onChange={(v) => form.setFieldValue('scopeOrganisationIds', v)}
              />
              <MultiSelect label={t('partners.agreement.scopeRegions')} data={regionOptions} {...form.getInputProps('scopeRegions')} />
            </Stack>
          </Fieldset>
        ) : null}
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common.action.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={editing && !form.isDirty()}>
            {editing ? t('common.action.save') : t('partners.agreement.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
