import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, Select, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { IconBolt, IconInfoCircle, IconSend, IconSpeakerphone } from '@tabler/icons-react';
import { api, seg } from '../../core/api.ts';
import { useNotify } from '../../core/notify.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { useScenario, type ScenarioDetail } from '../scenarios/api.ts';
import { isManualTrigger, triggerText } from '../scenarios/labels.ts';
import { Localized, useLocalized } from '../scenarios/localized.tsx';
import type { ExerciseSummary, Team } from './api.ts';
import { useRefusalText, type RefusalOverrides } from './server-texts.ts';

type Inject = ScenarioDetail['injects'][number];

/** An inject refused because the exercise is not under way says so in its own words. */
const injectRefusals: RefusalOverrides = { not_running: 'exercises.refused.injectNotRunning' };

/** The scenario's injects, with a way to send any of them now to every team or to one. */
export function InjectsPanel({ exercise, teams, organiser }: { exercise: ExerciseSummary; teams: Team[]; organiser: boolean }) {
  const t = useT();
  const scenario = useScenario(exercise.scenario.id);
  const localized = useLocalized();
  const [firing, setFiring] = useState<Inject | null>(null);

  if (scenario.isPending) return <LoadingState variant="table" rows={4} />;
  if (scenario.error) return <ErrorState error={scenario.error} onRetry={() => void scenario.refetch()} />;
  const s = scenario.data;
  const index = new Map(s.objectives.map((o, i) => [o.id, i + 1]));
  const objectiveName = (id: string) => (index.has(id) ? t('scenarios.objective.number', { n: index.get(id) ?? 0 }) : id);
  const runs = exercise.clock.startedAt !== null && exercise.status !== 'ended';
  const sorted = [...s.injects].sort((a, b) => Number(isManualTrigger(b.trigger)) - Number(isManualTrigger(a.trigger)));

  return (
    <Stack gap="md">
      <Alert variant="light" color="navy" icon={<IconInfoCircle aria-hidden />}>
        {runs ? t('exercises.injects.help') : exercise.status === 'ended' ? t('exercises.injects.ended') : t('exercises.injects.notStarted')}
      </Alert>
      {sorted.length === 0 ? (
        <Card>
          <EmptyState icon={<IconSpeakerphone aria-hidden />} title={t('scenarios.injects.empty')} />
        </Card>
      ) : (
        sorted.map((inject) => {
          const manual = isManualTrigger(inject.trigger);
          return (
            <Card key={inject.id} p="md">
              <Group justify="space-between" wrap="nowrap" align="center">
                <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
                  <ThemeIcon variant="light" color={manual ? 'orange' : 'gray'} size="lg" aria-hidden>
                    {manual ? <IconBolt size={20} /> : <IconSpeakerphone size={20} />}
                  </ThemeIcon>
                  <Stack gap={2} style={{ minWidth: 0 }}>
                    <Title order={3} fz="sm">
                      <Localized text={inject.title} fallback={inject.id} />
                    </Title>
                    <Group gap="xs">
                      <Badge size="sm" color={manual ? 'orange' : 'gray'} variant="light">
                        {triggerText(t, inject.trigger, objectiveName)}
                      </Badge>
                      <Ltr mono fz="xs" c="dimmed">
                        {inject.id}
                      </Ltr>
                    </Group>
                  </Stack>
                </Group>
                {organiser ? (
                  <Button
                    variant={manual ? 'filled' : 'default'}
                    size="sm"
                    leftSection={<IconSend size={16} aria-hidden />}
                    disabled={!runs}
                    onClick={() => setFiring(inject)}
                    aria-label={t('exercises.injects.sendNamed', { title: localized(inject.title, inject.id) })}
                  >
                    {t('exercises.injects.send')}
                  </Button>
                ) : null}
              </Group>
            </Card>
          );
        })
      )}
      {firing ? <FireModal exerciseId={exercise.id} inject={firing} teams={teams} onClose={() => setFiring(null)} /> : null}
    </Stack>
  );
}

function FireModal({ exerciseId, inject, teams, onClose }: { exerciseId: string; inject: Inject; teams: Team[]; onClose: () => void }) {
  const t = useT();
  const notify = useNotify();
  const refusal = useRefusalText(injectRefusals);
  const localized = useLocalized();
  const [target, setTarget] = useState<string>('all');
  const [error, setError] = useState<string | null>(null);
  const title = localized(inject.title, inject.id);
  const fire = useMutation({
    mutationFn: () => api.post(`/api/exercises/${seg(exerciseId)}/injects`, { inject: inject.id, teamId: target === 'all' ? null : target }),
    onSuccess: () => {
      const team = teams.find((x) => x.id === target);
      notify.success(team ? t('exercises.injects.sentTeam', { title, team: team.name }) : t('exercises.injects.sentAll', { title }));
      onClose();
    },
    onError: (e) => setError(refusal(e)),
  });
  return (
    <Modal opened onClose={onClose} title={t('exercises.injects.sendTitle')} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
      <Stack gap="md">
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Text size="sm">{t('exercises.injects.sendText', { title })}</Text>
        <Select
          label={t('exercises.injects.target')}
          data={[{ value: 'all', label: t('exercises.injects.allTeams') }, ...teams.map((x) => ({ value: x.id, label: x.name }))]}
          value={target}
          onChange={(v) => setTarget(v ?? 'all')}
          allowDeselect={false}
          data-autofocus
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.action.cancel')}
          </Button>
          <Button leftSection={<IconSend size={16} aria-hidden />} loading={fire.isPending} onClick={() => fire.mutate()}>
            {t('exercises.injects.sendSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
