import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconPlayerPlay, IconSettings } from '@tabler/icons-react';
import { Link } from 'react-router';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { Localized } from '../scenarios/localized.tsx';
import { exercisePath, modeLabel, phaseColor, phaseLabel, roleLabel, useExercises, type ExerciseSummary } from './api.ts';
import { Countdown } from './Countdown.tsx';

const order: Record<ExerciseSummary['clock']['phase'], number> = { running: 0, paused: 1, not_started: 2, ended: 3 };

/** The user's exercises as cards, for the home page; nothing at all when there are none. */
export function MyExercises() {
  const t = useT();
  const exercises = useExercises();
  const list = [...(exercises.data ?? [])].sort((a, b) => order[a.clock.phase] - order[b.clock.phase] || b.createdAt.localeCompare(a.createdAt)).slice(0, 6);
  if (list.length === 0) return null;
  return (
    <Stack gap="md" mb="xl" component="section" aria-labelledby="my-exercises">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2} fz="lg" id="my-exercises">
            {t('exercises.home.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('exercises.home.subtitle')}
          </Text>
        </Stack>
        <Anchor component={Link} to="/exercises" size="sm">
          {t('exercises.home.all', { count: exercises.data?.length ?? 0 })}
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
        {list.map((e) => {
          const participant = e.myRole === 'participant';
          return (
            <Card key={e.id} p="lg" component="article" aria-labelledby={`exercise-${e.id}`}>
              <Stack gap="sm" h="100%">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Badge color={phaseColor[e.clock.phase]} variant={e.clock.phase === 'running' ? 'dot' : 'light'}>
                    {t(phaseLabel[e.clock.phase])}
                  </Badge>
                  <Badge color="gray" variant="light">
                    {t(roleLabel[e.myRole])}
                  </Badge>
                </Group>
                <Stack gap={2}>
                  <Title order={3} fz="md" id={`exercise-${e.id}`} lineClamp={2}>
                    {e.title}
                  </Title>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    <Localized text={e.scenario.title} fallback={e.scenario.slug} /> · <Ltr mono>v{e.scenario.version}</Ltr> · {t(modeLabel[e.mode])}
                  </Text>
                </Stack>
                <Group justify="space-between" mt="auto" wrap="nowrap">
                  <Countdown clock={e.clock} receivedAt={exercises.dataUpdatedAt} size="sm" />
                  <Button
                    component={Link}
                    to={exercisePath(e)}
                    size="xs"
                    variant={participant && e.clock.phase !== 'ended' ? 'filled' : 'light'}
                    leftSection={participant ? <IconPlayerPlay size={14} aria-hidden /> : <IconSettings size={14} aria-hidden />}
                    aria-label={t(participant ? 'exercises.playNamed' : 'exercises.runNamed', { title: e.title })}
                  >
                    {t(participant ? 'exercises.play' : 'exercises.run')}
                  </Button>
                </Group>
              </Stack>
            </Card>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
