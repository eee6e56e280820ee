/** HTTP face of objections to records and to bindings, and their appeals. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { evidenceBodyLimit } from '../../due-process/index.ts';
import {
  appealObjection,
  decideObjection,
  fileBindingObjection,
  fileObjection,
  getObjectionAttachment,
  listObjections,
  listOwnObjections,
  MAX_PAGE,
  OBJECTION_FILTERS,
  OBJECTION_OUTCOMES,
  objectionDeps,
  objectionJson,
  seesInternals,
} from '../../objections/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses } from '../errors.ts';
import { evidenceInputSchema, evidenceSchema, sendAttachment } from '../evidence.ts';
import { idParam, inputObject, intParam, intQuery } from '../input.ts';

const decisionSchema = z.object({
  outcome: z.enum(OBJECTION_OUTCOMES),
  reasons: z.string().nullable(),
  decided_at: z.string().nullable(),
  decided_by: z.string().nullable().optional().describe('operators and auditors only'),
});

const objectionSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['record', 'binding']).describe('what the objection is about: a record, or a binding'),
  status: z.enum(['pending', 'decided', 'appealed', 'appeal_decided']),
  record: z
    .object({
      id: z.number().int(),
      type: z.string(),
      type_name: z.string(),
      source: z.string(),
      source_record_id: z.string(),
      occurred_at: z.string(),
      decided_at: z.string().nullable(),
      amount: z.number().nullable(),
      case_reference: z.string().nullable(),
      status: z.string().describe('disputed while the objection is pending'),
    })
    .nullable()
    .describe('the record objected to (null for an objection to a binding)'),
  binding: z
    .object({
      id: z.number().int(),
      organization: z.object({ identifier: z.string(), name: z.string() }),
      role: z.string().describe('legal_representative, principal_responsible_person or actual_controller'),
      role_name: z.string(),
      valid_from: z
        .string()
        .nullable()
        .describe('null: since before the platform knew (from its recording day)'),
      valid_until: z.string().nullable().describe('the first day no longer bound; null: in force'),
      source: z.string().nullable().describe('the registration authority; null: the registry import'),
      recorded_at: z.string(),
      withdrawn_at: z.string().nullable().describe('set when a decision removed it: it binds nowhere'),
    })
    .nullable()
    .describe('the binding objected to, naming the objector as the bound person (null for a record)'),
  subject: z.object({ identifier: z.string(), name: z.string() }),
  reason: z.string(),
  evidence: evidenceSchema,
  counts_while_pending: z
    .boolean()
    .describe(
      "whether the record keeps counting (its type's rule), or the binding keeps binding (the due-process policy's bindings_while_disputed), while the objection is pending",
    ),
  filed_at: z.string(),
  due: z
    .string()
    .describe(
      'the day the decision is due (20 days from the filing, 15 for a court listing: due-process policy)',
    ),
  overdue: z.boolean().describe('the review (or the appeal) is past its due day'),
  source_notice_due: z.string(),
  source_notified_at: z.string().nullable(),
  source_notice_overdue: z.boolean(),
  decision: decisionSchema.nullable(),
  appeal_window_ends: z.string().nullable().describe('the last day to appeal the decision'),
  appealable: z.boolean(),
  appeal: z
    .object({
      reason: z.string().nullable(),
      appealed_at: z.string(),
      due: z.string().nullable(),
      decision: decisionSchema.nullable(),
    })
    .nullable(),
});

const evidenceInput = evidenceInputSchema.describe(
  'limits in policies/due-process.yaml (objections.evidence)',
);

const correctionSchema = inputObject({
  type: z.string().optional(),
  occurred_at: z.string().optional(),
  decided_at: z.string().nullable().optional(),
  disclosed_at: z.string().nullable().optional(),
  amount: z.number().nullable().optional(),
  evidence: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
}).describe('the fields of the record to change (null clears one); checked as ingestion checks a line');

const bindingCorrectionSchema = inputObject({
  valid_from: z.string().optional().describe('YYYY-MM-DD: the first day bound'),
  valid_until: z.string().optional().describe('YYYY-MM-DD: the first day no longer bound'),
}).describe('with binding_corrected: the corrected days (either or both), none after today');

const idParams = z.object({ id: idParam() });

export const objectionRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  const typeName = (code: string) => platform.catalogue.get(code)?.name ?? code;
  const deps = (requestId: string) => objectionDeps(platform, requestId);

  app.post(
    '/me/objections',
    {
      bodyLimit: evidenceBodyLimit(platform.dueProcess.objections.evidence),
      schema: {
        summary: 'Object to a record of your own file',
        description:
          'The record is marked disputed at once and a review clock starts on the working-day calendar. ' +
          'Whether it keeps counting meanwhile is its type’s rule (`counts_while_pending`).',
        tags: ['objections'],
        body: inputObject({
          record_id: z.number().int().positive(),
          reason: z.string(),
          evidence: evidenceInput.nullish(),
        }),
        response: { 201: objectionSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx('object to a record');
      const v = await fileObjection({
        ctx,
        input: {
          recordId: request.body.record_id,
          reason: request.body.reason,
          evidence: request.body.evidence,
        },
        deps: deps(request.id),
      });
      return reply.status(201).send(objectionJson(v, { typeName, internal: false }));
    },
  );

  app.post(
    '/me/bindings/:id/objections',
    {
      bodyLimit: evidenceBodyLimit(platform.dueProcess.objections.evidence),
      schema: {
        summary:
          'Object to a binding that names you (legal representative, principal responsible person, actual controller)',
        description:
          'For a person wrongly recorded as bound to an organization, or recorded with the wrong days: the binding ' +
          '(its `id` in your file’s `bindings`) is marked disputed at once and the same review clock, notice to the ' +
          'registration authority, decision and appeal follow as for a record. Whether it keeps binding meanwhile is ' +
          'the due-process policy’s `bindings_while_disputed` (`counts_while_pending`).',
        tags: ['objections'],
        params: idParams,
        body: inputObject({ reason: z.string(), evidence: evidenceInput.nullish() }),
        response: { 201: objectionSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const v = await fileBindingObjection({
        ctx: request.ctx('object to a binding'),
        input: { bindingId: request.params.id, reason: request.body.reason, evidence: request.body.evidence },
        deps: deps(request.id),
      });
      return reply.status(201).send(objectionJson(v, { typeName, internal: false }));
    },
  );

  app.get(
    '/me/objections',
    {
      schema: {
        summary: 'Your objections with their clocks and decisions',
        tags: ['objections'],
        response: {
          200: z.object({ objections: z.array(objectionSchema) }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => {
      const list = await listOwnObjections({
        ctx: request.ctx('read my objections'),
        deps: deps(request.id),
      });
      return { objections: list.map((v) => objectionJson(v, { typeName, internal: false })) };
    },
  );

  app.post(
    '/me/objections/:id/appeal',
    {
      schema: {
        summary: 'Appeal the decision on your objection (once, within the appeal window)',
        tags: ['objections'],
        params: idParams,
        body: inputObject({ reason: z.string() }),
        response: { 200: objectionSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const v = await appealObjection({
        ctx: request.ctx('appeal an objection decision'),
        input: { id: request.params.id, reason: request.body.reason },
        deps: deps(request.id),
      });
      return objectionJson(v, { typeName, internal: false });
    },
  );

  app.get(
    '/objections',
    {
      schema: {
        summary: 'The objection queue: open ones first, overdue leading, then by due day',
        description:
          'Operators and auditors see every objection; a source sees the objections to the records it sent, ' +
          'and its first read of one is the notice it is owed. `status=appealed` is the appeal queue.',
        tags: ['objections'],
        querystring: z.object({
          status: z.enum(OBJECTION_FILTERS).default('open'),
          limit: intQuery({ min: 1, max: MAX_PAGE, default: 50 }),
          after: z.string().max(64).optional().describe('the `next` cursor of the previous page'),
        }),
        response: {
          200: z.object({ objections: z.array(objectionSchema), next: z.string().nullable() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const ctx = request.ctx('review objections');
      const { objections, next } = await listObjections({
        ctx,
        input: { status: request.query.status, limit: request.query.limit, after: request.query.after },
        deps: deps(request.id),
      });
      const internal = seesInternals(ctx);
      return { objections: objections.map((v) => objectionJson(v, { typeName, internal })), next };
    },
  );

  app.get(
    '/objections/:id/attachments/:index',
    {
      schema: {
        summary: 'A file attached to an objection as evidence (reviewers, and the subject who filed it)',
        tags: ['objections'],
        params: z.object({
          id: idParam(),
          index: intParam({ min: 0, max: 100 }),
        }),
        response: {
          200: z.any().describe('the file, with its media type'),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await getObjectionAttachment({
        ctx: request.ctx('read objection evidence'),
        input: { id: request.params.id, index: request.params.index },
      });
      return sendAttachment(reply.header('x-content-sha256', file.sha256), file);
    },
  );

  app.post(
    '/objections/:id/decision',
    {
      schema: {
        summary: 'Decide an objection (or, when appealed, the appeal: final) with written reasons',
        description:
          'For a record: record_confirmed keeps the record as it was; record_corrected replaces the fields in ' +
          '`correction`; record_removed takes it out of the file. For a binding: binding_confirmed keeps it; ' +
          'binding_corrected sets the days in `binding_correction`; binding_removed withdraws it (kept, bound ' +
          'nowhere). The change flows to scores, lists and the next check of the person and the organization.',
        tags: ['objections'],
        params: idParams,
        body: inputObject({
          outcome: z.enum(OBJECTION_OUTCOMES),
          reasons: z.string(),
          correction: correctionSchema.nullish(),
          binding_correction: bindingCorrectionSchema.nullish(),
        }),
        response: { 200: objectionSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const ctx = request.ctx('decide an objection');
      const v = await decideObjection({
        ctx,
        input: {
          id: request.params.id,
          outcome: request.body.outcome,
          reasons: request.body.reasons,
          correction: request.body.correction,
          bindingCorrection: request.body.binding_correction
            ? {
                validFrom: request.body.binding_correction.valid_from,
                validUntil: request.body.binding_correction.valid_until,
              }
            : null,
        },
        deps: deps(request.id),
      });
      return objectionJson(v, { typeName, internal: true });
    },
  );
};
