import { useEffect, useRef, useState, type DragEvent } from 'react';
import { Alert, Badge, Box, Button, Card, Code, FileButton, Group, List, Modal, Progress, Stack, Text, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconFileZip, IconInfoCircle, IconPackageImport, IconUpload } from '@tabler/icons-react';
import { FormattedMessage, FormattedNumber } from 'react-intl';
import { useNavigate } from 'react-router';
import { isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useNotify } from '../../core/notify.tsx';
import { useSession } from '../../core/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import { useT } from '../../i18n/useT.ts';
import { groupProblems, reportFromError, scenariosKey, uploadPackage, type ScenarioDetail, type UploadProgress, type ValidationReport } from './api.ts';
import { useFormatBytes } from './format.ts';
import { sectionLabel } from './labels.ts';
import { Localized } from './localized.tsx';

type Stage = { step: 'choose' } | { step: 'validating'; progress: UploadProgress | null } | { step: 'report'; report: ValidationReport } | { step: 'importing'; report: ValidationReport; progress: UploadProgress | null };

type Problem = ValidationReport['problems'][number];

const isZip = (file: File) => /\.zip$/i.test(file.name) || file.type === 'application/zip' || file.type === 'application/x-zip-compressed';

/**
 * Importing a scenario package: choose or drop the .zip, which is first sent to
 * the validation endpoint (nothing is stored), then imported when the report is clean.
 */
export function ImportPackageModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const notify = useNotify();
  const errorText = useErrorText();
  const formatBytes = useFormatBytes();
  const [file, setFile] = useState<File | null>(null);
  const [stage, setStage] = useState<Stage>({ step: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  const reset = () => {
    abort.current?.abort();
    setFile(null);
    setStage({ step: 'choose' });
    setError(null);
  };

  const close = () => {
    onClose();
    window.setTimeout(reset, 250);
  };

  const options = (onProgress: (p: UploadProgress) => void) => {
    abort.current?.abort();
    abort.current = new AbortController();
    return { csrfToken: session?.csrfToken ?? null, locale, onProgress, signal: abort.current.signal };
  };

  const validate = async (chosen: File) => {
    setError(null);
    setFile(chosen);
    if (!isZip(chosen)) {
      setStage({ step: 'choose' });
      setError(t('scenarios.import.notZip'));
      return;
    }
    setStage({ step: 'validating', progress: null });
    try {
      const report = await uploadPackage<ValidationReport>('/api/scenarios/validate', chosen, options((progress) => setStage({ step: 'validating', progress })));
      setStage({ step: 'report', report });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      const report = reportFromError(e);
      if (report) setStage({ step: 'report', report });
      else {
        setStage({ step: 'choose' });
        setError(errorText(e));
      }
    }
  };

  const importNow = async (report: ValidationReport) => {
    if (!file) return;
    setError(null);
    setStage({ step: 'importing', report, progress: null });
    try {
      const result = await uploadPackage<{ scenario: ScenarioDetail; warnings: Problem[] }>('/api/scenarios', file, options((progress) => setStage({ step: 'importing', report, progress })));
      await client.invalidateQueries({ queryKey: scenariosKey });
      notify.success(t('scenarios.import.done', { version: result.scenario.version }));
      close();
      void navigate(`/scenarios/${result.scenario.id}`);
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      const failed = reportFromError(e);
      if (failed) setStage({ step: 'report', report: failed });
      else {
        setStage({ step: 'report', report });
        setError(isApiError(e) && e.code === 'conflict' ? t('scenarios.import.alreadyImported') : errorText(e));
      }
    }
  };

  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) void validate(dropped);
  };

  const busy = stage.step === 'validating' || stage.step === 'importing';
  const report = stage.step === 'report' || stage.step === 'importing' ? stage.report : null;

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('scenarios.import.title')}
      size="xl"
      closeOnClickOutside={!busy}
      closeButtonProps={{ 'aria-label': t('common.action.close') }}
    >
      <Stack gap="md">
        <FormError>{error}</FormError>

        {stage.step === 'choose' ? (
          <FileButton onChange={(f) => f && void validate(f)} accept=".zip,application/zip,application/x-zip-compressed">
            {(props) => (
              <UnstyledButton
                {...props}
                onDragOver={(e) => {
                  e.preventDefault();
                  setDragging(true);
                }}
                onDragLeave={() => setDragging(false)}
                onDrop={onDrop}
                aria-describedby="import-drop-hint"
                data-autofocus
                style={{
                  display: 'block',
                  width: '100%',
                  border: `2px dashed var(--mantine-color-${dragging ? 'navy-6' : 'gray-4'})`,
                  borderRadius: 'var(--mantine-radius-md)',
                  background: dragging ? 'var(--mantine-color-navy-0)' : 'var(--mantine-color-gray-0)',
                  transition: 'background 120ms, border-color 120ms',
                }}
              >
                <Stack align="center" gap="xs" py={40} px="md">
                  <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
                    <IconUpload size={30} stroke={1.6} />
                  </ThemeIcon>
                  <Text fw={600} ta="center">
                    {t('scenarios.import.dropTitle')}
                  </Text>
                  <Text size="sm" c="dimmed" ta="center" id="import-drop-hint" maw={460}>
                    {t('scenarios.import.dropHint')}
                  </Text>
                  <Button component="span" variant="light" mt="xs" leftSection={<IconFileZip size={18} aria-hidden />}>
                    {t('scenarios.import.browse')}
                  </Button>
                </Stack>
              </UnstyledButton>
            )}
          </FileButton>
        ) : null}

        {file && stage.step !== 'choose' ? (
          <Card withBorder p="sm">
            <Group gap="sm" wrap="nowrap">
              <ThemeIcon variant="light" size="lg" aria-hidden>
                <IconFileZip size={20} />
              </ThemeIcon>
              <Box style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={600} truncate>
                  <Ltr>{file.name}</Ltr>
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(file.size)}
                </Text>
              </Box>
              {!busy ? (
                <Button variant="subtle" size="xs" onClick={reset}>
                  {t('scenarios.import.another')}
                </Button>
              ) : null}
            </Group>
            {busy ? <UploadBar progress={stage.progress} label={stage.step === 'validating' ? t('scenarios.import.validating') : t('scenarios.import.importing')} /> : null}
          </Card>
        ) : null}

        {report ? <ReportView report={report} /> : null}

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            {t('common.action.cancel')}
          </Button>
          {report?.ok ? (
            <Button leftSection={<IconPackageImport size={18} aria-hidden />} loading={stage.step === 'importing'} onClick={() => void importNow(report)}>
              {t('scenarios.import.submit')}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}

function UploadBar({ progress, label }: { progress: UploadProgress | null; label: string }) {
  const t = useT();
  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  const uploaded = percent >= 100;
  return (
    <Stack gap={4} mt="sm" role="status" aria-live="polite">
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {uploaded ? t('scenarios.import.checking') : label}
        </Text>
        <Text size="xs" c="dimmed">
          <FormattedNumber value={percent / 100} style="percent" />
        </Text>
      </Group>
      <Progress value={uploaded ? 100 : percent} animated={uploaded} striped={uploaded} size="md" aria-label={label} />
    </Stack>
  );
}

/** The validation report: a verdict, the package's summary, then problems and warnings by part of the package. */
export function ReportView({ report }: { report: ValidationReport }) {
  const t = useT();
  return (
    <Stack gap="md">
      {report.ok ? (
        <Alert color="teal" icon={<IconCircleCheck aria-hidden />} title={t('scenarios.report.okTitle')} role="status">
          {report.summary ? (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                <Localized text={report.summary.title} />
              </Text>
              <Text size="sm">
                <FormattedMessage
                  id="scenarios.report.summary"
                  values={{
                    id: <Ltr mono>{report.summary.id}</Ltr>,
                    version: <Ltr mono>{report.summary.version}</Ltr>,
                    objectives: report.summary.objectives,
                    evidence: report.summary.evidence,
                  }}
                />
              </Text>
            </Stack>
          ) : (
            t('scenarios.report.okDescription')
          )}
        </Alert>
      ) : (
        <Alert color="red" icon={<IconCircleX aria-hidden />} title={t('scenarios.report.failedTitle', { count: report.problems.length })} role="alert">
          {t('scenarios.report.failedDescription')}
        </Alert>
      )}
      {report.problems.length > 0 ? <ProblemList problems={report.problems} tone="red" heading={t('scenarios.report.problems', { count: report.problems.length })} /> : null}
      {report.warnings.length > 0 ? <ProblemList problems={report.warnings} tone="orange" heading={t('scenarios.report.warnings', { count: report.warnings.length })} /> : null}
    </Stack>
  );
}

function ProblemList({ problems, tone, heading }: { problems: Problem[]; tone: 'red' | 'orange'; heading: string }) {
  const t = useT();
  const Icon = tone === 'red' ? IconAlertTriangle : IconInfoCircle;
  return (
    <Stack gap="xs">
      <Title order={3} fz="sm">
        {heading}
      </Title>
      <Stack gap="sm">
        {groupProblems(problems).map((group) => (
          <Card key={group.section} withBorder p="sm" shadow="none" style={{ borderInlineStart: `3px solid var(--mantine-color-${tone}-6)` }}>
            <Group gap="xs" mb={6}>
              <Icon size={16} color={`var(--mantine-color-${tone}-7)`} aria-hidden />
              <Text size="sm" fw={600}>
                {t(sectionLabel[group.section])}
              </Text>
              <Badge color={tone} size="sm">
                <FormattedNumber value={group.problems.length} />
              </Badge>
            </Group>
            <List spacing={6} size="sm" listStyleType="none">
              {group.problems.map((p, i) => (
                <List.Item key={`${p.path}-${i}`}>
                  {/* Technical text from the server's checker (English): kept left to right as a block. */}
                  <div lang="en">
                    <Ltr block>
                      <Code style={{ wordBreak: 'break-all' }}>{p.path}</Code>
                      <Text size="sm" c="gray.8" mt={2}>
                        {p.message}
                      </Text>
                    </Ltr>
                  </div>
                </List.Item>
              ))}
            </List>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
