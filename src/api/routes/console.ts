/**
 * HTTP face of the operator console (operators and auditors): the dashboard, the policy check's
 * findings, and the audit log's head with its latest verification. Sources and relying parties
 * with their use today are GET /v1/sources and GET /v1/relying-parties.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DUE_LIMIT,
  getAuditStatus,
  getDashboard,
  POLICY_KINDS,
  runPolicyCheck,
  verifyAuditNow,
} from '../../console/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses } from '../errors.ts';

const day = z.string().describe('YYYY-MM-DD');
const count = z.number().int().min(0);
const gradeCounts = z.record(z.string(), count).describe('grade → subjects whose latest grade it is');
const perKind = <T extends z.ZodType>(t: T) => z.object({ person: t, organization: t, public_body: t });

const dueItem = z.object({
  id: z.number().int(),
  status: z.string(),
  subject: z.object({ identifier: z.string(), name: z.string() }),
  filed_at: z.string().describe('when it was filed (a repair: applied)'),
  due: day.nullable().describe('the last day of the clock running now'),
  overdue: z.boolean(),
});
const dueQueue = (what: string) =>
  z.object({
    total: count.describe(`open ${what}`),
    overdue: count.describe(`open ${what} past their clock`),
    items: z
      .array(dueItem)
      .max(DUE_LIMIT)
      .describe(`the first ${DUE_LIMIT} open ones by the day their clock runs out: overdue first`),
  });

const dashboardSchema = z.object({
  as_of: day,
  grades: perKind(gradeCounts).describe('the population by subject kind and latest stored grade'),
  unscored: perKind(count).describe('subjects never scored'),
  ingest: z
    .array(z.object({ day, source_kind: z.string(), count }))
    .describe('records written per UTC day and source kind since ingest_from (days without any left out)'),
  ingest_from: day.describe('the first of the last 90 days'),
  list_sizes: z.object({
    months: z
      .array(z.object({ month: z.string().describe('YYYY-MM'), day, list: z.string(), count }))
      .describe('entries in force on the last day of each of the last 12 months, every list each month'),
    current: z
      .array(z.object({ list: z.string(), name: z.string(), kind: z.string(), count }))
      .describe('entries in force today'),
  }),
  objections_due: dueQueue('objections (pending or appealed)'),
  repairs_due: dueQueue('repair applications (pending or accepted)'),
  held_ratings: z.object({
    pending: count.describe('held rating windows awaiting a decision'),
    oldest: z
      .array(
        z.object({
          id: z.number().int(),
          reason: z.string(),
          reason_text: z.string(),
          subject: z.object({ identifier: z.string(), name: z.string().nullable() }).nullable(),
          window: z.object({ from: z.string(), to: z.string() }),
          ratings: count,
          created_at: z.string(),
        }),
      )
      .describe('the oldest pending windows (at most 5), oldest first'),
  }),
  inspections: z
    .array(
      z.object({
        id: z.number().int(),
        regulator: z.string(),
        period: z.string(),
        created_at: z.string(),
        targets: count,
        done: count.describe('inspections with an outcome'),
        overdue: count.describe('inspections without an outcome past their due day'),
      }),
    )
    .describe('inspection plans, newest first'),
});

const finding = z.object({
  path: z.string().nullable().describe('where in the file, e.g. measures[3].effect_domains[0]'),
  line: z.number().int().nullable(),
  message: z.string(),
});
const policyCheckSchema = z.object({
  ok: z.boolean().describe('every file valid and no proportionality error'),
  profile: z.string().describe('the jurisdiction profile proportionality was checked under'),
  files: z.array(
    z.object({
      file: z.string().describe('relative to the project folder, e.g. policies/catalogue.yaml'),
      kind: z.enum(POLICY_KINDS).nullable().describe('null when the file could not be read as a policy'),
      ok: z.boolean(),
      summary: z
        .string()
        .nullable()
        .describe('what a valid file holds, as `credence policy check` prints it'),
      errors: z.array(finding),
      warnings: z.array(finding),
    }),
  ),
  proportionality: z.object({
    checked: z.boolean().describe('false when the catalogue, lists or measures are invalid'),
    ok: z.boolean(),
    errors: count,
    warnings: count,
  }),
});

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const verificationSchema = z.object({
  ok: z.boolean(),
  tree_size: count.describe('intact: the leaves checked; broken: the leaves the stored tree holds'),
  root: hex(32).nullable().describe('the root of the whole tree when intact'),
  first_bad_index: z
    .number()
    .int()
    .nullable()
    .describe('the leaf index of the first changed, removed or reordered entry'),
  bad_head: z
    .number()
    .int()
    .nullable()
    .describe('the size of a stored or kept head that is not the log’s own'),
  heads: z.number().int().nullable().describe('signed heads checked (intact only)'),
  reason: z.string().nullable(),
  at: z.string().describe('when it ran'),
  by: z.string().describe('who ran it'),
});
const auditStatusSchema = z.object({
  head: z
    .object({
      tree_size: count,
      root_hash: hex(32),
      timestamp: z.string(),
      signature: hex(64),
      public_key: hex(32),
      checkpoint: z.string(),
    })
    .nullable()
    .describe('the latest signed tree head, as GET /v1/audit/head gives it; null before the first'),
  last_verification: verificationSchema.nullable().describe('null: never verified on this database'),
});

export const consoleRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  app.get(
    '/console/dashboard',
    {
      schema: {
        summary: 'The operator console’s dashboard (operators and auditors)',
        description:
          'Grades of the population, records ingested per day by source kind (90 days), list sizes at month ends ' +
          '(12 months) and today, the objections and repair applications due (overdue first), held rating ' +
          'windows and inspection plans. The read is audited; each subject named in the due lists gets the ' +
          'entry the review queues give it.',
        tags: ['console'],
        response: { 200: dashboardSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) =>
      getDashboard({
        ctx: request.ctx('read the console dashboard'),
        deps: {
          lists: platform.lists,
          dueProcess: platform.dueProcess,
          catalogue: platform.catalogue,
          calendar: platform.calendar,
        },
      }),
  );

  app.get(
    '/console/policy-check',
    {
      schema: {
        summary:
          'The policy check of the policies in force, as `credence policy check` runs it (operators and auditors)',
        description:
          'Each policy file with its errors and warnings, then the proportionality of every measure (product ' +
          'rule 4) under a jurisdiction profile. Reads the files as they are now.',
        tags: ['console'],
        querystring: z.object({
          profile: z
            .string()
            .min(1)
            .max(32)
            .optional()
            .describe('cn, eu, …; default: the measure policy’s own'),
        }),
        response: { 200: policyCheckSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) =>
      runPolicyCheck({
        ctx: request.ctx('check the policies'),
        input: request.query.profile !== undefined ? { profile: request.query.profile } : {},
      }),
  );

  app.get(
    '/console/audit-status',
    {
      schema: {
        summary: 'The audit log’s latest signed head and its latest verification (operators and auditors)',
        tags: ['console'],
        response: { 200: auditStatusSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) =>
      getAuditStatus({ ctx: request.ctx('read the audit log status'), deps: platform.audit }),
  );

  app.post(
    '/console/audit-verify',
    {
      schema: {
        summary: 'Verify the whole audit log now and keep the result (operators and auditors)',
        description:
          'Recomputes every leaf and the tree from the stored entries and checks them against the stored hashes, ' +
          'tiles and every signed head, as `credence audit verify` does; the result becomes the latest verification.',
        tags: ['console'],
        response: { 200: verificationSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => verifyAuditNow({ ctx: request.ctx('verify the audit log'), deps: platform.audit }),
  );
};
