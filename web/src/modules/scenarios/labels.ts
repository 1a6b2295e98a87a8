/** Translated labels and icons for the vocabulary of scenario packages. */
import {
  IconBinary,
  IconCurrencyBitcoin,
  IconDeviceMobile,
  IconFile,
  IconFileDescription,
  IconFileText,
  IconMail,
  IconMessages,
  IconNetwork,
  IconPhoto,
  type Icon,
} from '@tabler/icons-react';
import type { difficulties, evidenceKinds, themes } from '@modules/scenarios/definition.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import type { Translate } from '../../i18n/useT.ts';
import type { PackageSection } from './api.ts';

export type Theme = (typeof themes)[number];
export type Difficulty = (typeof difficulties)[number];
export type EvidenceKind = (typeof evidenceKinds)[number];

export const themeLabel: Record<Theme, MessageId> = {
  bitcoin_blackmail: 'scenarios.theme.bitcoin_blackmail',
  ransomware: 'scenarios.theme.ransomware',
  bank_attack: 'scenarios.theme.bank_attack',
  business_email_compromise: 'scenarios.theme.business_email_compromise',
  phishing: 'scenarios.theme.phishing',
  romance_scam: 'scenarios.theme.romance_scam',
  cryptojacking: 'scenarios.theme.cryptojacking',
  other: 'scenarios.theme.other',
};

export const difficultyLabel: Record<Difficulty, MessageId> = {
  beginner: 'scenarios.difficulty.beginner',
  intermediate: 'scenarios.difficulty.intermediate',
  advanced: 'scenarios.difficulty.advanced',
  expert: 'scenarios.difficulty.expert',
};

export const difficultyColor: Record<Difficulty, string> = { beginner: 'teal', intermediate: 'blue', advanced: 'orange', expert: 'red' };

export const kindLabel: Record<EvidenceKind, MessageId> = {
  email: 'scenarios.kind.email',
  log: 'scenarios.kind.log',
  blockchain: 'scenarios.kind.blockchain',
  chat: 'scenarios.kind.chat',
  device_extract: 'scenarios.kind.device_extract',
  document: 'scenarios.kind.document',
  image: 'scenarios.kind.image',
  network_capture: 'scenarios.kind.network_capture',
  binary: 'scenarios.kind.binary',
  other: 'scenarios.kind.other',
};

export const kindIcon: Record<EvidenceKind, Icon> = {
  email: IconMail,
  log: IconFileText,
  blockchain: IconCurrencyBitcoin,
  chat: IconMessages,
  device_extract: IconDeviceMobile,
  document: IconFileDescription,
  image: IconPhoto,
  network_capture: IconNetwork,
  binary: IconBinary,
  other: IconFile,
};

export const kindIconOf = (kind: string): Icon => kindIcon[kind as EvidenceKind] ?? IconFile;
export const kindLabelOf = (kind: string): MessageId => kindLabel[kind as EvidenceKind] ?? 'scenarios.kind.other';

export const answerTypes = ['exact', 'regex', 'number', 'one_of', 'set', 'datetime'] as const;
export type AnswerType = (typeof answerTypes)[number];
export const answerTypeLabel: Record<AnswerType, MessageId> = {
  exact: 'scenarios.answerType.exact',
  regex: 'scenarios.answerType.regex',
  number: 'scenarios.answerType.number',
  one_of: 'scenarios.answerType.one_of',
  set: 'scenarios.answerType.set',
  datetime: 'scenarios.answerType.datetime',
};
export const answerTypeLabelOf = (type: string): MessageId => answerTypeLabel[type as AnswerType] ?? 'scenarios.answerType.exact';

export const sectionLabel: Record<PackageSection, MessageId> = {
  format: 'scenarios.section.format',
  id: 'scenarios.section.id',
  version: 'scenarios.section.version',
  title: 'scenarios.section.title',
  briefing: 'scenarios.section.briefing',
  theme: 'scenarios.section.theme',
  durationMinutes: 'scenarios.section.durationMinutes',
  difficulty: 'scenarios.section.difficulty',
  skills: 'scenarios.section.skills',
  variables: 'scenarios.section.variables',
  evidence: 'scenarios.section.evidence',
  objectives: 'scenarios.section.objectives',
  hints: 'scenarios.section.hints',
  injects: 'scenarios.section.injects',
  scoring: 'scenarios.section.scoring',
  trainerGuide: 'scenarios.section.trainerGuide',
  yaml: 'scenarios.section.yaml',
  package: 'scenarios.section.package',
  files: 'scenarios.section.files',
};

/** When an item (evidence, objective) is given to the teams, in words. */
export function releaseText(t: Translate, release: Record<string, unknown>, injectTitle: (id: string) => string): string {
  if ('afterMinutes' in release) return t('scenarios.release.afterMinutes', { minutes: Number(release.afterMinutes) });
  if ('inject' in release) return t('scenarios.release.inject', { inject: injectTitle(String(release.inject)) });
  return t('scenarios.release.start');
}

/** What fires an inject, in words. */
export function triggerText(t: Translate, trigger: Record<string, unknown>, objectiveName: (id: string) => string): string {
  if ('afterMinutes' in trigger) return t('scenarios.trigger.afterMinutes', { minutes: Number(trigger.afterMinutes) });
  if ('onSolve' in trigger) return t('scenarios.trigger.onSolve', { objective: objectiveName(String(trigger.onSolve)) });
  return t('scenarios.trigger.manual');
}

export const isManualTrigger = (trigger: Record<string, unknown>) => 'manual' in trigger;
