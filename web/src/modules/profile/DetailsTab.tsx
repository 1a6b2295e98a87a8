import { useState } from 'react';
import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormattedDisplayName } from 'react-intl';
import { profileUpdate, type Me } from '@modules/accounts/schemas.ts';
import { api } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { storeMe, useMe } from '../../core/session.ts';
import { DateOnly } from '../../components/DateTime.tsx';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { RoleBadges } from '../../components/RoleBadges.tsx';
import { locales, nativeNames, type Locale } from '../../i18n/locales.ts';
import { useT } from '../../i18n/useT.ts';
import { Section } from './Section.tsx';

export function DetailsTab() {
  const t = useT();
  const me = useMe();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);

  const form = useZodForm(profileUpdate, { initialValues: { displayName: me.displayName, locale: me.locale as Locale } });

  const save = useMutation({
    mutationFn: (values: { displayName: string; locale: Locale }) => api.patch<Me>('/api/me', values),
    onSuccess: (updated) => {
      // Storing the profile also switches the interface language if it changed.
      storeMe(client, updated);
      form.resetDirty({ displayName: updated.displayName, locale: updated.locale });
      notify.success(t('profile.details.saved'));
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });

  return (
    <Stack gap="lg">
      <Section title={t('profile.details.title')} description={t('profile.details.description')}>
        <form
          noValidate
          onSubmit={form.onSubmit((values) => {
            setFormError(null);
            save.mutate(values);
          })}
        >
          <Stack gap="md" maw={520}>
            <FormError>{formError}</FormError>
            <TextInput label={t('profile.details.displayName')} autoComplete="name" required {...form.getInputProps('displayName')} />
            <TextInput
              label={t('profile.details.email')}
              description={t('profile.details.emailHint')}
              value={me.email}
              readOnly
              dir="ltr"
              variant="filled"
            />
            <Select
              label={t('profile.details.language')}
              description={t('profile.details.languageHint')}
              data={locales.map((l) => ({ value: l, label: nativeNames[l] }))}
              allowDeselect={false}
              checkIconPosition="right"
              {...form.getInputProps('locale')}
            />
            <Group>
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                {t('common.action.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Section>

      <Section title={t('profile.account.title')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="md">
          <Field label={t('profile.account.organisation')}>
            {me.organisation.name}
            <Text span c="dimmed" size="sm">
              {' · '}
              <FormattedDisplayName type="region" value={me.organisation.countryCode} />
            </Text>
          </Field>
          <Field label={t('profile.account.roles')}>
            <Group gap={6}>
              <RoleBadges roles={me.roles} />
            </Group>
          </Field>
          <Field label={t('profile.account.email')}>
            <Ltr>{me.email}</Ltr>
          </Field>
          <Field label={t('profile.account.memberSince')}>
            <DateOnly value={me.createdAt} />
          </Field>
        </SimpleGrid>
      </Section>
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}
