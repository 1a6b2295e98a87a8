import type { TeamView } from '../play/api.ts';

export function CaseFilePanel(_props: { exerciseId: string; view: TeamView; accepting: boolean }) {
  return null;
}
