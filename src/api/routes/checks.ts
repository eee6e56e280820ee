/**
 * Relying parties and their checks: yes or no with one reason code, the list, period and case
 * when it applies, never the file (product rule 10); each check names a registered purpose.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  checkBasis,
  checkMeasure,
  explainCheck,
  listRelyingParties,
  MAX_BATCH_CHECK,
  registerRelyingParty,
  setRelyingPartyPurposes,
} from '../../measures/index.ts';
import type { Platform } from '../../platform/index.ts';
import type { RelyingPartyRow } from '../../store/index.ts';
import { CONFIRMED_BY_VERB } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { inputObject } from '../input.ts';

const answer = z.object({
  applies: z.boolean(),
  measure: z.string(),
  reason_code: z.string(),
  list: z.string().nullable(),
  from: z.string().nullable(),
  until: z.string().nullable(),
  case_reference: z
    .string()
    .nullable()
    .describe('when a list entry applies: the case the subject can contest'),
  contested: z
    .literal(true)
    .optional()
    .describe(
      'present when the entry that applies rests on a record under a pending objection: it binds until corrected',
    ),
  check_id: z
    .string()
    .describe(
      'the check as logged; the subject it is about and auditors can have it explained (`GET /v1/checks/{check_id}`)',
    ),
});
const basis = z
  .object({
    legal_basis: z.string().describe("the measure's legal basis, as the measures policy states it"),
    measures_policy_version: z
      .string()
      .describe('SHA-256 of the measures policy the answer was given under (kept with the check)'),
    lists_policy_version: z
      .string()
      .describe('SHA-256 of the lists policy in force when it was given (kept with the check)'),
  })
  .describe(
    'what the answer rests on, the same for every subject of the call: nothing about the subject (product rules 5 and 10)',
  );
const relyingParty = z.object({
  code: z.string(),
  kind: z.string(),
  name: z.string(),
  legal_basis: z.string(),
  measures: z.array(z.string()),
  purposes: z.array(z.string()),
  daily_quota: z.number().int(),
});
const relyingPartyJson = (rp: RelyingPartyRow): z.infer<typeof relyingParty> => ({
  code: rp.code,
  kind: rp.kind,
  name: rp.name,
  legal_basis: rp.legalBasis,
  measures: rp.measures,
  purposes: rp.purposes,
  daily_quota: rp.dailyQuota,
});
const purposeCode = z.string().min(1).max(64);

const nullableDay = z.string().nullable();
const explanation = z.object({
  check: z
    .object({
      check_id: z.string(),
      subject: z.string().describe('the identifier checked'),
      at: z.string().describe('when it was answered and logged'),
      day: z.string().describe("the platform's day (TIME_ZONE) it was answered for"),
      relying_party: z.string().nullable().describe("the relying party's code; null for an operator's check"),
      who: z.string().describe('who asked, by registered name'),
      role: z.string(),
      purpose: z.string(),
      measure: z.string(),
      applies: z.boolean(),
      reason_code: z.string(),
      audit_seq: z.number().int().describe('the audit entry committing to its group of checks'),
      leaf_index: z
        .number()
        .int()
        .nullable()
        .describe("that entry's leaf in the audit log's Merkle tree; null: not yet in the tree"),
    })
    .describe(
      'the check as the log keeps it (measure, applies, reason code), with who asked, why and when; ' +
        'the list and period it named are those of `recomputed` when `agrees`',
    ),
  basis: z
    .object({
      measure_name: z.string().nullable().describe('null: the measures policy logged is not on file'),
      legal_basis: z.string().nullable().describe('null: the measures policy logged is not on file'),
      measures_policy_version: z.string(),
      measures_policy_label: z.string().nullable().describe('null: that version’s text is not on file'),
      lists_policy_version: z.string(),
      lists_policy_label: z.string().nullable().describe('null: that version’s text is not on file'),
    })
    .describe(
      'the policy versions logged with the check, and the legal basis of the measure in that version',
    ),
  recomputed: z
    .object({
      as_of: z.string(),
      known_at: z.string().describe('records and bindings as they were on file at this instant'),
      measures_policy_version: z.string().describe('the measures policy recomputed under: the one logged'),
      lists_policy_version: z
        .string()
        .describe(
          "the lists policy recomputed under: the one in force at the check's instant (policy periods)",
        ),
      applies: z.boolean(),
      reason_code: z.string(),
      list: z.string().nullable(),
      from: nullableDay,
      until: nullableDay,
      case_reference: z.string().nullable(),
      contested: z.literal(true).optional(),
      grade: z.string().nullable().describe('for a grade-triggered measure: the grade then'),
    })
    .nullable()
    .describe(
      'the answer recomputed as of the instant it was given: records and bindings as known then, the lists, ' +
        'measures and scoring policies in force then; null when a policy text it needs is not on file (`note`)',
    ),
  agrees: z
    .boolean()
    .nullable()
    .describe(
      'whether the recomputation gives the logged answer (applies and reason code); null: not recomputed',
    ),
  version_mismatch: z
    .boolean()
    .describe(
      'whether the lists policy logged with the check differs from the one in force at its instant (recomputed under the latter)',
    ),
  note: z
    .string()
    .nullable()
    .describe('why the explanation is not plain: a version mismatch, or why not recomputed'),
  entry: z
    .object({
      list: z.string(),
      of: z.enum(['subject', 'bound_organization']),
      status: z.string(),
      from: z.string(),
      until: nullableDay,
      reason_code: z.string(),
      note: z.string(),
    })
    .nullable()
    .describe('the list entry the answer rested on, as recomputed; null when none'),
  reason_records: z
    .array(
      z.object({
        id: z.number().int(),
        type: z.string(),
        type_name: z.string(),
        occurred_at: z.string(),
        decided_at: z.string().nullable(),
        recorded_at: z.string(),
        case_reference: z.string().nullable(),
        status_then: z.string(),
        status_now: z.string().nullable(),
      }),
    )
    .describe("the entry's reason records as they were on file then, with their status now"),
});

/**
 * Check answers are built by our own typed code, so their responses skip the per-response zod
 * parse (on a batch, 1,000 objects) and go straight to JSON; the schemas still document them.
 */
const plainJson = () => (data: unknown) => JSON.stringify(data);

export const checkRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  app.post(
    '/relying-parties',
    {
      schema: {
        summary:
          'Register a relying party with the measures it may ask about, its purposes and daily quota (operator); its token is shown once',
        tags: ['checks'],
        body: inputObject({
          code: z.string(),
          kind: z.string(),
          name: z.string().optional(),
          legal_basis: z.string().optional(),
          measures: z.array(z.string()).optional(),
          purposes: z
            .array(purposeCode)
            .min(1)
            .max(100)
            .describe('why it checks, lower-case snake_case (e.g. ticket_sale); each check names one'),
          daily_quota: z.number().int().min(1).optional().describe('checks a day (default 100,000)'),
        }),
        response: {
          201: z.object({ relying_party: relyingParty, token: z.string() }),
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { relyingParty: rp, token } = await registerRelyingParty({
        ctx: request.ctx('register a relying party'),
        measures: platform.measures,
        input: {
          code: b.code,
          kind: b.kind,
          ...(b.name ? { name: b.name } : {}),
          ...(b.legal_basis ? { legalBasis: b.legal_basis } : {}),
          ...(b.measures ? { measures: b.measures } : {}),
          purposes: b.purposes,
          ...(b.daily_quota !== undefined ? { dailyQuota: b.daily_quota } : {}),
        },
      });
      reply.code(201);
      return { relying_party: relyingPartyJson(rp), token };
    },
  );

  app.put(
    '/relying-parties/:code/purposes',
    {
      schema: {
        summary: "Set a relying party's purposes (operator; audited)",
        description: 'Replaces them: its checks may name only these from now on.',
        tags: ['checks'],
        params: z.object({ code: z.string().min(1).max(64) }),
        body: inputObject({ purposes: z.array(purposeCode).min(1).max(100) }),
        response: { 200: z.object({ relying_party: relyingParty }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      relying_party: relyingPartyJson(
        await setRelyingPartyPurposes({
          ctx: request.ctx("set a relying party's purposes"),
          input: { code: request.params.code, purposes: request.body.purposes },
        }),
      ),
    }),
  );

  app.get(
    '/relying-parties',
    {
      schema: {
        summary:
          'Registered relying parties with their measures, purposes, daily quota and the checks they made today (operators and auditors)',
        tags: ['checks'],
        response: {
          200: z.object({
            relying_parties: z.array(
              relyingParty.extend({
                used_today: z
                  .number()
                  .int()
                  .describe(
                    "checks made today (the platform's TIME_ZONE day), as its daily quota counts them; new at midnight there",
                  ),
              }),
            ),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({
      relying_parties: (await listRelyingParties({ ctx: request.ctx('list relying parties') })).map((rp) => ({
        ...relyingPartyJson(rp),
        used_today: rp.usedToday,
      })),
    }),
  );

  app.get(
    '/checks',
    {
      schema: {
        summary:
          'Does a measure apply to a subject? Yes or no with a reason code; the list, period and case when it does',
        description:
          'Only for measures granted to the relying party, for one of its registered purposes named in `x-purpose` ' +
          '(400 without one), within its daily quota (429 with `Retry-After` past it). When the measure does not ' +
          'apply the answer is the same whatever the reason and whether or not the subject is on file. ' +
          'Every check is audited with its purpose, every refusal too.',
        tags: ['checks'],
        querystring: z.object({ subject: z.string().min(1).max(32), measure: z.string().min(1).max(64) }),
        response: { 200: answer.extend({ basis }), ...errorResponses(400, 401, 403, 404, 429) },
      },
      serializerCompiler: plainJson,
      // The check turn confirms the credential in the transaction that logs the check.
      config: CONFIRMED_BY_VERB,
    },
    async (request) => {
      const { measures, lists } = platform;
      const answers = await checkMeasure({
        ctx: request.ctx('check a measure'),
        measures,
        lists,
        input: { measure: request.query.measure, subject: request.query.subject },
      });
      const a = answers[0];
      // The answer without its subject (the caller named it), built whole rather than copied.
      return {
        applies: a!.applies,
        measure: a!.measure,
        reason_code: a!.reason_code,
        list: a!.list,
        from: a!.from,
        until: a!.until,
        case_reference: a!.case_reference,
        ...(a!.contested && { contested: true as const }),
        check_id: a!.check_id,
        // The versions logged with it: the lists policy in force, which may be newer than this process's.
        basis: checkBasis(measures, { version: answers.policies.lists }, a!.measure),
      };
    },
  );

  app.get(
    '/checks/:check_id',
    {
      schema: {
        summary:
          'A logged check explained and recomputed as of when it was answered (auditors; a subject: its own)',
        description:
          'The logged answer with who asked, why and when; the versions of the measures and lists policies it ' +
          'was answered under and the legal basis; the list entry and the reason records it rested on; and the ' +
          'answer recomputed as of its instant — records and bindings as known then, the terms in force then — ' +
          'with `agrees`, under the lists policy in force at that instant (`version_mismatch` and `note` when the ' +
          'check logged another). Auditors and operators state a purpose (`x-purpose`, shown to the subject); a ' +
          'subject may explain only a check of itself (its check IDs are in `GET /v1/me`; another’s check is ' +
          'answered 404 as one that does not exist); a relying party never. Every explanation is audited on the ' +
          'subject’s trail.',
        tags: ['checks'],
        params: z.object({ check_id: z.string().min(1).max(64) }),
        response: { 200: explanation, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      explainCheck({
        ctx: request.ctx('explain a check'),
        input: { checkId: request.params.check_id },
        deps: platform,
      }),
  );

  app.post(
    '/checks',
    {
      // 1,000 subjects of up to 32 characters are about 35 KB; room for whitespace and escapes.
      bodyLimit: 256 * 1024,
      schema: {
        summary: `One measure for up to ${MAX_BATCH_CHECK} subjects in one call`,
        description:
          'The batch names its purpose in `purpose` (or `x-purpose`); each subject counts against the daily quota.',
        tags: ['checks'],
        body: inputObject({
          measure: z.string().min(1).max(64),
          // Optional here so that a batch without one is refused and audited by the verb, not the schema.
          purpose: purposeCode.optional().describe('one of the relying party’s registered purposes'),
          subjects: z.array(z.string().min(1).max(32)).min(1).max(MAX_BATCH_CHECK),
        }),
        response: {
          200: z.object({ results: z.array(answer.extend({ subject: z.string() })), basis }),
          ...errorResponses(400, 401, 403, 404, 429),
        },
      },
      serializerCompiler: plainJson,
      config: CONFIRMED_BY_VERB,
    },
    async (request) => {
      const { measures, lists } = platform;
      const results = await checkMeasure({
        ctx: request.ctx('check a measure'),
        measures,
        lists,
        input: request.body,
      });
      // Once for the call, not once a subject.
      return {
        results,
        basis: checkBasis(measures, { version: results.policies.lists }, results[0]!.measure),
      };
    },
  );
};
