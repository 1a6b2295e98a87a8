import { createContext, useContext, useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { ActionIcon, Box, Button, Group, Menu, Modal, Select, Stack, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconCalendarPlus, IconFolderPlus, IconUserPlus } from '@tabler/icons-react';
import { entityCreate, entityKinds, timelineEventCreate, type EntityCreate, type EntityKind, type LockReason, type TimelineEventCreate } from '@modules/casefile/schemas.ts';
import { api, isApiError, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { caseFileKey } from '../casefile/api.ts';
import { cleanValue, guessKind } from './entities.ts';
import { selectedTextWithin } from './selection.ts';

/**
 * "Add to case file" from any viewer of the workbench: a value becomes an
 * entity of the team's case file, or a timeline event, with the exhibit it
 * was found in. The viewers say what and where; this asks the rest.
 */

export type PickedValue = {
  value: string;
  /** The exhibit (evidence key) the value comes from; none for files dropped in the hash calculator. */
  exhibit?: string | null;
  /** A time found with the value (the log row's, the relay's), ISO-8601. */
  at?: string | null;
  /** What the value is, in the viewer's words (a header name, a column). */
  context?: string | null;
};

type Target = { exerciseId: string; accepting: boolean; viewer: RefObject<HTMLDivElement | null> };
const CaseFileTarget = createContext<Target | null>(null);
const OpenContext = createContext<(pick: PickedValue, as: 'entity' | 'event') => void>(() => undefined);

export const kindLabels: Record<EntityKind, MessageId> = {
  person: 'workbench.kind.person',
  organisation: 'workbench.kind.organisation',
  account: 'workbench.kind.account',
  wallet: 'workbench.kind.wallet',
  email: 'workbench.kind.email',
  ip: 'workbench.kind.ip',
  domain: 'workbench.kind.domain',
  url: 'workbench.kind.url',
  phone: 'workbench.kind.phone',
  iban: 'workbench.kind.iban',
  device: 'workbench.kind.device',
  file: 'workbench.kind.file',
  other: 'workbench.kind.other',
};

/** Gives the viewers inside it the "add to case file" actions (disabled when the exercise accepts no work). */
export function CaseFileProvider({ exerciseId, accepting, children }: Omit<Target, 'viewer'> & { children: ReactNode }) {
  const [open, setOpen] = useState<{ pick: PickedValue; as: 'entity' | 'event'; key: number } | null>(null);
  const viewer = useRef<HTMLDivElement>(null);
  return (
    <CaseFileTarget.Provider value={{ exerciseId, accepting, viewer }}>
      <OpenContext.Provider value={(pick, as) => setOpen({ pick, as, key: Date.now() })}>
        {children}
        <Modal opened={open !== null} onClose={() => setOpen(null)} title={open?.as === 'event' ? <AddTitle as="event" /> : <AddTitle as="entity" />} size="lg">
          {open ? (open.as === 'entity' ? <EntityForm key={open.key} pick={open.pick} onDone={() => setOpen(null)} /> : <EventForm key={open.key} pick={open.pick} onDone={() => setOpen(null)} />) : null}
        </Modal>
      </OpenContext.Provider>
    </CaseFileTarget.Provider>
  );
}

function AddTitle({ as }: { as: 'entity' | 'event' }) {
  const t = useT();
  return <>{t(as === 'entity' ? 'workbench.add.entityTitle' : 'workbench.add.eventTitle')}</>;
}

export function useAddToCaseFile() {
  const target = useContext(CaseFileTarget);
  const open = useContext(OpenContext);
  return { enabled: target?.accepting ?? false, open };
}

/** A small button beside a value: add it as an entity or as a timeline event. */
export function AddButton({ pick, size = 'sm' }: { pick: PickedValue; size?: 'xs' | 'sm' }) {
  const t = useT();
  const { enabled, open } = useAddToCaseFile();
  const label = t('workbench.add.label', { value: pick.value.length > 60 ? `${pick.value.slice(0, 60)}…` : pick.value });
  return (
    <Menu position="bottom-end" withinPortal>
      <Tooltip label={enabled ? t('workbench.add.tooltip') : t('workbench.add.closed')}>
        <Menu.Target>
          <ActionIcon variant="subtle" color="navy" size={size} aria-label={label} disabled={!enabled} onClick={(e) => e.stopPropagation()}>
            <IconFolderPlus size={size === 'xs' ? 14 : 16} aria-hidden />
          </ActionIcon>
        </Menu.Target>
      </Tooltip>
      <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
        <Menu.Item leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => open(pick, 'entity')}>
          {t('workbench.add.asEntity')}
        </Menu.Item>
        <Menu.Item leftSection={<IconCalendarPlus size={16} aria-hidden />} onClick={() => open(pick, 'event')}>
          {t('workbench.add.asEvent')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** Where the exhibit is shown: the selection buttons take only text selected in here. */
export function SelectionArea({ children }: { children: ReactNode }) {
  const t = useT();
  const target = useContext(CaseFileTarget);
  return (
    <Box ref={target?.viewer} component="section" aria-label={t('workbench.viewer')}>
      {children}
    </Box>
  );
}

/** The text selected in the viewer now, followed as the selection changes ("" when it is elsewhere or empty). */
function useViewerSelection(viewer: RefObject<HTMLDivElement | null> | undefined): string {
  const [text, setText] = useState('');
  useEffect(() => {
    const update = () => setText(selectedTextWithin(document.getSelection(), viewer?.current ?? null));
    update();
    document.addEventListener('selectionchange', update);
    return () => document.removeEventListener('selectionchange', update);
  }, [viewer]);
  return text;
}

/**
 * Adds the text selected in the exhibit viewer (kept selected: the buttons do not take the focus
 * on press). Disabled, with a hint, while nothing is selected there.
 */
export function AddSelectionButton({ exhibit }: { exhibit: string | null }) {
  const t = useT();
  const target = useContext(CaseFileTarget);
  const { enabled, open } = useAddToCaseFile();
  const selected = useViewerSelection(target?.viewer);
  const hintId = useId();
  const take = (as: 'entity' | 'event') => {
    const text = selectedTextWithin(document.getSelection(), target?.viewer.current ?? null);
    if (text) open({ value: text.slice(0, 500), exhibit }, as);
  };
  const usable = enabled && selected !== '';
  return (
    <Group gap="xs" wrap="wrap" justify="flex-end">
      {enabled ? (
        <Text id={hintId} size="xs" c="dimmed" maw={360} truncate>
          {selected ? t('workbench.add.selected', { text: selected.length > 60 ? `${selected.slice(0, 60)}…` : selected }) : t('workbench.add.selectInViewer')}
        </Text>
      ) : null}
      <Group gap={4} wrap="nowrap">
        <Button size="xs" variant="light" disabled={!usable} aria-describedby={enabled ? hintId : undefined} leftSection={<IconUserPlus size={14} aria-hidden />} onMouseDown={(e) => e.preventDefault()} onClick={() => take('entity')}>
          {t('workbench.add.selectionEntity')}
        </Button>
        <Button size="xs" variant="light" disabled={!usable} aria-describedby={enabled ? hintId : undefined} leftSection={<IconCalendarPlus size={14} aria-hidden />} onMouseDown={(e) => e.preventDefault()} onClick={() => take('event')}>
          {t('workbench.add.selectionEvent')}
        </Button>
      </Group>
    </Group>
  );
}

const lockText: Record<LockReason, MessageId> = {
  submitted: 'workbench.refused.submitted',
  deadline: 'workbench.refused.deadline',
  not_started: 'workbench.refused.notStarted',
  paused: 'workbench.refused.paused',
};

/** The text of a refusal: why the case file is locked (or paused), else the error by its code with what the server said. */
function useCaseFileRefusal() {
  const t = useT();
  const errorText = useErrorText();
  return (error: unknown) => {
    if (isApiError(error) && error.details && typeof error.details === 'object') {
      const details = error.details as Record<string, unknown>;
      const lock = details.reason === 'paused' ? 'paused' : details.lock;
      const id = typeof lock === 'string' ? lockText[lock as LockReason] : undefined;
      if (id) return t(id);
    }
    const text = errorText(error);
    return isApiError(error) && (error.code === 'conflict' || error.code === 'forbidden') && error.message ? `${text} ${error.message}` : text;
  };
}

/**
 * Posting an entity or an event to the team's case file: field errors go to the form, any other
 * refusal (a locked case file…) above it and in a notification.
 */
function useAddition<V, B>(form: UseFormReturnType<V>, item: 'entities' | 'events', savedMessage: MessageId, onDone: () => void) {
  const t = useT();
  const target = useContext(CaseFileTarget);
  const client = useQueryClient();
  const notify = useNotify();
  const refusal = useCaseFileRefusal();
  const [formError, setFormError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: B) => api.post(`/api/exercises/${seg(target?.exerciseId ?? '')}/case-file/${item}`, body),
    onSuccess: () => {
      notify.success(t(savedMessage));
      if (target) void client.invalidateQueries({ queryKey: caseFileKey(target.exerciseId, null) });
      onDone();
    },
    onError: (error) => {
      if (applyServerErrors(form, error, t)) return;
      const text = refusal(error);
      setFormError(text);
      notifications.show({ message: text, color: 'red', icon: <IconAlertTriangle size={18} aria-hidden />, withBorder: true, autoClose: 8000 });
    },
  });
  return { save, formError };
}

/** Below either form: the exhibit cited, cancel and save. */
function FormFooter({ exhibit, onDone, saving, icon, label }: { exhibit: string | null | undefined; onDone: () => void; saving: boolean; icon: ReactNode; label: string }) {
  const t = useT();
  return (
    <>
      <Text size="sm" c="dimmed">
        {exhibit ? (
          <>
            {t('workbench.add.exhibit')} <Ltr mono>{exhibit}</Ltr>
          </>
        ) : (
          t('workbench.add.noExhibit')
        )}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.action.cancel')}
        </Button>
        <Button type="submit" loading={saving} leftSection={icon}>
          {label}
        </Button>
      </Group>
    </>
  );
}

function EntityForm({ pick, onDone }: { pick: PickedValue; onDone: () => void }) {
  const t = useT();
  const value = cleanValue(pick.value);
  const form = useZodForm<{ kind: EntityKind; value: string; label: string; note: string }>(entityCreate, {
    initialValues: { kind: guessKind(value), value, label: '', note: pick.context ?? '' },
  });
  const { save, formError } = useAddition<typeof form.values, EntityCreate>(form, 'entities', 'workbench.add.entitySaved', onDone);
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        save.mutate({ kind: v.kind, value: v.value.trim(), ...(v.label.trim() ? { label: v.label.trim() } : {}), ...(v.note.trim() ? { note: v.note.trim() } : {}), ...(pick.exhibit ? { exhibit: pick.exhibit } : {}) }),
      )}
    >
      <Stack gap="sm">
        <FormError>{formError}</FormError>
        <Select label={t('workbench.add.kind')} description={t('workbench.add.kindHint')} data={entityKinds.map((k) => ({ value: k, label: t(kindLabels[k]) }))} allowDeselect={false} {...form.getInputProps('kind')} />
        <TextInput label={t('workbench.add.value')} required dir="ltr" styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} {...form.getInputProps('value')} />
        <TextInput label={t('workbench.add.entityLabel')} description={t('workbench.add.entityLabelHint')} {...form.getInputProps('label')} />
        <Textarea label={t('workbench.add.note')} autosize minRows={2} maxRows={6} {...form.getInputProps('note')} />
        <FormFooter exhibit={pick.exhibit} onDone={onDone} saving={save.isPending} icon={<IconUserPlus size={16} aria-hidden />} label={t('workbench.add.saveEntity')} />
      </Stack>
    </form>
  );
}

function EventForm({ pick, onDone }: { pick: PickedValue; onDone: () => void }) {
  const t = useT();
  const description = [pick.context, pick.value].filter(Boolean).join(': ').slice(0, 2000);
  const form = useZodForm<{ at: string; description: string }>(timelineEventCreate.omit({ exhibit: true }), { initialValues: { at: pick.at ?? '', description } });
  const { save, formError } = useAddition<typeof form.values, TimelineEventCreate>(form, 'events', 'workbench.add.eventSaved', onDone);
  return (
    <form noValidate onSubmit={form.onSubmit((v) => save.mutate({ at: v.at.trim(), description: v.description.trim(), ...(pick.exhibit ? { exhibit: pick.exhibit } : {}) }))}>
      <Stack gap="sm">
        <FormError>{formError}</FormError>
        <TextInput label={t('workbench.add.at')} description={t('workbench.add.atHint')} placeholder="2025-03-10T07:42:19Z" required dir="ltr" styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} {...form.getInputProps('at')} />
        <Textarea label={t('workbench.add.description')} required autosize minRows={3} maxRows={8} {...form.getInputProps('description')} />
        <FormFooter exhibit={pick.exhibit} onDone={onDone} saving={save.isPending} icon={<IconCalendarPlus size={16} aria-hidden />} label={t('workbench.add.saveEvent')} />
      </Stack>
    </form>
  );
}
