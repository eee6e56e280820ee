/**
 * HTTP face of the public lookup (issue 18): no credential needed. Search organizations and public
 * bodies by part of a name or by code (never persons), an organization's published page, and the
 * black and red lists in force, paged.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getPublicList,
  getPublicOrganization,
  LIST_PAGE_DEFAULT,
  LIST_PAGE_MAX,
  type LookupDeps,
  listPublicLists,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
  SEARCH_QUERY_MAX,
  searchOrganizations,
} from '../../lookup/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses } from '../errors.ts';
import { intQuery } from '../input.ts';

const orgKind = z.enum(['organization', 'public_body']);

const searchResultSchema = z.object({
  identifier: z.string().describe('Unified Social Credit Code'),
  name: z.string(),
  kind: orgKind,
  grade: z.string().nullable().describe('null: never scored'),
  lists_in_force: z.number().int().describe('entries in force on the black and red lists'),
  match: z
    .enum(['code', 'prefix', 'contains'])
    .describe('its code, the start of its name, or inside its name (the order of the results)'),
});

const dimensionSchema = z.object({
  mean: z.number().nullable(),
  bayesian: z.number().nullable(),
  count: z.number().int(),
  distribution: z.record(z.string(), z.number().int()),
  held: z.number().int(),
  band: z.object({ low: z.number().nullable(), high: z.number().nullable() }).nullable(),
  published: z.boolean(),
});

const organizationSchema = z.object({
  identifier: z.string(),
  name: z.string(),
  kind: orgKind,
  grade: z.string().nullable(),
  key_factors: z
    .array(
      z.object({
        type: z.string(),
        type_name: z.string(),
        date: z.string().describe('the day of the act or decision'),
        points: z.number().int().describe('its points in the score (negative: deducted)'),
        until: z.string().nullable().describe('the first day it no longer counts'),
        direct_grade: z.string().nullable().describe('the grade it sets directly, when it sets one'),
        contested: z.boolean().describe('the record is under objection'),
        text: z.string().describe('one plain sentence'),
      }),
    )
    .describe('at most four records behind the grade, largest effect first (none: the default grade)'),
  lists: z.array(
    z.object({
      list: z.string().describe('the list code'),
      name: z.string().describe('the list name'),
      kind: z.enum(['black', 'red', 'focus']),
      legal_basis: z.string(),
      from: z.string(),
      until: z.string().nullable().describe('null: until a deletion condition is met'),
      case_reference: z.string().nullable(),
      reason_code: z.string(),
      reason: z.string().describe('why, in one sentence'),
      contested: z.boolean().describe('a record behind it is under objection'),
    }),
  ),
  inspections: z
    .array(
      z.object({
        id: z.number().int(),
        regulator: z.string(),
        class: z.string().describe('its risk class when drawn'),
        outcome: z.string().nullable(),
        inspected_on: z.string().nullable(),
        published_at: z.string().nullable(),
        contested: z.boolean().describe('its record is under objection'),
      }),
    )
    .describe(
      'the results published, while their records stand: one whose record was removed on objection, withdrawn, repaired or archived is no longer shown',
    ),
  ratings: z.object({
    min_count: z.number().int(),
    professionalism: dimensionSchema,
    honesty: dimensionSchema,
    comments: z.array(
      z.object({
        week: z
          .string()
          .describe(
            'YYYY-MM-DD, the Monday of the week (TIME_ZONE) in which the rating was given, never its day',
          ),
        professionalism: z.number().int(),
        honesty: z.number().int(),
        comment: z.string().nullable(),
        reply: z.string().nullable(),
        replied_at: z.string().nullable(),
      }),
    ),
  }),
});

const listSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['black', 'red']),
  legal_basis: z.string(),
  subject_kinds: z.array(z.string()).describe('the kinds of subject it publishes'),
  publishes_persons: z.boolean(),
  in_force: z.number().int().describe('entries in force it publishes'),
});

const entrySchema = z.union([
  z.object({
    subject: z.object({
      kind: orgKind,
      name: z.string(),
      identifier: z.string(),
      masked_id: z.null(),
    }),
    from: z.string(),
    until: z.string().nullable(),
    case_reference: z.string().nullable(),
    authority: z.string().nullable().describe('who decided it: the source of its first record'),
    reason_code: z.string(),
    contested: z.boolean(),
  }),
  z.object({
    subject: z.object({
      kind: z.literal('person'),
      name: z.string(),
      identifier: z.null(),
      masked_id: z.string().describe('as the court publishes it: birth month and day masked'),
    }),
    from: z.string(),
    case_reference: z.string().nullable(),
    authority: z.string().nullable().describe('the court that decided it'),
    reason_code: z.string(),
  }),
]);

export const publicRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  const deps: LookupDeps = {
    lists: platform.lists,
    ratings: platform.ratings,
    scoring: { policy: platform.scoringPolicy, catalogue: platform.catalogue },
  };

  app.get(
    '/public/search',
    {
      schema: {
        summary: 'Search organizations and public bodies by part of a name or by code (public)',
        description:
          'Never persons. `q` is a Unified Social Credit Code (exact) or part of a name: any run of ' +
          'characters of it, Chinese from one character, Latin letters in either case. Best matches first: ' +
          'the code, then names starting with `q`, then names containing it; ties by name.',
        tags: ['public'],
        security: [],
        querystring: z.object({
          q: z.string().describe(`1–${SEARCH_QUERY_MAX} characters`),
          limit: intQuery({ min: 1, max: SEARCH_LIMIT_MAX, default: SEARCH_LIMIT_DEFAULT }),
        }),
        response: { 200: z.object({ results: z.array(searchResultSchema) }), ...errorResponses() },
      },
    },
    async (request) =>
      searchOrganizations({
        ctx: request.ctx('search published credit information'),
        input: { q: request.query.q, limit: request.query.limit },
        deps,
      }),
  );

  app.get(
    '/public/organizations/:identifier',
    {
      schema: {
        summary: 'What is published about an organization or a public body (public; audited)',
        description:
          'Its grade with at most four key factors behind it, entries in force on the black and red lists with their basis, period and case, ' +
          'published inspection results and rating aggregates with their counts. 404 for anything but ' +
          'an organization or a public body.',
        tags: ['public'],
        security: [],
        params: z.object({ identifier: z.string().min(1).max(64) }),
        response: { 200: organizationSchema, ...errorResponses(404) },
      },
    },
    async (request) =>
      getPublicOrganization({
        ctx: request.ctx('look up published credit information'),
        input: { identifier: request.params.identifier },
        deps,
      }),
  );

  app.get(
    '/public/lists',
    {
      schema: {
        summary: 'The black and red lists with how many entries are in force (public)',
        tags: ['public'],
        security: [],
        response: { 200: z.object({ lists: z.array(listSchema) }), ...errorResponses() },
      },
    },
    async (request) => listPublicLists({ ctx: request.ctx('browse the published lists'), deps }),
  );

  app.get(
    '/public/lists/:code',
    {
      schema: {
        summary: 'Entries in force on one list, newest first, a page at a time (public)',
        description:
          'Organizations and public bodies with name and code; persons only on a list that publishes them ' +
          '(the court list of judgment defaulters), as the court publishes them: name, masked ID number, ' +
          'court, case number, date.',
        tags: ['public'],
        security: [],
        params: z.object({ code: z.string().min(1).max(64) }),
        querystring: z.object({
          page: intQuery({ min: 1, default: 1 }),
          limit: intQuery({ min: 1, max: LIST_PAGE_MAX, default: LIST_PAGE_DEFAULT }),
        }),
        response: {
          200: z.object({
            list: listSchema,
            entries: z.array(entrySchema),
            page: z.number().int(),
            limit: z.number().int(),
            total: z.number().int(),
            next_page: z.number().int().nullable(),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) =>
      getPublicList({
        ctx: request.ctx('browse the published lists'),
        input: { code: request.params.code, page: request.query.page, limit: request.query.limit },
        deps,
      }),
  );
};
