/**
 * Shared pieces of the information-sharing pages: types of the server's
 * answers, labels of indicator types, crime types and correlation states,
 * and indicator values shown left to right with a copy button.
 */
import { ActionIcon, CopyButton, Group, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { z } from 'zod';
import type { correlations, indicator, indicatorHit, IndicatorType, notification, report, reportSummary, Tlp } from '@modules/sharing/schemas.ts';
import { Ltr } from '../../components/Ltr.tsx';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';

export { categoryLabel as crimeTypeLabel, TlpBadge, tlpName } from '../partners/labels.tsx';

export type ReportSummary = z.infer<typeof reportSummary>;
export type Report = z.infer<typeof report>;
export type Indicator = z.infer<typeof indicator>;
export type IndicatorHit = z.infer<typeof indicatorHit>;
export type Correlations = z.infer<typeof correlations>;
export type CorrelationNotification = z.infer<typeof notification>;

export const sharingKey = ['sharing'] as const;

export const indicatorTypeLabel: Record<IndicatorType, MessageId> = {
  ipv4: 'sharing.type.ipv4',
  ipv6: 'sharing.type.ipv6',
  cidr: 'sharing.type.cidr',
  domain: 'sharing.type.domain',
  url: 'sharing.type.url',
  email: 'sharing.type.email',
  md5: 'sharing.type.md5',
  sha1: 'sharing.type.sha1',
  sha256: 'sharing.type.sha256',
  bitcoin: 'sharing.type.bitcoin',
  wallet: 'sharing.type.wallet',
  phone: 'sharing.type.phone',
  iban: 'sharing.type.iban',
};

/** TLP 2.0 meaning of each level, shown next to the TLP select and on the report banner. */
export const tlpText: Record<Tlp, MessageId> = {
  clear: 'sharing.tlpText.clear',
  green: 'sharing.tlpText.green',
  amber: 'sharing.tlpText.amber',
  amber_strict: 'sharing.tlpText.amber_strict',
  red: 'sharing.tlpText.red',
};

/** AMBER+STRICT and RED are addressed to named recipients only; CLEAR and GREEN to nobody in particular. */
export const needsRecipients = (tlp: Tlp | null) => tlp === 'amber_strict' || tlp === 'red';
export const refusesRecipients = (tlp: Tlp | null) => tlp === 'clear' || tlp === 'green';

/** An indicator value (IP, hash, URL, e-mail, wallet…): left to right, monospace, with a copy button. */
export function IndicatorValue({ value, label }: { value: string; label?: string }) {
  const t = useT();
  return (
    <Group gap={4} wrap="nowrap" align="center">
      <Ltr mono fz="sm" style={{ wordBreak: 'break-all' }}>
        {value}
      </Ltr>
      <CopyButton value={value} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('common.action.copied') : t('common.action.copy')} withArrow>
            <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} size="sm" onClick={copy} aria-label={copied ? t('common.action.copied') : t('common.action.copyLabel', { what: label ?? value })}>
              {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
