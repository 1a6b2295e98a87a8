import { Alert, Anchor, Badge, Card, Divider, Group, List, Loader, Skeleton, Stack, Switch, Text, ThemeIcon, Title } from '@mantine/core';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle, IconShieldLock, IconUser } from '@tabler/icons-react';
import { Fragment } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { Role } from '@modules/accounts/roles.ts';
import type { rolePolicy } from '@modules/users/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useNotify } from '../../core/notify.tsx';
import { useCan, useMe } from '../../core/session.ts';
import type { Page } from '../../core/table/usePagedQuery.ts';
import { ErrorState } from '../../components/ErrorState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { roleLabel } from '../../components/RoleBadges.tsx';
import { useT } from '../../i18n/useT.ts';

type RolePolicy = z.infer<typeof rolePolicy>;

const policiesKey = ['security', 'role-policies'] as const;

export default function SecurityPage() {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const policies = useQuery({ queryKey: policiesKey, queryFn: ({ signal }) => api.get<RolePolicy[]>('/api/security/role-policies', { signal }) });

  const change = useMutation({
    mutationFn: ({ role, requireTotp }: RolePolicy) => api.put<RolePolicy>(`/api/security/role-policies/${seg(role)}`, { requireTotp }),
    // Optimistic: the switch moves at once; it moves back if the server refuses.
    onMutate: async ({ role, requireTotp }) => {
      await client.cancelQueries({ queryKey: policiesKey });
      client.setQueryData<RolePolicy[]>(policiesKey, (list) => list?.map((p) => (p.role === role ? { ...p, requireTotp } : p)));
    },
    onError: (error, { role, requireTotp }) => {
      client.setQueryData<RolePolicy[]>(policiesKey, (list) => list?.map((p) => (p.role === role ? { ...p, requireTotp: !requireTotp } : p)));
      notify.error(error);
    },
    onSuccess: (saved) => {
      client.setQueryData<RolePolicy[]>(policiesKey, (list) => list?.map((p) => (p.role === saved.role ? saved : p)));
      notify.success(t(saved.requireTotp ? 'security.saved.required' : 'security.saved.optional', { role: t(roleLabel[saved.role]) }));
    },
  });

  return (
    <>
      <PageHeader title={t('security.title')} description={t('security.subtitle')} />
      <Stack gap="md" maw={860}>
        <Card p={{ base: 'md', sm: 'xl' }}>
          <Stack gap="lg">
            <Group gap="md" wrap="nowrap" align="flex-start">
              <ThemeIcon size={40} radius="md" variant="light" aria-hidden>
                <IconShieldLock size={22} stroke={1.7} />
              </ThemeIcon>
              <Stack gap={4}>
                <Title order={2} fz="lg">
                  {t('security.totp.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('security.totp.description')}
                </Text>
              </Stack>
            </Group>

            <Alert variant="light" color="navy" role="note" icon={<IconInfoCircle aria-hidden />} title={t('security.totp.howTitle')}>
              <List size="sm" spacing={4}>
                <List.Item>{t('security.totp.how.nextSignIn')}</List.Item>
                <List.Item>{t('security.totp.how.cannotDisable')}</List.Item>
                <List.Item>{t('security.totp.how.existing')}</List.Item>
                <List.Item>{t('security.totp.how.anyRole')}</List.Item>
              </List>
            </Alert>

            {policies.error ? (
              <ErrorState error={policies.error} onRetry={() => void policies.refetch()} />
            ) : policies.isPending ? (
              <Stack gap="md" role="status" aria-busy="true">
                <span className="visually-hidden">{t('common.state.loading')}</span>
                {Array.from({ length: 6 }, (_, i) => (
                  <Skeleton key={i} h={44} radius="sm" />
                ))}
              </Stack>
            ) : (
              <RoleList
                policies={policies.data}
                pendingRole={change.isPending ? change.variables?.role : undefined}
                onChange={(p) => change.mutate(p)}
              />
            )}
          </Stack>
        </Card>
      </Stack>
    </>
  );
}

function RoleList({ policies, pendingRole, onChange }: { policies: RolePolicy[]; pendingRole: Role | undefined; onChange: (p: RolePolicy) => void }) {
  const t = useT();
  const can = useCan();
  const me = useMe();
  const showCounts = can('users.read');
  // How many accounts hold each role (one light request per role: a page of one).
  const counts = useQueries({
    queries: policies.map((p) => ({
      queryKey: ['users', 'role-count', p.role],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Page<unknown>>('/api/users', { query: { role: p.role, pageSize: 1 }, signal }),
      enabled: showCounts,
      staleTime: 60_000,
    })),
  });

  return (
    <Card p={0} shadow="none">
      {policies.map((p, i) => {
        const name = t(roleLabel[p.role]);
        const headingId = `role-policy-${p.role}`;
        const total = counts[i]?.data?.total;
        const affectsMe = p.requireTotp && me.roles.includes(p.role) && !me.totpEnabled;
        return (
          <Fragment key={p.role}>
            {i > 0 ? <Divider /> : null}
            <Group justify="space-between" wrap="wrap" gap="md" px="lg" py="md" role="group" aria-labelledby={headingId}>
              <Stack gap={2} style={{ flex: '1 1 240px', minWidth: 0 }}>
                <Group gap={8}>
                  <Text id={headingId} fw={600} size="sm">
                    {name}
                  </Text>
                  {p.requireTotp ? (
                    <Badge color="navy" size="sm" variant="light">
                      {t('security.role.required')}
                    </Badge>
                  ) : null}
                </Group>
                {showCounts ? (
                  <Group gap={6} wrap="nowrap">
                    <IconUser size={14} aria-hidden color="var(--mantine-color-dimmed)" />
                    {total === undefined ? (
                      <Skeleton h={12} w={80} />
                    ) : (
                      <Anchor component={Link} to={`/admin/users?role=${p.role}`} size="xs" c="dimmed">
                        <FormattedMessage id="security.role.accounts" values={{ count: total }} />
                      </Anchor>
                    )}
                  </Group>
                ) : null}
                {affectsMe ? (
                  <Text size="xs" c="orange.8">
                    {t('security.role.affectsYou')}
                  </Text>
                ) : null}
              </Stack>
              <Group gap="sm" wrap="nowrap">
                {pendingRole === p.role ? <Loader size={16} type="oval" aria-hidden /> : null}
                <Switch
                  checked={p.requireTotp}
                  onChange={(e) => onChange({ role: p.role, requireTotp: e.currentTarget.checked })}
                  label={t('security.role.require')}
                  labelPosition="left"
                />
              </Group>
            </Group>
          </Fragment>
        );
      })}
    </Card>
  );
}
