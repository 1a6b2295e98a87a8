import { useState } from 'react';
import { ActionIcon, Badge, Button, Card, CopyButton, Group, Menu, Modal, NumberInput, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconClockPlus, IconCopy, IconCrown, IconDots, IconLink, IconPencil, IconUserMinus, IconUserPlus, IconUsersGroup, IconUsersPlus } from '@tabler/icons-react';
import { teamCreate } from '@modules/exercises/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { useFormatMinutes } from '../scenarios/format.ts';
import { useCountryName } from '../organisations/reference.ts';
import { exerciseKey, exercisesKey, teamsKey, type ExerciseSummary, type Team } from './api.ts';
import { refusalReason, useNotifyRefusal, useRefusalText } from './server-texts.ts';
import { UserPicker } from './UserPicker.tsx';

type Member = Team['members'][number];

/** The teams of an exercise: invitation codes, members, captains and extra time. */
export function TeamsPanel({ exercise, teams, organiser }: { exercise: ExerciseSummary; teams: { data: Team[] | undefined; isPending: boolean; error: unknown; refetch: () => unknown }; organiser: boolean }) {
  const t = useT();
  const [creating, setCreating] = useState(false);
  const open = exercise.status !== 'ended';
  const canEdit = organiser && open;

  if (teams.isPending) return <LoadingState variant="cards" />;
  if (teams.error) return <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />;
  const list = teams.data ?? [];
  const assigned = new Set(list.flatMap((tm) => tm.members.map((m) => m.userId)));

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('exercises.teams.summary', { teams: list.length, members: assigned.size, limit: exercise.teamSizeLimit })}
        </Text>
        {canEdit ? (
          <Button leftSection={<IconUsersPlus size={18} aria-hidden />} onClick={() => setCreating(true)}>
            {t('exercises.teams.create')}
          </Button>
        ) : null}
      </Group>
      {list.length === 0 ? (
        <Card>
          <EmptyState
            icon={<IconUsersGroup aria-hidden />}
            title={t('exercises.teams.emptyTitle')}
            description={canEdit ? t('exercises.teams.emptyDescription') : undefined}
            action={canEdit ? <Button onClick={() => setCreating(true)}>{t('exercises.teams.create')}</Button> : undefined}
          />
        </Card>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          {list.map((team) => (
            <TeamCard key={team.id} exercise={exercise} team={team} canEdit={canEdit} assigned={assigned} />
          ))}
        </SimpleGrid>
      )}
      {canEdit ? <CreateTeamModal exerciseId={exercise.id} opened={creating} onClose={() => setCreating(false)} /> : null}
    </Stack>
  );
}

function InviteCode({ code, teamName }: { code: string; teamName: string }) {
  const t = useT();
  const link = `${window.location.origin}/join?code=${encodeURIComponent(code)}`;
  return (
    <Paper withBorder px="sm" py={6} bg="var(--mantine-color-gray-0)">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('exercises.teams.inviteCode')}
          </Text>
          <Ltr mono fz="lg" fw={700} style={{ letterSpacing: '0.12em', userSelect: 'all' }}>
            {code}
          </Ltr>
        </Stack>
        <Group gap={4} wrap="nowrap">
          <CopyButton value={code} timeout={2000}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('common.action.copied') : t('exercises.teams.copyCode')}>
                <ActionIcon variant={copied ? 'filled' : 'default'} color={copied ? 'teal' : undefined} size="lg" onClick={copy} aria-label={t('exercises.teams.copyCodeOf', { team: teamName })}>
                  {copied ? <IconCheck size={18} aria-hidden /> : <IconCopy size={18} aria-hidden />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
          <CopyButton value={link} timeout={2000}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('common.action.copied') : t('exercises.teams.copyLink')}>
                <ActionIcon variant={copied ? 'filled' : 'default'} color={copied ? 'teal' : undefined} size="lg" onClick={copy} aria-label={t('exercises.teams.copyLinkOf', { team: teamName })}>
                  {copied ? <IconCheck size={18} aria-hidden /> : <IconLink size={18} aria-hidden />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
      </Group>
    </Paper>
  );
}

function TeamCard({ exercise, team, canEdit, assigned }: { exercise: ExerciseSummary; team: Team; canEdit: boolean; assigned: ReadonlySet<string> }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refused = useNotifyRefusal();
  const countryName = useCountryName();
  const formatMinutes = useFormatMinutes();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [extra, setExtra] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const full = team.members.length >= exercise.teamSizeLimit;
  const base = `/api/exercises/${seg(exercise.id)}/teams/${seg(team.id)}`;

  const store = (updated: Team) => {
    client.setQueryData<Team[]>(teamsKey(exercise.id), (old) => old?.map((x) => (x.id === updated.id ? updated : x)));
    void client.invalidateQueries({ queryKey: teamsKey(exercise.id) });
  };

  const captain = useMutation({
    mutationFn: (m: Member) => api.patch<Team>(base, { captainUserId: m.userId }),
    onSuccess: (updated, m) => {
      store(updated);
      notify.success(t('exercises.teams.captainSet', { name: m.displayName, team: team.name }));
    },
    onError: refused,
  });
  const remove = useMutation({
    mutationFn: (m: Member) => api.delete<Team>(`${base}/members/${seg(m.userId)}`),
    onSuccess: (updated, m) => {
      store(updated);
      setRemoving(null);
      void client.invalidateQueries({ queryKey: exerciseKey(exercise.id) });
      notify.success(t('exercises.teams.removed', { name: m.displayName, team: team.name }));
    },
    onError: (error) => {
      setRemoving(null);
      refused(error);
    },
  });

  return (
    <Card p="md" component="section" aria-labelledby={`team-${team.id}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Title order={3} fz="md" id={`team-${team.id}`}>
              {team.name}
            </Title>
            <Text size="xs" c="dimmed">
              {team.countries.length > 0 ? team.countries.map((c) => countryName(c)).join(' · ') : t('exercises.teams.noCountries')}
            </Text>
          </Stack>
          <Group gap={6} wrap="nowrap">
            {team.extraMinutes > 0 ? (
              <Badge color="orange" variant="light" leftSection={<IconClockPlus size={12} aria-hidden />}>
                {t('exercises.teams.extraBadge', { duration: formatMinutes(team.extraMinutes) })}
              </Badge>
            ) : null}
            <Badge color={full ? 'orange' : 'gray'} variant="light">
              {t('exercises.teams.members', { count: team.members.length, limit: exercise.teamSizeLimit })}
            </Badge>
            {canEdit ? (
              <Menu position="bottom-end">
                <Menu.Target>
                  <ActionIcon variant="subtle" color="gray" aria-label={t('exercises.teams.menu', { team: team.name })}>
                    <IconDots size={18} aria-hidden />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setRenaming(true)}>
                    {t('exercises.teams.rename')}
                  </Menu.Item>
                  <Menu.Item leftSection={<IconClockPlus size={16} aria-hidden />} onClick={() => setExtra(true)}>
                    {t('exercises.teams.extraTime')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            ) : null}
          </Group>
        </Group>

        {team.inviteCode ? <InviteCode code={team.inviteCode} teamName={team.name} /> : null}

        {team.members.length === 0 ? (
          <Text size="sm" c="dimmed" py="xs">
            {t('exercises.teams.noMembers')}
          </Text>
        ) : (
          <Table verticalSpacing={6} horizontalSpacing="xs" aria-label={t('exercises.teams.membersOf', { team: team.name })}>
            <Table.Tbody>
              {team.members.map((m) => (
                <Table.Tr key={m.userId}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={500}>
                        {m.displayName}
                      </Text>
                      {m.captain ? (
                        <Badge size="xs" color="yellow" variant="light" leftSection={<IconCrown size={10} aria-hidden />}>
                          {t('exercises.teams.captain')}
                        </Badge>
                      ) : null}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {m.organisation} · {countryName(m.countryCode)}
                    </Text>
                  </Table.Td>
                  {canEdit ? (
                    <Table.Td w={80}>
                      <Group gap={2} justify="flex-end" wrap="nowrap">
                        {!m.captain ? (
                          <Tooltip label={t('exercises.teams.makeCaptain')}>
                            <ActionIcon variant="subtle" color="yellow" loading={captain.isPending && captain.variables?.userId === m.userId} onClick={() => captain.mutate(m)} aria-label={t('exercises.teams.makeCaptainNamed', { name: m.displayName })}>
                              <IconCrown size={17} aria-hidden />
                            </ActionIcon>
                          </Tooltip>
                        ) : null}
                        <Tooltip label={t('exercises.teams.remove')}>
                          <ActionIcon variant="subtle" color="red" onClick={() => setRemoving(m)} aria-label={t('exercises.teams.removeNamed', { name: m.displayName })}>
                            <IconUserMinus size={17} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}

        {canEdit ? (
          <Group>
            <Button variant="light" size="xs" leftSection={<IconUserPlus size={16} aria-hidden />} disabled={full} onClick={() => setAdding(true)}>
              {full ? t('exercises.teams.full') : t('exercises.teams.addMember')}
            </Button>
          </Group>
        ) : null}
      </Stack>

      {canEdit ? (
        <>
          <AddMemberModal opened={adding} onClose={() => setAdding(false)} base={base} team={team} exclude={assigned} onDone={store} />
          <RenameModal opened={renaming} onClose={() => setRenaming(false)} base={base} team={team} onDone={store} />
          <ExtraTimeModal opened={extra} onClose={() => setExtra(false)} base={base} team={team} onDone={store} />
          <ConfirmDialog
            opened={removing !== null}
            danger
            title={t('exercises.teams.removeTitle')}
            message={t('exercises.teams.removeConfirm', { name: removing?.displayName ?? '', team: team.name })}
            confirmLabel={t('exercises.teams.remove')}
            loading={remove.isPending}
            onCancel={() => setRemoving(null)}
            onConfirm={() => removing && remove.mutate(removing)}
          />
        </>
      ) : null}
    </Card>
  );
}

function CreateTeamModal({ exerciseId, opened, onClose }: { exerciseId: string; opened: boolean; onClose: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = useRefusalText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm(teamCreate, { initialValues: { name: '' } });
  const close = () => {
    onClose();
    form.reset();
    setFormError(null);
  };
  const create = useMutation({
    mutationFn: (v: { name: string }) => api.post<Team>(`/api/exercises/${seg(exerciseId)}/teams`, { name: v.name.trim() }),
    onSuccess: (team) => {
      void client.invalidateQueries({ queryKey: teamsKey(exerciseId) });
      void client.invalidateQueries({ queryKey: exerciseKey(exerciseId) });
      void client.invalidateQueries({ queryKey: exercisesKey });
      notify.success(t('exercises.teams.created', { team: team.name }));
      close();
    },
    onError: (error) => {
      if (refusalReason(error) === 'team_name_taken') form.setFieldError('name', t('exercises.refused.teamNameTaken'));
      else if (!applyServerErrors(form, error, t)) setFormError(refusal(error));
    },
  });
  return (
    <Modal opened={opened} onClose={close} title={t('exercises.teams.createTitle')} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
      <form noValidate onSubmit={form.onSubmit((v) => create.mutate(v))}>
        <Stack gap="md">
          <FormError>{formError}</FormError>
          <TextInput label={t('exercises.teams.name')} description={t('exercises.teams.nameHint')} required data-autofocus {...form.getInputProps('name')} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t('common.action.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('exercises.teams.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type TeamModalProps = { opened: boolean; onClose: () => void; base: string; team: Team; onDone: (team: Team) => void };

function AddMemberModal({ opened, onClose, base, team, exclude, onDone }: TeamModalProps & { exclude: ReadonlySet<string> }) {
  const t = useT();
  const notify = useNotify();
  const refusal = useRefusalText();
  const client = useQueryClient();
  const [userId, setUserId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    onClose();
    setUserId(null);
    setError(null);
  };
  const add = useMutation({
    mutationFn: (id: string) => api.post<Team>(`${base}/members`, { userId: id }),
    onSuccess: (updated) => {
      onDone(updated);
      void client.invalidateQueries({ queryKey: exercisesKey });
      const added = updated.members.find((m) => m.userId === userId);
      notify.success(t('exercises.teams.added', { name: added?.displayName ?? '', team: team.name }));
      close();
    },
    onError: (e) => setError(refusal(e)),
  });
  return (
    <Modal opened={opened} onClose={close} title={t('exercises.teams.addTitle', { team: team.name })} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!userId) setError(t('validation.required'));
          else add.mutate(userId);
        }}
      >
        <Stack gap="md">
          <UserPicker label={t('exercises.teams.participant')} description={t('exercises.teams.participantHint')} role="participant" exclude={exclude} value={userId} onChange={(id) => { setUserId(id); setError(null); }} error={error} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t('common.action.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending} leftSection={<IconUserPlus size={18} aria-hidden />}>
              {t('exercises.teams.addSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RenameModal({ opened, onClose, base, team, onDone }: TeamModalProps) {
  const t = useT();
  const notify = useNotify();
  const refusal = useRefusalText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm(teamCreate, { initialValues: { name: team.name } });
  const save = useMutation({
    mutationFn: (v: { name: string }) => api.patch<Team>(base, { name: v.name.trim() }),
    onSuccess: (updated) => {
      onDone(updated);
      notify.success(t('exercises.teams.renamed', { team: updated.name }));
      onClose();
    },
    onError: (error) => {
      if (refusalReason(error) === 'team_name_taken') form.setFieldError('name', t('exercises.refused.teamNameTaken'));
      else setFormError(refusal(error));
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('exercises.teams.renameTitle')} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
      <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack gap="md">
          <FormError>{formError}</FormError>
          <TextInput label={t('exercises.teams.name')} required data-autofocus {...form.getInputProps('name')} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.action.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.action.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ExtraTimeModal({ opened, onClose, base, team, onDone }: TeamModalProps) {
  const t = useT();
  const notify = useNotify();
  const refused = useNotifyRefusal();
  const [minutes, setMinutes] = useState<number | string>(team.extraMinutes);
  const save = useMutation({
    mutationFn: (n: number) => api.patch<Team>(base, { extraMinutes: n }),
    onSuccess: (updated) => {
      onDone(updated);
      notify.success(t('exercises.teams.extraSaved', { team: updated.name, minutes: updated.extraMinutes }));
      onClose();
    },
    onError: refused,
  });
  const n = Number(minutes);
  const valid = Number.isInteger(n) && n >= 0 && n <= 1440;
  return (
    <Modal opened={opened} onClose={onClose} title={t('exercises.teams.extraTitle', { team: team.name })} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) save.mutate(n);
        }}
      >
        <Stack gap="md">
          <Text size="sm">{t('exercises.teams.extraText')}</Text>
          <NumberInput
            label={t('exercises.teams.extraMinutes')}
            min={0}
            max={1440}
            allowDecimal={false}
            allowNegative={false}
            value={minutes}
            onChange={setMinutes}
            error={valid ? null : t('validation.maxNumber', { max: 1440 })}
            data-autofocus
            maw={220}
            suffix={` ${t('exercises.create.minutesSuffix')}`}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.action.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!valid}>
              {t('common.action.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
