import { useState } from 'react';
import { Badge, Button, Card, Group, Modal, SegmentedControl, Stack, Table, Text, Input } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconUserShield } from '@tabler/icons-react';
import { api, seg } from '../../core/api.ts';
import { useNotify } from '../../core/notify.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { staffKey, useStaff, type ExerciseSummary, type StaffMember } from './api.ts';
import { useRefusalText } from './server-texts.ts';
import { UserPicker } from './UserPicker.tsx';

type StaffRole = StaffMember['role'];

/** The trainers who run the exercise and the experts who advise the teams. */
export function StaffPanel({ exercise, organiser }: { exercise: ExerciseSummary; organiser: boolean }) {
  const t = useT();
  const staff = useStaff(exercise.id);
  const [adding, setAdding] = useState(false);

  if (staff.isPending) return <LoadingState variant="table" rows={3} />;
  if (staff.error) return <ErrorState error={staff.error} onRetry={() => void staff.refetch()} />;

  return (
    <Card p="md">
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed" maw={640}>
          {t('exercises.staff.description')}
        </Text>
        {organiser ? (
          <Button leftSection={<IconUserShield size={18} aria-hidden />} onClick={() => setAdding(true)}>
            {t('exercises.staff.add')}
          </Button>
        ) : null}
      </Group>
      <Table verticalSpacing="sm" aria-label={t('exercises.tab.staff')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exercises.staff.name')}</Table.Th>
            <Table.Th>{t('exercises.staff.email')}</Table.Th>
            <Table.Th>{t('exercises.staff.role')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {staff.data.map((s) => (
            <Table.Tr key={s.userId}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {s.displayName}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Ltr>{s.email}</Ltr>
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={s.role === 'trainer' ? 'navy' : 'grape'} variant="light">
                  {t(s.role === 'trainer' ? 'exercises.myRole.trainer' : 'exercises.myRole.expert')}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {organiser ? <AddStaffModal exerciseId={exercise.id} opened={adding} onClose={() => setAdding(false)} exclude={new Set(staff.data.map((s) => s.userId))} /> : null}
    </Card>
  );
}

function AddStaffModal({ exerciseId, opened, onClose, exclude }: { exerciseId: string; opened: boolean; onClose: () => void; exclude: ReadonlySet<string> }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = useRefusalText();
  const [role, setRole] = useState<StaffRole>('expert');
  const [userId, setUserId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    onClose();
    setUserId(null);
    setError(null);
  };
  const add = useMutation({
    mutationFn: () => api.post<StaffMember[]>(`/api/exercises/${seg(exerciseId)}/staff`, { userId, role }),
    onSuccess: (list) => {
      client.setQueryData(staffKey(exerciseId), list);
      const added = list.find((s) => s.userId === userId);
      notify.success(t('exercises.staff.added', { name: added?.displayName ?? '' }));
      close();
    },
    onError: (e) => setError(refusal(e)),
  });
  return (
    <Modal opened={opened} onClose={close} title={t('exercises.staff.addTitle')} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!userId) setError(t('validation.required'));
          else add.mutate();
        }}
      >
        <Stack gap="md">
          <Input.Wrapper label={t('exercises.staff.role')}>
            <SegmentedControl
              mt={6}
              fullWidth
              value={role}
              onChange={(v) => {
                setRole(v as StaffRole);
                setUserId(null);
              }}
              data={[
                { value: 'trainer', label: t('exercises.myRole.trainer') },
                { value: 'expert', label: t('exercises.myRole.expert') },
              ]}
            />
          </Input.Wrapper>
          <Text size="xs" c="dimmed">
            {t(role === 'trainer' ? 'exercises.staff.trainerHint' : 'exercises.staff.expertHint')}
          </Text>
          <UserPicker key={role} label={t('exercises.staff.person')} role={role} exclude={exclude} value={userId} onChange={(id) => { setUserId(id); setError(null); }} error={error} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t('common.action.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending}>
              {t('exercises.staff.addSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
