/**
 * HTTP face of citizen ratings: interaction tokens issued by sources, ratings submitted by raters,
 * the published aggregates (public), the rated subject's own view with replies and objections, and
 * the operator's held-window queue and the sweep.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/index.ts';
import {
  decideHeld,
  getHeld,
  getOwnRatings,
  getRatings,
  HOLD_DECISIONS,
  HOLD_FILTERS,
  issueInteractions,
  listHeld,
  MAX_INTERACTIONS,
  objectToRating,
  replyToRating,
  SERVING_KINDS,
  submitRating,
  sweepRatings,
} from '../../ratings/index.ts';
import { invalidInput } from '../../shared/errors.ts';
import { CONFIRMED_BY_VERB } from '../auth.ts';
import { errorResponses } from '../errors.ts';
import { idParam, inputObject, intQuery } from '../input.ts';

const interactionShape = {
  serving: inputObject({
    kind: z
      .enum(SERVING_KINDS)
      .describe('licence: a licensed person by licence number; organization or public_body: by USCC'),
    id: z.string().min(1).max(64),
    licence_kind: z
      .string()
      .max(32)
      .optional()
      .describe('only when one number is held under several licence kinds'),
  }).describe('who served'),
  service_date: z.string().describe('YYYY-MM-DD, the day the service took place'),
  service: z
    .string()
    .describe(
      'the kind of service, e.g. "outpatient consultation"; kept for reviewers of held ratings, never shown ' +
        'with a rating to the one who served nor published. ' +
        'Naming a protected category (a diagnosis, a belief…) is refused, 400.',
    ),
};
const interactionSchema = inputObject(interactionShape);

const tokenSchema = z.object({
  token: z.string().describe('shown once: give it to the citizen served; kept only as its SHA-256'),
  expires_at: z.string(),
});

const distributionSchema = z.record(z.string(), z.number().int());
const dimensionSchema = z.object({
  mean: z.number().nullable().describe('weighted mean of counted ratings'),
  bayesian: z.number().nullable().describe('v/(v+m)·R + m/(v+m)·C (IMDb form); null below the minimum count'),
  count: z.number().int().describe('counted ratings (held and removed ones excluded)'),
  distribution: distributionSchema.describe('counted ratings per star, 1–5'),
  held: z.number().int().describe('ratings held for review, not counted'),
  band: z
    .object({ low: z.number().nullable(), high: z.number().nullable() })
    .nullable()
    .describe('95 % confidence band of the mean'),
  published: z.boolean(),
});
const commentSchema = z.object({
  week: z
    .string()
    .describe(
      'YYYY-MM-DD, the Monday of the week (in the platform’s TIME_ZONE) in which the rating was given, never its day; ' +
        'shown once it is `reveal_after_days` old',
    ),
  professionalism: z.number().int(),
  honesty: z.number().int(),
  comment: z.string().nullable(),
  reply: z.string().nullable(),
  replied_at: z.string().nullable(),
});
const ownCommentSchema = commentSchema.extend({
  rating_id: z.number().int().describe('to answer it or object to it'),
});
const revealSchema = z
  .number()
  .int()
  .describe(
    'days after it is given before a rating is shown: in the aggregates, and one by one (its week, stars and comment)',
  );

const holdSchema = z.object({
  id: z.number().int(),
  reason: z.string(),
  reason_text: z.string(),
  subject: z.object({ identifier: z.string(), name: z.string().nullable() }).nullable(),
  window: z.object({ from: z.string(), to: z.string() }),
  detail: z.record(z.string(), z.unknown()),
  hides: z
    .boolean()
    .describe('whether its ratings stop counting while it is pending (an objection does not)'),
  status: z.enum(['pending', 'confirmed', 'released']),
  ratings: z.number().int(),
  created_at: z.string(),
  decided_at: z.string().nullable(),
  decided_by: z.string().nullable(),
  decision_reason: z.string().nullable(),
});

const idParams = z.object({ id: idParam() });

/**
 * A submission's answer is built by our own typed code (as check answers are, routes/checks.ts):
 * it skips the per-response zod parse and goes straight to JSON; the schema still documents it.
 */
const plainJson = () => (data: unknown) => JSON.stringify(data);

export const ratingRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  const deps = platform.ratings;

  app.post(
    '/interactions',
    {
      // Up to 1,000 interactions of a few hundred bytes each.
      bodyLimit: 1024 * 1024,
      schema: {
        summary: 'Issue interaction tokens for services that took place (a source)',
        description:
          `One interaction, or \`{"interactions": [...]}\` for up to ${MAX_INTERACTIONS} at once (all or nothing). ` +
          'A hospital vouches for its doctors, nurses and pharmacists, a school for its teachers (the kinds that ' +
          'license them), local government for public bodies; an operator names the source with `?source=CODE` (as for ' +
          '`POST /v1/records`) or the body field `source`. A withdrawn source issues none (409).',
        tags: ['ratings'],
        querystring: z.object({
          source: z
            .string()
            .min(1)
            .max(64)
            .optional()
            .describe('an operator: the source that served (or the body field `source`)'),
        }),
        // A refusal names the field of the form the body is closest to (errors.ts, likelyBranch).
        body: z.union(
          [
            inputObject({ ...interactionShape, source: z.string().optional() }),
            inputObject({
              source: z.string().optional(),
              interactions: z.array(interactionSchema).min(1).max(MAX_INTERACTIONS),
            }),
          ],
          {
            error: `expected one interaction {"serving", "service_date", "service"} or {"interactions": [...]} (at most ${MAX_INTERACTIONS})`,
          },
        ),
        response: {
          201: z.union([tokenSchema, z.object({ tokens: z.array(tokenSchema) })]),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const list = 'interactions' in body ? body.interactions : [body];
      const named = request.query.source;
      if (named !== undefined && body.source !== undefined && named !== body.source)
        throw invalidInput(
          `the source is named twice, differently: ?source=${JSON.stringify(named)} and body field \`source\` ` +
            `${JSON.stringify(body.source.slice(0, 64))}: name it once`,
          [{ field: 'querystring.source', message: 'differs from body.source' }],
        );
      const issued = await issueInteractions({
        ctx: request.ctx('issue interaction tokens for services given'),
        input: {
          source: named ?? body.source,
          naming: { how: '`?source=CODE` or body field `source`', field: 'querystring.source' },
          interactions: list.map((i) => ({
            serving: { kind: i.serving.kind, id: i.serving.id, licenceKind: i.serving.licence_kind },
            serviceDate: i.service_date,
            service: i.service,
          })),
        },
        deps,
      });
      const tokens = issued.map((t) => ({ token: t.token, expires_at: t.expiresAt }));
      return reply.status(201).send('interactions' in body ? { tokens } : tokens[0]!);
    },
  );

  app.post(
    '/ratings',
    {
      // The submission's turn confirms the rater's credential (ratings/submit.ts, decideTurn).
      config: CONFIRMED_BY_VERB,
      schema: {
        summary: 'Rate a service with its interaction token (a rater)',
        description:
          'One rating per token. A malformed or unknown token is 400, a used one 409, an expired one 410. ' +
          'The rating is `held` when it falls in a window held for review (a burst, a ring, connected raters, ' +
          'repeated text, a rate limit); a comment with personal data of others or protected categories is held ' +
          'and not published.',
        tags: ['ratings'],
        body: inputObject({
          token: z.string(),
          professionalism: z.number().int().describe('1–5'),
          honesty: z.number().int().describe('1–5'),
          // The policy's own ceiling; its limit (500 by default) is refused by the verb.
          comment: z.string().max(10_000).nullable().optional(),
        }),
        response: {
          201: z.object({
            id: z.number().int(),
            status: z.enum(['published', 'held']),
            comment_status: z.enum(['none', 'published', 'held']),
            rated: z.object({ kind: z.string(), name: z.string() }),
          }),
          ...errorResponses(400, 401, 403, 409, 410),
        },
      },
      serializerCompiler: plainJson,
    },
    async (request, reply) => {
      const r = await submitRating({
        ctx: request.ctx('rate a service received'),
        input: request.body,
        deps,
      });
      // Built whole here (the verb's answer has these fields only), so plain JSON stands for the schema.
      return reply.status(201).send({
        id: r.id,
        status: r.status,
        comment_status: r.comment_status,
        rated: { kind: r.rated.kind, name: r.rated.name },
      });
    },
  );

  app.get(
    '/ratings/held',
    {
      schema: {
        summary: 'Held rating windows (operator, auditor), newest first',
        tags: ['ratings'],
        querystring: z.object({
          status: z.enum(HOLD_FILTERS).default('pending'),
          limit: intQuery({ min: 1, max: 200, default: 50 }),
          before: intQuery({ min: 1, optional: true }).describe('the `next_before` of the previous page'),
        }),
        response: {
          200: z.object({ holds: z.array(holdSchema), next_before: z.number().int().nullable() }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) =>
      listHeld({
        ctx: request.ctx('review held ratings'),
        input: { status: request.query.status, limit: request.query.limit, before: request.query.before },
      }),
  );

  app.get(
    '/ratings/held/:id',
    {
      schema: {
        summary: 'One held window with its ratings (raters by pseudonym only)',
        tags: ['ratings'],
        params: idParams,
        response: {
          200: holdSchema.extend({
            items: z.array(
              z.object({
                id: z.number().int(),
                rater: z.string().describe('a pseudonym valid within this window'),
                professionalism: z.number().int(),
                honesty: z.number().int(),
                comment: z.string().nullable(),
                comment_status: z.string(),
                submitted_at: z.string(),
                service: z.string(),
                service_date: z.string(),
                connected: z.boolean(),
              }),
            ),
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => getHeld({ ctx: request.ctx('review held ratings'), input: { id: request.params.id } }),
  );

  app.post(
    '/ratings/held/:id/decision',
    {
      schema: {
        summary: 'Confirm (its ratings stop counting) or release (they count) a held window, with reasons',
        tags: ['ratings'],
        params: idParams,
        body: inputObject({ decision: z.enum(HOLD_DECISIONS), reason: z.string() }),
        response: { 200: holdSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      decideHeld({
        ctx: request.ctx('decide a held rating window'),
        input: { id: request.params.id, decision: request.body.decision, reason: request.body.reason },
      }),
  );

  app.post(
    '/ratings/sweep',
    {
      schema: {
        summary: 'Run detection over every rating and turn sustained aggregates into records (operator)',
        tags: ['ratings'],
        response: {
          200: z.object({
            ratings: z.number().int(),
            subjects: z.number().int(),
            holds: z.object({
              opened_or_extended: z.number().int(),
              by_reason: z.record(z.string(), z.number()),
            }),
            records: z.object({
              period: z.object({ from: z.string(), to: z.string() }),
              stored: z.number().int(),
              duplicates: z.number().int(),
              rejected: z.number().int(),
            }),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) =>
      sweepRatings({
        ctx: request.ctx('detect steered ratings and record sustained aggregates'),
        deps: {
          ...deps,
          catalogue: platform.catalogue,
          refresh: (ids) => platform.refreshSubjects(request.ctx('rescore after rating records'), ids),
        },
      }),
  );

  app.get(
    '/ratings/:subject',
    {
      schema: {
        summary:
          'Published ratings of an organization, a public body (by USCC) or a licensed professional (by licence number)',
        description:
          'Public. Who rated is never shown, nor the service rated. A rating is shown only once it is ' +
          '`reveal_after_days` old, in the aggregates as one by one; aggregates are published from the policy’s ' +
          'minimum count, and comments with them. Each read is on the subject’s access log.',
        tags: ['ratings'],
        security: [],
        params: z.object({ subject: z.string().min(1).max(64) }),
        response: {
          200: z.object({
            subject: z.object({
              kind: z.string(),
              name: z.string(),
              uscc: z.string().optional(),
              licence: z.object({ kind: z.string(), number: z.string() }).optional(),
            }),
            min_count: z.number().int(),
            reveal_after_days: revealSchema,
            professionalism: dimensionSchema,
            honesty: dimensionSchema,
            comments: z.array(commentSchema),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) =>
      getRatings({
        ctx: request.ctx('look up published ratings'),
        input: { id: request.params.subject },
        deps,
      }),
  );

  app.get(
    '/me/ratings',
    {
      schema: {
        summary: 'How you were rated: aggregates, held counts and comments you can answer',
        description:
          'The aggregates as the public sees them. A rating counts in them, and its comment is shown and can be ' +
          'answered or objected to, once it is `reveal_after_days` old, so a new rating cannot be tied to the ' +
          'person just served; a comment shows the week it was given in, never its day nor the service rated.',
        tags: ['ratings'],
        response: {
          200: z.object({
            min_count: z.number().int(),
            reveal_after_days: revealSchema,
            professionalism: dimensionSchema,
            honesty: dimensionSchema,
            held_comments: z.number().int().describe('comments held for review, once revealed'),
            comments: z.array(ownCommentSchema),
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => getOwnRatings({ ctx: request.ctx('read how I was rated'), deps }),
  );

  app.post(
    '/me/ratings/:id/reply',
    {
      schema: {
        summary: 'Answer a comment publicly (replaces your earlier answer)',
        tags: ['ratings'],
        params: idParams,
        body: inputObject({ text: z.string() }),
        response: {
          200: z.object({ rating_id: z.number().int(), reply: z.string(), replied_at: z.string() }),
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request) =>
      replyToRating({
        ctx: request.ctx('answer a comment on my service'),
        input: { id: request.params.id, text: request.body.text },
        deps,
      }),
  );

  app.post(
    '/me/ratings/:id/objection',
    {
      schema: {
        summary: 'Object to a rating of you: an operator reviews it; it keeps counting meanwhile',
        tags: ['ratings'],
        params: idParams,
        body: inputObject({ reason: z.string() }),
        response: {
          201: z.object({
            rating_id: z.number().int(),
            held_window: z.number().int(),
            status: z.literal('pending'),
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await objectToRating({
          ctx: request.ctx('object to a rating of me'),
          input: { id: request.params.id, reason: request.body.reason },
          deps,
        }),
      ),
  );
};
