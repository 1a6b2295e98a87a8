import { z } from 'zod';

// The case file of a team (issue: investigation to prosecution). Entities and
// timeline events can be added from anywhere a value is seen (the workbench's
// viewers), each with the exhibit it comes from; the server records the hash
// of the team's copy of that exhibit at the moment it is cited.
//
// Routes (all under /api/exercises/:id):
//   GET    /case-file[?teamId=]                    → caseFile
//   PUT    /case-file            caseFileSave      → caseFile   (409 'conflict' when baseVersion is not the current version)
//   POST   /case-file/entities   entityCreate      → entity (201)
//   DELETE /case-file/entities/:itemId             → 204
//   POST   /case-file/events     timelineEventCreate → timelineEvent (201)
//   DELETE /case-file/events/:itemId               → 204
//   GET    /case-file/versions[?teamId=]           → versionList
//   GET    /case-file/versions/:version[?teamId=]  → caseFileVersion
//   POST   /case-file/submit     caseFileSubmit    → caseFile   (captain only, once, before the team's deadline)
//   GET    /case-file/report.pdf[?teamId=&lang=]   → application/pdf
//   GET    /case-files                             → caseFileOverview (staff)
//   POST   /case-files/:teamId/evaluations evaluationCreate → caseFile (experts and trainers)
// Participants act on their own team (a ?teamId= from them must be their own
// team, else 404); staff read any team with ?teamId=. Writes after submission
// or after the team's deadline are refused with 409 'locked'; during a pause
// with 409 'paused', like answers.

const localized = z.partialRecord(z.enum(['ar', 'en', 'fr', 'es']), z.string());
const key = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'letters, digits, "_" and "-", at most 63 characters');

export const evidenceRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'an evidence key');

export const entityKinds = ['person', 'organisation', 'account', 'wallet', 'email', 'ip', 'domain', 'url', 'phone', 'iban', 'device', 'file', 'other'] as const;
export type EntityKind = (typeof entityKinds)[number];

export const entityCreate = z.strictObject({
  kind: z.enum(entityKinds),
  value: z.string().trim().min(1).max(500),
  label: z.string().trim().max(200).optional(),
  note: z.string().trim().max(2000).optional(),
  /** The exhibit the value was found in. */
  exhibit: evidenceRef.optional(),
});
export type EntityCreate = z.infer<typeof entityCreate>;

export const timelineEventCreate = z.strictObject({
  /** ISO-8601 with a time zone (UTC preferred). */
  at: z.iso.datetime({ offset: true }),
  description: z.string().trim().min(1).max(2000),
  exhibit: evidenceRef.optional(),
});
export type TimelineEventCreate = z.infer<typeof timelineEventCreate>;

// ---- Requests ---------------------------------------------------------------

export const caseFileParams = z.strictObject({ id: z.uuid() });
export const itemParams = z.strictObject({ id: z.uuid(), itemId: z.uuid() });
export const versionParams = z.strictObject({ id: z.uuid(), version: z.coerce.number().int().min(1) });
export const teamParams = z.strictObject({ id: z.uuid(), teamId: z.uuid() });
/** Staff only: whose case file. A participant may give only its own team. */
export const caseFileQuery = z.strictObject({ teamId: z.uuid().optional() });
/** The report's language: the caller's own by default. */
export const reportQuery = caseFileQuery.extend({ lang: z.enum(['ar', 'en', 'fr', 'es']).optional() });

/** The team's work on one element of a charge it brings. */
export const elementDraft = z.strictObject({
  elementId: key,
  /** What the team finds proven, in its words. */
  finding: z.string().trim().max(5000).default(''),
  /** Objective keys of the facts the team relies on. */
  facts: z.array(key).max(50).default([]),
  /** Exhibits (evidence keys) cited; each must be released to the team. */
  exhibits: z.array(evidenceRef).max(50).default([]),
  reasoning: z.string().trim().max(10_000).default(''),
});
export type ElementDraft = z.infer<typeof elementDraft>;

/** A charge the team chooses to bring; elements left out count as empty. */
export const chargeDraft = z.strictObject({
  chargeId: key,
  elements: z.array(elementDraft).max(30).default([]),
});
export type ChargeDraft = z.infer<typeof chargeDraft>;

/** A draft save: the whole findings document. Saves a new version. */
export const caseFileSave = z.strictObject({
  /** The version the team edited (0 before the first save); another save since → 409 'conflict' with details.currentVersion. */
  baseVersion: z.number().int().min(0),
  charges: z.array(chargeDraft).max(30),
});
export type CaseFileSave = z.infer<typeof caseFileSave>;

/** The captain submits the version it has seen; another save since → 409 'conflict'. */
export const caseFileSubmit = z.strictObject({ version: z.number().int().min(1) });
export type CaseFileSubmit = z.infer<typeof caseFileSubmit>;

export const verdicts = ['proven', 'partly', 'not_proven'] as const;
export type Verdict = (typeof verdicts)[number];

/** An expert's evaluation: a verdict and comment for every element of every charge the team brought. */
export const evaluationCreate = z.strictObject({
  elements: z
    .array(
      z.strictObject({
        chargeId: key,
        elementId: key,
        verdict: z.enum(verdicts),
        comment: z.string().trim().max(5000).default(''),
      }),
    )
    .max(900),
  /** An overall comment for the team. */
  comment: z.string().trim().max(10_000).default(''),
});
export type EvaluationCreate = z.infer<typeof evaluationCreate>;

// ---- Responses ----------------------------------------------------------------

export const inadmissibleReasons = ['copy_changed', 'file_altered', 'not_released'] as const;
export type InadmissibleReason = (typeof inadmissibleReasons)[number];

/** One exhibit cited (in a finding, an entity or a timeline event). */
export const citation = z.object({
  exhibit: z.string(),
  /** The exhibit's title, when it is still released to the team. */
  title: localized.nullable(),
  /** The sha256 of the team's copy recorded when first cited. */
  sha256: z.string(),
  citedAt: z.string(),
  admissible: z.boolean(),
  /** Why not: the team's copy no longer has the recorded hash, the stored file no longer hashes to it, or the exhibit is no longer released. */
  reason: z.enum(inadmissibleReasons).nullable(),
  /** Whether the scenario lists the exhibit for this element; null when the caller may not know (participants) or outside a finding. */
  relevant: z.boolean().nullable(),
});
export type Citation = z.infer<typeof citation>;

export const linkedFact = z.object({
  objectiveKey: z.string(),
  /** The objective's prompt, when released to the team. */
  prompt: localized.nullable(),
  /** Solved by the team. */
  established: z.boolean(),
  /** Whether the scenario lists the fact for this element; null for participants. */
  relevant: z.boolean().nullable(),
});

export const automaticStatuses = ['supported', 'partly', 'unsupported'] as const;
export type AutomaticStatus = (typeof automaticStatuses)[number];

export const automaticCheck = z.object({
  status: z.enum(automaticStatuses),
  /** Linked facts that count (relevant and established), and what a sufficient proof needs. */
  facts: z.number().int(),
  exhibits: z.number().int(),
  needs: z.object({ facts: z.number().int(), exhibits: z.number().int() }),
});
export type AutomaticCheck = z.infer<typeof automaticCheck>;

export const elementView = z.object({
  elementId: z.string(),
  title: localized,
  rubric: localized,
  weight: z.number().int(),
  required: z.boolean(),
  finding: z.string(),
  reasoning: z.string(),
  facts: z.array(linkedFact),
  citations: z.array(citation),
  /**
   * Null for a team until the exercise has ended: its counts, cited one exhibit at a time, would
   * tell the team which facts and exhibits the scenario lists for the element.
   */
  automatic: automaticCheck.nullable(),
  /** The final verdict, when the evaluation is final and visible to the caller. */
  verdict: z.enum(verdicts).nullable(),
});
export type ElementView = z.infer<typeof elementView>;

export const legalBasisView = z.discriminatedUnion('source', [
  z.object({ source: z.literal('budapest'), article: z.number().int() }),
  z.object({ source: z.literal('national'), code: localized, article: z.string() }),
]);

export const chargeView = z.object({
  chargeId: z.string(),
  title: localized,
  basis: legalBasisView,
  description: localized.nullable(),
  /** The team brings this charge (it is in the findings document). */
  chosen: z.boolean(),
  /** All required elements proven (final evaluation), or supported (provisional) while not final; a team sees the provisional one only once the exercise has ended. */
  ready: z.boolean(),
  elements: z.array(elementView),
});
export type ChargeView = z.infer<typeof chargeView>;

export const entity = z.object({
  id: z.string(),
  kind: z.enum(entityKinds),
  value: z.string(),
  label: z.string().nullable(),
  note: z.string().nullable(),
  citation: citation.nullable(),
  createdBy: z.object({ userId: z.string(), displayName: z.string() }),
  createdAt: z.string(),
});
export type Entity = z.infer<typeof entity>;

export const timelineEvent = z.object({
  id: z.string(),
  at: z.string(),
  description: z.string(),
  citation: citation.nullable(),
  createdBy: z.object({ userId: z.string(), displayName: z.string() }),
  createdAt: z.string(),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;

export const evaluation = z.object({
  id: z.string(),
  evaluator: z.object({ userId: z.string(), displayName: z.string() }),
  /** 1 for the first evaluation of the case file, 2 for the next… */
  round: z.number().int(),
  /** Readiness this evaluation alone gives, 0–1. */
  readiness: z.number(),
  comment: z.string(),
  elements: z.array(z.object({ chargeId: z.string(), elementId: z.string(), verdict: z.enum(verdicts), comment: z.string() })),
  createdAt: z.string(),
});
export type Evaluation = z.infer<typeof evaluation>;

export const readiness = z.object({
  /** From the automatic check alone, 0–1; null for a team until the exercise has ended (see elementView.automatic). */
  provisional: z.number().nullable(),
  /** From the experts' evaluations once final, 0–1; null before. */
  final: z.number().nullable(),
  /** Evaluations by different people the final result needs (1, or 2 with a second evaluator). */
  evaluationsNeeded: z.number().int(),
  evaluationsDone: z.number().int(),
  /** The case file's worth: final = round(points × final readiness). */
  points: z.number().int(),
  awardedPoints: z.number().int().nullable(),
});
export type Readiness = z.infer<typeof readiness>;

/** Submitted; the exercise ended or the team's time is up; the exercise has not started; or it is paused (until it resumes). */
export const lockReasons = ['submitted', 'deadline', 'not_started', 'paused'] as const;
export type LockReason = (typeof lockReasons)[number];

export const person = z.object({ userId: z.string(), displayName: z.string() });

export const caseFile = z.object({
  exerciseId: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  status: z.enum(['draft', 'submitted']),
  /** The current version; 0 before the first save. Send it as baseVersion with the next save. */
  version: z.number().int(),
  savedAt: z.string().nullable(),
  savedBy: person.nullable(),
  submittedAt: z.string().nullable(),
  submittedBy: person.nullable(),
  /** Why writes are refused now, if they are. */
  locked: z.enum(lockReasons).nullable(),
  /** The caller is the team's captain and may submit now. */
  canSubmit: z.boolean(),
  /** The scenario defines a prosecution model; without it the case file has no charges. */
  prosecution: z.boolean(),
  /** Credit of an element judged "partly proven", in percent. */
  partlyPercent: z.number().int(),
  charges: z.array(chargeView),
  entities: z.array(entity),
  timeline: z.array(timelineEvent),
  readiness,
  /** Staff: every evaluation so far. The team: once the result is final. */
  evaluations: z.array(evaluation),
});
export type CaseFile = z.infer<typeof caseFile>;

export const versionSummary = z.object({
  version: z.number().int(),
  savedAt: z.string(),
  savedBy: person,
  /** 'save' for a draft save, 'submit' for the submitted version. */
  kind: z.enum(['save', 'submit']),
  charges: z.number().int(),
  entities: z.number().int(),
  events: z.number().int(),
});
export const versionList = z.object({ items: z.array(versionSummary), current: z.number().int() });
export type VersionSummary = z.infer<typeof versionSummary>;
export type VersionList = z.infer<typeof versionList>;

/** A saved version as it was: the findings document, entities and timeline. */
export const caseFileVersion = versionSummary.extend({
  document: z.object({
    charges: z.array(
      z.object({
        chargeId: z.string(),
        elements: z.array(
          z.object({
            elementId: z.string(),
            finding: z.string(),
            facts: z.array(z.string()),
            reasoning: z.string(),
            citations: z.array(z.object({ exhibit: z.string(), sha256: z.string(), citedAt: z.string() })),
          }),
        ),
      }),
    ),
  }),
  entities: z.array(z.object({ kind: z.enum(entityKinds), value: z.string(), label: z.string().nullable(), note: z.string().nullable(), exhibit: z.string().nullable(), sha256: z.string().nullable() })),
  timeline: z.array(z.object({ at: z.string(), description: z.string(), exhibit: z.string().nullable(), sha256: z.string().nullable() })),
});
export type CaseFileVersion = z.infer<typeof caseFileVersion>;

/** Staff overview: one row per team. */
export const caseFileOverviewItem = z.object({
  teamId: z.string(),
  teamName: z.string(),
  status: z.enum(['draft', 'submitted']),
  version: z.number().int(),
  submittedAt: z.string().nullable(),
  provisionalReadiness: z.number(),
  finalReadiness: z.number().nullable(),
  evaluations: z.number().int(),
  evaluationsNeeded: z.number().int(),
  charges: z.array(z.object({ chargeId: z.string(), ready: z.boolean() })),
});
export const caseFileOverview = z.object({
  /** Whether the scenario defines a prosecution model. */
  prosecution: z.boolean(),
  points: z.number().int(),
  items: z.array(caseFileOverviewItem),
});
export type CaseFileOverviewItem = z.infer<typeof caseFileOverviewItem>;
export type CaseFileOverview = z.infer<typeof caseFileOverview>;
