import { ActionIcon, Badge, CopyButton, Group, Loader, Progress, RingProgress, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCircleCheck, IconClockPause, IconCloudCheck, IconCloudUpload, IconCopy, IconLock, IconPencil, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import type { AutomaticCheck, CaseFile, Citation, Verdict } from '@modules/casefile/schemas.ts';
import { Ltr } from '../../components/Ltr.tsx';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';
import { Localized, useLocalized } from '../scenarios/localized.tsx';
import { automaticColor, percentOf, readinessColor, verdictColor, type WorkState } from './display.ts';
import type { SaveState } from './useDraft.ts';

type Basis = CaseFile['charges'][number]['basis'];

const budapestTitles: Record<number, MessageId> = {
  2: 'casefile.budapest.2',
  3: 'casefile.budapest.3',
  4: 'casefile.budapest.4',
  5: 'casefile.budapest.5',
  6: 'casefile.budapest.6',
  7: 'casefile.budapest.7',
  8: 'casefile.budapest.8',
  9: 'casefile.budapest.9',
  10: 'casefile.budapest.10',
  11: 'casefile.budapest.11',
};

/** The legal basis of a charge: a Budapest Convention article with its title, or an article of the scenario's national code. */
export function BasisBadge({ basis }: { basis: Basis }) {
  const t = useT();
  const localized = useLocalized();
  if (basis.source === 'budapest') {
    const title = budapestTitles[basis.article];
    return (
      <Badge variant="light" color="indigo" tt="none" size="md" style={{ maxWidth: '100%' }}>
        {t('casefile.basis.budapest', { article: basis.article })}
        {title ? ` · ${t(title)}` : ''}
      </Badge>
    );
  }
  return (
    <Badge variant="light" color="grape" tt="none" size="md" style={{ maxWidth: '100%' }}>
      {t('casefile.basis.national', { code: localized(basis.code, t('casefile.basis.nationalCode')), article: basis.article })}
    </Badge>
  );
}

/** A share (0–1) as a ring with the percentage in the middle. */
export function ReadinessRing({ value, label, size = 96 }: { value: number; label: string; size?: number }) {
  const t = useT();
  const percent = percentOf(value);
  return (
    <RingProgress
      size={size}
      thickness={size / 10}
      roundCaps={percent > 0}
      sections={[{ value: percent, color: readinessColor(value) }]}
      label={
        <Text ta="center" fw={700} fz={size / 5}>
          {t('casefile.percent', { value: percent / 100 })}
        </Text>
      }
      aria-label={t('casefile.readiness.aria', { what: label, value: percent / 100 })}
      role="img"
    />
  );
}

/** A share (0–1) as a bar with its label and percentage. */
export function ReadinessBar({ value, label, ready }: { value: number; label: React.ReactNode; ready?: boolean }) {
  const t = useT();
  const percent = percentOf(value);
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" truncate style={{ minWidth: 0 }}>
          {label}
        </Text>
        <Group gap={6} wrap="nowrap" style={{ flex: 'none' }}>
          {ready ? (
            <Badge size="xs" color="teal" variant="light" leftSection={<IconCircleCheck size={12} aria-hidden />}>
              {t('casefile.charge.ready')}
            </Badge>
          ) : null}
          <Text size="sm" fw={600}>
            {t('casefile.percent', { value: percent / 100 })}
          </Text>
        </Group>
      </Group>
      <Progress value={percent} color={readinessColor(value)} size="md" radius="xl" aria-hidden />
    </Stack>
  );
}

export function StatusBadge({ status, evaluated }: { status: CaseFile['status']; evaluated: boolean }) {
  const t = useT();
  if (evaluated) return <Badge color="teal">{t('casefile.status.evaluated')}</Badge>;
  if (status === 'submitted') return <Badge color="navy" leftSection={<IconLock size={12} aria-hidden />}>{t('casefile.status.submitted')}</Badge>;
  return <Badge color="gray" variant="light" leftSection={<IconPencil size={12} aria-hidden />}>{t('casefile.status.draft')}</Badge>;
}

const automaticLabel: Record<AutomaticCheck['status'], MessageId> = {
  supported: 'casefile.automatic.supported',
  partly: 'casefile.automatic.partly',
  unsupported: 'casefile.automatic.unsupported',
};
/** What a readiness ring shows (see readinessKind). */
export const figureLabel: Record<'final' | 'provisional' | 'progress', MessageId> = {
  final: 'casefile.readiness.final',
  provisional: 'casefile.readiness.provisional',
  progress: 'casefile.progress.title',
};

const workLabel: Record<WorkState, MessageId> = { complete: 'casefile.work.complete', started: 'casefile.work.started', empty: 'casefile.work.empty' };
const workColor: Record<WorkState, string> = { complete: 'teal', started: 'blue', empty: 'gray' };

/** The team's own progress on an element, while the automatic check is withheld. */
export function WorkBadge({ state }: { state: WorkState }) {
  const t = useT();
  return (
    <Badge color={workColor[state]} variant="light" tt="none">
      {t(workLabel[state])}
    </Badge>
  );
}

export const verdictLabel: Record<Verdict, MessageId> = {
  proven: 'casefile.verdict.proven',
  partly: 'casefile.verdict.partly',
  not_proven: 'casefile.verdict.not_proven',
};

/** The automatic part of the evaluation: what the linked facts and admissible exhibits give. */
export function AutomaticBadge({ check }: { check: AutomaticCheck }) {
  const t = useT();
  return (
    <Tooltip label={t('casefile.automatic.counts', { facts: check.facts, factsNeeded: check.needs.facts, exhibits: check.exhibits, exhibitsNeeded: check.needs.exhibits })} withArrow>
      <Badge color={automaticColor[check.status]} variant="light" tt="none">
        {t(automaticLabel[check.status])}
      </Badge>
    </Tooltip>
  );
}

export function AutomaticDetails({ check }: { check: AutomaticCheck }) {
  const t = useT();
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase">
          {t('casefile.automatic.title')}
        </Text>
        <AutomaticBadge check={check} />
      </Group>
      <Text size="xs" c="dimmed">
        {t('casefile.automatic.counts', { facts: check.facts, factsNeeded: check.needs.facts, exhibits: check.exhibits, exhibitsNeeded: check.needs.exhibits })}
      </Text>
    </Stack>
  );
}

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const t = useT();
  return (
    <Badge color={verdictColor[verdict]} variant="filled" tt="none">
      {t(verdictLabel[verdict])}
    </Badge>
  );
}

const reasonLabel: Record<NonNullable<Citation['reason']>, MessageId> = {
  copy_changed: 'casefile.citation.reason.copy_changed',
  file_altered: 'casefile.citation.reason.file_altered',
  not_released: 'casefile.citation.reason.not_released',
};

/** A SHA-256, shortened on screen, whole on hover and when copied. */
export function Hash({ value, label }: { value: string; label: string }) {
  const t = useT();
  return (
    <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
        SHA-256
      </Text>
      <Tooltip label={<Ltr mono>{value}</Ltr>} withArrow multiline maw={360} style={{ wordBreak: 'break-all' }}>
        <Ltr mono fz="xs" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 }}>
          {value}
        </Ltr>
      </Tooltip>
      <CopyButton value={value} timeout={2000}>
        {({ copied, copy }) => (
          <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('common.action.copyLabel', { what: label })} style={{ flex: 'none' }}>
            {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
          </ActionIcon>
        )}
      </CopyButton>
    </Group>
  );
}

/** An exhibit cited: its title and key, the hash recorded when cited, admissibility and (staff) relevance. */
export function CitationLine({ citation, compact }: { citation: Citation; compact?: boolean }) {
  const t = useT();
  const localized = useLocalized();
  const name = localized(citation.title, citation.exhibit);
  return (
    <Stack gap={4} style={{ minWidth: 0 }}>
      <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
        <ThemeIcon size={20} radius="xl" variant="light" color={citation.admissible ? 'teal' : 'red'} aria-hidden style={{ flex: 'none' }}>
          {citation.admissible ? <IconShieldCheck size={13} /> : <IconShieldX size={13} />}
        </ThemeIcon>
        <Text size="sm" fw={500} truncate style={{ minWidth: 0 }} title={name}>
          <Localized text={citation.title} fallback={<Ltr mono>{citation.exhibit}</Ltr>} />
        </Text>
        {compact ? null : (
          <Ltr mono fz="xs" c="dimmed" style={{ flex: 'none' }}>
            {citation.exhibit}
          </Ltr>
        )}
      </Group>
      <Group gap={6}>
        <Badge size="xs" color={citation.admissible ? 'teal' : 'red'} variant={citation.admissible ? 'light' : 'filled'}>
          {citation.admissible ? t('casefile.citation.admissible') : t('casefile.citation.inadmissible')}
        </Badge>
        {citation.relevant === null ? null : (
          <Badge size="xs" color={citation.relevant ? 'indigo' : 'gray'} variant="outline">
            {citation.relevant ? t('casefile.relevant.yes') : t('casefile.relevant.no')}
          </Badge>
        )}
      </Group>
      {citation.reason ? (
        <Group gap={4} wrap="nowrap" align="flex-start">
          <IconAlertTriangle size={14} color="var(--mantine-color-red-7)" aria-hidden style={{ flex: 'none', marginTop: 2 }} />
          <Text size="xs" c="red.8" fw={500}>
            {t(reasonLabel[citation.reason])}
          </Text>
        </Group>
      ) : null}
      <Hash value={citation.sha256} label={t('casefile.citation.hashOf', { exhibit: name })} />
    </Stack>
  );
}

/** "Saved · version N", "Saving…", or what went wrong, for the autosave. */
export function SaveIndicator({ state }: { state: SaveState }) {
  const t = useT();
  const [icon, color, text] =
    state.kind === 'saved'
      ? [<IconCloudCheck key="i" size={16} aria-hidden />, state.version > 0 ? 'teal' : 'gray', state.version > 0 ? t('casefile.save.saved', { version: state.version }) : t('casefile.save.nothing')]
      : state.kind === 'saving'
        ? [<Loader key="i" size={14} color="blue" aria-hidden />, 'blue', t('casefile.save.saving')]
        : state.kind === 'pending'
          ? [<IconCloudUpload key="i" size={16} aria-hidden />, 'gray', t('casefile.save.pending')]
          : state.kind === 'invalid'
            ? [<IconAlertTriangle key="i" size={16} aria-hidden />, 'orange', t('casefile.save.invalid')]
            : state.kind === 'locked'
              ? [<IconLock key="i" size={16} aria-hidden />, 'gray', t('casefile.save.locked')]
              : state.kind === 'paused'
                ? [<IconClockPause key="i" size={16} aria-hidden />, 'yellow', t('casefile.save.paused')]
                : [<IconAlertTriangle key="i" size={16} aria-hidden />, 'red', state.kind === 'conflict' ? t('casefile.save.conflictShort') : t('casefile.save.failed')];
  return (
    <Group gap={6} wrap="nowrap" role="status" aria-live="polite" c={`${color}.8`}>
      {icon}
      <Text size="sm" fw={500} c="inherit">
        {text}
      </Text>
    </Group>
  );
}
