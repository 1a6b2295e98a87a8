import { useMemo, useState } from 'react';
import { Button, Group, Input, SegmentedControl, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconBuildingBank, IconShieldHalf } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { z } from 'zod';
import {
  organisationCreate,
  organisationUpdate,
  partnerSectors,
  unitTypes,
  type Organisation,
  type OrganisationUpdate,
} from '@modules/organisations/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { FormError } from '../../components/FormError.tsx';
import { useT } from '../../i18n/useT.ts';
import { placeServerErrors, validateChangedOnBlur } from '../users/admin-ui.tsx';
import { organisationsKey } from './OrganisationSelect.tsx';
import { countryFilter, kindLabel, sectorLabel, unitTypeLabel, useCountryOptions, type Kind, type Sector, type UnitType } from './reference.ts';

type Status = Organisation['status'];

type Values = {
  kind: Kind;
  name: string;
  countryCode: string;
  unitType: UnitType | '';
  unitEstablishedOn: string | null;
  sector: Sector | '';
  status: Status;
};

/** The fields of the organisation's kind only: a police unit has no sector, a partner no unit type. */
function createPayload(v: Values) {
  const common = { kind: v.kind, name: v.name, countryCode: v.countryCode };
  return v.kind === 'police_unit' ? { ...common, unitType: v.unitType, unitEstablishedOn: v.unitEstablishedOn || null } : { ...common, sector: v.sector };
}
function updatePayload(v: Values) {
  const common = { name: v.name, countryCode: v.countryCode, status: v.status };
  return v.kind === 'police_unit' ? { ...common, unitType: v.unitType, unitEstablishedOn: v.unitEstablishedOn || null } : { ...common, sector: v.sector };
}

// The server's own schemas, checked on what the server will receive.
const createSchema = z.preprocess((v) => createPayload(v as Values), organisationCreate);
const updateSchema = z.preprocess((v) => updatePayload(v as Values), organisationUpdate);

const valuesOf = (o: Organisation | null): Values => ({
  kind: o?.kind ?? 'police_unit',
  name: o?.name ?? '',
  countryCode: o?.countryCode ?? '',
  unitType: o?.unitType ?? '',
  unitEstablishedOn: o?.unitEstablishedOn ?? null,
  sector: o?.sector ?? '',
  status: o?.status ?? 'active',
});

type Props = {
  /** The organisation to edit; null to create one. */
  organisation: Organisation | null;
  onDone: (saved: Organisation) => void;
  onCancel: () => void;
};

/** Create or edit an organisation; the fields follow its kind. */
export function OrganisationForm({ organisation, onDone, onCancel }: Props) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const countryOptions = useCountryOptions();
  const [formError, setFormError] = useState<string | null>(null);
  const editing = organisation !== null;
  const form = useZodForm<Values>(editing ? updateSchema : createSchema, { initialValues: valuesOf(organisation), ...validateChangedOnBlur<Values>() });
  const values = form.getValues();
  const today = dayjs().format('YYYY-MM-DD');

  const save = useMutation({
    mutationFn: (v: Values) => {
      if (!organisation) return api.post<Organisation>('/api/organisations', createPayload(v));
      const next = updatePayload(v) as Record<string, unknown>;
      const before = updatePayload(valuesOf(organisation)) as Record<string, unknown>;
      const changes = Object.fromEntries(Object.entries(next).filter(([k, value]) => value !== before[k])) as OrganisationUpdate;
      return api.patch<Organisation>(`/api/organisations/${seg(organisation.id)}`, changes);
    },
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: organisationsKey });
      // Users show the organisation's name: refresh them too.
      if (editing) void client.invalidateQueries({ queryKey: ['users'] });
      notify.success(t(editing ? 'organisations.form.saved' : 'organisations.form.created', { name: saved.name }));
      form.resetDirty(valuesOf(saved));
      onDone(saved);
    },
    onError: (error) => {
      if (!placeServerErrors(form, error, t, { conflicts: { name: 'organisations.form.nameTaken' } })) setFormError(errorText(error));
    },
  });

  const unitTypeOptions = useMemo(() => unitTypes.map((u) => ({ value: u, label: t(unitTypeLabel[u]) })), [t]);
  const sectorOptions = useMemo(() => partnerSectors.map((s) => ({ value: s, label: t(sectorLabel[s]) })), [t]);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => {
        setFormError(null);
        save.mutate(v);
      })}
    >
      <Stack gap="md">
        <FormError>{formError}</FormError>
        {editing ? null : (
          <Input.Wrapper
            label={t('organisations.form.kind')}
            id="organisation-kind"
            labelElement="div"
          >
            <SegmentedControl
              mt={6}
              fullWidth
              aria-labelledby="organisation-kind-label"
              value={values.kind}
              onChange={(v) => form.setFieldValue('kind', v as Kind)}
              data={(['police_unit', 'partner'] as const).map((k) => ({
                value: k,
                label: (
                  <Group gap={8} justify="center" wrap="nowrap">
                    {k === 'police_unit' ? <IconShieldHalf size={16} aria-hidden /> : <IconBuildingBank size={16} aria-hidden />}
                    <span>{t(kindLabel[k])}</span>
                  </Group>
                ),
              }))}
            />
          </Input.Wrapper>
        )}
        <TextInput label={t('organisations.form.name')} required data-autofocus autoComplete="off" {...form.getInputProps('name')} />
        <Select
          label={t('organisations.form.country')}
          placeholder={t('organisations.form.countryPlaceholder')}
          data={countryOptions}
          searchable
          filter={countryFilter}
          nothingFoundMessage={t('organisations.form.noCountry')}
          maxDropdownHeight={280}
          required
          {...form.getInputProps('countryCode')}
          value={values.countryCode || null}
          onChange={(v) => form.setFieldValue('countryCode', v ?? '')}
        />
        {values.kind === 'police_unit' ? (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Select
              label={t('organisations.form.unitType')}
              placeholder={t('organisations.form.choose')}
              data={unitTypeOptions}
              required
              {...form.getInputProps('unitType')}
              value={values.unitType || null}
              onChange={(v) => form.setFieldValue('unitType', (v ?? '') as UnitType | '')}
            />
            <DateInput
              label={t('organisations.form.established')}
              placeholder={t('organisations.form.datePlaceholder')}
              valueFormat="D MMMM YYYY"
              maxDate={today}
              clearable
              clearButtonProps={{ 'aria-label': t('organisations.form.clearDate') } as React.ComponentProps<'button'>}
              popoverProps={{ withinPortal: true }}
              {...form.getInputProps('unitEstablishedOn')}
              value={values.unitEstablishedOn}
              onChange={(v) => form.setFieldValue('unitEstablishedOn', v)}
            />
          </SimpleGrid>
        ) : (
          <Select
            label={t('organisations.form.sector')}
            placeholder={t('organisations.form.choose')}
            data={sectorOptions}
            required
            {...form.getInputProps('sector')}
            value={values.sector || null}
            onChange={(v) => form.setFieldValue('sector', (v ?? '') as Sector | '')}
          />
        )}
        {editing ? (
          <Select
            label={t('organisations.form.status')}
            description={t('organisations.form.statusHint')}
            data={[
              { value: 'active', label: t('organisations.status.active') },
              { value: 'archived', label: t('organisations.status.archived') },
            ]}
            allowDeselect={false}
            {...form.getInputProps('status')}
          />
        ) : null}
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common.action.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={editing && !form.isDirty()}>
            {editing ? t('common.action.save') : t('organisations.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
