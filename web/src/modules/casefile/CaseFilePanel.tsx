import { useState, type ReactNode } from 'react';
import { Affix, Alert, Badge, Button, Card, Group, Paper, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconClockPause, IconFileCertificate, IconFileTypePdf, IconGavel, IconHistory, IconLock, IconRefresh, IconSend, IconTimeline, IconUsersGroup } from '@tabler/icons-react';
import { FormattedMessage } from 'react-intl';
import { useSearchParams } from 'react-router';
import type { CaseFile, ChargeView, ElementView } from '@modules/casefile/schemas.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { useErrorText } from '../../core/errors.ts';
import { useNotify } from '../../core/notify.tsx';
import { useMe } from '../../core/session.ts';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import { useT } from '../../i18n/useT.ts';
import { useLocker, type EvidenceItem, type TeamView } from '../play/api.ts';
import { caseFileKey, conflictOf, reportUrl, submitCaseFile, useCaseFile } from './api.ts';
import { ChargesView, type Editing } from './ChargesView.tsx';
import { EntitiesPanel } from './EntitiesPanel.tsx';
import { SaveIndicator, StatusBadge } from './parts.tsx';
import { ReadinessCard } from './ReadinessCard.tsx';
import { TimelinePanel } from './TimelinePanel.tsx';
import { useDraft } from './useDraft.ts';
import { VersionsPanel } from './VersionsPanel.tsx';

const parts = ['charges', 'entities', 'timeline', 'versions'] as const;
type Part = (typeof parts)[number];

/** The part of the case file on screen, kept in the address (`?part=`). */
function usePart(): [Part, (p: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get('part');
  const part: Part = (parts as readonly string[]).includes(value ?? '') ? (value as Part) : 'charges';
  const setPart = (next: string | null) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (next && next !== 'charges') p.set('part', next);
        else p.delete('part');
        return p;
      },
      { replace: true },
    );
  return [part, setPart];
}

/** The case file's parts (charges, entities, timeline, versions), for the team and for staff. */
export function CaseFileSections({ exerciseId, teamId, file, editing, editable, locker, objectiveName, aside }: {
  exerciseId: string;
  teamId: string | null;
  file: CaseFile;
  editing: Editing | null;
  editable: boolean;
  locker: EvidenceItem[];
  objectiveName?: (key: string) => string | null;
  aside?: (charge: ChargeView, element: ElementView) => ReactNode;
}) {
  const t = useT();
  const [part, setPart] = usePart();
  return (
    <Tabs value={part} onChange={setPart} variant="outline" keepMounted={false}>
      <Tabs.List mb="md">
        <Tabs.Tab value="charges" leftSection={<IconGavel size={16} aria-hidden />} rightSection={<Badge size="sm" variant="light" color="gray">{file.charges.filter((c) => c.chosen).length}</Badge>}>
          {t('casefile.part.charges')}
        </Tabs.Tab>
        <Tabs.Tab value="entities" leftSection={<IconUsersGroup size={16} aria-hidden />} rightSection={<Badge size="sm" variant="light" color="gray">{file.entities.length}</Badge>}>
          {t('casefile.part.entities')}
        </Tabs.Tab>
        <Tabs.Tab value="timeline" leftSection={<IconTimeline size={16} aria-hidden />} rightSection={<Badge size="sm" variant="light" color="gray">{file.timeline.length}</Badge>}>
          {t('casefile.part.timeline')}
        </Tabs.Tab>
        <Tabs.Tab value="versions" leftSection={<IconHistory size={16} aria-hidden />}>
          {t('casefile.part.versions')}
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="charges">
        {file.prosecution ? (
          <ChargesView file={file} editing={editing} objectiveName={objectiveName} aside={aside} />
        ) : (
          <Card>
            <EmptyState icon={<IconGavel aria-hidden />} title={t('casefile.noProsecution.title')} description={t('casefile.noProsecution.description')} />
          </Card>
        )}
      </Tabs.Panel>
      <Tabs.Panel value="entities">
        <EntitiesPanel exerciseId={exerciseId} file={file} editable={editable} locker={locker} />
      </Tabs.Panel>
      <Tabs.Panel value="timeline">
        <TimelinePanel exerciseId={exerciseId} file={file} editable={editable} locker={locker} />
      </Tabs.Panel>
      <Tabs.Panel value="versions">
        <VersionsPanel exerciseId={exerciseId} teamId={teamId} file={file} />
      </Tabs.Panel>
    </Tabs>
  );
}

/** The team's case file: charges to bring, findings per element, entities, timeline; saved as it is written; submitted by the captain. */
export function CaseFilePanel({ exerciseId, view, accepting }: { exerciseId: string; view: TeamView; accepting: boolean }) {
  const t = useT();
  const query = useCaseFile(exerciseId, null);
  const locker = useLocker(exerciseId, false);
  const file = query.data;
  const draft = useDraft(exerciseId, file, accepting);

  if (query.isPending) return <LoadingState />;
  if (query.error || !file) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;

  const editable = file.locked === null && accepting && file.status === 'draft';
  const errors = draft.state.kind === 'invalid' ? draft.state.errors : {};
  const editing: Editing | null = editable && draft.draft ? { draft: draft.draft, edit: draft.edit, errors, objectives: view.objectives, locker: locker.data ?? [] } : null;
  const numbers = new Map(view.objectives.map((o) => [o.id, o.position]));

  return (
    <Stack gap="md">
      <Header exerciseId={exerciseId} file={file} view={view} editable={editable} draft={draft} />
      <Notices file={file} accepting={accepting} draft={draft} />
      {editable ? <FloatingSaveState draft={draft} /> : null}
      <ReadinessCard file={file} />
      <CaseFileSections
        exerciseId={exerciseId}
        teamId={null}
        file={file}
        editing={editing}
        editable={editable}
        locker={locker.data ?? []}
        objectiveName={(key) => (numbers.has(key) ? t('scenarios.objective.number', { n: numbers.get(key) ?? 0 }) : null)}
      />
    </Stack>
  );
}

type DraftControl = ReturnType<typeof useDraft>;

function Header({ exerciseId, file, view, editable, draft }: { exerciseId: string; file: CaseFile; view: TeamView; editable: boolean; draft: DraftControl }) {
  const t = useT();
  const { locale } = useLocale();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [confirming, setConfirming] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const me = useMe();
  const isCaptain = view.team.captainUserId === me.id;
  const submit = useMutation({
    mutationFn: async () => {
      await draft.saveNow();
      if (draft.hasUnsaved()) throw new Error('unsaved');
      const current = client.getQueryData<CaseFile>(caseFileKey(exerciseId, null)) ?? file;
      return submitCaseFile(exerciseId, current.version);
    },
    onSuccess: (submitted) => {
      client.setQueryData(caseFileKey(exerciseId, null), submitted);
      setConfirming(false);
      setSubmitError(null);
      notify.success(t('casefile.submit.done'));
    },
    onError: (error) => {
      const conflict = conflictOf(error);
      setSubmitError(
        conflict?.reason === 'version' ? t('casefile.submit.conflict') : conflict?.reason === 'empty' ? t('casefile.submit.empty') : conflict?.reason === 'paused' ? t('casefile.locked.paused') : error instanceof Error && error.message === 'unsaved' ? t('casefile.submit.unsaved') : errorText(error),
      );
    },
  });
  const blocked = draft.state.kind === 'conflict' || draft.state.kind === 'invalid';

  return (
    <Card p={{ base: 'md', sm: 'lg' }}>
      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Group gap="sm">
            <IconFileCertificate size={24} aria-hidden />
            <Title order={2} fz="lg">
              {t('casefile.title')}
            </Title>
            <StatusBadge status={file.status} evaluated={file.readiness.final !== null} />
          </Group>
          <Text size="sm" c="dimmed" maw={720}>
            {t('casefile.intro')}
          </Text>
          {editable || draft.state.kind === 'paused' ? <SaveIndicator state={draft.state} /> : file.version > 0 ? (
            <Text size="sm" c="dimmed">
              {t('casefile.save.saved', { version: file.version })}
            </Text>
          ) : null}
        </Stack>
        <Group gap="sm">
          <Button component="a" href={reportUrl(exerciseId, null, locale)} variant="default" leftSection={<IconFileTypePdf size={18} aria-hidden />} download>
            {t('casefile.report.download')}
          </Button>
          {file.status === 'draft' && file.locked === null ? (
            file.canSubmit ? (
              <Button leftSection={<IconSend size={18} aria-hidden />} onClick={() => setConfirming(true)} disabled={!editable || blocked}>
                {t('casefile.submit.button')}
              </Button>
            ) : (
              <Tooltip label={isCaptain ? t('casefile.submit.saveFirst') : t('casefile.submit.captainOnly')} multiline maw={280}>
                <Button leftSection={<IconSend size={18} aria-hidden />} data-disabled onClick={(e) => e.preventDefault()}>
                  {t('casefile.submit.button')}
                </Button>
              </Tooltip>
            )
          ) : null}
        </Group>
      </Group>
      <ConfirmDialog
        opened={confirming}
        title={t('casefile.submit.title')}
        message={
          <Stack gap="sm" component="span">
            <Text span size="sm">
              {t('casefile.submit.message', { charges: file.charges.filter((c) => c.chosen).length })}
            </Text>
            <Text span size="sm" fw={600}>
              {t('casefile.submit.locks')}
            </Text>
            {submitError ? (
              <Text span size="sm" c="red.8" role="alert">
                {submitError}
              </Text>
            ) : null}
          </Stack>
        }
        confirmLabel={t('casefile.submit.confirm')}
        loading={submit.isPending}
        onConfirm={() => submit.mutate()}
        onCancel={() => {
          setConfirming(false);
          setSubmitError(null);
        }}
      />
    </Card>
  );
}

/** The save state stays in sight while the team writes far down the page; a conflict offers the reload there too. */
function FloatingSaveState({ draft }: { draft: DraftControl }) {
  const t = useT();
  const conflict = draft.state.kind === 'conflict';
  // Mantine places `right` at the inline end: the left in Arabic.
  return (
    <Affix position={{ bottom: 16, right: 16 }} zIndex={150}>
      <Paper shadow="md" withBorder radius="md" px="md" py={8} bg={conflict ? 'red.0' : 'white'}>
        <Group gap="sm" wrap="nowrap">
          <SaveIndicator state={draft.state} />
          {conflict ? (
            <Button size="compact-sm" color="red" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => void draft.reload()}>
              {t('casefile.conflict.reload')}
            </Button>
          ) : null}
        </Group>
      </Paper>
    </Affix>
  );
}

/** Why the case file cannot be changed now, or what went wrong with saving it. */
function Notices({ file, accepting, draft }: { file: CaseFile; accepting: boolean; draft: DraftControl }) {
  const t = useT();
  const errorText = useErrorText();
  const s = draft.state;
  return (
    <>
      {s.kind === 'conflict' ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('casefile.conflict.title')} role="alert">
          <Stack gap="sm">
            <Text size="sm">{s.currentVersion ? t('casefile.conflict.text', { version: s.currentVersion }) : t('casefile.conflict.textNoVersion')}</Text>
            <Group>
              <Button size="xs" color="red" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => void draft.reload()}>
                {t('casefile.conflict.reload')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : null}
      {s.kind === 'error' ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('casefile.save.failedTitle')} role="alert">
          <Text size="sm">{errorText(s.error)}</Text>
          <Button mt="xs" size="xs" variant="white" color="orange" onClick={() => void draft.saveNow()}>
            {t('casefile.save.retry')}
          </Button>
        </Alert>
      ) : null}
      {s.kind === 'invalid' ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
          {t('casefile.save.invalidText')}
        </Alert>
      ) : null}
      {file.locked === 'submitted' ? (
        <Alert color="navy" variant="light" icon={<IconLock aria-hidden />} title={t('casefile.locked.submittedTitle')}>
          <Text size="sm">
            <FormattedMessage id="casefile.locked.submitted" values={{ name: file.submittedBy?.displayName ?? '—', date: <DateTime value={file.submittedAt} /> }} />{' '}
            {file.readiness.final === null ? t('casefile.locked.awaiting') : t('casefile.locked.evaluated')}
          </Text>
        </Alert>
      ) : file.locked === 'deadline' ? (
        <Alert color="gray" variant="light" icon={<IconLock aria-hidden />} title={t('casefile.locked.deadlineTitle')}>
          {t('casefile.locked.deadline')}
        </Alert>
      ) : file.locked === 'not_started' ? (
        <Alert color="blue" variant="light" icon={<IconLock aria-hidden />} title={t('casefile.locked.notStartedTitle')}>
          {t('casefile.locked.notStarted')}
        </Alert>
      ) : file.locked === 'paused' || !accepting ? (
        <Alert color="yellow" variant="light" icon={<IconClockPause aria-hidden />} title={t('casefile.locked.pausedTitle')}>
          <Text size="sm">
            {t('casefile.locked.paused')}
            {s.kind === 'paused' ? ` ${t('casefile.locked.pausedUnsaved')}` : null}
          </Text>
        </Alert>
      ) : null}
    </>
  );
}
