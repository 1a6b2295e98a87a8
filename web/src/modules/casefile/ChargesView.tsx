import { useId, type ReactNode } from 'react';
import { Accordion, Badge, Card, Checkbox, Grid, Group, MultiSelect, Paper, Stack, Switch, Text, Textarea, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed, IconFileCertificate, IconGavel, IconListCheck, IconPaperclip } from '@tabler/icons-react';
import type { CaseFile, ChargeView, ElementView } from '@modules/casefile/schemas.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { Localized, useLocalized } from '../scenarios/localized.tsx';
import { RichText } from '../scenarios/RichText.tsx';
import type { EvidenceItem, PlayObjective } from '../play/api.ts';
import { chargeFigure, elementProgress, elementWork, readinessKind } from './display.ts';
import { elementOf, setCharge, updateElement, type Draft, type ElementPatch } from './draft.ts';
import { AutomaticDetails, AutomaticBadge, BasisBadge, CitationLine, figureLabel, Hash, ReadinessRing, VerdictBadge, WorkBadge } from './parts.tsx';

/** What the team needs to edit its findings. */
export type Editing = {
  draft: Draft;
  edit: (change: (d: Draft) => Draft) => void;
  /** Problems found by the shared schema, keyed by path in the save (`charges.0.elements.1.finding`). */
  errors: Record<string, string>;
  objectives: PlayObjective[];
  locker: EvidenceItem[];
};

type Props = {
  file: CaseFile;
  /** The team editing its draft; null shows the case file read-only. */
  editing: Editing | null;
  /** How to name an objective (the team numbers them); the prompt otherwise. */
  objectiveName?: (key: string) => string | null;
  /** Staff: the evaluation beside each element of a charge brought. */
  aside?: (charge: ChargeView, element: ElementView) => ReactNode;
};

/** The charges of the scenario's prosecution model with the team's work on each element. */
export function ChargesView({ file, editing, objectiveName, aside }: Props) {
  const t = useT();
  if (file.charges.length === 0) {
    return (
      <Card>
        <EmptyState icon={<IconGavel aria-hidden />} title={t('casefile.charges.emptyTitle')} description={t('casefile.charges.emptyDescription')} />
      </Card>
    );
  }
  const brought = editing ? new Set(editing.draft.map((c) => c.chargeId)) : new Set(file.charges.filter((c) => c.chosen).map((c) => c.chargeId));
  return (
    <Stack gap="md">
      {file.charges.map((charge) => (
        <ChargeCard key={charge.chargeId} file={file} charge={charge} chosen={brought.has(charge.chargeId)} editing={editing} objectiveName={objectiveName} aside={aside} />
      ))}
    </Stack>
  );
}

function ChargeCard({ file, charge, chosen, editing, objectiveName, aside }: { file: CaseFile; charge: ChargeView; chosen: boolean; editing: Editing | null; objectiveName: Props['objectiveName']; aside: Props['aside'] }) {
  const t = useT();
  const localized = useLocalized();
  const kind = readinessKind(file);
  const figure = chargeFigure(charge, file.partlyPercent, kind);
  const title = localized(charge.title, charge.chargeId);
  const titleId = useId();
  // Every card says the same "Bring this charge": its own title names the card and its switch.
  return (
    <Card component="article" aria-labelledby={titleId} p={{ base: 'md', sm: 'lg' }} withBorder style={chosen ? undefined : { opacity: editing ? 1 : 0.75 }} data-charge={charge.chargeId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs">
            <ThemeIcon size={30} radius="md" variant="light" color={chosen ? 'navy' : 'gray'} aria-hidden>
              <IconFileCertificate size={18} />
            </ThemeIcon>
            <Title order={3} fz="md" id={titleId}>
              {title}
            </Title>
            {charge.chosen && charge.ready ? (
              <Badge color="teal" variant="light" leftSection={<IconCircleCheck size={12} aria-hidden />}>
                {t('casefile.charge.ready')}
              </Badge>
            ) : null}
          </Group>
          <Group gap="xs">
            <BasisBadge basis={charge.basis} />
            <Text size="xs" c="dimmed">
              {t('casefile.charge.elementsCount', { count: charge.elements.length })}
            </Text>
          </Group>
          {charge.description ? <Localized text={charge.description} component="div" c="gray.7" render={(text) => <RichText text={text} />} /> : null}
          {editing ? (
            <Switch
              mt={4}
              checked={chosen}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                editing.edit((d) => setCharge(d, file, charge.chargeId, on));
              }}
              label={t('casefile.charge.bring')}
              aria-label={t('casefile.charge.bringNamed', { title })}
              description={chosen ? t('casefile.charge.bringOn') : t('casefile.charge.bringOff')}
            />
          ) : (
            <Text size="sm" c={chosen ? 'navy.7' : 'dimmed'} fw={500}>
              {chosen ? t('casefile.charge.brought') : t('casefile.charge.notBrought')}
            </Text>
          )}
        </Stack>
        {chosen ? (
          <Stack gap={0} align="center" style={{ flex: 'none' }}>
            <ReadinessRing value={figure} size={84} label={title} />
            <Text size="xs" c="dimmed">
              {t(figureLabel[kind])}
            </Text>
          </Stack>
        ) : null}
      </Group>
      {chosen ? (
        <Accordion multiple variant="separated" mt="md" radius="md" chevronPosition="left">
          {charge.elements.map((el) => (
            <ElementItem key={el.elementId} file={file} charge={charge} element={el} editing={editing} objectiveName={objectiveName} aside={aside} />
          ))}
        </Accordion>
      ) : null}
    </Card>
  );
}

function ElementItem({ file, charge, element: el, editing, objectiveName, aside }: { file: CaseFile; charge: ChargeView; element: ElementView; editing: Editing | null; objectiveName: Props['objectiveName']; aside: Props['aside'] }) {
  const t = useT();
  const progress = elementProgress(el);
  const draft = editing ? elementOf(editing.draft, charge.chargeId, el.elementId) : null;
  const ci = editing ? editing.draft.findIndex((c) => c.chargeId === charge.chargeId) : -1;
  const ei = editing && ci >= 0 ? (editing.draft[ci]?.elements.findIndex((e) => e.elementId === el.elementId) ?? -1) : -1;
  const errorOf = (field: string) => (editing && ei >= 0 ? editing.errors[`charges.${ci}.elements.${ei}.${field}`] : undefined);
  const facts = draft ? draft.facts.length : progress.facts;
  const exhibits = draft ? draft.exhibits.length : progress.exhibits;
  const update = (patch: ElementPatch) => editing?.edit((d) => updateElement(d, charge.chargeId, el.elementId, patch));
  const evaluations = file.evaluations.flatMap((e) => e.elements.filter((v) => v.chargeId === charge.chargeId && v.elementId === el.elementId).map((v) => ({ ...v, evaluation: e })));

  return (
    <Accordion.Item value={el.elementId} data-element={el.elementId}>
      <Accordion.Control>
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Group gap="xs" wrap="nowrap">
              <Text fw={600} size="sm" truncate>
                <Localized text={el.title} fallback={el.elementId} />
              </Text>
              <Badge size="xs" variant="outline" color={el.required ? 'navy' : 'gray'} style={{ flex: 'none' }}>
                {el.required ? t('casefile.element.required') : t('casefile.element.optional')}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {t('casefile.element.summary', { facts, exhibits, weight: el.weight })}
              {progress.inadmissible > 0 ? ` · ${t('casefile.element.inadmissibleCount', { count: progress.inadmissible })}` : ''}
            </Text>
          </Stack>
          <Group gap={6} wrap="nowrap" style={{ flex: 'none' }}>
            {el.verdict ? <VerdictBadge verdict={el.verdict} /> : el.automatic ? <AutomaticBadge check={el.automatic} /> : <WorkBadge state={elementWork(el)} />}
          </Group>
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="md">
              {draft ? (
                <Textarea
                  dir="auto"
                  label={t('casefile.element.finding')}
                  description={t('casefile.element.findingHint')}
                  autosize
                  minRows={3}
                  maxRows={14}
                  maxLength={5000}
                  value={draft.finding}
                  error={errorOf('finding')}
                  onChange={(e) => update({ finding: e.currentTarget.value })}
                />
              ) : (
                <Written label={t('casefile.element.finding')} text={el.finding} />
              )}
              {draft && editing ? (
                <FactPicker objectives={editing.objectives} linked={draft.facts} known={el.facts} onChange={(facts) => update({ facts })} error={errorOf('facts')} />
              ) : (
                <LinkedFacts element={el} objectiveName={objectiveName} />
              )}
              {draft && editing ? (
                <ExhibitPicker locker={editing.locker} cited={draft.exhibits} element={el} onChange={(exhibits) => update({ exhibits })} error={errorOf('exhibits')} />
              ) : (
                <Citations element={el} />
              )}
              {draft ? (
                <Textarea
                  dir="auto"
                  label={t('casefile.element.reasoning')}
                  description={t('casefile.element.reasoningHint')}
                  autosize
                  minRows={3}
                  maxRows={14}
                  maxLength={10000}
                  value={draft.reasoning}
                  error={errorOf('reasoning')}
                  onChange={(e) => update({ reasoning: e.currentTarget.value })}
                />
              ) : (
                <Written label={t('casefile.element.reasoning')} text={el.reasoning} />
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="md">
              <Paper withBorder p="sm" radius="md" bg="var(--mantine-color-gray-0)">
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
                  {t('casefile.element.rubric')}
                </Text>
                <Localized text={el.rubric} component="div" render={(text) => <RichText text={text} />} fallback={<Text size="sm" c="dimmed">—</Text>} />
              </Paper>
              {el.automatic ? (
                <AutomaticDetails check={el.automatic} />
              ) : (
                <Text size="xs" c="dimmed">
                  {t('casefile.automatic.withheld')}
                </Text>
              )}
              {evaluations.length > 0 ? (
                <Stack gap="xs">
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase">
                    {t('casefile.element.evaluations')}
                  </Text>
                  {evaluations.map((v) => (
                    <Paper key={v.evaluation.id} withBorder p="xs" radius="sm">
                      <Group gap="xs" justify="space-between" wrap="nowrap">
                        <Text size="xs" c="dimmed" truncate>
                          {t('casefile.evaluation.byRound', { round: v.evaluation.round, name: v.evaluation.evaluator.displayName })}
                        </Text>
                        <VerdictBadge verdict={v.verdict} />
                      </Group>
                      {v.comment ? (
                        <Text size="sm" mt={4} dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                          {v.comment}
                        </Text>
                      ) : null}
                    </Paper>
                  ))}
                </Stack>
              ) : null}
              {aside ? aside(charge, el) : null}
            </Stack>
          </Grid.Col>
        </Grid>
      </Accordion.Panel>
    </Accordion.Item>
  );
}

function Written({ label, text }: { label: string; text: string }) {
  const t = useT();
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {text.trim() ? (
        <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
          {text}
        </Text>
      ) : (
        <Text size="sm" c="dimmed" fs="italic">
          {t('casefile.element.nothingWritten')}
        </Text>
      )}
    </Stack>
  );
}

function EstablishedBadge({ established }: { established: boolean }) {
  const t = useT();
  return (
    <Badge size="xs" variant="light" color={established ? 'teal' : 'gray'} leftSection={established ? <IconCircleCheck size={11} aria-hidden /> : <IconCircleDashed size={11} aria-hidden />} style={{ flex: 'none' }}>
      {established ? t('casefile.fact.established') : t('casefile.fact.notEstablished')}
    </Badge>
  );
}

/** The team's objectives as facts to link: solved ones are established, the others shown but not available. */
function FactPicker({ objectives, linked, known, onChange, error }: { objectives: PlayObjective[]; linked: string[]; known: ElementView['facts']; onChange: (facts: string[]) => void; error: string | undefined }) {
  const t = useT();
  const localized = useLocalized();
  const ordered = [...objectives].sort((a, b) => a.position - b.position);
  // Facts linked earlier that are no longer among the team's objectives stay visible, so they can be removed.
  const orphans = linked.filter((k) => !objectives.some((o) => o.id === k));
  return (
    <Checkbox.Group
      label={
        <Group gap={6} component="span">
          <IconListCheck size={16} aria-hidden />
          {t('casefile.element.facts')}
        </Group>
      }
      description={t('casefile.element.factsHint')}
      value={linked}
      onChange={onChange}
      error={error}
    >
      <Stack gap={6} mt={6}>
        {ordered.length === 0 && orphans.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('casefile.element.noObjectives')}
          </Text>
        ) : null}
        {ordered.map((o) => (
          <Checkbox
            key={o.id}
            value={o.id}
            disabled={!o.solved && !linked.includes(o.id)}
            label={
              <Group gap={6} wrap="nowrap" component="span">
                <Text span size="sm" fw={500} style={{ flex: 'none' }}>
                  {t('scenarios.objective.number', { n: o.position })}
                </Text>
                <Text span size="sm" c="dimmed" lineClamp={2}>
                  {o.prompt ? localized(o.prompt) : t('casefile.fact.locked')}
                </Text>
                <EstablishedBadge established={o.solved} />
              </Group>
            }
          />
        ))}
        {orphans.map((k) => (
          <Checkbox key={k} value={k} label={<Ltr mono fz="sm">{localized(known.find((f) => f.objectiveKey === k)?.prompt, k)}</Ltr>} />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}

function LinkedFacts({ element, objectiveName }: { element: ElementView; objectiveName: Props['objectiveName'] }) {
  const t = useT();
  const localized = useLocalized();
  return (
    <Stack gap={6}>
      <Group gap={6}>
        <IconListCheck size={16} aria-hidden />
        <Text size="sm" fw={500}>
          {t('casefile.element.facts')}
        </Text>
      </Group>
      {element.facts.length === 0 ? (
        <Text size="sm" c="dimmed" fs="italic">
          {t('casefile.element.noFacts')}
        </Text>
      ) : (
        element.facts.map((f) => (
          <Group key={f.objectiveKey} gap={6} wrap="nowrap">
            <EstablishedBadge established={f.established} />
            {f.relevant === null ? null : (
              <Badge size="xs" color={f.relevant ? 'indigo' : 'gray'} variant="outline" style={{ flex: 'none' }}>
                {f.relevant ? t('casefile.relevant.yes') : t('casefile.relevant.no')}
              </Badge>
            )}
            <Text size="sm" fw={500} style={{ flex: 'none' }}>
              {objectiveName?.(f.objectiveKey) ?? <Ltr mono>{f.objectiveKey}</Ltr>}
            </Text>
            <Text size="sm" c="dimmed" lineClamp={1}>
              {localized(f.prompt)}
            </Text>
          </Group>
        ))
      )}
    </Stack>
  );
}

/** Cite exhibits from the team's locker; each shows the hash recorded when cited and whether it is admissible. */
function ExhibitPicker({ locker, cited, element, onChange, error }: { locker: EvidenceItem[]; cited: string[]; element: ElementView; onChange: (exhibits: string[]) => void; error: string | undefined }) {
  const t = useT();
  const localized = useLocalized();
  const options = locker.map((i) => ({ value: i.key, label: `${localized(i.title, i.fileName)} — ${i.fileName}` }));
  // Cited exhibits no longer in the locker stay selectable so they can be removed.
  for (const key of cited) if (!options.some((o) => o.value === key)) options.push({ value: key, label: key });
  return (
    <Stack gap="xs">
      <MultiSelect
        label={
          <Group gap={6} component="span">
            <IconPaperclip size={16} aria-hidden />
            {t('casefile.element.exhibits')}
          </Group>
        }
        description={t('casefile.element.exhibitsHint')}
        placeholder={cited.length === 0 ? t('casefile.element.exhibitsPlaceholder') : undefined}
        data={options}
        value={cited}
        onChange={onChange}
        searchable
        clearable
        nothingFoundMessage={t('casefile.element.noExhibitFound')}
        error={error}
        maxValues={50}
      />
      {cited.map((key) => {
        const citation = element.citations.find((c) => c.exhibit === key);
        if (citation) {
          return (
            <Paper key={key} withBorder p="xs" radius="sm">
              <CitationLine citation={citation} />
            </Paper>
          );
        }
        const item = locker.find((i) => i.key === key);
        return (
          <Paper key={key} withBorder p="xs" radius="sm" style={{ borderStyle: 'dashed' }}>
            <Stack gap={2}>
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={500} truncate>
                  {item ? localized(item.title, item.fileName) : <Ltr mono>{key}</Ltr>}
                </Text>
                <Badge size="xs" color="gray" variant="light" style={{ flex: 'none' }}>
                  {t('casefile.citation.pending')}
                </Badge>
              </Group>
              {item ? <Hash value={item.sha256} label={t('casefile.citation.hashOf', { exhibit: localized(item.title, item.fileName) })} /> : null}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}

function Citations({ element }: { element: ElementView }) {
  const t = useT();
  return (
    <Stack gap={6}>
      <Group gap={6}>
        <IconPaperclip size={16} aria-hidden />
        <Text size="sm" fw={500}>
          {t('casefile.element.exhibits')}
        </Text>
      </Group>
      {element.citations.length === 0 ? (
        <Text size="sm" c="dimmed" fs="italic">
          {t('casefile.element.noExhibits')}
        </Text>
      ) : (
        element.citations.map((c) => (
          <Paper key={c.exhibit} withBorder p="xs" radius="sm">
            <CitationLine citation={c} />
          </Paper>
        ))
      )}
    </Stack>
  );
}
