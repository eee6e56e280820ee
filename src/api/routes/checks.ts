/** Relying parties and their checks: yes or no with a reason, never the file (product rule 10). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  checkMeasure,
  listRelyingParties,
  MAX_BATCH_CHECK,
  registerRelyingParty,
} from '../../measures/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses } from '../errors.ts';

const answer = z.object({
  applies: z.boolean(),
  measure: z.string(),
  reason_code: z.string(),
  list: z.string().nullable(),
  from: z.string().nullable(),
  until: z.string().nullable(),
  check_id: z.string(),
});
const relyingParty = z.object({
  code: z.string(),
  kind: z.string(),
  name: z.string(),
  legal_basis: z.string(),
  measures: z.array(z.string()),
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
          'Register a relying party with the measures it may ask about (operator); its token is shown once',
        tags: ['checks'],
        body: z.object({
          code: z.string(),
          kind: z.string(),
          name: z.string().optional(),
          legal_basis: z.string().optional(),
          measures: z.array(z.string()).optional(),
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
        },
      });
      reply.code(201);
      return {
        relying_party: {
          code: rp.code,
          kind: rp.kind,
          name: rp.name,
          legal_basis: rp.legalBasis,
          measures: rp.measures,
        },
        token,
      };
    },
  );

  app.get(
    '/relying-parties',
    {
      schema: {
        summary: 'Registered relying parties and their measures (operator)',
        tags: ['checks'],
        response: { 200: z.object({ relying_parties: z.array(relyingParty) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({
      relying_parties: (await listRelyingParties({ ctx: request.ctx('list relying parties') })).map((rp) => ({
        code: rp.code,
        kind: rp.kind,
        name: rp.name,
        legal_basis: rp.legalBasis,
        measures: rp.measures,
      })),
    }),
  );

  app.get(
    '/checks',
    {
      schema: {
        summary: 'Does a measure apply to a subject? Yes or no with a reason code, the list and the period',
        description:
          'Only for measures granted to the relying party. Every check is audited with its purpose (`x-purpose`).',
        tags: ['checks'],
        querystring: z.object({ subject: z.string().min(1).max(32), measure: z.string().min(1).max(64) }),
        response: { 200: answer, ...errorResponses(400, 401, 403, 404) },
      },
      serializerCompiler: plainJson,
    },
    async (request) => {
      const [a] = await checkMeasure({
        ctx: request.ctx('check a measure'),
        measures: platform.measures,
        input: { measure: request.query.measure, subjects: [request.query.subject] },
      });
      // The answer without its subject (the caller named it), built whole rather than copied.
      return {
        applies: a!.applies,
        measure: a!.measure,
        reason_code: a!.reason_code,
        list: a!.list,
        from: a!.from,
        until: a!.until,
        check_id: a!.check_id,
      };
    },
  );

  app.post(
    '/checks',
    {
      schema: {
        summary: `One measure for up to ${MAX_BATCH_CHECK} subjects in one call`,
        tags: ['checks'],
        body: z.object({
          measure: z.string().min(1).max(64),
          subjects: z.array(z.string().min(1).max(32)).min(1).max(MAX_BATCH_CHECK),
        }),
        response: {
          200: z.object({ results: z.array(answer.extend({ subject: z.string() })) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
      serializerCompiler: plainJson,
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
