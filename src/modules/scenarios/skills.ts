import type { Locale } from '../accounts/roles.ts';

// The names of the skills that scenarios tag their objectives with (`skills:` in
// scenario.yaml), in the four languages. One catalogue for the web report and
// the printed one. A slug not listed here (a scenario of its own) is shown from
// the slug itself: "blockchain-analysis" reads "Blockchain analysis".

export const skillNames: Readonly<Record<string, Readonly<Record<Locale, string>>>> = {
  'blockchain-tracing': { en: 'Blockchain tracing', fr: 'Traçage sur la blockchain', es: 'Rastreo en la blockchain', ar: 'تتبّع سلسلة الكتل' },
  'digital-forensics': { en: 'Digital forensics', fr: 'Criminalistique numérique', es: 'Informática forense', ar: 'التحليل الجنائي الرقمي' },
  'email-header-analysis': { en: 'E-mail header analysis', fr: 'Analyse des en-têtes de courriel', es: 'Análisis de cabeceras de correo', ar: 'تحليل ترويسات البريد الإلكتروني' },
  'financial-analysis': { en: 'Financial analysis', fr: 'Analyse financière', es: 'Análisis financiero', ar: 'التحليل المالي' },
  'international-cooperation': { en: 'International cooperation', fr: 'Coopération internationale', es: 'Cooperación internacional', ar: 'التعاون الدولي' },
  'legal-process': { en: 'Legal process', fr: 'Procédure judiciaire', es: 'Procedimiento judicial', ar: 'الإجراءات القانونية' },
  'log-analysis': { en: 'Log analysis', fr: 'Analyse de journaux', es: 'Análisis de registros', ar: 'تحليل السجلات' },
  'malware-triage': { en: 'Malware triage', fr: 'Tri de logiciels malveillants', es: 'Triaje de malware', ar: 'الفرز الأولي للبرمجيات الخبيثة' },
  'network-forensics': { en: 'Network forensics', fr: 'Criminalistique des réseaux', es: 'Análisis forense de redes', ar: 'التحليل الجنائي للشبكات' },
  osint: { en: 'Open sources (OSINT)', fr: 'Sources ouvertes (OSINT)', es: 'Fuentes abiertas (OSINT)', ar: 'المصادر المفتوحة (OSINT)' },
  'timeline-analysis': { en: 'Timeline analysis', fr: 'Analyse chronologique', es: 'Análisis cronológico', ar: 'التحليل الزمني للأحداث' },
  'windows-event-analysis': { en: 'Windows event analysis', fr: 'Analyse des événements Windows', es: 'Análisis de eventos de Windows', ar: 'تحليل أحداث Windows' },
};

/** A slug in words: hyphens and underscores become spaces, the first letter a capital. */
export function slugWords(slug: string): string {
  const words = slug.split(/[-_]+/).filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The name of a skill in a language ("fr", "fr-CA"…; English when the language is not one of ours). */
export function skillLabel(slug: string, language: string): string {
  const names = Object.hasOwn(skillNames, slug) ? skillNames[slug] : undefined;
  if (!names) return slugWords(slug);
  const locale = language.split('-')[0] as Locale;
  return names[locale] ?? names.en;
}
