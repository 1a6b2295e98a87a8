import { z } from 'zod';
import { locales } from '../accounts/roles.ts';

// The contents of scenario.yaml, version 1. This schema is the reference for
// authors: docs/scenario-format.md and the generated JSON Schema come from it.

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens, at most 63 characters');
const key = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'letters, digits, "_" and "-", at most 63 characters');

/** Text in one or more of the four languages; at least one. */
export const localizedText = (max = 20_000) =>
  z
    .partialRecord(z.enum(locales), z.string().trim().min(1).max(max))
    .refine((t) => Object.keys(t).length > 0, 'give the text in at least one of ar, en, fr, es');
export type LocalizedText = Partial<Record<(typeof locales)[number], string>>;

export const themes = ['bitcoin_blackmail', 'ransomware', 'bank_attack', 'business_email_compromise', 'phishing', 'romance_scam', 'cryptojacking', 'other'] as const;
export const difficulties = ['beginner', 'intermediate', 'advanced', 'expert'] as const;
export const evidenceKinds = ['email', 'log', 'blockchain', 'chat', 'device_extract', 'document', 'image', 'network_capture', 'binary', 'other'] as const;

/** Safe generators for per-team values; no code from a package ever runs. */
export const generators = [
  'person_name',
  'first_name',
  'last_name',
  'company_name',
  'email',
  'username',
  'domain',
  'url',
  'ipv4',
  'ipv6',
  'bitcoin_address',
  'amount',
  'integer',
  'timestamp',
  'iban',
  'phone',
  'md5',
  'sha1',
  'sha256',
  'hex',
  'choice',
  /** A value derived from other variables and constants (amounts along a trail, times along a relay chain). */
  'sum',
] as const;

const variable = z.strictObject({
  generator: z.enum(generators),
  /** Generator options, e.g. { min, max, decimals } for amount or { values } for choice. */
  params: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean(), z.array(z.union([z.string().max(500), z.number()])).max(200)])).optional(),
});

const minutes = z.number().int().min(0).max(60 * 24 * 30);

export const release = z.union([
  z.strictObject({ at: z.literal('start') }),
  z.strictObject({ afterMinutes: minutes }),
  z.strictObject({ inject: key }),
  /** Evidence only: released to a team when a legal party's response (by id) replies to that team's granted request. */
  z.strictObject({ legalReply: key }),
]);
export type Release = z.infer<typeof release>;

const evidence = z.strictObject({
  id: key,
  file: z.string().min(1).max(255),
  title: localizedText(300),
  description: localizedText(5000).optional(),
  kind: z.enum(evidenceKinds),
  /** The file holds {{ variables }} rendered per team. Only text files may be templated. */
  templated: z.boolean().default(false),
  mediaType: z.string().max(100).optional(),
  release: release.default({ at: 'start' }),
});

const answerCheck = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('exact'), value: z.string().min(1).max(2000), caseSensitive: z.boolean().default(false) }),
  z.strictObject({ type: z.literal('regex'), pattern: z.string().min(1).max(2000), caseSensitive: z.boolean().default(false) }),
  z.strictObject({ type: z.literal('number'), value: z.union([z.number(), z.string().min(1).max(200)]), tolerance: z.number().min(0).default(0) }),
  z.strictObject({ type: z.literal('one_of'), values: z.array(z.string().min(1).max(2000)).min(1).max(100), caseSensitive: z.boolean().default(false) }),
  z.strictObject({
    type: z.literal('set'),
    values: z.array(z.string().min(1).max(2000)).min(1).max(100),
    /** Points per value found; otherwise all values are needed. */
    partialCredit: z.boolean().default(true),
    caseSensitive: z.boolean().default(false),
  }),
  z.strictObject({ type: z.literal('datetime'), value: z.string().min(1).max(200), toleranceSeconds: z.number().int().min(0).max(86400 * 7).default(60) }),
]);
export type AnswerCheck = z.infer<typeof answerCheck>;

const objective = z.strictObject({
  id: key,
  prompt: localizedText(5000),
  answer: answerCheck,
  points: z.number().int().min(0).max(100_000),
  maxAttempts: z.number().int().min(1).max(1000).optional(),
  requires: z.array(key).max(50).default([]),
  release: release.default({ at: 'start' }),
  skills: z.array(slug).max(20).default([]),
});

const hint = z.strictObject({
  id: key,
  objective: key.optional(),
  text: localizedText(5000),
  cost: z.number().int().min(0).max(100_000),
});

const inject = z.strictObject({
  id: key,
  title: localizedText(300),
  message: localizedText(10_000).optional(),
  trigger: z.union([z.strictObject({ afterMinutes: minutes }), z.strictObject({ onSolve: key }), z.strictObject({ manual: z.literal(true) })]),
  releases: z.strictObject({ evidence: z.array(key).max(100).default([]), objectives: z.array(key).max(100).default([]) }).default({ evidence: [], objectives: [] }),
});

// Investigation to prosecution (docs/scenario-format.md §10–§11): the charges a
// team can bring with the elements each must prove, and the parties a team can
// address legal requests to with the responses they give.

/** Articles of the Budapest Convention (ETS 185) defining offences: 2 illegal access … 11 attempt and aiding. */
export const budapestArticles = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;

const legalBasis = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('budapest'), article: z.literal(budapestArticles) }),
  /** An offence of the scenario's fictional national code (extortion, money laundering…). */
  z.strictObject({ source: z.literal('national'), code: localizedText(300), article: z.string().trim().min(1).max(100) }),
]);
export type LegalBasis = z.infer<typeof legalBasis>;

const proofElement = z.strictObject({
  id: key,
  title: localizedText(300),
  /** What a sufficient proof needs, for the teams and the evaluating experts. */
  rubric: localizedText(5000),
  weight: z.number().int().min(1).max(100).default(1),
  /** A charge is ready when all its required elements are proven. */
  required: z.boolean().default(true),
  /** Established facts (objectives) that can prove the element. */
  facts: z.array(key).max(50).default([]),
  /** Exhibits (evidence items) relevant to the element. */
  exhibits: z.array(key).max(50).default([]),
  /** The automatic check: how many of those facts (solved) and exhibits (admissible) a sufficient proof links. */
  needs: z.strictObject({ facts: z.number().int().min(0).max(50).default(1), exhibits: z.number().int().min(0).max(50).default(1) }).default({ facts: 1, exhibits: 1 }),
});

const charge = z.strictObject({
  id: key,
  title: localizedText(300),
  basis: legalBasis,
  description: localizedText(5000).optional(),
  elements: z.array(proofElement).min(1).max(30),
});

const prosecution = z.strictObject({
  charges: z.array(charge).min(1).max(30),
  /** The case file's worth in the final score: points × prosecution readiness of the final evaluation. */
  points: z.number().int().min(0).max(100_000).default(0),
  /** Credit of an element judged "partly proven", in percent. */
  partlyPercent: z.number().int().min(0).max(100).default(50),
  /** Each final case file needs two experts' evaluations. */
  secondEvaluator: z.boolean().default(false),
});

export const legalRequestTypes = ['preservation', 'production_order', 'subscriber_information', 'mutual_legal_assistance'] as const;
export const legalPartyKinds = ['exchange', 'isp', 'social_network', 'email_provider', 'bank', 'hosting_provider', 'registrar', 'foreign_police', 'other'] as const;
export const identifierKinds = ['ip', 'wallet', 'account', 'email', 'domain', 'url', 'phone', 'iban', 'username', 'other'] as const;

const legalResponse = z.strictObject({
  id: key,
  /** The request types this response answers (a request of another type does not match it). */
  types: z.array(z.enum(legalRequestTypes)).min(1).max(4),
  /** The identifier a request must target; `value` and `at` may use {{ variables }}. */
  identifier: z.strictObject({
    kind: z.enum(identifierKinds),
    value: z.string().trim().min(1).max(500),
    /** For an IP address: the time of the activity; a request must give it within `toleranceMinutes`. */
    at: z.string().trim().min(1).max(200).optional(),
    toleranceMinutes: z.number().int().min(0).max(60 * 24).default(10),
  }),
  /** A request without a justification (at least 40 characters) is refused. */
  requireJustification: z.boolean().default(true),
  /** In-game minutes between the request and the party's reply. */
  delayMinutes: minutes.default(0),
  reply: localizedText(10_000),
  /** Points for a well-aimed request (procedure is scored, not only answers). */
  points: z.number().int().min(0).max(100_000).default(0),
});

const legalParty = z.strictObject({
  id: key,
  name: localizedText(300),
  kind: z.enum(legalPartyKinds),
  /** ISO 3166-1 alpha-2 country of the party (a foreign police service's, an exchange's seat). */
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as SG').optional(),
  description: localizedText(5000).optional(),
  responses: z.array(legalResponse).max(100).default([]),
  /** The reply to a request no response grants (wrong type, wrong identifier, no justification). */
  refusal: localizedText(5000),
  /** Points lost for each refused request (0 or negative). */
  refusalPoints: z.number().int().min(-100_000).max(0).default(0),
  delayMinutes: minutes.default(0),
});

const scoring = z
  .strictObject({
    mode: z.enum(['static', 'decay']).default('static'),
    /** decay: value = max(minimum, points × (1 − (solves − 1) / solvesToMinimum × (1 − minimum))) */
    minimumPercent: z.number().int().min(0).max(100).default(30),
    solvesToMinimum: z.number().int().min(1).max(10_000).default(10),
    advicePenalty: z.number().int().min(0).max(100_000).default(0),
  })
  .default({ mode: 'static', minimumPercent: 30, solvesToMinimum: 10, advicePenalty: 0 });

export const scenarioDefinition = z
  .strictObject({
    format: z.literal('cybercap/scenario@1'),
    id: slug,
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version like 1.0.0'),
    title: localizedText(300),
    briefing: localizedText(),
    theme: z.enum(themes),
    durationMinutes: z.number().int().min(10).max(60 * 24 * 14),
    difficulty: z.enum(difficulties),
    skills: z.array(slug).max(50).default([]),
    variables: z.record(key, variable).default({}),
    evidence: z.array(evidence).max(500).default([]),
    objectives: z.array(objective).min(1).max(500),
    hints: z.array(hint).max(500).default([]),
    injects: z.array(inject).max(200).default([]),
    scoring,
    prosecution: prosecution.optional(),
    legalParties: z.array(legalParty).max(50).default([]),
    trainerGuide: localizedText(100_000),
  })
  .superRefine((s, ctx) => {
    const ids = (list: Array<{ id: string }>, ...where: string[]) => {
      const seen = new Set<string>();
      list.forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [...where, i, 'id'], message: `duplicate id "${item.id}"` });
        seen.add(item.id);
      });
      return seen;
    };
    const evidenceIds = ids(s.evidence, 'evidence');
    const objectiveIds = ids(s.objectives, 'objectives');
    const injectIds = ids(s.injects, 'injects');
    ids(s.hints, 'hints');
    ids(s.legalParties, 'legalParties');
    const responseIds = new Set<string>();
    s.legalParties.forEach((p, i) =>
      p.responses.forEach((r, j) => {
        if (responseIds.has(r.id)) ctx.addIssue({ code: 'custom', path: ['legalParties', i, 'responses', j, 'id'], message: `duplicate legal response id "${r.id}" (ids are unique across parties)` });
        responseIds.add(r.id);
      }),
    );
    if (s.prosecution) {
      ids(s.prosecution.charges, 'prosecution', 'charges');
      s.prosecution.charges.forEach((c, i) => {
        const seen = new Set<string>();
        c.elements.forEach((el, j) => {
          const at = ['prosecution', 'charges', i, 'elements', j];
          if (seen.has(el.id)) ctx.addIssue({ code: 'custom', path: [...at, 'id'], message: `duplicate element id "${el.id}" in charge "${c.id}"` });
          seen.add(el.id);
          el.facts.forEach((f, k) => {
            if (!objectiveIds.has(f)) ctx.addIssue({ code: 'custom', path: [...at, 'facts', k], message: `no objective "${f}"` });
          });
          el.exhibits.forEach((x, k) => {
            if (!evidenceIds.has(x)) ctx.addIssue({ code: 'custom', path: [...at, 'exhibits', k], message: `no evidence "${x}"` });
          });
          if (el.needs.facts > el.facts.length) ctx.addIssue({ code: 'custom', path: [...at, 'needs', 'facts'], message: `needs ${el.needs.facts} facts but lists ${el.facts.length}` });
          if (el.needs.exhibits > el.exhibits.length) ctx.addIssue({ code: 'custom', path: [...at, 'needs', 'exhibits'], message: `needs ${el.needs.exhibits} exhibits but lists ${el.exhibits.length}` });
        });
      });
    }
    const files = new Set<string>();
    s.evidence.forEach((e, i) => {
      if (files.has(e.file)) ctx.addIssue({ code: 'custom', path: ['evidence', i, 'file'], message: `file "${e.file}" is used by two evidence items` });
      files.add(e.file);
      if ('inject' in e.release && !injectIds.has(e.release.inject)) ctx.addIssue({ code: 'custom', path: ['evidence', i, 'release', 'inject'], message: `no inject "${e.release.inject}"` });
      if ('legalReply' in e.release && !responseIds.has(e.release.legalReply)) ctx.addIssue({ code: 'custom', path: ['evidence', i, 'release', 'legalReply'], message: `no legal response "${e.release.legalReply}"` });
    });
    s.objectives.forEach((o, i) => {
      o.requires.forEach((r, j) => {
        if (!objectiveIds.has(r)) ctx.addIssue({ code: 'custom', path: ['objectives', i, 'requires', j], message: `no objective "${r}"` });
        if (r === o.id) ctx.addIssue({ code: 'custom', path: ['objectives', i, 'requires', j], message: 'an objective cannot require itself' });
      });
      if ('legalReply' in o.release) ctx.addIssue({ code: 'custom', path: ['objectives', i, 'release', 'legalReply'], message: 'only evidence can be released by a legal reply' });
      if ('inject' in o.release && !injectIds.has(o.release.inject)) ctx.addIssue({ code: 'custom', path: ['objectives', i, 'release', 'inject'], message: `no inject "${o.release.inject}"` });
    });
    s.hints.forEach((h, i) => {
      if (h.objective && !objectiveIds.has(h.objective)) ctx.addIssue({ code: 'custom', path: ['hints', i, 'objective'], message: `no objective "${h.objective}"` });
    });
    s.injects.forEach((inj, i) => {
      if ('onSolve' in inj.trigger && !objectiveIds.has(inj.trigger.onSolve)) ctx.addIssue({ code: 'custom', path: ['injects', i, 'trigger', 'onSolve'], message: `no objective "${inj.trigger.onSolve}"` });
      inj.releases.evidence.forEach((e, j) => {
        if (!evidenceIds.has(e)) ctx.addIssue({ code: 'custom', path: ['injects', i, 'releases', 'evidence', j], message: `no evidence "${e}"` });
      });
      inj.releases.objectives.forEach((o, j) => {
        if (!objectiveIds.has(o)) ctx.addIssue({ code: 'custom', path: ['injects', i, 'releases', 'objectives', j], message: `no objective "${o}"` });
      });
    });
    // Prerequisites must not loop: an objective in a cycle could never be released.
    const requires = new Map(s.objectives.map((o) => [o.id, o.requires]));
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, path: string[]): boolean => {
      if (state.get(id) === 'done') return false;
      if (state.get(id) === 'visiting') return true;
      state.set(id, 'visiting');
      for (const r of requires.get(id) ?? []) if (visit(r, [...path, r])) return true;
      state.set(id, 'done');
      return false;
    };
    s.objectives.forEach((o, i) => {
      if (state.get(o.id) !== 'done' && visit(o.id, [o.id])) ctx.addIssue({ code: 'custom', path: ['objectives', i, 'requires'], message: `prerequisites form a cycle through "${o.id}"` });
    });
  });

export type ScenarioDefinition = z.infer<typeof scenarioDefinition>;
export type ScenarioEvidence = ScenarioDefinition['evidence'][number];
export type ScenarioObjective = ScenarioDefinition['objectives'][number];
export type ScenarioInject = ScenarioDefinition['injects'][number];
export type ScenarioProsecution = NonNullable<ScenarioDefinition['prosecution']>;
export type ScenarioCharge = ScenarioProsecution['charges'][number];
export type ProofElement = ScenarioCharge['elements'][number];
export type LegalParty = ScenarioDefinition['legalParties'][number];
export type LegalResponse = LegalParty['responses'][number];
