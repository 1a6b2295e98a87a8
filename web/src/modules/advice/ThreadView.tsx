import { useState } from 'react';
import { Badge, Box, Button, Group, Paper, Stack, Text, Textarea, ThemeIcon } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconBulb, IconCoin, IconPaperclip, IconSend } from '@tabler/icons-react';
import { adviceMessageCreate } from '@modules/advice/schemas.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { DateTime, RelativeTime } from '../../components/DateTime.tsx';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { adviceKey, postMessage, statusColor, statusLabel, type AdviceMessage, type AdviceThread } from './api.ts';
import { useAdviceRefusal } from './refusals.ts';

const maxLength = 5000;

/**
 * One request and its messages, as a conversation: the team's on one side,
 * the staff's on the other and highlighted, the desk's actions (a hint
 * granted, the penalty applied) as lines of their own.
 */
export function ThreadView({
  exerciseId,
  thread,
  viewer,
  exhibitTitle,
  exhibitHref,
  hintLabel,
  canWrite,
}: {
  exerciseId: string;
  thread: AdviceThread;
  viewer: 'team' | 'staff';
  exhibitTitle?: string | undefined;
  exhibitHref?: string | undefined;
  hintLabel: (hintKey: string) => string;
  canWrite: boolean;
}) {
  const t = useT();
  const r = thread.request;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text fw={600} dir="auto" style={{ overflowWrap: 'anywhere' }}>
            {r.subject}
          </Text>
          <Text size="xs" c="dimmed">
            {t('advice.thread.raised', { team: r.teamName, name: r.raisedByName })} · <DateTime value={r.raisedAt} />
          </Text>
        </Stack>
        <Badge color={statusColor[r.status]} variant="light" style={{ flexShrink: 0 }}>
          {t(statusLabel[r.status])}
        </Badge>
      </Group>
      {r.evidence ? (
        <Paper withBorder p="xs" radius="md">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <IconPaperclip size={16} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Text size="sm">
                {exhibitHref ? (
                  <a href={exhibitHref} target="_blank" rel="noreferrer">
                    {exhibitTitle ?? <Ltr mono>{r.evidence.key}</Ltr>}
                  </a>
                ) : (
                  (exhibitTitle ?? <Ltr mono>{r.evidence.key}</Ltr>)
                )}
              </Text>
              <Text size="xs" c="dimmed">
                {t('advice.thread.hash')} <Ltr mono>{r.evidence.sha256}</Ltr>
              </Text>
            </Stack>
          </Group>
        </Paper>
      ) : null}
      <Stack gap="sm" component="ol" aria-label={t('advice.thread.messages')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {thread.messages.map((m) => (
          <MessageLine key={m.id} message={m} viewer={viewer} hintLabel={hintLabel} />
        ))}
      </Stack>
      {canWrite && r.status !== 'closed' ? <Reply exerciseId={exerciseId} requestId={r.id} viewer={viewer} /> : null}
      {r.status === 'closed' ? (
        <Text size="sm" c="dimmed" ta="center">
          {t('advice.thread.closed')}
        </Text>
      ) : null}
    </Stack>
  );
}

function MessageLine({ message: m, viewer, hintLabel }: { message: AdviceMessage; viewer: 'team' | 'staff'; hintLabel: (hintKey: string) => string }) {
  const t = useT();
  if (m.kind === 'hint' || m.kind === 'penalty') {
    const hint = m.kind === 'hint';
    return (
      <Box component="li">
        <Group gap="xs" justify="center" wrap="nowrap">
          <ThemeIcon size="sm" variant="light" color={hint ? 'yellow' : 'red'} radius="xl" aria-hidden>
            {hint ? <IconBulb size={14} /> : <IconCoin size={14} />}
          </ThemeIcon>
          <Text size="sm" c="dimmed">
            {hint ? t('advice.system.hint', { name: m.authorName }) : t('advice.system.penalty', { name: m.authorName, points: m.points ?? 0 })}
            {' · '}
            <RelativeTime value={m.createdAt} />
          </Text>
        </Group>
        {hint ? (
          <Text size="sm" mt={4} mx="auto" maw="85%" p="xs" bg="var(--mantine-color-yellow-0)" style={{ borderRadius: 'var(--mantine-radius-md)', whiteSpace: 'pre-wrap' }}>
            {hintLabel(m.hintKey ?? '')}
          </Text>
        ) : null}
      </Box>
    );
  }
  const staff = m.kind === 'staff';
  // Each side sees its own messages at the end, as in a chat.
  const mine = (viewer === 'staff') === staff;
  return (
    <Box component="li" style={{ display: 'flex', justifyContent: mine ? 'flex-end' : 'flex-start' }}>
      <Paper
        p="sm"
        radius="md"
        withBorder={!staff}
        bg={staff ? 'var(--mantine-color-blue-0)' : undefined}
        style={{ maxWidth: '85%', borderInlineStart: staff ? '3px solid var(--mantine-color-blue-6)' : undefined }}
      >
        <Group gap={6} mb={4} wrap="wrap">
          <Text size="xs" fw={600}>
            {m.authorName}
          </Text>
          {staff ? (
            <Badge size="xs" variant="light" color="blue">
              {t('advice.thread.expert')}
            </Badge>
          ) : null}
          <Text size="xs" c="dimmed">
            <DateTime value={m.createdAt} />
          </Text>
        </Group>
        <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {m.body}
        </Text>
      </Paper>
    </Box>
  );
}

function Reply({ exerciseId, requestId, viewer }: { exerciseId: string; requestId: string; viewer: 'team' | 'staff' }) {
  const t = useT();
  const client = useQueryClient();
  const refusal = useAdviceRefusal();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm(adviceMessageCreate, { initialValues: { text: '' } });
  const send = useMutation({
    mutationFn: (v: { text: string }) => postMessage(exerciseId, requestId, v.text.trim()),
    onSuccess: () => {
      form.reset();
      setFormError(null);
      void client.invalidateQueries({ queryKey: adviceKey(exerciseId) });
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(refusal(error));
    },
  });
  return (
    <form noValidate onSubmit={form.onSubmit((v) => send.mutate(v))}>
      <Stack gap="xs">
        <FormError>{formError}</FormError>
        <Textarea
          label={viewer === 'staff' ? t('advice.reply.staffLabel') : t('advice.reply.teamLabel')}
          autosize
          minRows={2}
          maxRows={10}
          maxLength={maxLength}
          disabled={send.isPending}
          {...form.getInputProps('text')}
        />
        <Group justify="flex-end">
          <Button type="submit" size="sm" leftSection={<IconSend size={16} aria-hidden className="mirror-rtl" />} loading={send.isPending}>
            {viewer === 'staff' ? t('advice.reply.sendStaff') : t('advice.reply.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
