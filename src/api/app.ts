/**
 * The Fastify app: OpenAPI documentation, request IDs, authentication, the routes of each
 * capability and the one error handler. Routes are thin (CONVENTIONS.md §1); the domain lives in
 * the capabilities.
 */
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { OpenAPIV3 } from 'openapi-types';
import type { Platform } from '../platform/index.ts';
import { authHook, decorateRequests } from './auth.ts';
import { handleError, handleNotFound } from './errors.ts';
import { pruneUnusedSchemas, withOperationIds } from './openapi.ts';
import { auditRoutes } from './routes/audit.ts';
import { catalogueRoutes } from './routes/catalogue.ts';
import { checkRoutes } from './routes/checks.ts';
import { consoleRoutes } from './routes/console.ts';
import { healthRoutes } from './routes/health.ts';
import { inspectionRoutes } from './routes/inspections.ts';
import { meRoutes } from './routes/me.ts';
import { objectionRoutes } from './routes/objections.ts';
import { outboxRoutes } from './routes/outbox.ts';
import { publicRoutes } from './routes/public.ts';
import { ratingRoutes } from './routes/ratings.ts';
import { NDJSON, recordRoutes } from './routes/records.ts';
import { repairRoutes } from './routes/repairs.ts';
import { scoreRoutes } from './routes/scores.ts';
import { sourceRoutes } from './routes/sources.ts';
import { statsRoutes } from './routes/stats.ts';
import { subjectRoutes } from './routes/subjects.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { registerWeb } from './web.ts';

export interface BuildOptions {
  /** `false` for silence, or pino options; defaults to the configured log level. */
  logger?: boolean | object;
  /** The built web console to serve at `/` (default web/dist when built); `false`: the API alone. */
  web?: string | false;
}

/** Room for a full batch of 10,000 records with generous notes and evidence references. */
export const BODY_LIMIT = 32 * 1024 * 1024;

// A caller's request ID is kept when it is a plain token, so it cannot forge log lines.
const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(platform: Platform, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: platform.config.logLevel },
    bodyLimit: BODY_LIMIT,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  decorateRequests(app, platform);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Credence',
        version: '1',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        description:
          'Social credit information under rule-of-law safeguards. Send `Authorization: Bearer <token>`; ' +
          'say why with `x-purpose` (recorded in the audit log); quote `x-request-id` when reporting a problem.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      // Relative: the API is served by whichever host served this document.
      servers: [{ url: '/', description: 'this Credence server' }],
    },
    transform: withOperationIds(createJsonSchemaTransform({ skipList: ['/openapi.json'] })),
    transformObject: (input) => pruneUnusedSchemas(jsonSchemaTransformObject(input) as OpenAPIV3.Document),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { platform });
  await app.register(
    async (v1) => {
      v1.addHook('onRequest', authHook(platform));
      await v1.register(catalogueRoutes, { platform });
      await v1.register(sourceRoutes, { platform });
      await v1.register(tokenRoutes, { platform });
      await v1.register(recordRoutes, { platform });
      await v1.register(subjectRoutes, { platform });
      await v1.register(scoreRoutes, { platform });
      await v1.register(checkRoutes, { platform });
      await v1.register(statsRoutes, { platform });
      await v1.register(outboxRoutes, { platform });
      await v1.register(meRoutes, { platform });
      await v1.register(objectionRoutes, { platform });
      await v1.register(repairRoutes, { platform });
      await v1.register(auditRoutes, { platform });
      await v1.register(ratingRoutes, { platform });
      await v1.register(inspectionRoutes, { platform });
      await v1.register(publicRoutes, { platform });
      await v1.register(consoleRoutes, { platform });
    },
    { prefix: '/v1' },
  );
  app.setNotFoundHandler(
    opts.web === false ? handleNotFound : await registerWeb(app, handleNotFound, opts.web),
  );
  return app;
}
