export function TeamReportPanel(_props: { exerciseId: string; teamId: string }) {
  return null;
}
