import { Badge, Card, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconScale } from '@tabler/icons-react';
import type { CaseFile } from '@modules/casefile/schemas.ts';
import { DateTime } from '../../components/DateTime.tsx';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';
import { useLocalized } from '../scenarios/localized.tsx';
import { chargeFigure, overallFigure, percentOf, readinessKind } from './display.ts';
import { figureLabel, ReadinessBar, ReadinessRing } from './parts.tsx';

const figureHint: Record<ReturnType<typeof readinessKind>, MessageId> = {
  final: 'casefile.readiness.finalHint',
  provisional: 'casefile.readiness.provisionalHint',
  progress: 'casefile.progress.hint',
};

/**
 * Prosecution readiness, overall and per charge brought: final once the experts'
 * evaluation is, provisional (the automatic check) before; a team sees its own
 * progress instead until the exercise ends.
 */
export function ReadinessCard({ file }: { file: CaseFile }) {
  const t = useT();
  const localized = useLocalized();
  const kind = readinessKind(file);
  const final = kind === 'final';
  const overall = overallFigure(file);
  const chosen = file.charges.filter((c) => c.chosen);
  const label = t(figureLabel[kind]);
  return (
    <Card p={{ base: 'md', sm: 'lg' }}>
      <Grid gap="lg" align="center">
        <Grid.Col span={{ base: 12, sm: 4, md: 3 }}>
          <Stack gap={4} align="center">
            <ReadinessRing value={overall} size={120} label={label} />
            <Text fw={600} size="sm" ta="center">
              {label}
            </Text>
            <Text size="xs" c="dimmed" ta="center">
              {t(figureHint[kind])}
            </Text>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 8, md: 9 }}>
          <Stack gap="sm">
            <Group justify="space-between" gap="xs">
              <Title order={3} fz="md">
                {kind === 'progress' ? t('casefile.progress.byCharge') : t('casefile.readiness.byCharge')}
              </Title>
              {file.readiness.points > 0 ? (
                <Badge variant="light" color={final ? 'teal' : 'gray'} size="lg" tt="none">
                  {final && file.readiness.awardedPoints !== null
                    ? t('casefile.readiness.pointsAwarded', { awarded: file.readiness.awardedPoints, points: file.readiness.points })
                    : t('casefile.readiness.pointsAtStake', { points: file.readiness.points })}
                </Badge>
              ) : null}
            </Group>
            {chosen.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('casefile.readiness.noCharges')}
              </Text>
            ) : (
              chosen.map((c) => <ReadinessBar key={c.chargeId} value={chargeFigure(c, file.partlyPercent, kind)} label={localized(c.title, c.chargeId)} ready={c.ready} />)
            )}
            {file.status === 'submitted' ? (
              <Group gap={6}>
                <IconScale size={16} aria-hidden />
                <Text size="sm" c="dimmed">
                  {final
                    ? t('casefile.readiness.evaluatedBy', { count: file.readiness.evaluationsDone })
                    : t('casefile.readiness.awaiting', { done: file.readiness.evaluationsDone, needed: file.readiness.evaluationsNeeded })}
                </Text>
                {final && file.readiness.provisional !== null ? (
                  <Text size="sm" c="dimmed">
                    · {t('casefile.readiness.provisionalWas', { value: percentOf(file.readiness.provisional) / 100 })}
                  </Text>
                ) : null}
              </Group>
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
      {file.evaluations.some((e) => e.comment.trim()) ? (
        <Stack gap="xs" mt="md">
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            {t('casefile.evaluation.comments')}
          </Text>
          {file.evaluations
            .filter((e) => e.comment.trim())
            .map((e) => (
              <Paper key={e.id} withBorder p="sm" radius="md">
                <Text size="xs" c="dimmed" mb={4}>
                  {t('casefile.evaluation.byRound', { round: e.round, name: e.evaluator.displayName })} · <DateTime value={e.createdAt} />
                </Text>
                <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                  {e.comment}
                </Text>
              </Paper>
            ))}
        </Stack>
      ) : null}
    </Card>
  );
}
