import { ActionIcon, Badge, Button, Card, CopyButton, Group, SimpleGrid, Stack, Tabs, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconBook, IconBulb, IconCheck, IconCopy, IconDownload, IconFiles, IconInfoCircle, IconListCheck, IconSpeakerphone, IconTargetArrow, IconVariable } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { FormattedNumber } from 'react-intl';
import { Link, useParams, useSearchParams } from 'react-router';
import { useCan } from '../../core/session.ts';
import { DataTable } from '../../core/table/DataTable.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import { skillLabel } from '@modules/scenarios/skills.ts';
import { exportUrl, useScenario, type ScenarioDetail } from './api.ts';
import { useFormatBytes, useFormatMinutes, useEndAlign } from './format.ts';
import { answerTypeLabelOf, difficultyColor, difficultyLabel, kindIconOf, kindLabelOf, releaseText, themeLabel, triggerText } from './labels.ts';
import { Localized, useLocalized } from './localized.tsx';
import { RichText } from './RichText.tsx';

type Objective = ScenarioDetail['objectives'][number];
type Evidence = ScenarioDetail['evidence'][number];
type Inject = ScenarioDetail['injects'][number];
type Hint = ScenarioDetail['hints'][number];

const tabs = ['briefing', 'objectives', 'evidence', 'injects', 'hints', 'guide'] as const;
type TabId = (typeof tabs)[number];

/** A hash shown short, copied whole. */
export function HashCell({ value, label }: { value: string; label: string }) {
  const t = useT();
  if (!value) return <Text span c="dimmed">—</Text>;
  return (
    <Group gap={4} wrap="nowrap">
      <Ltr mono fz="xs" title={value}>
        {value.slice(0, 12)}…
      </Ltr>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('common.action.copied') : t('common.action.copyLabel', { what: label })}>
            <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('common.action.copyLabel', { what: label })}>
              {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** One scenario version as trainers see it: everything but the answers. */
export default function ScenarioPage() {
  const t = useT();
  const { id } = useParams();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const scenario = useScenario(id);
  const localized = useLocalized();
  const { locale } = useLocale();
  const formatMinutes = useFormatMinutes();
  const formatBytes = useFormatBytes();
  const endAlign = useEndAlign();

  if (scenario.isPending) return <LoadingState />;
  if (scenario.error) {
    return (
      <>
        <PageHeader title={t('scenarios.detail.title')} breadcrumbs={[{ label: t('scenarios.title'), to: '/scenarios' }]} />
        <ErrorState error={scenario.error} onRetry={() => void scenario.refetch()} />
      </>
    );
  }
  const s = scenario.data;
  const title = localized(s.title, s.slug);
  const tab: TabId = (tabs as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as TabId) : 'briefing';
  const index = new Map(s.objectives.map((o, i) => [o.id, i + 1]));
  const objectiveName = (oid: string) => (index.has(oid) ? t('scenarios.objective.number', { n: index.get(oid) ?? 0 }) : oid);
  const injectTitle = (iid: string) => localized(s.injects.find((i) => i.id === iid)?.title, iid);
  const totalPoints = s.objectives.reduce((sum, o) => sum + o.points, 0);

  const objectiveColumns: DataTableColumn<Objective>[] = [
    { accessor: 'n', title: '#', width: 48, render: (o) => <FormattedNumber value={index.get(o.id) ?? 0} /> },
    {
      accessor: 'prompt',
      title: t('scenarios.objectives.prompt'),
      render: (o) => (
        <Stack gap={4} maw={520}>
          <Localized text={o.prompt} component="div" fz="sm" />
          <Group gap={4}>
            <Ltr mono fz="xs" c="dimmed">
              {o.id}
            </Ltr>
            {o.skills.map((k) => (
              <Badge key={k} size="xs" color="gray" variant="outline" tt="none" title={skillLabel(k, locale)}>
                {skillLabel(k, locale)}
              </Badge>
            ))}
          </Group>
        </Stack>
      ),
    },
    { accessor: 'points', title: t('scenarios.objectives.points'), textAlign: endAlign, render: (o) => <FormattedNumber value={o.points} /> },
    { accessor: 'answerType', title: t('scenarios.objectives.answerType'), render: (o) => <Badge variant="light" color="gray" miw="max-content">{t(answerTypeLabelOf(o.answerType))}</Badge> },
    { accessor: 'maxAttempts', title: t('scenarios.objectives.attempts'), textAlign: endAlign, render: (o) => (o.maxAttempts === null ? t('scenarios.objectives.unlimited') : <FormattedNumber value={o.maxAttempts} />) },
    {
      accessor: 'requires',
      title: t('scenarios.objectives.requires'),
      render: (o) => (o.requires.length === 0 ? <Text span size="sm" c="dimmed">—</Text> : <Text size="sm">{o.requires.map(objectiveName).join(', ')}</Text>),
    },
    { accessor: 'release', title: t('scenarios.objectives.release'), render: (o) => <Text size="sm">{releaseText(t, o.release, injectTitle)}</Text> },
  ];

  const evidenceColumns: DataTableColumn<Evidence>[] = [
    {
      accessor: 'title',
      title: t('scenarios.evidence.item'),
      render: (e) => {
        const KindIcon = kindIconOf(e.kind);
        return (
          <Group gap="sm" wrap="nowrap" maw={420}>
            <Tooltip label={t(kindLabelOf(e.kind))}>
              <ThemeIcon variant="light" color="gray" size="md" aria-label={t(kindLabelOf(e.kind))}>
                <KindIcon size={16} />
              </ThemeIcon>
            </Tooltip>
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Localized text={e.title} fz="sm" fw={500} />
              <Ltr mono fz="xs" c="dimmed">
                {e.file}
              </Ltr>
            </Stack>
          </Group>
        );
      },
    },
    { accessor: 'size', title: t('scenarios.evidence.size'), textAlign: endAlign, noWrap: true, render: (e) => formatBytes(e.size) },
    {
      accessor: 'sha256',
      title: t('scenarios.evidence.sha256'),
      render: (e) => (e.templated ? <Badge color="violet" variant="light" miw="max-content">{t('scenarios.evidence.perTeam')}</Badge> : <HashCell value={e.sha256} label={t('scenarios.evidence.sha256Of', { file: e.file })} />),
    },
    { accessor: 'release', title: t('scenarios.evidence.release'), render: (e) => <Text size="sm">{releaseText(t, e.release, injectTitle)}</Text> },
  ];

  const injectColumns: DataTableColumn<Inject>[] = [
    { accessor: 'title', title: t('scenarios.injects.title'), render: (i) => <Stack gap={0}><Localized text={i.title} fz="sm" fw={500} /><Ltr mono fz="xs" c="dimmed">{i.id}</Ltr></Stack> },
    { accessor: 'trigger', title: t('scenarios.injects.trigger'), render: (i) => <Text size="sm">{triggerText(t, i.trigger, objectiveName)}</Text> },
  ];

  const hintColumns: DataTableColumn<Hint>[] = [
    { accessor: 'id', title: t('scenarios.hints.hint'), render: (h) => <Ltr mono fz="sm">{h.id}</Ltr> },
    { accessor: 'objective', title: t('scenarios.hints.objective'), render: (h) => (h.objective ? objectiveName(h.objective) : t('scenarios.hints.general')) },
    { accessor: 'cost', title: t('scenarios.hints.cost'), textAlign: endAlign, render: (h) => t('scenarios.hints.costPoints', { points: h.cost }) },
  ];

  const tabLabel: Record<TabId, { label: string; icon: typeof IconBook; count?: number }> = {
    briefing: { label: t('scenarios.tab.briefing'), icon: IconInfoCircle },
    objectives: { label: t('scenarios.tab.objectives'), icon: IconListCheck, count: s.objectives.length },
    evidence: { label: t('scenarios.tab.evidence'), icon: IconFiles, count: s.evidence.length },
    injects: { label: t('scenarios.tab.injects'), icon: IconSpeakerphone, count: s.injects.length },
    hints: { label: t('scenarios.tab.hints'), icon: IconBulb, count: s.hints.length },
    guide: { label: t('scenarios.tab.guide'), icon: IconBook },
  };

  return (
    <>
      <PageHeader
        title={title}
        breadcrumbs={[{ label: t('scenarios.title'), to: '/scenarios' }, { label: title }]}
        description={
          <Group gap="xs" component="span">
            <span>{t(themeLabel[s.theme])}</span>
            <Badge color={difficultyColor[s.difficulty]}>{t(difficultyLabel[s.difficulty])}</Badge>
            <Badge color="gray" variant="outline" tt="none">
              <Ltr mono>v{s.version}</Ltr>
            </Badge>
          </Group>
        }
        actions={
          <>
            {can('scenarios.manage') ? (
              <Button component="a" href={exportUrl(s.id)} download variant="default" leftSection={<IconDownload size={18} aria-hidden />}>
                {t('scenarios.detail.export')}
              </Button>
            ) : null}
            {can('exercises.create') ? (
              <Button component={Link} to={`/exercises/new?scenario=${encodeURIComponent(s.id)}`} leftSection={<IconTargetArrow size={18} aria-hidden />}>
                {t('scenarios.detail.createExercise')}
              </Button>
            ) : null}
          </>
        }
      />

      <Card p="md" mb="lg">
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="md">
          <Fact label={t('scenarios.detail.duration')}>{formatMinutes(s.durationMinutes)}</Fact>
          <Fact label={t('scenarios.detail.objectives')}>{t('scenarios.detail.objectivesValue', { count: s.objectives.length, points: totalPoints })}</Fact>
          <Fact label={t('scenarios.detail.evidence')}>{t('scenarios.detail.evidenceValue', { count: s.evidence.length, size: formatBytes(s.totalBytes) })}</Fact>
          <Fact label={t('scenarios.detail.importedAt')}>
            <DateTime value={s.importedAt} />
          </Fact>
          <Fact label={t('scenarios.detail.package')}>
            <HashCell value={s.packageSha256} label={t('scenarios.detail.packageHash')} />
          </Fact>
          <Fact label={t('scenarios.detail.skills')}>
            {s.skills.length === 0 ? '—' : (
              <Group gap={4}>
                {s.skills.map((k) => (
                  <Badge key={k} size="xs" color="gray" variant="outline" tt="none" title={skillLabel(k, locale)}>
                    {skillLabel(k, locale)}
                  </Badge>
                ))}
              </Group>
            )}
          </Fact>
        </SimpleGrid>
      </Card>

      <Tabs
        value={tab}
        onChange={(v) =>
          setParams((prev) => {
            const next = new URLSearchParams(prev);
            if (v && v !== 'briefing') next.set('tab', v);
            else next.delete('tab');
            return next;
          }, { replace: true })
        }
        variant="outline"
      >
        <Tabs.List mb="lg" style={{ flexWrap: 'wrap' }}>
          {tabs.map((id) => {
            const entry = tabLabel[id];
            const TabIcon = entry.icon;
            return (
              <Tabs.Tab key={id} value={id} leftSection={<TabIcon size={17} aria-hidden />} rightSection={entry.count !== undefined ? <Badge size="sm" variant="light" color="gray" circle><FormattedNumber value={entry.count} /></Badge> : null}>
                {entry.label}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>

        <Tabs.Panel value="briefing">
          <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="lg">
            <Card p="lg" style={{ gridColumn: 'span 2' }}>
              <Title order={2} fz="md" mb="sm">
                {t('scenarios.tab.briefing')}
              </Title>
              <Localized text={s.briefing} component="div" render={(text) => <RichText text={text} />} />
            </Card>
            <Card p="lg">
              <Group gap="xs" mb="sm">
                <IconVariable size={18} aria-hidden />
                <Title order={2} fz="md">
                  {t('scenarios.variables.title')}
                </Title>
              </Group>
              <Text size="sm" c="dimmed" mb="sm">
                {t('scenarios.variables.description')}
              </Text>
              {s.variables.length === 0 ? (
                <Text size="sm" c="dimmed">{t('scenarios.variables.none')}</Text>
              ) : (
                <Stack gap={6}>
                  {s.variables.map((v) => (
                    <Group key={v.name} justify="space-between" gap="xs" wrap="nowrap">
                      <Ltr mono fz="xs" style={{ wordBreak: 'break-all' }}>
                        {v.name}
                      </Ltr>
                      <Badge size="sm" color="gray" variant="light" tt="none" style={{ flex: 'none' }}>
                        <Ltr>{v.generator}</Ltr>
                      </Badge>
                    </Group>
                  ))}
                </Stack>
              )}
            </Card>
          </SimpleGrid>
        </Tabs.Panel>

        <Tabs.Panel value="objectives">
          <Text size="sm" c="dimmed" mb="sm">
            {t('scenarios.objectives.noAnswers')}
          </Text>
          <DataTable<Objective> label={t('scenarios.tab.objectives')} columns={objectiveColumns} records={s.objectives} empty={{ title: t('scenarios.objectives.empty') }} />
        </Tabs.Panel>

        <Tabs.Panel value="evidence">
          <DataTable<Evidence> label={t('scenarios.tab.evidence')} columns={evidenceColumns} records={s.evidence} empty={{ title: t('scenarios.evidence.empty') }} />
        </Tabs.Panel>

        <Tabs.Panel value="injects">
          <DataTable<Inject> label={t('scenarios.tab.injects')} columns={injectColumns} records={s.injects} empty={{ title: t('scenarios.injects.empty') }} />
        </Tabs.Panel>

        <Tabs.Panel value="hints">
          <DataTable<Hint> label={t('scenarios.tab.hints')} columns={hintColumns} records={s.hints} empty={{ title: t('scenarios.hints.empty') }} />
        </Tabs.Panel>

        <Tabs.Panel value="guide">
          <Card p="lg">
            <Localized
              text={s.trainerGuide}
              component="div"
              fallback={<EmptyState title={t('scenarios.guide.empty')} />}
              render={(text) => <RichText text={text} />}
            />
          </Card>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
