import type { Scoreboard } from '@modules/scoring/schemas.ts';

/**
 * Scores as chart rows: one row per moment any score changed, each team's
 * score carried forward; with `until`, a last row then, so that the lines run
 * to the present (or to the freeze).
 */
export function chartRows(board: Pick<Scoreboard, 'series' | 'ranking'>, until?: number): Array<Record<string, number>> {
  const names = new Map(board.ranking.map((r) => [r.teamId, r.teamName]));
  const times = [...new Set(board.series.flatMap((s) => s.points.map((p) => Date.parse(p.at))))].sort((a, b) => a - b);
  const last = times[times.length - 1];
  if (until !== undefined && last !== undefined && until > last) times.push(until);
  const cursor = new Map<string, number>();
  return times.map((time) => {
    const row: Record<string, number> = { time };
    for (const s of board.series) {
      const name = names.get(s.teamId);
      if (!name) continue;
      let i = cursor.get(s.teamId) ?? -1;
      while (i + 1 < s.points.length && Date.parse(s.points[i + 1]!.at) <= time) i++;
      cursor.set(s.teamId, i);
      row[name] = i >= 0 ? (s.points[i]?.score ?? 0) : 0;
    }
    return row;
  });
}
