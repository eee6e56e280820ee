/**
 * HTTP face of a subject's own file and printable report: `GET /v1/me` and `GET /v1/me/report` for
 * the subject's credential, `GET /v1/subjects/{id}/report` for an operator or auditor (with
 * `x-purpose`). Every read is audited.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/index.ts';
import {
  ACCESS_PAGE_MAX,
  CHECK_DAYS_PER_PAGE,
  chooseLanguage,
  getOwnFile,
  getOwnHistory,
  listOwnNotifications,
  markOwnNotificationRead,
  ownFileDeps,
  REPORT_LANGUAGES,
  renderReport,
  WHO_KINDS,
} from '../../rights/index.ts';
import { errorResponses } from '../errors.ts';
import { idParam, intQuery } from '../input.ts';
import { documentHeaders } from '../security-headers.ts';
import { leafIndexSchema } from './audit.ts';
import { bindingSchema } from './subjects.ts';

const day = z.string().describe('YYYY-MM-DD');

const adviceSchema = z
  .object({
    kind: z.enum([
      'perform',
      'pay',
      'repair_from',
      'repair_now',
      'irreparable',
      'object',
      'wait',
      'keep',
      'linked',
    ]),
    text: z.string().describe('plain English; the report words it in the subject’s language'),
    day: day.optional().describe('repair_from: the first day to apply; wait/keep: the day it stops counting'),
    case_reference: z.string().nullable().optional(),
    cured_by: z.array(z.string()).optional().describe('perform: the record types that end the listing'),
    amount: z.number().nullable().optional(),
    source: z.string().optional(),
    days: z.number().int().optional().describe('object: the days an objection is decided within'),
    organization: z.string().optional(),
  })
  .describe('one thing the subject can do about a key factor');

const repairSchema = z
  .object({
    eligible_from: day.nullable().describe('null: the record cannot be repaired'),
    reason: z.string(),
  })
  .nullable()
  .describe('negative records only: when a repair application may be made (due-process policy)');

export const ownFileSchema = z.object({
  subject: z.object({
    kind: z.string(),
    identifier: z.string(),
    name: z.string(),
    birth_date: z.string().nullable(),
    sex: z.string().nullable(),
  }),
  bindings: z
    .array(bindingSchema)
    .describe("an organization's representatives, or the organizations a person represents, with their days"),
  licences: z.array(z.object({ kind: z.string(), number: z.string() })),
  as_of: day,
  records: z.array(
    z.object({
      id: z.number().int(),
      type: z.string(),
      type_name: z.string().describe('the catalogue’s English name'),
      polarity: z.string().nullable(),
      severity: z.string().nullable(),
      domain: z.string().nullable(),
      source: z.object({ code: z.string(), name: z.string() }),
      source_record_id: z.string(),
      case_reference: z.string().nullable().describe('the case or decision number the record cites'),
      occurred_at: day,
      decided_at: day.nullable(),
      disclosed_at: day.nullable(),
      recorded_at: z.string(),
      amount: z.number().nullable(),
      note: z.string().nullable(),
      status: z.string(),
      version: z.number().int(),
      revised_at: z.string().nullable(),
      history: z
        .array(
          z.object({
            version: z.number().int(),
            status: z.string(),
            type: z.string(),
            occurred_at: day,
            decided_at: day.nullable(),
            amount: z.number().nullable(),
            case_reference: z.string().nullable(),
            note: z.string().nullable(),
            known_from: z.string(),
            replaced_at: z.string(),
            change: z
              .string()
              .describe('what replaced it: correct, withdraw, dispute, objection_*, repair, archive'),
            reason: z.string().nullable(),
          }),
        )
        .describe('earlier versions, oldest first'),
      points: z.number().int().describe('what it adds to the score today (0: not counted)'),
      counts_until: day.nullable().describe('the first day it no longer counts; null: it does not count'),
      repair: repairSchema,
    }),
  ),
  score: z.object({
    score: z.number().int(),
    grade: z.string(),
    as_of: day,
    policy_version: z.string(),
    domains: z.record(z.string(), z.number().int()),
    key_factors: z
      .array(
        z.object({
          record_id: z.number().int(),
          type: z.string(),
          type_name: z.string(),
          date: day,
          points: z.number().int(),
          grade: z
            .object({ letter: z.string(), binds: z.boolean() })
            .nullable()
            .describe(
              'the grade it sets (`binds`: it decides the grade) or caps (the points give that grade or worse)',
            ),
          text: z.string(),
          organization: z.string().nullable().describe('set when it is a represented organization’s record'),
          advice: z.array(adviceSchema),
        }),
      )
      .max(4),
  }),
  lists: z.array(
    z.object({
      list: z.string(),
      name: z.string(),
      kind: z.string(),
      status: z.string(),
      in_force: z.boolean(),
      from: day,
      until: day.nullable(),
      reason_code: z.string(),
      case_reference: z.string().nullable(),
      reason_records: z.array(z.number()),
      legal_basis: z.string(),
      note: z.string(),
    }),
  ),
  measures: z
    .array(
      z.object({
        measure: z.string(),
        name: z.string(),
        kind: z.string(),
        legal_basis: z.string(),
        reason_code: z.string(),
        list: z.string().nullable(),
        from: day.nullable(),
        until: day.nullable(),
        case_reference: z.string().nullable(),
        grade: z.string().nullable().describe('a grade-triggered measure: in force while the grade holds'),
      }),
    )
    .describe('rewards and restrictions that apply today, as a relying party’s check would answer'),
  objections: z.array(z.unknown()).optional().describe('the subject’s objections with their clocks'),
  repairs: z.array(z.unknown()).optional().describe('the subject’s repair applications with their clocks'),
  access_log: z.object({
    accesses: z
      .object({
        entries: z.array(
          z.object({
            seq: z
              .number()
              .int()
              .describe(
                'the audit entry’s sequence number: the order it was written in (`next_page` cursors use it)',
              ),
            leaf_index: leafIndexSchema,
            at: z.string(),
            who: z.string().describe('a registered name, or You / Credence operator / Auditor'),
            who_kind: z.enum(WHO_KINDS),
            role: z.string(),
            purpose: z.string(),
            action: z.string(),
            what: z.string(),
          }),
        ),
        next_page: z.string().nullable().describe('pass as `access_page` for older entries'),
      })
      .describe('reads and writes of the file other than checks, newest first'),
    checks: z
      .object({
        groups: z.array(
          z.object({
            day,
            who: z.string(),
            relying_party: z.string(),
            count: z.number().int(),
            applied: z.number().int(),
            measures: z.array(z.string()),
            purposes: z.array(z.string()),
            first_at: z.string(),
            last_at: z.string(),
            seqs: z
              .array(z.number().int())
              .describe(
                'the sequence numbers of the audit entries committing to them, newest first (at most 50)',
              ),
            leaf_indices: z
              .array(z.number().int().nullable())
              .describe(
                'the leaf index in the Merkle tree of each of `seqs`, in order; null: not yet in the tree',
              ),
            continued: z.boolean(),
            check_ids: z
              .array(z.string())
              .describe(
                'the IDs of these checks, newest first (at most 50): `GET /v1/checks/{check_id}` explains each; ' +
                  'checks logged before IDs could be explained are counted but not listed',
              ),
          }),
        ),
        next_page: z.string().nullable().describe('pass as `checks_page` for earlier days'),
      })
      .describe(
        `relying parties' checks, one line per relying party and day (the platform's TIME_ZONE), ${CHECK_DAYS_PER_PAGE} days a page`,
      ),
  }),
});

const notificationSchema = z.object({
  id: z.number().int(),
  kind: z
    .string()
    .describe(
      'what it is about: listing_warning, listing_effective, listing_extended, listing_shortened, listing_ended, listing_removed, objection.decided#<id>, …',
    ),
  list: z.string().nullable().describe('the list it is about, when it is about one'),
  effective: day.describe('the day what it tells takes effect'),
  message: z.string(),
  created_at: z.string(),
  read_at: z.string().nullable().describe('when you first marked it read; null: unread'),
  superseded_at: z
    .string()
    .nullable()
    .describe(
      'when it was withdrawn before it was sent to you, because what it said no longer stood (the listing removed, its end changed since, or the notice queued again with its present text); null: not withdrawn',
    ),
});

const pageQuery = {
  access_page: z.string().max(32).optional().describe('`next_page` of the access log’s page before'),
  access_limit: intQuery({ min: 1, max: ACCESS_PAGE_MAX, optional: true }),
  checks_page: z.string().max(32).optional().describe('`next_page` of the checks’ page before'),
};
const reportQuery = z.object({
  lang: z
    .string()
    .max(20)
    .optional()
    .describe(`${REPORT_LANGUAGES.join(', ')}; else Accept-Language, else zh-CN`),
  ...pageQuery,
});
const html = z.string().describe('text/html: a complete page with a print stylesheet (A4)');

/**
 * The report page: self-contained (inline styles only), so it may load nothing and run no script
 * whatever a record's text holds.
 */
const sendReport = (reply: FastifyReply, lang: string, page: string) =>
  documentHeaders(reply)
    .type('text/html; charset=utf-8')
    .header('content-language', lang)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    .send(page);

export const meRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  const deps = ownFileDeps(platform);
  const amountKind = (type: string) => platform.catalogue.get(type)?.amount;
  const page = (q: {
    access_page?: string | undefined;
    access_limit?: number | undefined;
    checks_page?: string | undefined;
  }) => ({
    ...(q.access_page !== undefined ? { accessPage: q.access_page } : {}),
    ...(q.access_limit !== undefined ? { accessLimit: q.access_limit } : {}),
    ...(q.checks_page !== undefined ? { checksPage: q.checks_page } : {}),
  });

  app.get(
    '/me',
    {
      schema: {
        summary: 'Your own file: records, score and what to do about it, lists, measures, who looked',
        description:
          'For a subject’s credential. Each record with its source, case, status, history, the day it stops ' +
          'counting and, when negative, the day it may be repaired; the key factors (at most four) each with ' +
          'what you can do; list entries and measures in force with their legal basis; the access log, paged, ' +
          'with relying parties’ checks grouped per party and day.',
        tags: ['subjects'],
        querystring: z.object(pageQuery),
        response: { 200: ownFileSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => getOwnFile({ ctx: request.ctx('read own file'), input: page(request.query), deps }),
  );

  app.get(
    '/me/history',
    {
      schema: {
        summary: 'Your score and grade at the end of each of the last 24 months and today',
        description:
          'For a subject’s credential. Each point is the scoring engine’s result as of that day from your records ' +
          'as they stand now (a record removed or corrected since counts as it now is). The read is audited.',
        tags: ['subjects'],
        response: {
          200: z.object({
            policy_version: z.string(),
            history: z
              .array(z.object({ day, score: z.number().int(), grade: z.string() }))
              .describe('oldest first; the last point is today'),
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) =>
      getOwnHistory({
        ctx: request.ctx('read own score history'),
        deps: { policy: platform.scoringPolicy, catalogue: platform.catalogue },
      }),
  );

  app.get(
    '/me/notifications',
    {
      schema: {
        summary: 'Your notifications, newest first',
        description: 'For a subject’s credential: its own notifications only. The read is audited.',
        tags: ['subjects'],
        response: {
          200: z.object({ notifications: z.array(notificationSchema) }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => ({
      notifications: await listOwnNotifications({ ctx: request.ctx('read own notifications') }),
    }),
  );

  app.post(
    '/me/notifications/:id/read',
    {
      schema: {
        summary: 'Mark one of your notifications read',
        description:
          'The first time it was marked read is kept. Another subject’s notification is 404, as one that does not exist.',
        tags: ['subjects'],
        params: z.object({ id: idParam() }),
        response: { 200: notificationSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) =>
      markOwnNotificationRead({
        ctx: request.ctx('mark a notification read'),
        input: { id: request.params.id },
      }),
  );

  app.get(
    '/me/report',
    {
      schema: {
        summary: 'Your own file as a printable page (HTML, A4) in your language',
        tags: ['subjects'],
        querystring: reportQuery,
        response: { 200: html, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const lang = chooseLanguage(request.query.lang, request.headers['accept-language']);
      const file = await getOwnFile({
        ctx: request.ctx('print own report'),
        input: { ...page(request.query), view: 'report', lang },
        deps,
      });
      return sendReport(reply, lang, renderReport(file, { lang, amountKind }));
    },
  );

  app.get(
    '/subjects/:id/report',
    {
      schema: {
        summary: "A subject's own file as a printable page (HTML, A4), as the subject sees it",
        description:
          'Operators and auditors; send `x-purpose` (shown to the subject). The subject itself may too.',
        tags: ['subjects'],
        params: z.object({
          id: z.string().min(1).max(32).describe('resident ID number or Unified Social Credit Code'),
        }),
        querystring: reportQuery,
        response: { 200: html, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const lang = chooseLanguage(request.query.lang, request.headers['accept-language']);
      const file = await getOwnFile({
        ctx: request.ctx('print a subject report'),
        input: { identifier: request.params.id, ...page(request.query), view: 'report', lang },
        deps,
      });
      return sendReport(reply, lang, renderReport(file, { lang, amountKind }));
    },
  );
};
