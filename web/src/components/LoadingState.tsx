import { Card, Group, Skeleton, Stack } from '@mantine/core';
import { useT } from '../i18n/useT.ts';

type Props = { variant?: 'page' | 'table' | 'cards' | 'form'; rows?: number };

/** Placeholders shaped like what is coming, announced once to screen readers. */
export function LoadingState({ variant = 'page', rows = 5 }: Props) {
  const t = useT();
  return (
    <Stack gap="md" aria-busy="true" aria-live="polite" role="status">
      <span className="visually-hidden">{t('common.state.loading')}</span>
      {variant === 'page' ? (
        <>
          <Skeleton h={28} w="40%" radius="sm" />
          <Skeleton h={14} w="65%" radius="sm" />
        </>
      ) : null}
      {variant === 'table' || variant === 'page' ? (
        <Card withBorder radius="md" p="md">
          <Stack gap="sm">
            <Skeleton h={18} radius="sm" />
            {Array.from({ length: rows }, (_, i) => (
              <Skeleton key={i} h={14} radius="sm" w={`${90 - ((i * 13) % 30)}%`} />
            ))}
          </Stack>
        </Card>
      ) : null}
      {variant === 'cards' ? (
        <Group grow align="stretch">
          {Array.from({ length: 3 }, (_, i) => (
            <Card key={i} withBorder radius="md" p="lg">
              <Skeleton h={36} w={36} radius="md" mb="md" />
              <Skeleton h={16} w="70%" mb="sm" radius="sm" />
              <Skeleton h={12} radius="sm" mb={6} />
              <Skeleton h={12} w="80%" radius="sm" />
            </Card>
          ))}
        </Group>
      ) : null}
      {variant === 'form' ? (
        <Stack gap="lg" maw={480}>
          {Array.from({ length: rows }, (_, i) => (
            <Stack key={i} gap={6}>
              <Skeleton h={12} w={120} radius="sm" />
              <Skeleton h={36} radius="sm" />
            </Stack>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
