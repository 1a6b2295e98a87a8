import type { Locale } from '../accounts/roles.ts';
import type { activityKinds } from './schemas.ts';

// The words of the printed reports, in the four languages of the platform (the
// web app has its own catalogues; the PDF is made on the server in the reader's language).

type Kind = (typeof activityKinds)[number];

export type ReportTexts = {
  teamTitle: string;
  exerciseTitle: string;
  generated: string;
  page: string;
  notStarted: string;
  none: string;
  yes: string;
  no: string;
  sections: Record<'summary' | 'objectives' | 'skills' | 'caseFile' | 'timeline' | 'objectiveStats' | 'hardest' | 'advice' | 'teams' | 'solveRates', string>;
  labels: Record<
    | 'exercise'
    | 'scenario'
    | 'team'
    | 'status'
    | 'startedAt'
    | 'endedAt'
    | 'score'
    | 'solved'
    | 'attempts'
    | 'hints'
    | 'hintPoints'
    | 'adviceRequests'
    | 'legalRequests'
    | 'legalGranted'
    | 'legalRefused'
    | 'adjustments'
    | 'objective'
    | 'points'
    | 'gameTime'
    | 'timeToSolve'
    | 'earned'
    | 'skill'
    | 'time'
    | 'event'
    | 'actor'
    | 'solveRate'
    | 'medianTime'
    | 'rank'
    | 'readiness'
    | 'chargesReady'
    | 'charge'
    | 'ready'
    | 'caseFileStatus'
    | 'finalReadiness'
    | 'provisionalReadiness'
    | 'notFinal'
    | 'requests'
    | 'answered'
    | 'medianReply'
    | 'p90Reply'
    | 'expert'
    | 'replies'
    | 'teams',
    string
  >;
  status: Record<'draft' | 'running' | 'paused' | 'ended' | 'submitted', string>;
  outcomes: Record<string, string>;
  kinds: Record<Kind, string>;
};

const en: ReportTexts = {
  teamTitle: 'After-action report',
  exerciseTitle: 'Exercise report',
  generated: 'Generated {time}',
  page: 'Page {page} of {pages}',
  notStarted: 'The exercise has not started yet: there is nothing to report.',
  none: '—',
  yes: 'Yes',
  no: 'No',
  sections: {
    summary: 'Summary',
    objectives: 'Objectives',
    skills: 'Skills profile',
    caseFile: 'Case file evaluation',
    timeline: 'Replay timeline',
    objectiveStats: 'Objectives across teams',
    hardest: 'Hardest objectives',
    advice: 'Expert advice',
    teams: 'Teams compared',
    solveRates: 'Solve rate per objective',
  },
  labels: {
    exercise: 'Exercise',
    scenario: 'Scenario',
    team: 'Team',
    status: 'Status',
    startedAt: 'Started',
    endedAt: 'Ended',
    score: 'Score',
    solved: 'Objectives solved',
    attempts: 'Answers given',
    hints: 'Hints unlocked',
    hintPoints: 'Points spent on hints',
    adviceRequests: 'Advice requests',
    legalRequests: 'Legal requests',
    legalGranted: 'Legal requests granted',
    legalRefused: 'Legal requests refused',
    adjustments: 'Score adjustments',
    objective: 'Objective',
    points: 'Points',
    gameTime: 'Solved at (game time)',
    timeToSolve: 'Time to solve',
    earned: 'Earned',
    skill: 'Skill',
    time: 'Time',
    event: 'Event',
    actor: 'By',
    solveRate: 'Solve rate',
    medianTime: 'Median time to solve',
    rank: 'Rank',
    readiness: 'Prosecution readiness',
    chargesReady: 'Charges ready',
    charge: 'Charge',
    ready: 'Ready',
    caseFileStatus: 'Case file',
    finalReadiness: 'Final readiness',
    provisionalReadiness: 'Provisional readiness (automatic check)',
    notFinal: 'not evaluated yet',
    requests: 'Requests',
    answered: 'Answered',
    medianReply: 'Median time to first reply',
    p90Reply: '90th percentile time to first reply',
    expert: 'Expert',
    replies: 'Replies',
    teams: 'Teams',
  },
  status: { draft: 'Not started', running: 'Running', paused: 'Paused', ended: 'Ended', submitted: 'Submitted' },
  outcomes: { correct: 'correct', partial: 'partly correct', wrong: 'wrong', granted: 'granted', refused: 'refused', already_provided: 'already provided', message: 'message', hint: 'hint', penalty: 'penalty' },
  kinds: {
    evidence_released: 'Evidence released',
    evidence_acquired: 'Evidence acquired',
    answer: 'Answer',
    objective_solved: 'Objective solved',
    hint_unlocked: 'Hint unlocked',
    inject_received: 'Inject received',
    announcement: 'Announcement',
    score_adjusted: 'Score adjusted',
    case_file_saved: 'Case file saved',
    case_file_submitted: 'Case file submitted',
    case_file_evaluated: 'Case file evaluated',
    legal_request_sent: 'Legal request sent',
    legal_request_replied: 'Legal request answered',
    advice_requested: 'Advice requested',
    advice_replied: 'Advice given',
  },
};

const fr: ReportTexts = {
  teamTitle: 'Rapport après action',
  exerciseTitle: 'Rapport d’exercice',
  generated: 'Généré le {time}',
  page: 'Page {page} sur {pages}',
  notStarted: 'L’exercice n’a pas encore commencé : il n’y a rien à rapporter.',
  none: '—',
  yes: 'Oui',
  no: 'Non',
  sections: {
    summary: 'Synthèse',
    objectives: 'Objectifs',
    skills: 'Profil de compétences',
    caseFile: 'Évaluation du dossier d’enquête',
    timeline: 'Chronologie rejouée',
    objectiveStats: 'Objectifs, toutes équipes',
    hardest: 'Objectifs les plus difficiles',
    advice: 'Conseil d’experts',
    teams: 'Comparaison des équipes',
    solveRates: 'Taux de résolution par objectif',
  },
  labels: {
    exercise: 'Exercice',
    scenario: 'Scénario',
    team: 'Équipe',
    status: 'État',
    startedAt: 'Début',
    endedAt: 'Fin',
    score: 'Score',
    solved: 'Objectifs résolus',
    attempts: 'Réponses données',
    hints: 'Indices débloqués',
    hintPoints: 'Points dépensés en indices',
    adviceRequests: 'Demandes de conseil',
    legalRequests: 'Réquisitions',
    legalGranted: 'Réquisitions accordées',
    legalRefused: 'Réquisitions refusées',
    adjustments: 'Ajustements de score',
    objective: 'Objectif',
    points: 'Points',
    gameTime: 'Résolu à (temps de jeu)',
    timeToSolve: 'Temps de résolution',
    earned: 'Obtenus',
    skill: 'Compétence',
    time: 'Heure',
    event: 'Événement',
    actor: 'Par',
    solveRate: 'Taux de résolution',
    medianTime: 'Temps médian de résolution',
    rank: 'Rang',
    readiness: 'Préparation des poursuites',
    chargesReady: 'Chefs d’accusation prêts',
    charge: 'Chef d’accusation',
    ready: 'Prêt',
    caseFileStatus: 'Dossier d’enquête',
    finalReadiness: 'Préparation finale',
    provisionalReadiness: 'Préparation provisoire (contrôle automatique)',
    notFinal: 'pas encore évalué',
    requests: 'Demandes',
    answered: 'Traitées',
    medianReply: 'Délai médian de première réponse',
    p90Reply: 'Délai de première réponse (90e centile)',
    expert: 'Expert',
    replies: 'Réponses',
    teams: 'Équipes',
  },
  status: { draft: 'Pas commencé', running: 'En cours', paused: 'En pause', ended: 'Terminé', submitted: 'Remis' },
  outcomes: { correct: 'juste', partial: 'en partie juste', wrong: 'fausse', granted: 'accordée', refused: 'refusée', already_provided: 'déjà fourni', message: 'message', hint: 'indice', penalty: 'pénalité' },
  kinds: {
    evidence_released: 'Pièce mise à disposition',
    evidence_acquired: 'Pièce acquise',
    answer: 'Réponse',
    objective_solved: 'Objectif résolu',
    hint_unlocked: 'Indice débloqué',
    inject_received: 'Inject reçu',
    announcement: 'Annonce',
    score_adjusted: 'Score ajusté',
    case_file_saved: 'Dossier enregistré',
    case_file_submitted: 'Dossier remis',
    case_file_evaluated: 'Dossier évalué',
    legal_request_sent: 'Réquisition envoyée',
    legal_request_replied: 'Réponse à une réquisition',
    advice_requested: 'Conseil demandé',
    advice_replied: 'Conseil donné',
  },
};

const es: ReportTexts = {
  teamTitle: 'Informe posterior a la acción',
  exerciseTitle: 'Informe del ejercicio',
  generated: 'Generado el {time}',
  page: 'Página {page} de {pages}',
  notStarted: 'El ejercicio aún no ha comenzado: no hay nada que informar.',
  none: '—',
  yes: 'Sí',
  no: 'No',
  sections: {
    summary: 'Resumen',
    objectives: 'Objetivos',
    skills: 'Perfil de competencias',
    caseFile: 'Evaluación del expediente',
    timeline: 'Cronología de la actuación',
    objectiveStats: 'Objetivos en todos los equipos',
    hardest: 'Objetivos más difíciles',
    advice: 'Asesoramiento de expertos',
    teams: 'Comparación de equipos',
    solveRates: 'Tasa de resolución por objetivo',
  },
  labels: {
    exercise: 'Ejercicio',
    scenario: 'Escenario',
    team: 'Equipo',
    status: 'Estado',
    startedAt: 'Inicio',
    endedAt: 'Fin',
    score: 'Puntuación',
    solved: 'Objetivos resueltos',
    attempts: 'Respuestas dadas',
    hints: 'Pistas desbloqueadas',
    hintPoints: 'Puntos gastados en pistas',
    adviceRequests: 'Solicitudes de asesoramiento',
    legalRequests: 'Requerimientos legales',
    legalGranted: 'Requerimientos concedidos',
    legalRefused: 'Requerimientos denegados',
    adjustments: 'Ajustes de puntuación',
    objective: 'Objetivo',
    points: 'Puntos',
    gameTime: 'Resuelto a (tiempo de juego)',
    timeToSolve: 'Tiempo de resolución',
    earned: 'Obtenidos',
    skill: 'Competencia',
    time: 'Hora',
    event: 'Evento',
    actor: 'Por',
    solveRate: 'Tasa de resolución',
    medianTime: 'Tiempo mediano de resolución',
    rank: 'Puesto',
    readiness: 'Preparación para la acusación',
    chargesReady: 'Cargos listos',
    charge: 'Cargo',
    ready: 'Listo',
    caseFileStatus: 'Expediente',
    finalReadiness: 'Preparación final',
    provisionalReadiness: 'Preparación provisional (comprobación automática)',
    notFinal: 'aún no evaluado',
    requests: 'Solicitudes',
    answered: 'Respondidas',
    medianReply: 'Tiempo mediano hasta la primera respuesta',
    p90Reply: 'Tiempo hasta la primera respuesta (percentil 90)',
    expert: 'Experto',
    replies: 'Respuestas',
    teams: 'Equipos',
  },
  status: { draft: 'Sin comenzar', running: 'En curso', paused: 'En pausa', ended: 'Terminado', submitted: 'Entregado' },
  outcomes: { correct: 'correcta', partial: 'parcialmente correcta', wrong: 'incorrecta', granted: 'concedido', refused: 'denegado', already_provided: 'ya facilitado', message: 'mensaje', hint: 'pista', penalty: 'penalización' },
  kinds: {
    evidence_released: 'Prueba puesta a disposición',
    evidence_acquired: 'Prueba adquirida',
    answer: 'Respuesta',
    objective_solved: 'Objetivo resuelto',
    hint_unlocked: 'Pista desbloqueada',
    inject_received: 'Inyección recibida',
    announcement: 'Anuncio',
    score_adjusted: 'Puntuación ajustada',
    case_file_saved: 'Expediente guardado',
    case_file_submitted: 'Expediente entregado',
    case_file_evaluated: 'Expediente evaluado',
    legal_request_sent: 'Requerimiento enviado',
    legal_request_replied: 'Requerimiento respondido',
    advice_requested: 'Asesoramiento solicitado',
    advice_replied: 'Asesoramiento dado',
  },
};

const ar: ReportTexts = {
  teamTitle: 'تقرير ما بعد التمرين',
  exerciseTitle: 'تقرير التمرين',
  generated: 'أُنشئ في {time}',
  page: 'الصفحة {page} من {pages}',
  notStarted: 'لم يبدأ التمرين بعد: لا يوجد ما يُبلَّغ عنه.',
  none: '—',
  yes: 'نعم',
  no: 'لا',
  sections: {
    summary: 'الملخص',
    objectives: 'الأهداف',
    skills: 'ملف المهارات',
    caseFile: 'تقييم ملف القضية',
    timeline: 'التسلسل الزمني للأحداث',
    objectiveStats: 'الأهداف لدى جميع الفرق',
    hardest: 'الأهداف الأصعب',
    advice: 'مشورة الخبراء',
    teams: 'مقارنة الفرق',
    solveRates: 'نسبة الحل لكل هدف',
  },
  labels: {
    exercise: 'التمرين',
    scenario: 'السيناريو',
    team: 'الفريق',
    status: 'الحالة',
    startedAt: 'البداية',
    endedAt: 'النهاية',
    score: 'النتيجة',
    solved: 'الأهداف المحلولة',
    attempts: 'الإجابات المقدَّمة',
    hints: 'التلميحات المفتوحة',
    hintPoints: 'النقاط المصروفة على التلميحات',
    adviceRequests: 'طلبات المشورة',
    legalRequests: 'الطلبات القانونية',
    legalGranted: 'الطلبات القانونية المقبولة',
    legalRefused: 'الطلبات القانونية المرفوضة',
    adjustments: 'تعديلات النتيجة',
    objective: 'الهدف',
    points: 'النقاط',
    gameTime: 'وقت الحل (زمن اللعب)',
    timeToSolve: 'مدة الحل',
    earned: 'المكتسب',
    skill: 'المهارة',
    time: 'الوقت',
    event: 'الحدث',
    actor: 'بواسطة',
    solveRate: 'نسبة الحل',
    medianTime: 'الوسيط لمدة الحل',
    rank: 'الترتيب',
    readiness: 'الجاهزية للملاحقة القضائية',
    chargesReady: 'التهم الجاهزة',
    charge: 'التهمة',
    ready: 'جاهزة',
    caseFileStatus: 'ملف القضية',
    finalReadiness: 'الجاهزية النهائية',
    provisionalReadiness: 'الجاهزية المؤقتة (فحص آلي)',
    notFinal: 'لم يُقيَّم بعد',
    requests: 'الطلبات',
    answered: 'المُجاب عنها',
    medianReply: 'الوسيط لمدة أول رد',
    p90Reply: 'مدة أول رد (المئين 90)',
    expert: 'الخبير',
    replies: 'الردود',
    teams: 'الفرق',
  },
  status: { draft: 'لم يبدأ', running: 'جارٍ', paused: 'متوقف مؤقتًا', ended: 'انتهى', submitted: 'مُسلَّم' },
  outcomes: { correct: 'صحيحة', partial: 'صحيحة جزئيًا', wrong: 'خاطئة', granted: 'مقبول', refused: 'مرفوض', already_provided: 'مُقدَّم سابقًا', message: 'رسالة', hint: 'تلميح', penalty: 'عقوبة' },
  kinds: {
    evidence_released: 'إتاحة دليل',
    evidence_acquired: 'الحصول على دليل',
    answer: 'إجابة',
    objective_solved: 'حل هدف',
    hint_unlocked: 'فتح تلميح',
    inject_received: 'استلام حدث مُدرَج',
    announcement: 'إعلان',
    score_adjusted: 'تعديل النتيجة',
    case_file_saved: 'حفظ ملف القضية',
    case_file_submitted: 'تسليم ملف القضية',
    case_file_evaluated: 'تقييم ملف القضية',
    legal_request_sent: 'إرسال طلب قانوني',
    legal_request_replied: 'الرد على طلب قانوني',
    advice_requested: 'طلب مشورة',
    advice_replied: 'تقديم مشورة',
  },
};

export const reportTexts: Record<Locale, ReportTexts> = { en, fr, es, ar };

export const textsFor = (locale: string): { locale: Locale; texts: ReportTexts } => {
  const l = (['en', 'fr', 'es', 'ar'] as const).find((x) => x === locale.split('-')[0]) ?? 'en';
  return { locale: l, texts: reportTexts[l] };
};

export const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
