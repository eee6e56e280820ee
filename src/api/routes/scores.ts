/** A subject's score as of a date, with its key factors and full breakdown (product rule 5). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/index.ts';
import { getScoreReport, scoreReportJson } from '../../scoring/index.ts';
import { errorResponses } from '../errors.ts';
import { bindingSchema } from './subjects.ts';

const scoreSchema = z.object({
  subject: z.string(),
  name: z.string(),
  kind: z.string(),
  score: z.number().int(),
  grade: z.string(),
  domains: z.record(z.string(), z.number().int()),
  key_factors: z
    .array(
      z.object({
        record_id: z.number(),
        type: z.string(),
        date: z.string(),
        points: z.number().int(),
        grade: z
          .object({ letter: z.string(), binds: z.boolean() })
          .optional()
          .describe(
            'the grade it sets (`binds`: it decides the grade) or caps (the points give that grade or worse)',
          ),
        text: z.string(),
      }),
    )
    .max(4),
  breakdown: z.array(
    z.object({
      record_id: z.number(),
      type: z.string(),
      domain: z.string(),
      date: z.string(),
      points: z.number().int(),
      direct_grade: z.string().optional(),
      until: z.string(),
      note: z.string().optional(),
    }),
  ),
  base: z.number().int(),
  policy_version: z.string(),
  as_of: z.string(),
  history: z.array(z.object({ as_of: z.string(), score: z.number().int(), grade: z.string() })),
  bindings: z
    .array(bindingSchema)
    .describe("in force on the as-of day: an organization's representatives, or whom a person represents"),
});

export const scoreRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  app.get(
    '/subjects/:id/score',
    {
      schema: {
        summary: "A subject's score, domain sub-scores, grade and key factors as of a date",
        description:
          'Traced to the records and rules that made it: the breakdown and the base add up to the score. ' +
          '`as_of` reproduces the result as the platform knew it then. Subject itself, operators and auditors.',
        tags: ['scores'],
        params: z.object({
          id: z.string().min(1).max(32).describe('resident ID number or Unified Social Credit Code'),
        }),
        querystring: z.object({ as_of: z.string().optional().describe('YYYY-MM-DD (default today)') }),
        response: { 200: scoreSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const r = await getScoreReport({
        ctx: request.ctx('read a score'),
        deps: { policy: platform.scoringPolicy, catalogue: platform.catalogue },
        input: {
          identifier: request.params.id,
          ...(request.query.as_of ? { asOf: request.query.as_of } : {}),
        },
      });
      return scoreReportJson(r, platform.scoringPolicy.base);
    },
  );
};
