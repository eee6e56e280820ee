/**
 * HTTP face of risk-based random inspections: rosters and plans (operator), an inspector's own
 * assignments and outcomes, a plan's published inputs and its re-run, and the published results.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/index.ts';
import {
  addInspector,
  INSPECTION_OUTCOMES,
  INSPECTIONS_PRINCIPAL,
  type InspectionDeps,
  inspectOnComplaint,
  listPlans,
  myInspections,
  planInputs,
  planInspections,
  publishedInspections,
  recordOutcome,
  showPlan,
  verifyStoredPlan,
} from '../../supervision/index.ts';
import { errorResponses } from '../errors.ts';
import { idParam, inputObject, intQuery } from '../input.ts';

const inspectionSchema = z.object({
  id: z.number().int(),
  plan_id: z.number().int(),
  target: z.object({ uscc: z.string(), name: z.string(), kind: z.string() }),
  class: z.string(),
  inspectors: z.array(z.string()),
  due_day: z.string(),
  overdue: z.boolean(),
  outcome: z.string().nullable(),
  outcome_at: z.string().nullable(),
  published_at: z
    .string()
    .nullable()
    .describe(
      'null until the outcome is entered, and again once its record no longer stands (removed on objection, withdrawn, repaired or archived)',
    ),
  on_complaint: z.boolean().describe('made on a complaint, outside the draw'),
});
const planSchema = z.object({
  id: z.number().int(),
  regulator: z.string(),
  period: z.string(),
  policy_version: z.string(),
  seed: z.string().nullable().describe('to the public once every inspection of the plan is done'),
  seed_origin: z.string().nullable(),
  targets_hash: z.string(),
  roster_hash: z.string(),
  history_hash: z.string(),
  per_class: z.array(
    z.object({
      class: z.string(),
      population: z.number().int().describe('targets that could be drawn (red-listed ones left undisturbed)'),
      red_listed: z.number().int(),
      drawn: z.number().int(),
      ratio: z.number(),
    }),
  ),
  unassigned: z.array(z.object({ target: z.string(), class: z.string(), reason: z.string() })),
  created_at: z.string(),
  outcome_days: z.number().int(),
  inspections: z
    .array(inspectionSchema)
    .describe(
      'every target for operators and auditors; an inspector its own; others only those done whose results stand',
    ),
});
const idParams = z.object({ id: idParam() });
const rosterEntrySchema = z.object({
  code: z.string(),
  regulator: z.string(),
  name: z.string(),
  conflicts: z.array(z.string()),
});

export const inspectionRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  const deps = (request: { id: string }): InspectionDeps => ({
    policy: platform.supervisionPolicy,
    catalogue: platform.catalogue,
    lists: platform.lists,
    scoringPolicy: platform.scoringPolicy,
    audit: platform.audit,
    // The outcome is already decided and audited: the platform applies its effect.
    refresh: (ids) =>
      platform.refreshSubjects(
        platform.ctx(INSPECTIONS_PRINCIPAL, 'rescore after an inspection outcome', request.id),
        ids,
      ),
  });

  app.post(
    '/inspections/inspectors',
    {
      schema: {
        summary: "Put an inspector on a regulator's roster with its declared conflicts (operator)",
        description:
          'A new inspector is 201. One already on the roster is updated with what is given, 200 with `change` and ' +
          'what it held before (`previous`): a `name` or `conflicts` left out keep what the roster holds; ' +
          '`"conflicts": []` clears them.',
        tags: ['inspections'],
        body: inputObject({
          code: z.string().describe("the inspector credential's ref"),
          regulator: z.string().describe('a source of kind market_regulator or local_government'),
          name: z.string().optional().describe('default: the code (a new inspector), else the name on file'),
          conflicts: z
            .array(z.string())
            .max(1000)
            .optional()
            .describe(
              'USCCs it may not inspect, the whole set; default: none (a new inspector), else those on file',
            ),
        }),
        response: {
          201: rosterEntrySchema.extend({ change: z.literal('added') }),
          200: rosterEntrySchema.extend({
            change: z.enum(['updated', 'unchanged']),
            previous: rosterEntrySchema.pick({ name: true, conflicts: true }).describe('what it held before'),
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const i = await addInspector({ ctx: request.ctx('keep an inspector roster'), input: request.body });
      const entry = { code: i.code, regulator: i.regulator, name: i.name, conflicts: i.conflicts };
      if (i.change === 'added' || !i.previous) return reply.status(201).send({ ...entry, change: 'added' });
      const previous = { name: i.previous.name, conflicts: i.previous.conflicts };
      return reply.status(200).send({ ...entry, change: i.change, previous });
    },
  );

  app.post(
    '/inspections/plans',
    {
      schema: {
        summary: "Draw a regulator's inspection plan for a period (operator)",
        description:
          'Classes A–D from each file, the snapshots hashed and audited, then the seed: the SHA-256 of a signed audit ' +
          'head cut after them, or an operator-entered public lottery seed. The plan keeps every input.',
        tags: ['inspections'],
        body: inputObject({ regulator: z.string(), period: z.string(), seed: z.string().optional() }),
        response: { 201: planSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await planInspections({
          ctx: request.ctx('draw an inspection plan'),
          input: request.body,
          deps: deps(request),
        }),
      ),
  );

  app.get(
    '/inspections/plans',
    {
      schema: {
        summary: 'Inspection plans (their inputs are public)',
        tags: ['inspections'],
        security: [],
        querystring: z.object({ regulator: z.string().optional() }),
        response: {
          200: z.object({
            plans: z.array(
              z.object({
                id: z.number().int(),
                regulator: z.string(),
                period: z.string(),
                seed: z
                  .string()
                  .nullable()
                  .describe('operators and auditors; others see it on the plan once it is done'),
                created_at: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      plans: await listPlans({
        ctx: request.ctx('read inspection plans'),
        input: { regulator: request.query.regulator },
      }),
    }),
  );

  app.get(
    '/inspections/plans/:id',
    {
      schema: {
        summary: 'One plan: its inputs, and the targets the caller may see',
        tags: ['inspections'],
        security: [],
        params: idParams,
        response: { 200: planSchema, ...errorResponses(404) },
      },
    },
    async (request) =>
      showPlan({
        ctx: request.ctx('read an inspection plan'),
        input: { id: request.params.id },
        deps: { policy: platform.supervisionPolicy },
      }),
  );

  app.post(
    '/inspections/plans/:id/complaints',
    {
      schema: {
        summary:
          'Add an inspection made on a complaint to a plan (operator): the only way a red-listed organization is inspected',
        tags: ['inspections'],
        params: idParams,
        body: inputObject({ target: z.string().describe('USCC'), complaint: z.string() }),
        response: {
          201: inspectionSchema.extend({ complaint: z.string() }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await inspectOnComplaint({
          ctx: request.ctx('inspect on a complaint'),
          input: {
            planId: request.params.id,
            target: request.body.target,
            complaint: request.body.complaint,
          },
          deps: deps(request),
        }),
      ),
  );

  app.get(
    '/inspections/plans/:id/verify',
    {
      schema: {
        summary: "Re-run a plan's draw from its published inputs: identical or not",
        tags: ['inspections'],
        security: [],
        params: idParams,
        response: {
          200: z.object({ identical: z.boolean(), differences: z.array(z.string()) }),
          ...errorResponses(404),
        },
      },
    },
    async (request) =>
      verifyStoredPlan({
        ctx: request.ctx('verify an inspection plan'),
        input: { id: request.params.id },
        deps: { policy: platform.supervisionPolicy },
      }),
  );

  app.get(
    '/inspections/plans/:id/inputs',
    {
      schema: {
        summary:
          "A plan's draw inputs, to re-run it anywhere (operators and auditors; the public once it is done)",
        tags: ['inspections'],
        security: [],
        params: idParams,
        response: {
          200: z.object({
            policy_version: z.string(),
            seed: z.string(),
            targets: z.array(
              z.object({ id: z.string(), class: z.enum(['A', 'B', 'C', 'D']), red_listed: z.boolean() }),
            ),
            roster: z.array(z.object({ id: z.string(), conflicts: z.array(z.string()) })),
            last_inspectors: z.record(z.string(), z.array(z.string())),
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) =>
      planInputs({ ctx: request.ctx("read an inspection plan's inputs"), input: { id: request.params.id } }),
  );

  app.get(
    '/inspections/mine',
    {
      schema: {
        summary: 'The inspections assigned to you (an inspector), overdue ones flagged',
        tags: ['inspections'],
        response: { 200: z.object({ inspections: z.array(inspectionSchema) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ inspections: await myInspections({ ctx: request.ctx('read my inspections') }) }),
  );

  app.post(
    '/inspections/:id/outcome',
    {
      schema: {
        summary: 'Enter the outcome of an inspection you are assigned; it becomes a record and is published',
        tags: ['inspections'],
        params: idParams,
        body: inputObject({ outcome: z.enum(INSPECTION_OUTCOMES), note: z.string().max(2000).optional() }),
        response: { 200: inspectionSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      recordOutcome({
        ctx: request.ctx('enter an inspection outcome'),
        input: { id: request.params.id, outcome: request.body.outcome, note: request.body.note },
        deps: deps(request),
      }),
  );

  app.get(
    '/inspections/published',
    {
      schema: {
        summary: 'Results of inspections done, newest first (public)',
        description:
          'An outcome is published while its record stands: one under objection is shown with `contested: true`; ' +
          'one whose record was removed on objection, withdrawn by the regulator, repaired or archived is no longer shown.',
        tags: ['inspections'],
        security: [],
        querystring: z.object({ limit: intQuery({ min: 1, max: 1000, default: 200 }) }),
        response: {
          200: z.object({
            inspections: z.array(
              z.object({
                id: z.number().int(),
                plan_id: z.number().int(),
                regulator: z.string(),
                target: z.object({ uscc: z.string(), name: z.string(), kind: z.string() }),
                class: z.string(),
                outcome: z.string().nullable(),
                inspected_on: z.string().nullable(),
                published_at: z.string().nullable(),
                contested: z.boolean().describe('its record is under objection'),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      inspections: await publishedInspections({
        ctx: request.ctx('read published inspection results'),
        input: { limit: request.query.limit },
      }),
    }),
  );
};
