/** A subject's file: for the subject itself, operators and auditors; every read is audited. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/index.ts';
import { getSubjectFile, subjectFileJson } from '../../subjects/index.ts';
import { errorResponses } from '../errors.ts';
import { leafIndexSchema } from './audit.ts';

const recordSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  type_name: z.string(),
  source: z.string(),
  source_record_id: z.string(),
  occurred_at: z.string(),
  decided_at: z.string().nullable(),
  disclosed_at: z.string().nullable(),
  recorded_at: z.string(),
  amount: z.number().nullable(),
  evidence: z.string().nullable(),
  note: z.string().nullable(),
  status: z.string(),
});

/** A binding as files and reports show it: the other side, its role and the days it held. */
export const bindingSchema = z.object({
  id: z.number().int().describe('the binding’s number: what the bound person’s objection names'),
  role: z.string(),
  identifier: z
    .string()
    .describe(
      'the other side’s identifier; a person’s resident ID number is masked (birth month and day as ****) in an organization’s own file',
    ),
  name: z.string(),
  from: z.string().nullable().describe('null: since before the platform knew'),
  until: z.string().nullable().describe('null: in force'),
  disputed: z.boolean().describe('the bound person’s objection to it is open'),
  objection_id: z.number().int().nullable().describe('that objection'),
});

const fileSchema = z.object({
  subject: z.object({
    kind: z.string(),
    identifier: z.string(),
    name: z.string(),
    birth_date: z.string().nullable(),
    sex: z.string().nullable(),
  }),
  legal_representative: z
    .object({ identifier: z.string(), name: z.string() })
    .nullable()
    .describe(
      'resident ID number masked (birth month and day as ****) when the organization reads its own file',
    ),
  bindings: z
    .array(bindingSchema)
    .describe(
      "every binding with the days it held (from null: since before the platform knew; until null: in force): an organization's representatives, or the organizations a person represents",
    ),
  licences: z.array(z.object({ kind: z.string(), number: z.string() })),
  records: z.array(recordSchema),
  lists: z.array(
    z.object({
      list: z.string(),
      status: z.string(),
      from: z.string(),
      until: z.string().nullable(),
      reason_code: z.string(),
      reason_records: z.array(z.number()),
      note: z.string(),
    }),
  ),
  notifications: z.array(
    z.object({ kind: z.string(), list: z.string().nullable(), effective: z.string(), message: z.string() }),
  ),
  score: z
    .object({
      score: z.number().int(),
      grade: z.string(),
      as_of: z.string(),
      policy_version: z.string(),
      key_factors: z.array(
        z.object({ record_id: z.number(), type: z.string(), date: z.string(), points: z.number().int() }),
      ),
    })
    .nullable()
    .describe('the latest score kept under the policy in force; `GET /v1/subjects/{id}/score` explains it'),
  access_log: z
    .array(
      z.object({
        seq: z.number().int().describe('the audit entry’s sequence number: the order it was written in'),
        leaf_index: leafIndexSchema,
        at: z.string(),
        actor: z.string(),
        role: z.string(),
        purpose: z.string(),
        action: z.string(),
      }),
    )
    .optional()
    .describe(
      'who read or wrote this file and why, newest first; shown to the subject, operators and auditors',
    ),
});

export const subjectRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  app.get(
    '/subjects/:id',
    {
      schema: {
        summary: "A subject's file: who it is, its records and who looked at it",
        description: 'Send `x-purpose` to say why you read it: the purpose is shown to the subject.',
        tags: ['subjects'],
        params: z.object({
          id: z.string().min(1).max(32).describe('resident ID number or Unified Social Credit Code'),
        }),
        response: { 200: fileSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const file = await getSubjectFile({
        ctx: request.ctx('read a subject file'),
        input: { identifier: request.params.id, policyVersion: platform.scoringPolicy.version },
      });
      return subjectFileJson(file, (code) => platform.catalogue.get(code)?.name ?? code);
    },
  );
};
