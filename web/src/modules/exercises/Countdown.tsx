import { useEffect, useRef } from 'react';
import { Badge, Group, Stack, Text } from '@mantine/core';
import { IconClockPause, IconFlag, IconHourglassHigh, IconPlayerPlay } from '@tabler/icons-react';
import { useIntl } from 'react-intl';
import { useT } from '../../i18n/useT.ts';
import { splitSeconds, urgency, useCountdown, type ClockLike } from './clock.ts';
import { phaseColor, phaseLabel } from './api.ts';

const colors = { calm: 'var(--mantine-color-navy-9)', soon: 'var(--mantine-color-orange-8)', urgent: 'var(--mantine-color-red-8)', over: 'var(--mantine-color-gray-6)' };
const invertedColors = { calm: 'var(--mantine-color-white)', soon: 'var(--mantine-color-orange-3)', urgent: 'var(--mantine-color-red-3)', over: 'var(--mantine-color-gray-4)' };

/** HH:MM:SS in the user's digits, always left to right. */
export function ClockDigits({ seconds, fz, color }: { seconds: number; fz: number | string; color?: string }) {
  const intl = useIntl();
  const { hours, minutes, seconds: s } = splitSeconds(seconds);
  const two = (n: number) => intl.formatNumber(n, { minimumIntegerDigits: 2, useGrouping: false });
  return (
    <Text component="bdi" dir="ltr" fz={fz} fw={700} lh={1} c={color} style={{ fontVariantNumeric: 'tabular-nums', letterSpacing: '0.02em', unicodeBidi: 'isolate' }}>
      {`${two(hours)}:${two(minutes)}:${two(s)}`}
    </Text>
  );
}

type Props = {
  clock: ClockLike;
  /** When the server's answer arrived (the query's dataUpdatedAt). */
  receivedAt: number;
  size?: 'sm' | 'lg' | 'xl';
  /** Shows the phase under the digits. */
  withPhase?: boolean;
  /** Light digits, for a dark background. */
  inverted?: boolean;
  /** Called once when a running clock reaches zero (the server then says what happens). */
  onElapsed?: () => void;
};

/** The exercise's countdown, ticking every second while it runs. */
export function Countdown({ clock, receivedAt, size = 'lg', withPhase = true, inverted = false, onElapsed }: Props) {
  const t = useT();
  const left = useCountdown(clock, receivedAt);
  const level = urgency(left, clock.phase);
  const palette = inverted ? invertedColors : colors;
  const elapsed = clock.phase === 'running' && left === 0;
  const told = useRef(false);
  useEffect(() => {
    if (elapsed && !told.current) {
      told.current = true;
      // A moment later: the server's clock decides when the time is up.
      const timer = window.setTimeout(() => onElapsed?.(), 1500);
      return () => window.clearTimeout(timer);
    }
    if (!elapsed) told.current = false;
  }, [elapsed, onElapsed]);
  const { hours, minutes } = splitSeconds(left);
  const fz = size === 'xl' ? 'clamp(2.5rem, 5vw, 3.75rem)' : size === 'lg' ? '2rem' : '1rem';
  const PhaseIcon = clock.phase === 'running' ? IconPlayerPlay : clock.phase === 'paused' ? IconClockPause : clock.phase === 'ended' ? IconFlag : IconHourglassHigh;
  const caption =
    clock.phase === 'running' ? t('exercises.clock.left') : clock.phase === 'paused' ? t('exercises.clock.pausedLeft') : clock.phase === 'ended' ? t('exercises.clock.over') : t('exercises.clock.duration');

  if (size === 'sm') {
    return (
      <Group gap={6} wrap="nowrap" role="timer" aria-label={`${t(phaseLabel[clock.phase])}: ${t('exercises.clock.aria', { hours, minutes })}`}>
        <PhaseIcon size={14} aria-hidden color={`var(--mantine-color-${phaseColor[clock.phase]}-7)`} />
        <ClockDigits seconds={left} fz="sm" color={level === 'calm' ? undefined : colors[level]} />
      </Group>
    );
  }
  return (
    <Stack gap={6} align="center" role="timer" aria-label={`${caption} ${t('exercises.clock.aria', { hours, minutes })}`}>
      <Text size="xs" c={inverted ? 'navy.1' : 'dimmed'} fw={600} tt="uppercase" className="nav-section-label" aria-hidden>
        {caption}
      </Text>
      <ClockDigits seconds={left} fz={fz} color={palette[level]} />
      {withPhase ? (
        <Badge color={phaseColor[clock.phase]} variant={inverted ? 'white' : clock.phase === 'running' ? 'dot' : 'light'} size="lg" leftSection={clock.phase === 'running' ? null : <PhaseIcon size={14} aria-hidden />}>
          {t(phaseLabel[clock.phase])}
        </Badge>
      ) : null}
    </Stack>
  );
}
