import type { TeamView } from '../play/api.ts';

export function WorkbenchPanel(_props: { exerciseId: string; view: TeamView; accepting: boolean }) {
  return null;
}
