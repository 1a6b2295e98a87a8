import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconBulb, IconBulbOff, IconLockOpen } from '@tabler/icons-react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useNotify } from '../../core/notify.tsx';
import { useT } from '../../i18n/useT.ts';
import { Localized } from '../scenarios/localized.tsx';
import { RichText } from '../scenarios/RichText.tsx';
import { playKey, scoreboardKey, unlockHint, type PlayHint, type TeamView } from './api.ts';
import { objectiveNumbers } from './ObjectivesPanel.tsx';
import { usePlayRefusal } from './refusals.ts';

/** Hints, grouped by objective: the cost is shown before unlocking, and asked again in a confirmation. */
export function HintsPanel({ view, accepting }: { view: TeamView; accepting: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = usePlayRefusal();
  const [asking, setAsking] = useState<PlayHint | null>(null);
  const [error, setError] = useState<{ key: string; text: string } | null>(null);
  const numbers = objectiveNumbers(view);

  const unlock = useMutation({
    mutationFn: (hint: PlayHint) => unlockHint(view.exercise.id, hint.id),
    onSuccess: (r) => {
      setAsking(null);
      setError(null);
      void client.invalidateQueries({ queryKey: playKey(view.exercise.id) });
      void client.invalidateQueries({ queryKey: scoreboardKey(view.exercise.id) });
      notify.success(r.alreadyUnlocked ? t('play.hints.alreadyUnlocked') : t('play.hints.unlocked', { cost: r.cost }));
    },
    onError: (e, hint) => {
      setAsking(null);
      setError({ key: hint.id, text: refusal(e) });
    },
  });

  if (view.hints.length === 0) {
    return (
      <Card>
        <EmptyState icon={<IconBulbOff aria-hidden />} title={t('play.hints.emptyTitle')} description={t('play.hints.emptyDescription')} />
      </Card>
    );
  }

  const groups = new Map<string | null, PlayHint[]>();
  for (const h of view.hints) {
    const list = groups.get(h.objective) ?? [];
    list.push(h);
    groups.set(h.objective, list);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : (numbers.get(a) ?? 99) - (numbers.get(b) ?? 99)));
  const spent = view.hints.reduce((s, h) => s + (h.paid ?? 0), 0);

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('play.hints.intro', { spent })}
      </Text>
      {ordered.map(([objectiveKey, hints]) => {
        const objective = objectiveKey ? view.objectives.find((o) => o.id === objectiveKey) : undefined;
        return (
          <Card key={objectiveKey ?? 'general'} p="lg">
            <Group justify="space-between" mb="sm">
              <Title order={3} fz="md">
                {objectiveKey ? t('play.hints.forObjective', { n: numbers.get(objectiveKey) ?? 0 }) : t('play.hints.general')}
              </Title>
              {objective?.solved ? <Badge color="teal" variant="light">{t('play.objectives.solved')}</Badge> : null}
            </Group>
            <Stack gap="sm">
              {hints.map((h, i) => (
                <Card key={h.id} withBorder shadow="none" p="md" bg={h.unlocked ? 'var(--mantine-color-yellow-0)' : undefined}>
                  <Group justify="space-between" wrap="nowrap" align="flex-start" gap="md">
                    <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0, flex: 1 }}>
                      <ThemeIcon variant="light" color={h.unlocked ? 'yellow' : 'gray'} aria-hidden>
                        <IconBulb size={18} />
                      </ThemeIcon>
                      <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
                        <Text size="sm" fw={600}>
                          {t('play.hints.number', { n: i + 1 })}
                        </Text>
                        {h.unlocked ? (
                          <Localized text={h.text} component="div" render={(text) => <RichText text={text} />} />
                        ) : (
                          <Text size="sm" c="dimmed">
                            {objective?.locked ? t('play.hints.objectiveLocked') : t('play.hints.hidden')}
                          </Text>
                        )}
                        {error?.key === h.id ? (
                          <Text size="sm" c="red.8" role="alert">
                            {error.text}
                          </Text>
                        ) : null}
                      </Stack>
                    </Group>
                    {h.unlocked ? (
                      <Badge color="yellow" variant="light" style={{ flex: 'none' }}>
                        {h.paid === 0 && h.cost > 0 ? t('play.hints.granted') : t('play.hints.paid', { cost: h.paid ?? h.cost })}
                      </Badge>
                    ) : (
                      <Button
                        variant="light"
                        color="yellow"
                        c="yellow.9"
                        size="sm"
                        style={{ flex: 'none' }}
                        leftSection={<IconLockOpen size={16} aria-hidden />}
                        disabled={!accepting || objective?.locked === true}
                        onClick={() => setAsking(h)}
                      >
                        {t('play.hints.unlock', { cost: h.cost })}
                      </Button>
                    )}
                  </Group>
                </Card>
              ))}
            </Stack>
          </Card>
        );
      })}
      <ConfirmDialog
        opened={asking !== null}
        title={t('play.hints.confirmTitle')}
        message={t('play.hints.confirm', { cost: asking?.cost ?? 0 })}
        confirmLabel={t('play.hints.confirmButton', { cost: asking?.cost ?? 0 })}
        loading={unlock.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => asking && unlock.mutate(asking)}
      />
    </Stack>
  );
}
