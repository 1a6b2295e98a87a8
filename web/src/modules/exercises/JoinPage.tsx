import { useState } from 'react';
import { Button, Card, Center, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconDoorEnter, IconTicket } from '@tabler/icons-react';
import { useNavigate, useSearchParams } from 'react-router';
import { joinBody } from '@modules/exercises/schemas.ts';
import { api } from '../../core/api.ts';
import { useNotify } from '../../core/notify.tsx';
import { FormError } from '../../components/FormError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { exercisesKey, type Team } from './api.ts';
import { formatJoinCode, hasLookAlike } from './join-code.ts';
import { refusalReason, useRefusalText } from './server-texts.ts';

/** A participant joins a team with the invitation code a trainer gave, then goes to the exercise. */
export default function JoinPage() {
  const t = useT();
  const navigate = useNavigate();
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = useRefusalText();
  const [params] = useSearchParams();
  const [formError, setFormError] = useState<string | null>(null);

  const form = useForm({
    initialValues: { code: formatJoinCode(params.get('code') ?? '') },
    validateInputOnBlur: true,
    validate: {
      code: (value) => {
        if (!value.trim()) return t('validation.required');
        if (joinBody.safeParse({ code: value }).success) return null;
        return hasLookAlike(value) ? t('exercises.join.lookAlike') : t('exercises.join.format');
      },
    },
  });

  const join = useMutation({
    mutationFn: (code: string) => api.post<{ exerciseId: string; team: Team }>('/api/teams/join', { code }),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: exercisesKey });
      notify.success(t('exercises.join.done', { team: result.team.name }));
      void navigate(`/exercises/${result.exerciseId}/play`);
    },
    onError: (error) => {
      if (refusalReason(error) === 'unknown_code') {
        form.setFieldError('code', t('exercises.refused.unknownCode'));
        form.getInputNode('code')?.focus();
      } else setFormError(refusal(error));
    },
  });

  return (
    <>
      <PageHeader title={t('exercises.join.title')} description={t('exercises.join.subtitle')} />
      <Center>
        <Card p={{ base: 'lg', sm: 40 }} maw={520} w="100%">
          <form
            noValidate
            onSubmit={form.onSubmit(
              (v) => {
                setFormError(null);
                join.mutate(v.code);
              },
              () => form.getInputNode('code')?.focus(),
            )}
          >
            <Stack gap="lg" align="stretch">
              <Stack gap="xs" align="center">
                <ThemeIcon size={64} radius="xl" variant="light" aria-hidden>
                  <IconTicket size={34} stroke={1.5} />
                </ThemeIcon>
                <Title order={2} fz="lg" ta="center">
                  {t('exercises.join.cardTitle')}
                </Title>
                <Text size="sm" c="dimmed" ta="center">
                  {t('exercises.join.cardText')}
                </Text>
              </Stack>
              <FormError>{formError}</FormError>
              <TextInput
                label={t('exercises.join.code')}
                placeholder="ABCD-EFGH"
                dir="ltr"
                size="lg"
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                data-autofocus
                autoFocus
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.2em', textAlign: 'center', fontSize: 24 } }}
                {...form.getInputProps('code')}
                onChange={(e) => form.setFieldValue('code', formatJoinCode(e.currentTarget.value))}
              />
              <Button type="submit" size="md" loading={join.isPending} leftSection={<IconDoorEnter size={20} aria-hidden />}>
                {t('exercises.join.submit')}
              </Button>
            </Stack>
          </form>
        </Card>
      </Center>
    </>
  );
}
