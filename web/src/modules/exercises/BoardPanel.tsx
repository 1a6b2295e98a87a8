import { useMemo, useRef, useState } from 'react';
import { ActionIcon, Alert, Badge, Box, Button, Card, Group, Modal, NumberInput, Stack, Table, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconBulb, IconCheck, IconInfoCircle, IconLock, IconPlusMinus, IconScale, IconSnowflake } from '@tabler/icons-react';
import { FormattedNumber, FormattedTime } from 'react-intl';
import { z } from 'zod';
import type { Board } from '@modules/scoring/schemas.ts';
import { adjustmentCreate } from '@modules/scoring/schemas.ts';
import { api, isApiError, seg } from '../../core/api.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { useT } from '../../i18n/useT.ts';
import { useScenario } from '../scenarios/api.ts';
import { useLocalized } from '../scenarios/localized.tsx';
import { exerciseKey, type ExerciseSummary } from './api.ts';
import { useRefusalText } from './server-texts.ts';

export const boardKey = (id: string) => [...exerciseKey(id), 'board'] as const;
type TeamRow = Board['teams'][number];
type Cell = TeamRow['cells'][number];

/** The team column stays in view when the board scrolls sideways. */
const sticky = { position: 'sticky', insetInlineStart: 0, zIndex: 1 } as const;

export const adjustmentsPath = (exerciseId: string, teamId: string) => `/api/exercises/${seg(exerciseId)}/teams/${seg(teamId)}/adjustments`;

/** The trainers' board: every team against every objective, live, with score adjustments. */
export function BoardPanel({ exercise, organiser, polling }: { exercise: ExerciseSummary; organiser: boolean; polling: number | false }) {
  const t = useT();
  const localized = useLocalized();
  const scenario = useScenario(exercise.scenario.id);
  const [adjusting, setAdjusting] = useState<TeamRow | null>(null);
  const board = useQuery({
    queryKey: boardKey(exercise.id),
    queryFn: ({ signal }) => api.get<Board>(`/api/exercises/${seg(exercise.id)}/board`, { signal }),
    refetchInterval: polling,
  });

  if (board.isPending) return <LoadingState variant="table" />;
  if (board.error) {
    if (isApiError(board.error) && board.error.code === 'not_found') {
      return (
        <Card>
          <EmptyState icon={<IconInfoCircle aria-hidden />} title={t('exercises.board.unavailableTitle')} description={t('exercises.board.unavailable')} />
        </Card>
      );
    }
    return <ErrorState error={board.error} onRetry={() => void board.refetch()} />;
  }
  const b = board.data;
  const index = new Map((scenario.data?.objectives ?? []).map((o, i) => [o.id, { n: i + 1, prompt: o.prompt }]));
  const objectiveLabel = (key: string) => (index.has(key) ? t('scenarios.objective.number', { n: index.get(key)?.n ?? 0 }) : key);
  const teams = [...b.teams].sort((x, y) => x.rank - y.rank);

  return (
    <Stack gap="md">
      {b.freezeActive ? (
        <Alert color="cyan" icon={<IconSnowflake aria-hidden />} title={t('exercises.board.frozenTitle')}>
          {t('exercises.board.frozen')}
          {b.frozenAt ? (
            <>
              {' '}
              <DateTime value={b.frozenAt} />
            </>
          ) : null}
        </Alert>
      ) : null}
      {teams.length === 0 ? (
        <Card>
          <EmptyState title={t('exercises.board.noTeams')} />
        </Card>
      ) : (
        <Card p={0}>
          <Table.ScrollContainer minWidth={420 + b.objectives.length * 92} type="native">
            <Table withColumnBorders verticalSpacing="xs" horizontalSpacing="sm" aria-label={t('exercises.tab.board')}>
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th miw={170} style={sticky} bg="var(--mantine-color-gray-0)">
                    {t('exercises.board.team')}
                  </Table.Th>
                  <Table.Th ta="end">{t('exercises.board.score')}</Table.Th>
                  {b.objectives.map((o) => (
                    <Table.Th key={o.key} ta="center" miw={92}>
                      <Tooltip label={localized(index.get(o.key)?.prompt, o.key)} multiline w={320} withinPortal>
                        <Stack gap={0} align="center" tabIndex={0}>
                          <Text size="xs" fw={700}>
                            {objectiveLabel(o.key)}
                          </Text>
                          <Text size="xs" c="dimmed" fw={400}>
                            {t('exercises.board.points', { points: o.value })}
                            {o.value !== o.points ? ` / ${o.points}` : ''}
                          </Text>
                          <Text size="xs" c="dimmed" fw={400}>
                            {t('exercises.board.solves', { count: o.solves })}
                          </Text>
                        </Stack>
                      </Tooltip>
                    </Table.Th>
                  ))}
                  <Table.Th ta="end">{t('exercises.board.hints')}</Table.Th>
                  <Table.Th ta="end">{t('exercises.board.adjustments')}</Table.Th>
                  {organiser ? <Table.Th><span className="visually-hidden">{t('common.table.actions')}</span></Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {teams.map((team) => (
                  <Table.Tr key={team.teamId}>
                    <Table.Td style={sticky} bg="var(--mantine-color-body)">
                      <Group gap={6} wrap="nowrap">
                        <Badge size="sm" circle color={team.rank === 1 && team.score > 0 ? 'yellow' : 'gray'} variant={team.rank === 1 && team.score > 0 ? 'filled' : 'light'}>
                          <FormattedNumber value={team.rank} />
                        </Badge>
                        <Text size="sm" fw={600}>
                          {team.name}
                        </Text>
                      </Group>
                      <Text size="xs" c="dimmed">
                        {t('exercises.board.solved', { count: team.solvedCount })}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="end">
                      <Text fw={700}>
                        <FormattedNumber value={team.score} />
                      </Text>
                    </Table.Td>
                    {b.objectives.map((o) => {
                      const cell = team.cells.find((c) => c.objectiveKey === o.key);
                      return <BoardCell key={o.key} cell={cell} objective={objectiveLabel(o.key)} team={team.name} maxAttempts={o.maxAttempts} />;
                    })}
                    <Table.Td ta="end">
                      <Text size="sm" c={team.hintCost > 0 ? 'orange.8' : 'dimmed'}>
                        {team.hintCost > 0 ? <>−<FormattedNumber value={team.hintCost} /></> : '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="end">
                      <Text size="sm" c={team.adjustmentTotal < 0 ? 'red.8' : team.adjustmentTotal > 0 ? 'teal.8' : 'dimmed'}>
                        {team.adjustmentTotal === 0 ? '—' : <FormattedNumber value={team.adjustmentTotal} signDisplay="always" />}
                      </Text>
                    </Table.Td>
                    {organiser ? (
                      <Table.Td>
                        <Tooltip label={t('exercises.board.adjust')}>
                          <ActionIcon variant="subtle" onClick={() => setAdjusting(team)} aria-label={t('exercises.board.adjustNamed', { team: team.name })}>
                            <IconPlusMinus size={17} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <Group gap="lg">
        <Legend color="teal" label={t('exercises.board.legendSolved')} icon={<IconCheck size={12} aria-hidden />} />
        <Legend color="yellow" label={t('exercises.board.legendPartial')} />
        <Legend color="gray" label={t('exercises.board.legendLocked')} icon={<IconLock size={12} aria-hidden />} />
        <Legend color="orange" label={t('exercises.board.legendHints')} icon={<IconBulb size={12} aria-hidden />} />
      </Group>

      <Card p="md">
        <Group gap="xs" mb="sm">
          <IconScale size={18} aria-hidden />
          <Title order={3} fz="md">
            {t('exercises.board.adjustmentsTitle')}
          </Title>
        </Group>
        {b.adjustments.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('exercises.board.noAdjustments')}
          </Text>
        ) : (
          <Table verticalSpacing="xs" aria-label={t('exercises.board.adjustmentsTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('exercises.board.when')}</Table.Th>
                <Table.Th>{t('exercises.board.team')}</Table.Th>
                <Table.Th ta="end">{t('exercises.board.pointsCol')}</Table.Th>
                <Table.Th>{t('exercises.board.reason')}</Table.Th>
                <Table.Th>{t('exercises.board.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...b.adjustments].reverse().map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <DateTime value={a.createdAt} />
                  </Table.Td>
                  <Table.Td>{a.teamName}</Table.Td>
                  <Table.Td ta="end">
                    <Text size="sm" fw={600} c={a.points < 0 ? 'red.8' : 'teal.8'}>
                      <FormattedNumber value={a.points} signDisplay="always" />
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{a.kind === 'advice_penalty' ? t('exercises.board.advicePenalty') : a.reason}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {a.createdByName}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {adjusting ? <AdjustModal exerciseId={exercise.id} team={adjusting} onClose={() => setAdjusting(null)} /> : null}
    </Stack>
  );
}

function Legend({ color, label, icon }: { color: string; label: string; icon?: React.ReactNode }) {
  return (
    <Group gap={6}>
      <Box w={18} h={18} bg={`var(--mantine-color-${color}-1)`} style={{ borderRadius: 4, display: 'grid', placeItems: 'center', color: `var(--mantine-color-${color}-8)` }} aria-hidden>
        {icon}
      </Box>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}

function BoardCell({ cell, objective, team, maxAttempts }: { cell: Cell | undefined; objective: string; team: string; maxAttempts: number | null }) {
  const t = useT();
  if (!cell || !cell.released) {
    return (
      <Table.Td ta="center" c="dimmed" aria-label={t('exercises.board.cellNotReleased', { team, objective })}>
        ·
      </Table.Td>
    );
  }
  const partial = !cell.solved && cell.creditPercent > 0;
  const color = cell.solved ? 'teal' : partial ? 'yellow' : cell.locked ? 'gray' : null;
  const summary = cell.solved
    ? t('exercises.board.cellSolved', { team, objective, points: cell.points, attempts: cell.attempts })
    : cell.locked
      ? t('exercises.board.cellLocked', { team, objective })
      : t('exercises.board.cellOpen', { team, objective, attempts: cell.attempts, percent: Math.round(cell.creditPercent) });
  return (
    <Table.Td ta="center" bg={color ? `var(--mantine-color-${color}-0)` : undefined} p={4}>
      <Tooltip label={summary} multiline w={260} withinPortal>
        <Stack gap={0} align="center" tabIndex={0} aria-label={summary}>
          {cell.solved ? (
            <Group gap={2} justify="center" wrap="nowrap">
              <IconCheck size={15} color="var(--mantine-color-teal-8)" aria-hidden />
              <Text size="xs" fw={700} c="teal.9">
                <FormattedNumber value={cell.points} />
              </Text>
            </Group>
          ) : cell.locked ? (
            <IconLock size={14} color="var(--mantine-color-gray-6)" aria-hidden />
          ) : partial ? (
            <Text size="xs" fw={700} c="yellow.9">
              <FormattedNumber value={cell.creditPercent / 100} style="percent" />
            </Text>
          ) : (
            <Text size="xs" c="dimmed">
              —
            </Text>
          )}
          <Group gap={4} justify="center" wrap="nowrap">
            {cell.attempts > 0 ? (
              <Text size="10px" c="dimmed">
                {maxAttempts ? t('exercises.board.attemptsOf', { used: cell.attempts, max: maxAttempts }) : t('exercises.board.attempts', { count: cell.attempts })}
              </Text>
            ) : null}
            {cell.hintsUsed.length > 0 ? (
              <Badge size="xs" color="orange" variant="light" leftSection={<IconBulb size={10} aria-hidden />} px={4}>
                <FormattedNumber value={cell.hintsUsed.length} />
              </Badge>
            ) : null}
          </Group>
          {cell.solvedAt ? (
            <Text size="10px" c="dimmed">
              <FormattedTime value={cell.solvedAt} />
            </Text>
          ) : null}
        </Stack>
      </Tooltip>
    </Table.Td>
  );
}

type AdjustValues = { points: number | string; reason: string };

/** The server's schema, with the "not 0" rule worded in the user's language. */
function useAdjustSchema() {
  const t = useT();
  const tRef = useRef(t);
  tRef.current = t;
  return useMemo(
    () =>
      z.preprocess(
        (v) => ({ points: (v as AdjustValues).points === '' ? undefined : Number((v as AdjustValues).points), reason: (v as AdjustValues).reason }),
        adjustmentCreate.extend({ points: z.number().int().min(-100_000).max(100_000).refine((p) => p !== 0, { error: () => tRef.current('exercises.board.notZero') }) }),
      ),
    [],
  );
}

function AdjustModal({ exerciseId, team, onClose }: { exerciseId: string; team: TeamRow; onClose: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = useRefusalText();
  const [formError, setFormError] = useState<string | null>(null);
  const adjustSchema = useAdjustSchema();
  const form = useZodForm<AdjustValues>(adjustSchema, { initialValues: { points: '', reason: '' } });
  const save = useMutation({
    mutationFn: (v: AdjustValues) => api.post(adjustmentsPath(exerciseId, team.teamId), { points: Number(v.points), reason: v.reason.trim() }),
    onSuccess: (_r, v) => {
      void client.invalidateQueries({ queryKey: boardKey(exerciseId) });
      notify.success(t('exercises.board.adjusted', { team: team.name, points: Number(v.points) }));
      onClose();
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(refusal(error));
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('exercises.board.adjustTitle', { team: team.name })} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
      <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack gap="md">
          <FormError>{formError}</FormError>
          <Text size="sm" c="dimmed">
            {t('exercises.board.adjustText', { score: team.score })}
          </Text>
          <NumberInput label={t('exercises.board.adjustPoints')} description={t('exercises.board.adjustPointsHint')} allowDecimal={false} min={-100000} max={100000} required data-autofocus maw={240} {...form.getInputProps('points')} />
          <Textarea label={t('exercises.board.reason')} description={t('exercises.board.reasonHint')} required autosize minRows={3} maxLength={500} {...form.getInputProps('reason')} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.action.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('exercises.board.adjustSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
