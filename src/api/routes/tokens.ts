/** API tokens, issued by an operator; the token itself is shown once. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  issueToken,
  listTokens,
  MAX_TOKEN_DAYS,
  renewToken,
  revokeToken,
  tokenView,
} from '../../access/index.ts';
import { ROLES } from '../../context.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses } from '../errors.ts';
import { idParam, inputObject } from '../input.ts';

/** How many days a token lives: at most MAX_TOKEN_DAYS, 90 when left out. */
const tokenDays = () => z.number().int().min(1).max(MAX_TOKEN_DAYS).optional();

const issueBody = inputObject({
  role: z.enum(ROLES.filter((r) => r !== 'public') as [string, ...string[]]),
  ref: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "whom it stands for: a source's code (source), a relying party's code (relying_party), a subject's identifier (subject), a person's resident ID number (rater), an inspector on a roster (inspector); operators and auditors take none",
    ),
  label: z.string().min(1).max(200),
  scope: z
    .array(z.string().max(100))
    .max(100)
    .optional()
    .describe('permission names the token is limited to, each held by its role; none: all its role may do'),
  days: tokenDays().describe('days it lives (default 90); renew it before it expires'),
});

const renewBody = inputObject({
  days: tokenDays().describe('days from now it lives (default 90)'),
}).optional();

const issuedSchema = z.object({
  id: z.number(),
  token: z.string(),
  role: z.string(),
  principal: z.string(),
  label: z.string(),
  scope: z.array(z.string()),
  expires_at: z.string(),
});

const tokenSchema = z.object({
  id: z.number(),
  role: z.string(),
  principal: z.string(),
  label: z.string(),
  scope: z.array(z.string()).describe('permission names it is limited to; empty: all its role may do'),
  created_at: z.string(),
  expires_at: z.string().describe('refused from this instant unless renewed'),
  revoked_at: z.string().nullable(),
});

export const tokenRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app) => {
  app.post(
    '/tokens',
    {
      schema: {
        summary: 'Issue an API token for a role',
        tags: ['access'],
        body: issueBody,
        response: { 201: issuedSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { token, row } = await issueToken({
        ctx: request.ctx('issue an API token'),
        input: {
          role: b.role as (typeof ROLES)[number],
          label: b.label,
          ...(b.ref !== undefined && { ref: b.ref }),
          ...(b.scope !== undefined && { scope: b.scope }),
          ...(b.days !== undefined && { days: b.days }),
        },
      });
      const { id, role, principal, label, scope, expires_at } = tokenView(row);
      return reply.status(201).send({ id, token, role, principal, label, scope, expires_at });
    },
  );

  app.get(
    '/session',
    {
      schema: {
        summary:
          'Who the credential sent is: its role (`public` without one), for a client choosing its views',
        tags: ['access'],
        // Public: an anonymous caller is told it is `public`.
        security: [],
        response: { 200: z.object({ role: z.string() }), ...errorResponses(401) },
      },
    },
    // Says only what the caller already holds: the role of its own credential.
    async (request) => ({ role: request.principal.role }),
  );

  app.get(
    '/tokens',
    {
      schema: {
        summary: 'The API tokens issued, newest first, and whether each was revoked (never the token)',
        tags: ['access'],
        response: { 200: z.object({ tokens: z.array(tokenSchema) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({
      tokens: (await listTokens({ ctx: request.ctx('list API tokens') })).map(tokenView),
    }),
  );

  app.post(
    '/tokens/:id/revoke',
    {
      schema: {
        summary: 'Revoke an API token: refused at once by every server on this store',
        tags: ['access'],
        params: z.object({ id: idParam() }),
        response: { 200: tokenSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      tokenView(
        await revokeToken({ ctx: request.ctx('revoke an API token'), input: { id: request.params.id } }),
      ),
  );

  app.post(
    '/tokens/:id/renew',
    {
      schema: {
        summary: 'Renew a live API token: it expires `days` (default 90) from now',
        tags: ['access'],
        params: z.object({ id: idParam() }),
        body: renewBody,
        response: { 200: tokenSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      tokenView(
        await renewToken({
          ctx: request.ctx('renew an API token'),
          input: {
            id: request.params.id,
            ...(request.body?.days !== undefined && { days: request.body.days }),
          },
        }),
      ),
  );
};
