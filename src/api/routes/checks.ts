/**
 * Relying parties and their checks: yes or no with one reason code, the list, period and case
 * when it applies, never the file (product rule 10); each check names a registered purpose.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  checkMeasure,
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
  check_id: z.string(),
});
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
        response: { 200: answer, ...errorResponses(400, 401, 403, 404, 429) },
      },
      serializerCompiler: plainJson,
      // The check turn confirms the credential in the transaction that logs the check.
      config: CONFIRMED_BY_VERB,
    },
    async (request) => {
      const [a] = await checkMeasure({
        ctx: request.ctx('check a measure'),
        measures: platform.measures,
        input: { measure: request.query.measure, subject: request.query.subject },
      });
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
      };
    },
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
          200: z.object({ results: z.array(answer.extend({ subject: z.string() })) }),
          ...errorResponses(400, 401, 403, 404, 429),
        },
      },
      serializerCompiler: plainJson,
      config: CONFIRMED_BY_VERB,
    },
    async (request) => ({
      results: await checkMeasure({
        ctx: request.ctx('check a measure'),
        measures: platform.measures,
        input: request.body,
      }),
    }),
  );
};
