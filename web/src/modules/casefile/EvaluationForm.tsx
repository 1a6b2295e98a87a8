import { useState, type ReactNode } from 'react';
import { Button, Card, Group, Paper, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconScale } from '@tabler/icons-react';
import { evaluationCreate, verdicts, type CaseFile, type ChargeView, type ElementView, type EvaluationCreate, type Verdict } from '@modules/casefile/schemas.ts';
import { FormError } from '../../components/FormError.tsx';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { useMe } from '../../core/session.ts';
import { useT } from '../../i18n/useT.ts';
import { caseFileKey, evaluate, staffCaseFilesKey } from './api.ts';
import { evaluationStart, type EvaluationValues } from './evaluation.ts';
import { verdictLabel } from './parts.tsx';

type Aside = (charge: ChargeView, element: ElementView) => ReactNode;

/**
 * An expert's evaluation of a submitted case file: a verdict and comment beside
 * each element of the charges brought (the render prop places them), and an
 * overall comment with the submit button below.
 */
export function EvaluationForm({ exerciseId, file, children }: { exerciseId: string; file: CaseFile; children: (aside: Aside) => ReactNode }) {
  const t = useT();
  const me = useMe();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const start = evaluationStart(file, me.id);
  const form = useZodForm<EvaluationValues>(evaluationCreate, { initialValues: start.values });
  const send = useMutation({
    mutationFn: (v: EvaluationCreate) => evaluate(exerciseId, file.teamId, v),
    onSuccess: (result) => {
      setFormError(null);
      client.setQueryData(caseFileKey(exerciseId, file.teamId), result);
      void client.invalidateQueries({ queryKey: staffCaseFilesKey(exerciseId), exact: true });
      notify.success(result.readiness.final === null ? t('casefile.evaluation.savedNeedsSecond') : t('casefile.evaluation.saved'));
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });
  const values = form.getValues();
  const missing = values.elements.filter((e) => e.verdict === '').length;

  const aside: Aside = (charge, element) => {
    const i = values.elements.findIndex((e) => e.chargeId === charge.chargeId && e.elementId === element.elementId);
    if (i < 0) return null;
    return (
      <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-blue-0)">
        <Stack gap="xs">
          <Radio.Group label={t('casefile.evaluation.verdict')} required {...form.getInputProps(`elements.${i}.verdict`)}>
            <Group gap="md" mt={6}>
              {verdicts.map((v) => (
                <Radio key={v} value={v} label={t(verdictLabel[v])} color={v === 'proven' ? 'teal' : v === 'partly' ? 'yellow' : 'red'} />
              ))}
            </Group>
          </Radio.Group>
          <Textarea dir="auto" label={t('casefile.evaluation.elementComment')} autosize minRows={2} maxRows={8} maxLength={5000} {...form.getInputProps(`elements.${i}.comment`)} />
        </Stack>
      </Paper>
    );
  };

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(
        (v) => send.mutate({ comment: v.comment, elements: v.elements.map((e) => ({ chargeId: e.chargeId, elementId: e.elementId, verdict: e.verdict as Verdict, comment: e.comment })) }),
        () => setTried(true),
      )}
    >
      <Stack gap="md">
        {children(aside)}
        <Card p={{ base: 'md', sm: 'lg' }} withBorder style={{ borderColor: 'var(--mantine-color-blue-3)' }}>
          <Group gap="xs" mb="sm">
            <IconScale size={20} aria-hidden />
            <Title order={3} fz="md">
              {start.previous ? t('casefile.evaluation.titleAgain', { round: start.previous }) : t('casefile.evaluation.title')}
            </Title>
          </Group>
          <Text size="sm" c="dimmed" mb="sm">
            {t('casefile.evaluation.intro', { partly: file.partlyPercent })}
          </Text>
          <FormError>{formError ?? (tried && missing > 0 ? t('casefile.evaluation.incomplete', { count: missing }) : null)}</FormError>
          <Textarea dir="auto" label={t('casefile.evaluation.comment')} description={t('casefile.evaluation.commentHint')} autosize minRows={3} maxRows={12} maxLength={10000} {...form.getInputProps('comment')} />
          <Group justify="space-between" mt="md">
            <Text size="sm" c={missing > 0 ? 'orange.8' : 'teal.8'}>
              {missing > 0 ? t('casefile.evaluation.missing', { count: missing }) : t('casefile.evaluation.complete')}
            </Text>
            <Button type="submit" loading={send.isPending} leftSection={<IconScale size={18} aria-hidden />}>
              {t('casefile.evaluation.submit')}
            </Button>
          </Group>
        </Card>
      </Stack>
    </form>
  );
}
