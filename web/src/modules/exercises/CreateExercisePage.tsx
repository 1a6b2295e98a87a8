import { useMemo, useState } from 'react';
import { Badge, Button, Card, Grid, Group, NumberInput, SegmentedControl, Select, Stack, Text, TextInput, Title, Input } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCalendarEvent, IconTargetArrow } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { z } from 'zod';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { exerciseCreate, exerciseModes } from '@modules/exercises/schemas.ts';
import { api } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { useCan } from '../../core/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useIntl } from 'react-intl';
import { useT } from '../../i18n/useT.ts';
import { useScenarios, type ScenarioSummary } from '../scenarios/api.ts';
import { useFormatMinutes } from '../scenarios/format.ts';
import { difficultyColor, difficultyLabel, themeLabel } from '../scenarios/labels.ts';
import { Localized, useLocalized } from '../scenarios/localized.tsx';
import { exercisesKey, modeLabel, type ExerciseSummary } from './api.ts';

type Mode = (typeof exerciseModes)[number];
type Values = {
  scenarioId: string;
  title: string;
  mode: Mode;
  /** Local date and time from the picker ("YYYY-MM-DD HH:mm:ss"), or null to start by hand. */
  scheduledStart: string | null;
  durationMinutes: number | string;
  freezeMinutes: number | string;
  teamSizeLimit: number | string;
};

const numberOrUndefined = (v: number | string) => (v === '' || v === null ? undefined : Number(v));

function toPayload(v: Values) {
  const duration = numberOrUndefined(v.durationMinutes);
  const freeze = numberOrUndefined(v.freezeMinutes);
  return {
    scenarioId: v.scenarioId,
    title: v.title,
    mode: v.mode,
    scheduledStart: v.scheduledStart ? dayjs(v.scheduledStart).toISOString() : null,
    ...(duration !== undefined ? { durationMinutes: duration } : {}),
    freezeMinutes: v.mode === 'competition' && freeze !== undefined ? freeze : null,
    teamSizeLimit: numberOrUndefined(v.teamSizeLimit) ?? 8,
  };
}

const formSchema = z.preprocess((v) => toPayload(v as Values), exerciseCreate);

/** Creating an exercise: one version of a scenario, run by the user as trainer. */
export default function CreateExercisePage() {
  const t = useT();
  const intl = useIntl();
  const can = useCan();
  const navigate = useNavigate();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const localized = useLocalized();
  const formatMinutes = useFormatMinutes();
  const [params] = useSearchParams();
  const scenarios = useScenarios(can('scenarios.read'));
  const [formError, setFormError] = useState<string | null>(null);

  const form = useZodForm<Values>(formSchema, {
    initialValues: { scenarioId: params.get('scenario') ?? '', title: '', mode: 'competition', scheduledStart: null, durationMinutes: '', freezeMinutes: 15, teamSizeLimit: 6 },
  });
  const values = form.getValues();
  const chosen: ScenarioSummary | undefined = scenarios.data?.find((s) => s.id === values.scenarioId);

  // One group per scenario, one option per imported version, newest first.
  const options = useMemo(() => {
    const groups = new Map<string, { group: string; items: { value: string; label: string }[] }>();
    for (const s of [...(scenarios.data ?? [])].sort((a, b) => b.importedAt.localeCompare(a.importedAt))) {
      const title = localized(s.title, s.slug);
      let g = groups.get(s.slug);
      if (!g) groups.set(s.slug, (g = { group: title, items: [] }));
      g.items.push({ value: s.id, label: t('exercises.create.versionOption', { title, version: s.version, date: intl.formatDate(s.importedAt, { dateStyle: 'medium' }) }) });
    }
    return [...groups.values()];
  }, [scenarios.data, localized, t, intl]);

  const create = useMutation({
    mutationFn: (v: Values) => api.post<ExerciseSummary>('/api/exercises', toPayload(v)),
    onSuccess: (exercise) => {
      void client.invalidateQueries({ queryKey: exercisesKey });
      notify.success(t('exercises.create.done', { title: exercise.title }));
      void navigate(`/exercises/${exercise.id}`);
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });

  return (
    <>
      <PageHeader title={t('exercises.create.title')} description={t('exercises.create.subtitle')} breadcrumbs={[{ label: t('exercises.title'), to: '/exercises' }, { label: t('exercises.create.title') }]} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card p={{ base: 'md', sm: 'xl' }}>
            <form
              noValidate
              onSubmit={form.onSubmit((v) => {
                setFormError(null);
                create.mutate(v);
              })}
            >
              <Stack gap="md">
                <FormError>{formError}</FormError>
                <Select
                  label={t('exercises.create.scenario')}
                  description={t('exercises.create.scenarioHint')}
                  placeholder={scenarios.isPending ? t('common.state.loading') : t('exercises.create.scenarioPlaceholder')}
                  data={options}
                  searchable
                  required
                  nothingFoundMessage={t('exercises.create.noScenario')}
                  {...form.getInputProps('scenarioId')}
                  onChange={(id) => {
                    form.setFieldValue('scenarioId', id ?? '');
                    const s = scenarios.data?.find((x) => x.id === id);
                    if (s && !form.getValues().title.trim()) form.setFieldValue('title', localized(s.title, s.slug));
                  }}
                />
                <TextInput label={t('exercises.create.name')} description={t('exercises.create.nameHint')} required {...form.getInputProps('title')} />
                <Input.Wrapper label={t('exercises.create.mode')} description={t(values.mode === 'competition' ? 'exercises.create.competitionHint' : 'exercises.create.trainingHint')}>
                  <SegmentedControl
                    mt={6}
                    fullWidth
                    data={exerciseModes.map((m) => ({ value: m, label: t(modeLabel[m]) }))}
                    {...form.getInputProps('mode')}
                  />
                </Input.Wrapper>
                <DateTimePicker
                  label={t('exercises.create.scheduledStart')}
                  description={t('exercises.create.scheduledStartHint')}
                  placeholder={t('exercises.create.startByHand')}
                  leftSection={<IconCalendarEvent size={16} aria-hidden />}
                  clearable
                  minDate={dayjs().format('YYYY-MM-DD')}
                  valueFormat="DD MMM YYYY, HH:mm"
                  {...form.getInputProps('scheduledStart')}
                />
                <Group grow align="flex-start">
                  <NumberInput
                    label={t('exercises.create.duration')}
                    description={chosen ? t('exercises.create.durationDefault', { duration: formatMinutes(chosen.durationMinutes) }) : t('exercises.create.durationHint')}
                    placeholder={chosen ? String(chosen.durationMinutes) : undefined}
                    min={10}
                    max={60 * 24 * 14}
                    allowDecimal={false}
                    allowNegative={false}
                    suffix={` ${t('exercises.create.minutesSuffix')}`}
                    {...form.getInputProps('durationMinutes')}
                  />
                  <NumberInput
                    label={t('exercises.create.teamSize')}
                    description={t('exercises.create.teamSizeHint')}
                    min={1}
                    max={50}
                    allowDecimal={false}
                    allowNegative={false}
                    required
                    {...form.getInputProps('teamSizeLimit')}
                  />
                </Group>
                {values.mode === 'competition' ? (
                  <NumberInput
                    label={t('exercises.create.freeze')}
                    description={t('exercises.create.freezeHint')}
                    min={1}
                    max={60 * 24}
                    allowDecimal={false}
                    allowNegative={false}
                    maw={280}
                    suffix={` ${t('exercises.create.minutesSuffix')}`}
                    {...form.getInputProps('freezeMinutes')}
                  />
                ) : null}
                <Group justify="flex-end" gap="sm" mt="sm">
                  <Button component={Link} to="/exercises" variant="default">
                    {t('common.action.cancel')}
                  </Button>
                  <Button type="submit" loading={create.isPending} leftSection={<IconTargetArrow size={18} aria-hidden />}>
                    {t('exercises.create.submit')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card p="lg">
            {chosen ? (
              <Stack gap="sm">
                <Text size="xs" c="dimmed" fw={600} className="nav-section-label">
                  {t('exercises.create.chosenScenario')}
                </Text>
                <Title order={2} fz="lg">
                  <Localized text={chosen.title} fallback={chosen.slug} />
                </Title>
                <Group gap="xs">
                  <Badge color={difficultyColor[chosen.difficulty]}>{t(difficultyLabel[chosen.difficulty])}</Badge>
                  <Badge color="gray" variant="outline" tt="none">
                    <Ltr mono>v{chosen.version}</Ltr>
                  </Badge>
                </Group>
                <Text size="sm">{t(themeLabel[chosen.theme])}</Text>
                <Text size="sm" c="dimmed">
                  {t('exercises.create.scenarioFacts', { objectives: chosen.objectiveCount, evidence: chosen.evidenceCount, duration: formatMinutes(chosen.durationMinutes) })}
                </Text>
                <Button component={Link} to={`/scenarios/${chosen.id}`} variant="subtle" size="compact-sm" style={{ alignSelf: 'flex-start' }}>
                  {t('exercises.create.openScenario')}
                </Button>
              </Stack>
            ) : (
              <Stack gap="xs">
                <Title order={2} fz="md">
                  {t('exercises.create.howTitle')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('exercises.create.howText')}
                </Text>
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
