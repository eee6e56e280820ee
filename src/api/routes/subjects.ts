/** A subject's file: for the subject itself, operators and auditors; every read is audited. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/index.ts';
import { getSubjectFile, type SubjectFile } from '../../subjects/index.ts';
import { errorResponses } from '../errors.ts';

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

const fileSchema = z.object({
  subject: z.object({
    kind: z.string(),
    identifier: z.string(),
    name: z.string(),
    birth_date: z.string().nullable(),
    sex: z.string().nullable(),
  }),
  legal_representative: z.object({ identifier: z.string(), name: z.string() }).nullable(),
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

const toFile = (f: SubjectFile, typeName: (code: string) => string): z.infer<typeof fileSchema> => ({
  subject: {
    kind: f.subject.kind,
    identifier: f.subject.identifier,
    name: f.subject.name,
    birth_date: f.subject.birthDate,
    sex: f.subject.sex,
  },
  legal_representative: f.legalRepresentative,
  licences: f.licences.map((l) => ({ kind: l.kind, number: l.number })),
  records: f.records.map((r) => ({
    id: r.id,
    type: r.type,
    type_name: typeName(r.type),
    source: r.sourceCode,
    source_record_id: r.sourceRecordId,
    occurred_at: r.occurredAt,
    decided_at: r.decidedAt,
    disclosed_at: r.disclosedAt,
    recorded_at: r.recordedAt,
    amount: r.amount,
    evidence: r.evidence,
    note: r.note,
    status: r.status,
  })),
  lists: f.lists.map((e) => ({
    list: e.listCode,
    status: e.status,
    from: e.from,
    until: e.until,
    reason_code: e.reasonCode,
    reason_records: e.reasonRecords,
    note: e.note,
  })),
  notifications: f.notifications.map((n) => ({
    kind: n.kind,
    list: n.listCode,
    effective: n.effective,
    message: n.message,
  })),
  score: f.score && {
    score: f.score.score,
    grade: f.score.grade,
    as_of: f.score.asOf,
    policy_version: f.score.policyVersion,
    key_factors: f.score.keyFactors.map((k) => ({
      record_id: k.recordId,
      type: k.type,
      date: k.date,
      points: k.points,
    })),
  },
  ...(f.accessLog && {
    access_log: f.accessLog.map((a) => ({
      at: a.at,
      actor: a.actor,
      role: a.role,
      purpose: a.purpose,
      action: a.action,
    })),
  }),
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
      return toFile(file, (code) => platform.catalogue.get(code)?.name ?? code);
    },
  );
};
