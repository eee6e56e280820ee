/**
 * Registering data providers and listing them (operators; auditors may list); what a source
 * declares (its organization, its daily service volume) and its roster of staff (operators manage;
 * a source reads its own).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_DAILY_SERVICE_VOLUME, REGISTRABLE_SOURCE_KINDS } from '../../catalogue/index.ts';
import type { Platform } from '../../platform/index.ts';
import {
  addStaff,
  listSources,
  listStaff,
  registerSource,
  removeStaff,
  revokeSourceCredential,
  rotateSourceCredential,
  sourceJson,
  staffJson,
  updateSource,
} from '../../sources/index.ts';
import { errorResponses } from '../errors.ts';
import { inputObject } from '../input.ts';

const sourceSchema = z
  .object({
    code: z.string(),
    kind: z.string(),
    name: z.string(),
    legal_basis: z.string(),
    types: z.array(z.string()),
    created_at: z.string(),
    revoked_at: z.string().nullable().describe('when its credential was revoked; null: it may authenticate'),
    organization: z
      .object({ uscc: z.string(), name: z.string(), kind: z.string() })
      .nullable()
      .describe('the organization or public body it is; null: none declared'),
    daily_service_volume: z
      .number()
      .int()
      .nullable()
      .describe("services it declares a day; null: the ratings policy's default"),
    cannot_issue_tokens: z
      .string()
      .nullable()
      .describe(
        'why it cannot issue interaction tokens now, naming the commands that fix it (an own-name source with no organization declared); null: nothing stops it',
      ),
  })
  .meta({ id: 'Source' });

const volumeField = z
  .number()
  .int()
  .describe(
    `services a day, 1–${MAX_DAILY_SERVICE_VOLUME}: a day's interaction tokens beyond the ratings policy's volume_factor times this are held for review`,
  );
const organizationField = z
  .string()
  .describe(
    'the USCC of the organization or public body the source is: an own-name source (hospital, school, employer, bank, telecom, local government service hall) vouches only for it and its roster',
  );

const staffSchema = z
  .object({
    id: z.number().int(),
    person: z.object({ id_number: z.string(), name: z.string() }),
    licence: z.object({ kind: z.string(), number: z.string() }).nullable(),
    position: z.string().nullable(),
    from: z.string(),
    until: z.string().nullable().describe('the first day no longer on the roster; null: open-ended'),
    recorded_at: z.string(),
    ended_at: z.string().nullable(),
  })
  .meta({ id: 'StaffEntry' });

const staffEntryBody = inputObject({
  licence: z.string().optional().describe('a licensed professional, by licence number'),
  licence_kind: z.string().optional().describe('only when the number is held under several kinds'),
  person: z.string().optional().describe('anyone else who serves under it, by resident ID number'),
  position: z.string().max(100).optional().describe('the post held, e.g. "attending physician"'),
  from: z.string().describe('the first day on the roster, YYYY-MM-DD'),
  until: z.string().nullable().optional().describe('the first day no longer on it; absent: open-ended'),
});

const codeParams = z.object({ code: z.string().min(1).max(64) });

const registerBody = inputObject({
  code: z.string().describe('2–64 lower-case letters, digits, "-" or "_"'),
  kind: z.enum(REGISTRABLE_SOURCE_KINDS),
  name: z.string().min(1).max(200).optional(),
  legal_basis: z.string().min(1).max(400).optional(),
  types: z.array(z.string()).optional().describe('defaults to every type the catalogue allows this kind'),
  organization: organizationField.optional(),
  daily_service_volume: volumeField.optional(),
});

export const sourceRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  app.post(
    '/sources',
    {
      schema: {
        summary: 'Register a source; its credential is shown once',
        tags: ['sources'],
        body: registerBody,
        response: {
          201: z.object({ source: sourceSchema, credential: z.string() }),
          ...errorResponses(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { source, credential } = await registerSource({
        ctx: request.ctx('register a data source'),
        input: {
          code: b.code,
          kind: b.kind,
          ...(b.name !== undefined && { name: b.name }),
          ...(b.legal_basis !== undefined && { legalBasis: b.legal_basis }),
          ...(b.types !== undefined && { types: b.types }),
          ...(b.organization !== undefined && { organization: b.organization }),
          ...(b.daily_service_volume !== undefined && { dailyServiceVolume: b.daily_service_volume }),
        },
        catalogue: platform.catalogue,
      });
      return reply.status(201).send({ source: sourceJson(source), credential });
    },
  );

  app.get(
    '/sources',
    {
      schema: {
        summary: 'The registered sources (never their credentials), with the records each sent today',
        tags: ['sources'],
        response: {
          200: z.object({
            sources: z.array(
              sourceSchema
                .extend({
                  records_today: z
                    .number()
                    .int()
                    .describe("records it sent today (the platform's TIME_ZONE day); sources have no quota"),
                })
                .meta({ id: 'SourceWithUsage' }),
            ),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({
      sources: (await listSources({ ctx: request.ctx('list data sources') })).map((s) => ({
        ...sourceJson(s),
        records_today: s.recordsToday,
      })),
    }),
  );

  app.post(
    '/sources/:code/credential',
    {
      schema: {
        summary: "Rotate a source's credential: the new one is shown once, the old one is refused at once",
        tags: ['sources'],
        params: codeParams,
        response: {
          200: z.object({ source: sourceSchema, credential: z.string() }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => {
      const { source, credential } = await rotateSourceCredential({
        ctx: request.ctx("rotate a data source's credential"),
        input: { code: request.params.code },
      });
      return { source: sourceJson(source), credential };
    },
  );

  app.post(
    '/sources/:code/revoke',
    {
      schema: {
        summary: "Revoke a source's credential: it can no longer authenticate; its records stay",
        tags: ['sources'],
        params: codeParams,
        response: { 200: z.object({ source: sourceSchema }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      source: sourceJson(
        await revokeSourceCredential({
          ctx: request.ctx("revoke a data source's credential"),
          input: { code: request.params.code },
        }),
      ),
    }),
  );

  app.patch(
    '/sources/:code',
    {
      schema: {
        summary: 'Change what a source declares: the organization it is, its daily service volume (audited)',
        description:
          'A field left out is kept; `null` clears it (no organization; the policy default volume).',
        tags: ['sources'],
        params: codeParams,
        body: inputObject({
          organization: organizationField.nullable().optional(),
          daily_service_volume: volumeField.nullable().optional(),
        }),
        response: { 200: z.object({ source: sourceSchema }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const b = request.body;
      return {
        source: sourceJson(
          await updateSource({
            ctx: request.ctx('change what a data source declares'),
            input: {
              code: request.params.code,
              ...(b.organization !== undefined && { organization: b.organization }),
              ...(b.daily_service_volume !== undefined && { dailyServiceVolume: b.daily_service_volume }),
            },
          }),
        ),
      };
    },
  );

  app.get(
    '/sources/:code/staff',
    {
      schema: {
        summary: "A source's roster: who serves under it, with days (a source reads its own only; audited)",
        tags: ['sources'],
        params: codeParams,
        response: { 200: z.object({ staff: z.array(staffSchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      staff: (
        await listStaff({
          ctx: request.ctx("read a data source's roster"),
          input: { code: request.params.code },
        })
      ).map(staffJson),
    }),
  );

  app.post(
    '/sources/:code/staff',
    {
      schema: {
        summary: "Put persons on a source's roster, all or nothing (audited on each person's trail)",
        description:
          'One entry, or `{"staff": [...]}` for many. A licensed professional is named by licence, anyone else by resident ID; an own-name source vouches for a professional only while on its roster.',
        tags: ['sources'],
        params: codeParams,
        body: z.union([staffEntryBody, inputObject({ staff: z.array(staffEntryBody).min(1) })], {
          error: 'expected one entry {"licence" or "person", "from"} or {"staff": [...]}',
        }),
        response: { 201: z.object({ staff: z.array(staffSchema) }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const list = 'staff' in body ? body.staff : [body];
      const rows = await addStaff({
        ctx: request.ctx("add to a data source's roster"),
        input: {
          code: request.params.code,
          staff: list.map((e) => ({
            licence: e.licence,
            licenceKind: e.licence_kind,
            person: e.person,
            position: e.position,
            from: e.from,
            until: e.until,
          })),
        },
      });
      return reply.status(201).send({ staff: rows.map(staffJson) });
    },
  );

  app.post(
    '/sources/:code/staff/remove',
    {
      schema: {
        summary:
          "Take a person off a source's roster from a day on (tomorrow by default: on through today); the entry is kept, ended",
        tags: ['sources'],
        params: codeParams,
        body: inputObject({
          licence: z.string().optional(),
          licence_kind: z.string().optional(),
          person: z.string().optional(),
          until: z
            .string()
            .optional()
            .describe(
              "the first day no longer on the roster, YYYY-MM-DD (exclusive); default tomorrow, so today's services can still be vouched for",
            ),
        }),
        response: { 200: z.object({ staff: z.array(staffSchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const b = request.body;
      const rows = await removeStaff({
        ctx: request.ctx("take a person off a data source's roster"),
        input: {
          code: request.params.code,
          ...(b.licence !== undefined && { licence: b.licence }),
          ...(b.licence_kind !== undefined && { licenceKind: b.licence_kind }),
          ...(b.person !== undefined && { person: b.person }),
          ...(b.until !== undefined && { until: b.until }),
        },
      });
      return { staff: rows.map(staffJson) };
    },
  );
};
