/** HTTP face of credit repair applications. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DUE_PROCESS_PRINCIPAL, evidenceBodyLimit } from '../../due-process/index.ts';
import type { Platform } from '../../platform/index.ts';
import {
  applyForRepair,
  decideRepair,
  getRepair,
  getRepairAttachment,
  giveRepairFeedback,
  listOwnRepairs,
  listRepairs,
  REPAIR_FILTERS,
} from '../../repairs/index.ts';
import { errorResponses } from '../errors.ts';
import { evidenceInputSchema, evidenceSchema, sendAttachment } from '../evidence.ts';
import { idParam, inputObject, intParam, intQuery } from '../input.ts';

const repairSchema = z.object({
  id: z.number().int(),
  record_id: z.number().int(),
  record: z.object({
    type: z.string(),
    type_name: z.string(),
    source: z.string(),
    source_record_id: z.string(),
    occurred_at: z.string(),
    decided_at: z.string().nullable(),
    case_reference: z.string().nullable(),
    status: z.string().describe('repaired once granted; expired once archived'),
  }),
  subject: z
    .object({ identifier: z.string(), name: z.string() })
    .optional()
    .describe('operators and auditors only'),
  status: z.enum(['pending', 'accepted', 'rejected', 'granted', 'refused']),
  commitment: z.string().describe('the public credit commitment'),
  evidence: evidenceSchema,
  applied_at: z.string(),
  feedback_due: z.string().describe('feedback within 10 working days (public holidays skipped)'),
  feedback: z
    .object({
      accepted: z.boolean(),
      message: z.string().nullable(),
      at: z.string(),
      by: z.string().nullable().optional(),
    })
    .nullable(),
  decision_due: z.string().nullable().describe('once accepted: the decision within 3 working days'),
  outcome: z.enum(['granted', 'refused']).nullable(),
  reasons: z.string().nullable(),
  decided_at: z.string().nullable(),
  decided_by: z.string().nullable().optional(),
  display_stop_due: z
    .string()
    .nullable()
    .describe('granted: list display stops at once, and within 3 working days at the latest'),
  due: z.string().nullable().describe("the open step's due day (feedback, then decision)"),
  working_days_left: z.number().int().nullable(),
  overdue: z.boolean(),
});

const evidenceInput = evidenceInputSchema.describe(
  'proof of performance: text, files or both; limits in policies/due-process.yaml (objections.evidence)',
);

const idParams = z.object({ id: idParam() });

export const repairRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  const deps = {
    catalogue: platform.catalogue,
    dueProcess: platform.dueProcess,
    calendar: platform.calendar,
  };

  app.post(
    '/me/repairs',
    {
      bodyLimit: evidenceBodyLimit(platform.dueProcess.objections.evidence),
      schema: {
        summary: 'Apply to repair a negative record of your own file',
        description:
          'Free. Needs a public credit commitment and proof of performance. Refused with 409 for a positive ' +
          'record, an irreparable type, a record that no longer counts or is under objection, one with an open ' +
          'application, and before the minimum period of its class has passed: the message then names the day ' +
          'it becomes eligible, also given as the issue `eligible_from`.',
        tags: ['repairs'],
        body: inputObject({
          record_id: z.number().int().positive(),
          commitment: z.string(),
          evidence: evidenceInput,
        }),
        response: { 201: repairSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const v = await applyForRepair({
        ctx: request.ctx('apply to repair a record'),
        input: {
          recordId: request.body.record_id,
          commitment: request.body.commitment,
          evidence: request.body.evidence,
        },
        deps,
      });
      return reply.status(201).send(v);
    },
  );

  app.get(
    '/me/repairs',
    {
      schema: {
        summary: 'Your repair applications with their clocks and decisions',
        tags: ['repairs'],
        response: { 200: z.object({ repairs: z.array(repairSchema) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({
      repairs: await listOwnRepairs({ ctx: request.ctx('read my repair applications'), deps }),
    }),
  );

  app.get(
    '/repairs',
    {
      schema: {
        summary: 'The repair queue: open ones first, overdue leading, then by due day',
        tags: ['repairs'],
        querystring: z.object({
          status: z.enum(REPAIR_FILTERS).default('open'),
          limit: intQuery({ min: 1, max: 500, default: 50 }),
          after: z.string().max(64).optional().describe('the `next` cursor of the previous page'),
        }),
        response: {
          200: z.object({ repairs: z.array(repairSchema), next: z.string().nullable() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) =>
      listRepairs({
        ctx: request.ctx('review repair applications'),
        input: { status: request.query.status, limit: request.query.limit, after: request.query.after },
        deps,
      }),
  );

  app.get(
    '/repairs/:id',
    {
      schema: {
        summary: 'One repair application',
        tags: ['repairs'],
        params: idParams,
        response: { 200: repairSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) =>
      getRepair({ ctx: request.ctx('review a repair application'), input: { id: request.params.id }, deps }),
  );

  app.get(
    '/repairs/:id/attachments/:n',
    {
      schema: {
        summary: 'One file of an application’s proof of performance (0-based)',
        tags: ['repairs'],
        params: z.object({ id: idParam(), n: intParam({ min: 0 }) }),
      },
    },
    async (request, reply) => {
      const file = await getRepairAttachment({
        ctx: request.ctx('review a repair application'),
        input: { id: request.params.id, index: request.params.n },
      });
      return sendAttachment(reply, file);
    },
  );

  app.post(
    '/repairs/:id/feedback',
    {
      schema: {
        summary: 'Feedback on a pending application (within 10 working days)',
        description: 'Accepted starts the 3-working-day decision clock; not accepted closes the application.',
        tags: ['repairs'],
        params: idParams,
        body: inputObject({ accepted: z.boolean(), message: z.string() }),
        response: { 200: repairSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      giveRepairFeedback({
        ctx: request.ctx('give feedback on a repair application'),
        input: { id: request.params.id, accepted: request.body.accepted, message: request.body.message },
        deps,
      }),
  );

  app.post(
    '/repairs/:id/decision',
    {
      schema: {
        summary: 'Decide a repair application with reasons',
        description:
          'granted: the record is repaired and stops counting; scores, list entries and the next check follow at ' +
          'once. From pending, the feedback is given with the decision.',
        tags: ['repairs'],
        params: idParams,
        body: inputObject({ outcome: z.enum(['granted', 'refused']), reasons: z.string() }),
        response: { 200: repairSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const ctx = request.ctx('decide a repair application');
      return decideRepair({
        ctx,
        input: { id: request.params.id, outcome: request.body.outcome, reasons: request.body.reasons },
        deps: {
          ...deps,
          refresh: (ids) =>
            platform.refreshSubjects(
              platform.ctx(DUE_PROCESS_PRINCIPAL, 'apply a repair decision', ctx.requestId),
              ids,
            ),
        },
      });
    },
  );
};
