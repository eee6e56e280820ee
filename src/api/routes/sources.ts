/** Registering data providers and listing them (operators; auditors may list). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REGISTRABLE_SOURCE_KINDS } from '../../catalogue/index.ts';
import type { Platform } from '../../platform/index.ts';
import {
  listSources,
  registerSource,
  revokeSourceCredential,
  rotateSourceCredential,
  sourceJson,
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
  })
  .meta({ id: 'Source' });

const codeParams = z.object({ code: z.string().min(1).max(64) });

const registerBody = inputObject({
  code: z.string().describe('2–64 lower-case letters, digits, "-" or "_"'),
  kind: z.enum(REGISTRABLE_SOURCE_KINDS),
  name: z.string().min(1).max(200).optional(),
  legal_basis: z.string().min(1).max(400).optional(),
  types: z.array(z.string()).optional().describe('defaults to every type the catalogue allows this kind'),
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
          ...errorResponses(401, 403, 409),
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
};
