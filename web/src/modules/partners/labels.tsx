/**
 * Labels and badges of the partnership data in the user's language: kinds of
 * partnership, statuses of applications, agreements and secondments, data
 * categories, and TLP 2.0 levels (whose names are never translated).
 */
import { Badge, type MantineColor } from '@mantine/core';
import type { AccessState, AgreementStatus, ApplicationStatus, OfferKind, OfferStatus, PartnershipKind, SecondmentStatus, Tlp, dataCategories } from '@modules/partners/schemas.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';

export type DataCategory = (typeof dataCategories)[number];

export const partnersKey = ['partners'] as const;

export const kindLabel: Record<PartnershipKind, MessageId> = {
  data_sharing: 'partners.kind.data_sharing',
  expert_secondment: 'partners.kind.expert_secondment',
  analysis_tools_and_data: 'partners.kind.analysis_tools_and_data',
  training_support: 'partners.kind.training_support',
};

export const kindText: Record<PartnershipKind, MessageId> = {
  data_sharing: 'partners.kindText.data_sharing',
  expert_secondment: 'partners.kindText.expert_secondment',
  analysis_tools_and_data: 'partners.kindText.analysis_tools_and_data',
  training_support: 'partners.kindText.training_support',
};

export const applicationStatusLabel: Record<ApplicationStatus, MessageId> = {
  received: 'partners.appStatus.received',
  in_review: 'partners.appStatus.in_review',
  negotiating: 'partners.appStatus.negotiating',
  accepted: 'partners.appStatus.accepted',
  declined: 'partners.appStatus.declined',
};
const applicationStatusColor: Record<ApplicationStatus, MantineColor> = {
  received: 'blue',
  in_review: 'violet',
  negotiating: 'orange',
  accepted: 'teal',
  declined: 'gray',
};

export const agreementStatusLabel: Record<AgreementStatus, MessageId> = {
  draft: 'partners.agrStatus.draft',
  active: 'partners.agrStatus.active',
  suspended: 'partners.agrStatus.suspended',
  expired: 'partners.agrStatus.expired',
};
const agreementStatusColor: Record<AgreementStatus, MantineColor> = { draft: 'gray', active: 'teal', suspended: 'orange', expired: 'red' };

export const secondmentStatusLabel: Record<SecondmentStatus, MessageId> = {
  planned: 'partners.secStatus.planned',
  in_progress: 'partners.secStatus.in_progress',
  completed: 'partners.secStatus.completed',
  cancelled: 'partners.secStatus.cancelled',
};
const secondmentStatusColor: Record<SecondmentStatus, MantineColor> = { planned: 'blue', in_progress: 'teal', completed: 'gray', cancelled: 'red' };

export const categoryLabel: Record<DataCategory, MessageId> = {
  ransomware: 'partners.category.ransomware',
  bec: 'partners.category.bec',
  phishing: 'partners.category.phishing',
  cryptojacking: 'partners.category.cryptojacking',
  romance_scam: 'partners.category.romance_scam',
  other: 'partners.category.other',
};

export function ApplicationStatusBadge({ status }: { status: ApplicationStatus }) {
  const t = useT();
  return (
    <Badge color={applicationStatusColor[status]} variant="light" miw="max-content">
      {t(applicationStatusLabel[status])}
    </Badge>
  );
}

export function AgreementStatusBadge({ status }: { status: AgreementStatus }) {
  const t = useT();
  return (
    <Badge color={agreementStatusColor[status]} variant={status === 'expired' ? 'outline' : 'light'} miw="max-content">
      {t(agreementStatusLabel[status])}
    </Badge>
  );
}

export function SecondmentStatusBadge({ status }: { status: SecondmentStatus }) {
  const t = useT();
  return (
    <Badge color={secondmentStatusColor[status]} variant="light" miw="max-content">
      {t(secondmentStatusLabel[status])}
    </Badge>
  );
}

export const offerKindLabel: Record<OfferKind, MessageId> = { tool: 'partners.offerKind.tool', dataset: 'partners.offerKind.dataset' };
export const offerStatusLabel: Record<OfferStatus, MessageId> = { available: 'partners.offerStatus.available', withdrawn: 'partners.offerStatus.withdrawn' };

export const accessStateLabel: Record<AccessState, MessageId> = {
  pending: 'partners.access.state.pending',
  active: 'partners.access.state.active',
  expired: 'partners.access.state.expired',
  lapsed: 'partners.access.state.lapsed',
  refused: 'partners.access.state.refused',
  revoked: 'partners.access.state.revoked',
};
const accessStateColor: Record<AccessState, MantineColor> = { pending: 'blue', active: 'teal', expired: 'gray', lapsed: 'orange', refused: 'red', revoked: 'red' };

export function AccessStateBadge({ state }: { state: AccessState }) {
  const t = useT();
  return (
    <Badge color={accessStateColor[state]} variant={state === 'active' ? 'filled' : 'light'} miw="max-content">
      {t(accessStateLabel[state])}
    </Badge>
  );
}

export function OfferStatusBadge({ status, open }: { status: OfferStatus; open: boolean }) {
  const t = useT();
  if (status === 'available' && !open) {
    return (
      <Badge color="orange" variant="light" miw="max-content">
        {t('partners.offerStatus.closed')}
      </Badge>
    );
  }
  return (
    <Badge color={status === 'available' ? 'teal' : 'gray'} variant="light" miw="max-content">
      {t(offerStatusLabel[status])}
    </Badge>
  );
}

/** TLP 2.0 names: standard labels, the same in every language. */
export const tlpName: Record<Tlp, string> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  amber_strict: 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
};

// The FIRST TLP 2.0 colours: text on black for the label, as the standard shows them.
const tlpStyle: Record<Tlp, { color: string; background: string; border: string }> = {
  clear: { color: '#212529', background: '#ffffff', border: '1px solid #adb5bd' },
  green: { color: '#ffffff', background: '#2f9e44', border: '1px solid #2f9e44' },
  amber: { color: '#212529', background: '#ffc000', border: '1px solid #ffc000' },
  amber_strict: { color: '#212529', background: '#ffc000', border: '2px solid #7a4f01' },
  red: { color: '#ffffff', background: '#e03131', border: '1px solid #e03131' },
};

/** A TLP level as a badge coloured per TLP 2.0 (AMBER+STRICT: amber with a dark border). */
export function TlpBadge({ tlp }: { tlp: Tlp }) {
  const s = tlpStyle[tlp];
  return (
    <Badge radius="sm" miw="max-content" tt="none" fw={700} dir="ltr" style={{ color: s.color, background: s.background, border: s.border, letterSpacing: 0.3 }}>
      {tlpName[tlp]}
    </Badge>
  );
}
