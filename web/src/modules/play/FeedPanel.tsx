import { Badge, Card, Group, Stack, Text, ThemeIcon, Timeline, Title } from '@mantine/core';
import { IconBroadcast, IconSpeakerphone } from '@tabler/icons-react';
import { DateTime, RelativeTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useT } from '../../i18n/useT.ts';
import type { LocalizedText } from '../scenarios/localized.tsx';
import { Localized } from '../scenarios/localized.tsx';
import { RichText } from '../scenarios/RichText.tsx';
import type { TeamView } from './api.ts';

export type FeedEntry = { id: string; kind: 'inject' | 'announcement'; at: string; title: LocalizedText | null; message: LocalizedText | string | null };

/** Injects and announcements, newest first. */
export function feedOf(view: TeamView): FeedEntry[] {
  return [
    ...view.injects.map((i): FeedEntry => ({ id: `inject:${i.id}`, kind: 'inject', at: i.firedAt, title: i.title, message: i.message })),
    ...view.announcements.map((a): FeedEntry => ({ id: `announcement:${a.id}`, kind: 'announcement', at: a.createdAt, title: null, message: a.message })),
  ].sort((a, b) => b.at.localeCompare(a.at));
}

/** What happened in the investigation: injects (new information from the scenario) and the trainers' announcements. */
export function FeedPanel({ view, unreadSince }: { view: TeamView; unreadSince: string | null }) {
  const t = useT();
  const feed = feedOf(view);
  if (feed.length === 0) {
    return (
      <Card>
        <EmptyState icon={<IconSpeakerphone aria-hidden />} title={t('play.feed.emptyTitle')} description={t('play.feed.emptyDescription')} />
      </Card>
    );
  }
  return (
    <Card p="lg">
      <Timeline bulletSize={32} lineWidth={2} active={feed.length}>
        {feed.map((entry) => {
          const fresh = unreadSince !== null && entry.at > unreadSince;
          return (
            <Timeline.Item
              key={entry.id}
              bullet={
                <ThemeIcon radius="xl" size={32} color={entry.kind === 'inject' ? 'navy' : 'grape'} aria-hidden>
                  {entry.kind === 'inject' ? <IconSpeakerphone size={17} /> : <IconBroadcast size={17} />}
                </ThemeIcon>
              }
            >
              <Stack gap={4} pb="md">
                <Group gap="xs">
                  <Title order={3} fz="sm">
                    {entry.title ? <Localized text={entry.title} /> : t('play.feed.announcement')}
                  </Title>
                  <Badge size="xs" variant="light" color={entry.kind === 'inject' ? 'navy' : 'grape'}>
                    {t(entry.kind === 'inject' ? 'play.feed.inject' : 'play.feed.announcement')}
                  </Badge>
                  {fresh ? (
                    <Badge size="xs" color="red" variant="filled">
                      {t('play.feed.new')}
                    </Badge>
                  ) : null}
                </Group>
                <Text size="xs" c="dimmed">
                  <RelativeTime value={entry.at} /> · <DateTime value={entry.at} />
                </Text>
                {typeof entry.message === 'string' ? (
                  <RichText text={entry.message} />
                ) : entry.message ? (
                  <Localized text={entry.message} component="div" render={(text) => <RichText text={text} />} />
                ) : null}
              </Stack>
            </Timeline.Item>
          );
        })}
      </Timeline>
    </Card>
  );
}
