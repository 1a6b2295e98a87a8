import type { AppContext } from '../../core/http/types.ts';
import type { AuthenticatedUser } from '../../core/auth/context.ts';
import { renderPdf, type PdfBlock, type PdfColumn } from '../../core/pdf.ts';
import type { LocalizedText } from '../scenarios/definition.ts';
import { downloadDisposition } from '../reports/file-names.ts';
import { getCaseFile } from './service.ts';
import type { CaseFile, Citation } from './schemas.ts';

// The printable prosecution report of a case file: the charges brought with,
// per element, the finding, facts, exhibits with their hashes and
// admissibility, and the reasoning; the entities; the timeline; and the
// experts' evaluation when the caller may see it. Written in the reader's language.

type Lang = 'en' | 'fr' | 'es' | 'ar';

const labels = {
  en: {
    title: 'Prosecution report', status: 'Status', draft: 'Draft', submitted: 'Submitted', version: 'Version', submittedAt: 'Submitted at', readiness: 'Prosecution readiness',
    provisional: 'provisional (automatic check)', final: 'final (experts’ evaluation)', charges: 'Charges', notBrought: 'No charge brought yet.', basis: 'Legal basis', budapest: 'Budapest Convention, art.', ready: 'Ready for prosecution', notReady: 'Not ready',
    element: 'Element', required: 'required', optional: 'optional', weight: 'weight', finding: 'Finding', reasoning: 'Reasoning', facts: 'Facts', established: 'established', notEstablished: 'not established',
    exhibits: 'Exhibits', exhibit: 'Exhibit', sha256: 'SHA-256 recorded', citedAt: 'Cited at', admissible: 'Admissible', yes: 'yes', no: 'no', automatic: 'Automatic check', verdict: 'Experts’ verdict',
    supported: 'supported', partly: 'partly supported', unsupported: 'unsupported', proven: 'proven', partlyProven: 'partly proven', notProven: 'not proven',
    copy_changed: 'the team’s copy no longer has this hash', file_altered: 'the stored file was altered after acquisition', not_released: 'no longer in the team’s locker',
    entities: 'Entities', kind: 'Kind', value: 'Value', label: 'Label', timeline: 'Timeline', at: 'Time (UTC)', description: 'Event', none: 'None.', evaluation: 'Evaluation', evaluator: 'Evaluator', round: 'Round', comment: 'Comment',
    generated: 'Generated', page: 'Page',
  },
  fr: {
    title: 'Rapport de poursuite', status: 'Statut', draft: 'Brouillon', submitted: 'Remis', version: 'Version', submittedAt: 'Remis le', readiness: 'Préparation des poursuites',
    provisional: 'provisoire (contrôle automatique)', final: 'définitive (évaluation des experts)', charges: 'Chefs d’accusation', notBrought: 'Aucun chef d’accusation retenu pour l’instant.', basis: 'Base légale', budapest: 'Convention de Budapest, art.', ready: 'Prêt pour les poursuites', notReady: 'Pas prêt',
    element: 'Élément', required: 'obligatoire', optional: 'facultatif', weight: 'poids', finding: 'Constatation', reasoning: 'Raisonnement', facts: 'Faits', established: 'établi', notEstablished: 'non établi',
    exhibits: 'Pièces à conviction', exhibit: 'Pièce', sha256: 'SHA-256 enregistré', citedAt: 'Citée le', admissible: 'Recevable', yes: 'oui', no: 'non', automatic: 'Contrôle automatique', verdict: 'Verdict des experts',
    supported: 'étayé', partly: 'partiellement étayé', unsupported: 'non étayé', proven: 'prouvé', partlyProven: 'partiellement prouvé', notProven: 'non prouvé',
    copy_changed: 'la copie de l’équipe n’a plus cette empreinte', file_altered: 'le fichier conservé a été modifié après son acquisition', not_released: 'n’est plus dans le casier de l’équipe',
    entities: 'Entités', kind: 'Type', value: 'Valeur', label: 'Libellé', timeline: 'Chronologie', at: 'Heure (UTC)', description: 'Événement', none: 'Aucun.', evaluation: 'Évaluation', evaluator: 'Évaluateur', round: 'Tour', comment: 'Commentaire',
    generated: 'Généré le', page: 'Page',
  },
  es: {
    title: 'Informe de acusación', status: 'Estado', draft: 'Borrador', submitted: 'Presentado', version: 'Versión', submittedAt: 'Presentado el', readiness: 'Preparación para la acusación',
    provisional: 'provisional (control automático)', final: 'definitiva (evaluación de los expertos)', charges: 'Cargos', notBrought: 'Todavía no se ha formulado ningún cargo.', basis: 'Base jurídica', budapest: 'Convenio de Budapest, art.', ready: 'Listo para la acusación', notReady: 'No está listo',
    element: 'Elemento', required: 'obligatorio', optional: 'opcional', weight: 'peso', finding: 'Conclusión', reasoning: 'Razonamiento', facts: 'Hechos', established: 'establecido', notEstablished: 'no establecido',
    exhibits: 'Pruebas', exhibit: 'Prueba', sha256: 'SHA-256 registrado', citedAt: 'Citada el', admissible: 'Admisible', yes: 'sí', no: 'no', automatic: 'Control automático', verdict: 'Veredicto de los expertos',
    supported: 'fundamentado', partly: 'parcialmente fundamentado', unsupported: 'sin fundamento', proven: 'probado', partlyProven: 'parcialmente probado', notProven: 'no probado',
    copy_changed: 'la copia del equipo ya no tiene este hash', file_altered: 'el archivo almacenado se alteró después de su adquisición', not_released: 'ya no está en el casillero del equipo',
    entities: 'Entidades', kind: 'Tipo', value: 'Valor', label: 'Etiqueta', timeline: 'Cronología', at: 'Hora (UTC)', description: 'Evento', none: 'Ninguno.', evaluation: 'Evaluación', evaluator: 'Evaluador', round: 'Ronda', comment: 'Comentario',
    generated: 'Generado el', page: 'Página',
  },
  ar: {
    title: 'تقرير الملاحقة القضائية', status: 'الحالة', draft: 'مسودة', submitted: 'مقدَّم', version: 'الإصدار', submittedAt: 'تاريخ التقديم', readiness: 'الجاهزية للملاحقة القضائية',
    provisional: 'مؤقتة (فحص تلقائي)', final: 'نهائية (تقييم الخبراء)', charges: 'التهم', notBrought: 'لم تُوجَّه أي تهمة بعد.', basis: 'الأساس القانوني', budapest: 'اتفاقية بودابست، المادة', ready: 'جاهزة للملاحقة', notReady: 'غير جاهزة',
    element: 'العنصر', required: 'إلزامي', optional: 'اختياري', weight: 'الوزن', finding: 'الاستنتاج', reasoning: 'التعليل', facts: 'الوقائع', established: 'ثابتة', notEstablished: 'غير ثابتة',
    exhibits: 'الأدلة', exhibit: 'الدليل', sha256: 'بصمة SHA-256 المسجلة', citedAt: 'تاريخ الاستشهاد', admissible: 'مقبول', yes: 'نعم', no: 'لا', automatic: 'الفحص التلقائي', verdict: 'حكم الخبراء',
    supported: 'مدعوم', partly: 'مدعوم جزئيًا', unsupported: 'غير مدعوم', proven: 'مثبت', partlyProven: 'مثبت جزئيًا', notProven: 'غير مثبت',
    copy_changed: 'نسخة الفريق لم تعد تحمل هذه البصمة', file_altered: 'عُدِّل الملف المخزَّن بعد الحصول عليه', not_released: 'لم يعد في خزانة الفريق',
    entities: 'الكيانات', kind: 'النوع', value: 'القيمة', label: 'التسمية', timeline: 'التسلسل الزمني', at: 'الوقت (UTC)', description: 'الحدث', none: 'لا شيء.', evaluation: 'التقييم', evaluator: 'المقيِّم', round: 'الجولة', comment: 'التعليق',
    generated: 'أُنشئ في', page: 'صفحة',
  },
} satisfies Record<Lang, Record<string, string>>;
type Labels = (typeof labels)['en'];

const pick = (text: LocalizedText | null | undefined, lang: Lang): string => (text ? (text[lang] ?? text.en ?? Object.values(text)[0] ?? '') : '');
const percent = (value: number, lang: Lang) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(value);
const stamp = (at: string) => at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

function admissibility(c: Citation, l: Labels) {
  return c.admissible ? l.yes : `${l.no}: ${l[c.reason ?? 'not_released']}`;
}

export function reportBlocks(file: CaseFile, lang: Lang): PdfBlock[] {
  const l = labels[lang];
  const blocks: PdfBlock[] = [];
  const readiness = file.readiness.provisional === null ? [] : [{ key: `${l.readiness}, ${l.provisional}`, value: percent(file.readiness.provisional, lang) }];
  if (file.readiness.final !== null) readiness.push({ key: `${l.readiness}, ${l.final}`, value: percent(file.readiness.final, lang) });
  blocks.push({
    kind: 'keyValues',
    items: [
      { key: l.status, value: file.status === 'submitted' ? l.submitted : l.draft },
      { key: l.version, value: String(file.version) },
      ...(file.submittedAt ? [{ key: l.submittedAt, value: `${stamp(file.submittedAt)} (${file.submittedBy?.displayName ?? ''})` }] : []),
      ...readiness,
    ],
  });
  blocks.push({ kind: 'heading', text: l.charges });
  const brought = file.charges.filter((c) => c.chosen);
  if (brought.length === 0) blocks.push({ kind: 'paragraph', text: l.notBrought, muted: true });
  const auto = { supported: l.supported, partly: l.partly, unsupported: l.unsupported };
  const verdict = { proven: l.proven, partly: l.partlyProven, not_proven: l.notProven };
  for (const charge of brought) {
    const basis = charge.basis.source === 'budapest' ? `${l.budapest} ${charge.basis.article}` : `${pick(charge.basis.code, lang)}, ${charge.basis.article}`;
    blocks.push({ kind: 'heading', text: pick(charge.title, lang) });
    blocks.push({ kind: 'keyValues', items: [{ key: l.basis, value: basis }, { key: l.status, value: charge.ready ? l.ready : l.notReady }] });
    for (const el of charge.elements) {
      blocks.push({ kind: 'heading', level: 2, text: `${l.element}: ${pick(el.title, lang)} (${el.required ? l.required : l.optional}, ${l.weight} ${el.weight})` });
      const check = el.automatic;
      const items = check ? [{ key: l.automatic, value: `${auto[check.status]} (${l.facts} ${check.facts}/${check.needs.facts}, ${l.exhibits} ${check.exhibits}/${check.needs.exhibits})` }] : [];
      if (el.verdict) items.push({ key: l.verdict, value: verdict[el.verdict] });
      if (el.finding) items.push({ key: l.finding, value: el.finding });
      if (el.facts.length > 0) items.push({ key: l.facts, value: el.facts.map((f) => `${pick(f.prompt, lang) || f.objectiveKey} (${f.established ? l.established : l.notEstablished})`).join('\n') });
      blocks.push({ kind: 'keyValues', items });
      if (el.citations.length > 0)
        blocks.push({
          kind: 'table',
          columns: [{ header: l.exhibit, width: 2 }, { header: l.sha256, width: 3 }, { header: l.citedAt, width: 2 }, { header: l.admissible, width: 2 }],
          rows: el.citations.map((c) => [pick(c.title, lang) || c.exhibit, c.sha256, stamp(c.citedAt), admissibility(c, l)]),
        });
      if (el.reasoning) blocks.push({ kind: 'paragraph', text: `${l.reasoning}: ${el.reasoning}` });
    }
  }
  // Entities and timeline: a table each, or "None."; an item's exhibit with its hash and admissibility.
  const cited = (c: Citation | null) => (c ? `${c.exhibit} ${c.sha256} (${l.admissible}: ${admissibility(c, l)})` : '');
  const listing = (title: string, columns: PdfColumn[], rows: string[][]) =>
    blocks.push({ kind: 'heading', text: title }, rows.length === 0 ? { kind: 'paragraph', text: l.none, muted: true } : { kind: 'table', columns, rows });
  listing(
    l.entities,
    [{ header: l.kind }, { header: l.value, width: 3 }, { header: l.label, width: 2 }, { header: l.exhibit, width: 3 }],
    file.entities.map((e) => [e.kind, e.value, e.label ?? '', cited(e.citation)]),
  );
  listing(
    l.timeline,
    [{ header: l.at, width: 2 }, { header: l.description, width: 4 }, { header: l.exhibit, width: 3 }],
    file.timeline.map((e) => [stamp(e.at), e.description, cited(e.citation)]),
  );
  if (file.evaluations.length > 0) {
    blocks.push({ kind: 'heading', text: l.evaluation });
    const titles = new Map(file.charges.flatMap((c) => c.elements.map((e) => [`${c.chargeId}/${e.elementId}`, `${pick(c.title, lang)} — ${pick(e.title, lang)}`])));
    for (const e of file.evaluations) {
      blocks.push({ kind: 'keyValues', items: [{ key: l.evaluator, value: `${e.evaluator.displayName} (${l.round} ${e.round}, ${stamp(e.createdAt)})` }, { key: l.readiness, value: percent(e.readiness, lang) }, ...(e.comment ? [{ key: l.comment, value: e.comment }] : [])] });
      blocks.push({
        kind: 'table',
        columns: [{ header: l.element, width: 3 }, { header: l.verdict, width: 2 }, { header: l.comment, width: 4 }],
        rows: e.elements.map((v) => [titles.get(`${v.chargeId}/${v.elementId}`) ?? v.elementId, verdict[v.verdict], v.comment]),
      });
    }
  }
  return blocks;
}

const asLang = (value: string | undefined): Lang => (value === 'fr' || value === 'es' || value === 'ar' ? value : 'en');

export async function caseFileReport(ctx: AppContext, actor: AuthenticatedUser, exerciseId: string, query: { teamId?: string; lang?: Lang }): Promise<{ pdf: Buffer; disposition: string }> {
  const file = await getCaseFile(ctx, actor, exerciseId, query.teamId);
  const lang = query.lang ?? asLang(actor.locale.split('-')[0]);
  const l = labels[lang];
  const now = ctx.clock.now();
  const pdf = await renderPdf({
    title: l.title,
    subtitle: file.teamName,
    language: lang,
    subject: `${l.title} — ${file.teamName}`,
    createdAt: now,
    footer: `${l.generated} ${stamp(now.toISOString())}`,
    pageLabel: (page, pages) => `${l.page} ${page} / ${pages}`,
    blocks: reportBlocks(file, lang),
  });
  return { pdf, disposition: downloadDisposition({ prefix: 'prosecution-report', name: file.teamName, fallback: file.teamId, suffix: `v${file.version}`, extension: 'pdf' }) };
}
