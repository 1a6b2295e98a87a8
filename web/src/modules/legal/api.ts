import { useQuery } from '@tanstack/react-query';
import {
  IconBuildingBank,
  IconBuildingBroadcastTower,
  IconCurrencyBitcoin,
  IconMail,
  IconShieldCheck,
  IconServer,
  IconShieldQuestion,
  IconUsersGroup,
  IconWorldWww,
  type Icon,
} from '@tabler/icons-react';
import type { IdentifierKind, LegalParty, LegalPartySummary, LegalRequest, LegalRequestCreate, LegalRequestType, LegalStatus, legalPartyKinds } from '@modules/legal/schemas.ts';
import type { Page } from '../../core/table/usePagedQuery.ts';
import { api, seg } from '../../core/api.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { exerciseKey } from '../exercises/api.ts';

export type { IdentifierKind, LegalParty, LegalPartySummary, LegalRequest, LegalRequestCreate, LegalRequestType, LegalStatus };

/** Every legal query of an exercise starts with this key: one live event refreshes them all. */
export const legalKey = (id: string) => [...exerciseKey(id), 'legal'] as const;
export const legalBase = (id: string) => `/api/exercises/${seg(id)}/legal`;

export const useParties = (id: string) => useQuery({ queryKey: [...legalKey(id), 'parties'], queryFn: ({ signal }) => api.get<LegalParty[]>(`${legalBase(id)}/parties`, { signal }), staleTime: 5 * 60_000 });

/** The team's own requests, newest first (one page of up to 200: a team sends a handful). */
export const useTeamRequests = (id: string, refetchInterval: number | false) =>
  useQuery({ queryKey: [...legalKey(id), 'team'], queryFn: ({ signal }) => api.get<Page<LegalRequest>>(`${legalBase(id)}/requests?pageSize=200`, { signal }), refetchInterval });

export const useLegalSummary = (id: string, refetchInterval: number | false) =>
  useQuery({ queryKey: [...legalKey(id), 'summary'], queryFn: ({ signal }) => api.get<LegalPartySummary[]>(`${legalBase(id)}/summary`, { signal }), refetchInterval });

export const sendRequest = (id: string, body: LegalRequestCreate) => api.post<LegalRequest>(`${legalBase(id)}/requests`, body);

type PartyKind = (typeof legalPartyKinds)[number];

export const partyKindLabel: Record<PartyKind, MessageId> = {
  exchange: 'legal.partyKind.exchange',
  isp: 'legal.partyKind.isp',
  social_network: 'legal.partyKind.social_network',
  email_provider: 'legal.partyKind.email_provider',
  bank: 'legal.partyKind.bank',
  hosting_provider: 'legal.partyKind.hosting_provider',
  registrar: 'legal.partyKind.registrar',
  foreign_police: 'legal.partyKind.foreign_police',
  other: 'legal.partyKind.other',
};
export const partyKindIcon: Record<PartyKind, Icon> = {
  exchange: IconCurrencyBitcoin,
  isp: IconBuildingBroadcastTower,
  social_network: IconUsersGroup,
  email_provider: IconMail,
  bank: IconBuildingBank,
  hosting_provider: IconServer,
  registrar: IconWorldWww,
  foreign_police: IconShieldCheck,
  other: IconShieldQuestion,
};

export const typeLabel: Record<LegalRequestType, MessageId> = {
  preservation: 'legal.type.preservation',
  production_order: 'legal.type.production_order',
  subscriber_information: 'legal.type.subscriber_information',
  mutual_legal_assistance: 'legal.type.mutual_legal_assistance',
};
export const typeHelp: Record<LegalRequestType, MessageId> = {
  preservation: 'legal.typeHelp.preservation',
  production_order: 'legal.typeHelp.production_order',
  subscriber_information: 'legal.typeHelp.subscriber_information',
  mutual_legal_assistance: 'legal.typeHelp.mutual_legal_assistance',
};

export const identifierLabel: Record<IdentifierKind, MessageId> = {
  ip: 'legal.identifier.ip',
  wallet: 'legal.identifier.wallet',
  account: 'legal.identifier.account',
  email: 'legal.identifier.email',
  domain: 'legal.identifier.domain',
  url: 'legal.identifier.url',
  phone: 'legal.identifier.phone',
  iban: 'legal.identifier.iban',
  username: 'legal.identifier.username',
  other: 'legal.identifier.other',
};

export const statusLabel: Record<LegalStatus, MessageId> = {
  pending: 'legal.status.pending',
  granted: 'legal.status.granted',
  refused: 'legal.status.refused',
  already_provided: 'legal.status.already_provided',
};
export const statusColor: Record<LegalStatus, string> = { pending: 'blue', granted: 'teal', refused: 'red', already_provided: 'gray' };
