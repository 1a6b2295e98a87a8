import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Text, Textarea, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconBulb, IconCircleCheck, IconCircleDashedCheck, IconCircleX, IconListCheck, IconLock, IconSend } from '@tabler/icons-react';
import { FormattedNumber } from 'react-intl';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { Localized, useLocalized } from '../scenarios/localized.tsx';
import { RichText } from '../scenarios/RichText.tsx';
import { playKey, scoreboardKey, submitAnswer, type AnswerResult, type PlayObjective, type TeamView } from './api.ts';
import { usePlayRefusal } from './refusals.ts';

/** Objectives are numbered by their place in the scenario (the server's `position`), released or not, as trainers number them. */
export function objectiveNumbers(view: TeamView): Map<string, number> {
  return new Map(view.objectives.map((o) => [o.id, o.position]));
}

/** The team's objectives: question, points, attempts, an answer box fitting the expected answer, and the outcome. */
export function ObjectivesPanel({ view, accepting, onShowHints }: { view: TeamView; accepting: boolean; onShowHints: () => void }) {
  const t = useT();
  const numbers = objectiveNumbers(view);
  if (view.objectives.length === 0) {
    return (
      <Card>
        <EmptyState icon={<IconListCheck aria-hidden />} title={t('play.objectives.emptyTitle')} description={t('play.objectives.emptyDescription')} />
      </Card>
    );
  }
  const solved = view.objectives.filter((o) => o.solved).length;
  const earned = view.objectives.reduce((sum, o) => sum + Math.round((o.points * o.creditPercent) / 100), 0);
  const total = view.objectives.reduce((sum, o) => sum + o.points, 0);
  return (
    <Stack gap="md">
      <Card p="md">
        <Group justify="space-between" gap="md">
          <Stack gap={2}>
            <Text size="sm" fw={600}>
              {t('play.objectives.progress', { solved, total: view.objectives.length })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('play.objectives.pointsEarned', { earned, total })}
            </Text>
          </Stack>
          <Progress value={view.objectives.length ? (solved / view.objectives.length) * 100 : 0} w={{ base: '100%', sm: 320 }} size="lg" color="teal" aria-label={t('play.objectives.progress', { solved, total: view.objectives.length })} />
        </Group>
      </Card>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        {view.objectives.map((o) => (
          <ObjectiveCard key={o.id} exerciseId={view.exercise.id} objective={o} number={numbers.get(o.id) ?? 0} view={view} accepting={accepting} hintCount={view.hints.filter((h) => h.objective === o.id).length} onShowHints={onShowHints} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function ObjectiveCard({ exerciseId, objective: o, number, view, accepting, hintCount, onShowHints }: { exerciseId: string; objective: PlayObjective; number: number; view: TeamView; accepting: boolean; hintCount: number; onShowHints: () => void }) {
  const t = useT();
  const localized = useLocalized();
  const client = useQueryClient();
  const refusal = usePlayRefusal();
  const [answer, setAnswer] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [result, setResult] = useState<AnswerResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attemptsLeft = o.maxAttempts === null ? null : Math.max(0, o.maxAttempts - o.attempts);
  const partial = !o.solved && o.creditPercent > 0;
  const numbers = objectiveNumbers(view);

  const submit = useMutation({
    mutationFn: (value: string) => submitAnswer(exerciseId, o.id, value),
    onSuccess: (r) => {
      setResult(r);
      setError(null);
      if (r.outcome !== 'wrong') setAnswer('');
      void client.invalidateQueries({ queryKey: playKey(exerciseId) });
      void client.invalidateQueries({ queryKey: scoreboardKey(exerciseId) });
    },
    onError: (e) => {
      setResult(null);
      setError(refusal(e));
      void client.invalidateQueries({ queryKey: playKey(exerciseId) });
    },
  });

  const status = o.solved
    ? { color: 'teal', label: t('play.objectives.solved'), icon: <IconCircleCheck size={14} aria-hidden /> }
    : o.locked
      ? { color: 'gray', label: t('play.objectives.locked'), icon: <IconLock size={14} aria-hidden /> }
      : partial
        ? { color: 'yellow', label: t('play.objectives.partial', { percent: Math.round(o.creditPercent) }), icon: <IconCircleDashedCheck size={14} aria-hidden /> }
        : attemptsLeft === 0
          ? { color: 'red', label: t('play.objectives.noAttempts'), icon: <IconCircleX size={14} aria-hidden /> }
          : null;
  const canAnswer = accepting && !o.solved && !o.locked && attemptsLeft !== 0;
  const inputProps = {
    value: answer,
    onChange: (e: { currentTarget: { value: string } }) => {
      setAnswer(e.currentTarget.value);
      setFieldError(null);
    },
    error: fieldError,
    disabled: submit.isPending,
    'aria-label': t('play.answer.label', { n: number }),
  };

  return (
    <Card p="lg" component="section" aria-labelledby={`objective-${o.id}`} style={o.solved ? { borderColor: 'var(--mantine-color-teal-3)' } : undefined}>
      <Stack gap="sm" h="100%">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon variant={o.solved ? 'filled' : 'light'} color={o.solved ? 'teal' : o.locked ? 'gray' : 'navy'} radius="xl" size="lg" aria-hidden>
              {o.solved ? <IconCircleCheck size={20} /> : o.locked ? <IconLock size={18} /> : <Text fw={700} size="sm"><FormattedNumber value={number} /></Text>}
            </ThemeIcon>
            <Title order={3} fz="md" id={`objective-${o.id}`}>
              {t('scenarios.objective.number', { n: number })}
            </Title>
          </Group>
          <Group gap={6} wrap="nowrap">
            {status ? (
              <Badge color={status.color} variant="light" leftSection={status.icon}>
                {status.label}
              </Badge>
            ) : null}
            <Badge color="navy" variant="filled">
              {t('play.objectives.points', { points: o.points })}
            </Badge>
          </Group>
        </Group>

        {o.locked ? (
          <Alert color="gray" variant="light" icon={<IconLock size={18} aria-hidden />}>
            <Text size="sm">{t('play.objectives.lockedText')}</Text>
            <Stack gap={2} mt={6}>
              {o.requires.map((r) => {
                const req = view.objectives.find((x) => x.id === r);
                return (
                  <Text key={r} size="sm" fw={500}>
                    {numbers.has(r) ? t('scenarios.objective.number', { n: numbers.get(r) ?? 0 }) : <Ltr mono>{r}</Ltr>}
                    {req?.prompt ? <Text span size="sm" c="dimmed" fw={400}>{` — ${truncate(localized(req.prompt), 90)}`}</Text> : null}
                    {req?.solved ? <Badge ms={6} size="xs" color="teal" variant="light">{t('play.objectives.solved')}</Badge> : null}
                  </Text>
                );
              })}
            </Stack>
          </Alert>
        ) : (
          <Localized text={o.prompt} component="div" render={(text) => <RichText text={text} />} />
        )}

        <Group gap="md">
          <Text size="xs" c="dimmed">
            {o.maxAttempts === null ? t('play.objectives.attemptsUnlimited', { used: o.attempts }) : t('play.objectives.attempts', { used: o.attempts, max: o.maxAttempts })}
          </Text>
          {hintCount > 0 && !o.solved ? (
            <Button variant="subtle" size="compact-xs" leftSection={<IconBulb size={14} aria-hidden />} onClick={onShowHints}>
              {t('play.objectives.hints', { count: hintCount })}
            </Button>
          ) : null}
          {o.solvedAt ? (
            <Text size="xs" c="teal.8">
              {t('play.objectives.solvedAt')} <DateTime value={o.solvedAt} />
            </Text>
          ) : null}
        </Group>

        {canAnswer ? (
          <form
            noValidate
            style={{ marginTop: 'auto' }}
            onSubmit={(e) => {
              e.preventDefault();
              if (!answer.trim()) {
                setFieldError(t('validation.required'));
                return;
              }
              submit.mutate(answer);
            }}
          >
            <Stack gap="xs">
              {o.answerType === 'set' ? (
                <Textarea {...inputProps} placeholder={t('play.answer.setPlaceholder')} description={t('play.answer.setHint')} autosize minRows={2} maxRows={6} dir="auto" />
              ) : o.answerType === 'datetime' ? (
                <TextInput {...inputProps} placeholder="2025-03-01T08:30:00Z" description={t('play.answer.datetimeHint')} dir="ltr" autoComplete="off" styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
              ) : o.answerType === 'number' ? (
                <TextInput {...inputProps} placeholder={t('play.answer.numberPlaceholder')} description={t('play.answer.numberHint')} dir="ltr" inputMode="decimal" autoComplete="off" />
              ) : (
                <TextInput {...inputProps} placeholder={t('play.answer.textPlaceholder')} dir="auto" autoComplete="off" spellCheck={false} />
              )}
              <Group justify="space-between" gap="xs">
                <Text size="xs" c="dimmed">
                  {attemptsLeft !== null ? t('play.answer.attemptsLeft', { count: attemptsLeft }) : null}
                </Text>
                <Button type="submit" size="sm" loading={submit.isPending} leftSection={<IconSend size={16} aria-hidden />}>
                  {t('play.answer.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}

        <div aria-live="polite" aria-atomic="true">
          {result ? <Feedback result={result} /> : null}
          {error ? (
            <Alert color="red" variant="light" role="alert" mt="xs">
              {error}
            </Alert>
          ) : null}
        </div>
      </Stack>
    </Card>
  );
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function Feedback({ result }: { result: AnswerResult }) {
  const t = useT();
  if (result.outcome === 'correct') {
    return (
      <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title={t('play.answer.correct')}>
        {t('play.answer.correctText', { points: result.pointsAwarded })}
      </Alert>
    );
  }
  if (result.outcome === 'partial') {
    return (
      <Alert color="yellow" variant="light" icon={<IconCircleDashedCheck aria-hidden />} title={t('play.answer.partial')}>
        {t('play.answer.partialText', { percent: Math.round(result.creditPercent), points: result.pointsAwarded })}
        {result.attemptsLeft !== null ? ` ${t('play.answer.attemptsLeft', { count: result.attemptsLeft })}` : ''}
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconCircleX aria-hidden />} title={t('play.answer.wrong')}>
      {result.attemptsLeft !== null ? t('play.answer.attemptsLeft', { count: result.attemptsLeft }) : t('play.answer.tryAgain')}
    </Alert>
  );
}
