import { renderPdf, type PdfBlock } from '../../core/pdf.ts';
import type { Locale } from '../accounts/roles.ts';
import { toCsv } from './csv.ts';
import type { ExerciseReport, TeamReport, TimelineItem } from './schemas.ts';
import { skillLabel } from '../scenarios/skills.ts';
import { fill, textsFor, type ReportTexts } from './texts.ts';

// The report's files: PDF in the reader's language, CSV (one row per timeline
// item of a team; one row per objective and team of an exercise) and JSON.

type Localized = Partial<Record<Locale, string>>;

function formats(locale: Locale) {
  // Latin digits in every language: hashes, keys and times read alike in the tables.
  const tag = `${locale}-u-nu-latn`;
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const number = new Intl.NumberFormat(tag);
  return {
    at: (iso: string | null, none: string) => (iso ? `${dateTime.format(new Date(iso))} UTC` : none),
    percent: (x: number) => percent.format(x),
    number: (x: number) => number.format(x),
    pick: (text: Localized) => text[locale] ?? text.en ?? Object.values(text)[0] ?? '',
  };
}

/** h:mm:ss of game time. */
export function duration(seconds: number | null, none = '—'): string {
  if (seconds === null) return none;
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

const short = (text: string, max = 70) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Points an item brought (+) or cost (−): hint costs and advice penalties are recorded as positive numbers. */
function pointsOf(d: TimelineItem['details']): number | null {
  if (typeof d.points === 'number' && d.points !== 0) return d.reply === 'penalty' ? -Math.abs(d.points) : d.points;
  if (typeof d.cost === 'number' && d.cost !== 0) return -d.cost;
  return null;
}

/** A timeline item's facts in a few words: what it concerns, how it ended, its points. */
export function describe(item: Pick<TimelineItem, 'details'>, texts: ReportTexts): string {
  const d = item.details;
  const subject = d.objectiveKey ?? d.evidenceKey ?? d.hintKey ?? d.injectKey ?? d.party ?? (d.version !== undefined && d.version !== null ? `v${d.version}` : null);
  const outcome = typeof d.outcome === 'string' ? (texts.outcomes[d.outcome] ?? d.outcome) : typeof d.reply === 'string' ? (texts.outcomes[d.reply] ?? d.reply) : null;
  const points = pointsOf(d);
  const parts = [subject, outcome, typeof d.creditPercent === 'number' && d.outcome === 'partial' ? `${d.creditPercent}%` : null, points === null ? null : `${points > 0 ? '+' : ''}${points}`];
  if (typeof d.reason === 'string' && d.reason) parts.push(short(d.reason, 60));
  return parts.filter((p) => p !== null && p !== undefined && p !== '').join(' · ');
}

export function teamCsv(report: TeamReport): string {
  const header = ['time', 'game_seconds', 'kind', 'actor', 'subject', 'outcome', 'points', 'details'];
  return toCsv(
    header,
    report.timeline.map((i) => {
      const d = i.details;
      const subject = d.objectiveKey ?? d.evidenceKey ?? d.hintKey ?? d.injectKey ?? d.party ?? d.version ?? null;
      const points = pointsOf(d);
      const details = Object.entries(d)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `${k}=${v}`)
        .join('; ');
      return [i.at, i.gameSeconds, i.kind, i.actor?.displayName ?? null, subject, (d.outcome ?? d.reply ?? null) as string | null, points, details];
    }),
  );
}

export function exerciseCsv(report: ExerciseReport): string {
  const teams = new Map(report.teams.map((t) => [t.teamId, t.teamName]));
  const objectives = new Map(report.objectives.map((o) => [o.key, o]));
  const header = ['team', 'objective', 'objective_points', 'released', 'solved', 'solved_at', 'solved_game_seconds', 'seconds_to_solve', 'attempts', 'points_earned', 'objective_solve_rate', 'objective_median_seconds_to_solve'];
  return toCsv(
    header,
    report.cells.map((c) => {
      const o = objectives.get(c.objectiveKey);
      return [teams.get(c.teamId) ?? c.teamId, c.objectiveKey, o?.points ?? null, c.released, c.solved, c.solvedAt, c.solvedGameSeconds, c.secondsToSolve, c.attempts, c.pointsEarned, o ? Math.round(o.solveRate * 1000) / 1000 : null, o?.medianSecondsToSolve ?? null];
    }),
  );
}

function headBlocks(report: TeamReport | ExerciseReport, texts: ReportTexts, f: ReturnType<typeof formats>, team?: string): PdfBlock[] {
  const items = [
    { key: texts.labels.exercise, value: report.exerciseTitle },
    { key: texts.labels.scenario, value: f.pick(report.scenarioTitle) },
    ...(team ? [{ key: texts.labels.team, value: team }] : []),
    { key: texts.labels.status, value: texts.status[report.status] },
    { key: texts.labels.startedAt, value: f.at(report.startedAt, texts.none) },
    { key: texts.labels.endedAt, value: f.at(report.endedAt, texts.none) },
  ];
  return [{ kind: 'keyValues', items }];
}

/** The blocks of a team's printed report, in the reader's language. */
export function teamPdfBlocks(report: TeamReport, language: string): PdfBlock[] {
  const { locale, texts } = textsFor(language);
  const f = formats(locale);
  const s = report.summary;
  const blocks: PdfBlock[] = headBlocks(report, texts, f, report.teamName);
  if (!report.startedAt) blocks.push({ kind: 'paragraph', text: texts.notStarted, muted: true });
  blocks.push(
    { kind: 'heading', text: texts.sections.summary },
    {
      kind: 'keyValues',
      items: [
        { key: texts.labels.score, value: f.number(s.score) },
        { key: texts.labels.solved, value: `${f.number(s.solved)} / ${f.number(s.objectives)}` },
        { key: texts.labels.attempts, value: f.number(s.attempts) },
        { key: texts.labels.hints, value: `${f.number(s.hints)} (−${f.number(s.hintPoints)})` },
        { key: texts.labels.adviceRequests, value: f.number(s.adviceRequests) },
        { key: texts.labels.legalRequests, value: `${f.number(s.legalRequests)} (${texts.labels.legalGranted}: ${f.number(s.legalGranted)}, ${texts.labels.legalRefused}: ${f.number(s.legalRefused)})` },
        { key: texts.labels.adjustments, value: `${s.adjustmentPoints > 0 ? '+' : ''}${f.number(s.adjustmentPoints)}` },
      ],
    },
    { kind: 'heading', text: texts.sections.objectives },
    {
      kind: 'table',
      columns: [{ header: texts.labels.objective, width: 4 }, { header: texts.labels.points, align: 'end' }, { header: texts.labels.gameTime, width: 1.4, align: 'end' }, { header: texts.labels.timeToSolve, width: 1.3, align: 'end' }, { header: texts.labels.attempts, align: 'end' }, { header: texts.labels.earned, align: 'end' }],
      rows: report.objectives.map((o) => [`${o.key}: ${short(f.pick(o.prompt))}`, f.number(o.points), duration(o.solvedGameSeconds, texts.none), duration(o.secondsToSolve, texts.none), f.number(o.attempts), f.number(o.pointsEarned)]),
    },
  );
  if (report.skills.length > 0) {
    blocks.push(
      { kind: 'heading', text: texts.sections.skills },
      {
        kind: 'barChart',
        max: 1,
        bars: report.skills.map((k) => ({
          label: skillLabel(k.skill, locale),
          value: k.pointsAvailable === 0 ? 0 : k.pointsEarned / k.pointsAvailable,
          display: `${f.number(k.pointsEarned)} / ${f.number(k.pointsAvailable)} · ${k.solved}/${k.total}`,
        })),
      },
    );
  }
  if (report.caseFile) {
    const c = report.caseFile;
    blocks.push(
      { kind: 'heading', text: texts.sections.caseFile },
      {
        kind: 'keyValues',
        items: [
          { key: texts.labels.caseFileStatus, value: `${texts.status[c.status]}${c.submittedAt ? ` · ${f.at(c.submittedAt, texts.none)}` : ''}` },
          { key: texts.labels.finalReadiness, value: c.readiness === null ? texts.labels.notFinal : f.percent(c.readiness) },
          ...(c.provisionalReadiness === null ? [] : [{ key: texts.labels.provisionalReadiness, value: f.percent(c.provisionalReadiness) }]),
          { key: texts.labels.chargesReady, value: `${c.charges.filter((x) => x.ready).length} / ${c.charges.length}` },
        ],
      },
      { kind: 'table', columns: [{ header: texts.labels.charge, width: 4 }, { header: texts.labels.ready }], rows: c.charges.map((x) => [f.pick(x.title), x.ready ? texts.yes : texts.no]) },
    );
  }
  blocks.push(
    { kind: 'heading', text: texts.sections.timeline },
    {
      kind: 'table',
      columns: [{ header: texts.labels.time, width: 1 }, { header: texts.labels.event, width: 1.8 }, { header: '', width: 2.6 }, { header: texts.labels.actor, width: 1.4 }],
      rows: report.timeline.map((i) => [duration(i.gameSeconds), texts.kinds[i.kind], describe(i, texts), i.actor?.displayName ?? '']),
    },
  );
  return blocks;
}

export function teamPdf(report: TeamReport, language: string): Promise<Buffer> {
  const { locale, texts } = textsFor(language);
  const f = formats(locale);
  return renderPdf({
    title: texts.teamTitle,
    subtitle: `${report.teamName} — ${report.exerciseTitle}`,
    language: locale,
    subject: `${texts.teamTitle}: ${report.teamName}`,
    keywords: ['Cybercap', report.exerciseTitle, report.teamName],
    createdAt: new Date(report.generatedAt),
    footer: fill(texts.generated, { time: f.at(report.generatedAt, texts.none) }),
    pageLabel: (page, pages) => fill(texts.page, { page, pages }),
    blocks: teamPdfBlocks(report, language),
  });
}

export function exercisePdf(report: ExerciseReport, language: string): Promise<Buffer> {
  const { locale, texts } = textsFor(language);
  const f = formats(locale);
  const byKey = new Map(report.objectives.map((o) => [o.key, o]));
  const blocks: PdfBlock[] = headBlocks(report, texts, f);
  if (!report.startedAt) blocks.push({ kind: 'paragraph', text: texts.notStarted, muted: true });
  blocks.push(
    { kind: 'heading', text: texts.sections.teams },
    {
      kind: 'table',
      columns: [
        { header: texts.labels.rank, width: 0.6, align: 'end' },
        { header: texts.labels.team, width: 2.2 },
        { header: texts.labels.score, align: 'end' },
        { header: texts.labels.solved, align: 'end' },
        { header: texts.labels.hints, align: 'end' },
        { header: texts.labels.adviceRequests, align: 'end' },
        { header: `${texts.labels.legalGranted} / ${texts.labels.legalRefused}`, width: 1.4, align: 'end' },
        ...(report.chargeCount > 0 ? [{ header: texts.labels.readiness, align: 'end' as const }, { header: texts.labels.chargesReady, align: 'end' as const }] : []),
      ],
      rows: report.teams.map((t) => [
        f.number(t.rank),
        t.teamName,
        f.number(t.score),
        f.number(t.solved),
        f.number(t.hints),
        f.number(t.adviceRequests),
        `${f.number(t.legalGranted)} / ${f.number(t.legalRefused)}`,
        ...(report.chargeCount > 0 ? [t.readiness === null ? texts.none : f.percent(t.readiness), `${t.chargesReady} / ${report.chargeCount}`] : []),
      ]),
    },
    { kind: 'heading', text: texts.sections.solveRates },
    { kind: 'barChart', max: 1, bars: report.objectives.map((o) => ({ label: o.key, value: o.solveRate, display: f.percent(o.solveRate) })) },
    { kind: 'heading', text: texts.sections.objectiveStats },
    {
      kind: 'table',
      columns: [{ header: texts.labels.objective, width: 4 }, { header: texts.labels.points, align: 'end' }, { header: texts.labels.solved, align: 'end' }, { header: texts.labels.solveRate, align: 'end' }, { header: texts.labels.medianTime, width: 1.3, align: 'end' }, { header: texts.labels.attempts, align: 'end' }],
      rows: report.objectives.map((o) => [`${o.key}: ${short(f.pick(o.prompt))}`, f.number(o.points), `${o.solves} / ${report.teamCount}`, f.percent(o.solveRate), duration(o.medianSecondsToSolve, texts.none), f.number(o.attempts)]),
    },
    { kind: 'heading', text: texts.sections.hardest },
    {
      kind: 'table',
      columns: [{ header: texts.labels.objective, width: 4 }, { header: texts.labels.solveRate, align: 'end' }, { header: texts.labels.medianTime, width: 1.3, align: 'end' }],
      rows: report.hardest.map((key) => {
        const o = byKey.get(key)!;
        return [`${o.key}: ${short(f.pick(o.prompt))}`, f.percent(o.solveRate), duration(o.medianSecondsToSolve, texts.none)];
      }),
    },
    { kind: 'heading', text: texts.sections.advice },
    {
      kind: 'keyValues',
      items: [
        { key: texts.labels.requests, value: f.number(report.advice.requests) },
        { key: texts.labels.answered, value: f.number(report.advice.answered) },
        { key: texts.labels.medianReply, value: duration(report.advice.medianFirstReplySeconds, texts.none) },
        { key: texts.labels.p90Reply, value: duration(report.advice.p90FirstReplySeconds, texts.none) },
      ],
    },
  );
  if (report.advice.perExpert.length > 0) {
    blocks.push({
      kind: 'table',
      columns: [{ header: texts.labels.expert, width: 3 }, { header: texts.labels.replies, align: 'end' }, { header: texts.labels.medianReply, width: 1.6, align: 'end' }],
      rows: report.advice.perExpert.map((e) => [e.displayName, f.number(e.replies), duration(e.medianFirstReplySeconds, texts.none)]),
    });
  }
  return renderPdf({
    title: texts.exerciseTitle,
    subtitle: report.exerciseTitle,
    language: locale,
    subject: `${texts.exerciseTitle}: ${report.exerciseTitle}`,
    keywords: ['Cybercap', report.exerciseTitle],
    createdAt: new Date(report.generatedAt),
    footer: fill(texts.generated, { time: f.at(report.generatedAt, texts.none) }),
    pageLabel: (page, pages) => fill(texts.page, { page, pages }),
    blocks,
  });
}
