import type { ExerciseSummary, Team } from '../exercises/api.ts';

export function LegalStaffPanel(_props: { exercise: ExerciseSummary; teams: Team[] }) {
  return null;
}
