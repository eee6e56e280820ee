/**
 * The Fastify app: transport limits (body sizes, timeouts, rate limits), security headers, request
 * IDs, logs without personal data, authentication, metrics, health, OpenAPI documentation, the
 * routes of each capability and the one error handler. Routes are thin (CONVENTIONS.md §1); the
 * domain lives in the capabilities.
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
import { CredenceError } from '../shared/errors.ts';
import { authHook, decorateRequests } from './auth.ts';
import { handleError, handleNotFound, MAX_PARAM_LENGTH } from './errors.ts';
import { loggerOptions } from './logging.ts';
import { pruneUnusedSchemas, withEdgeResponses, withOperationIds } from './openapi.ts';
import { registerRateLimits } from './rate-limit.ts';
import { auditRoutes } from './routes/audit.ts';
import { catalogueRoutes } from './routes/catalogue.ts';
import { checkRoutes } from './routes/checks.ts';
import { consoleRoutes } from './routes/console.ts';
import { healthRoutes, type Lifecycle } from './routes/health.ts';
import { inspectionRoutes } from './routes/inspections.ts';
import { meRoutes } from './routes/me.ts';
import { registerMetrics } from './routes/metrics.ts';
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
import { securityHeadersFor } from './security-headers.ts';
import { textGuard } from './text-guard.ts';
import { registerWeb } from './web.ts';

export interface BuildOptions {
  /** `false` for silence, or pino options; defaults to the configured log level. */
  logger?: boolean | object;
  /** The built web console to serve at `/` (default web/dist when built); `false`: the API alone. */
  web?: string | false;
  /** Serve HTTPS with this certificate and key (PEM). */
  https?: { cert: string | Buffer; key: string | Buffer };
  /** Other timeouts than TIMEOUTS (tests). */
  timeouts?: Partial<typeof TIMEOUTS>;
  /** Shared with the server: `draining` turns readiness to 503 and refuses new requests. */
  lifecycle?: Lifecycle;
}

/**
 * Bodies are small unless a route says otherwise (`bodyLimit` on the route): reads, checks and
 * ordinary JSON fit in 64 KiB. Record batches (records.ts) and evidence (objections, repairs) are
 * sized where they are declared.
 */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * How long a client may take (ms). A slow client holds a socket and its buffers: one that never
 * finishes its headers is cut off after `headers` (checked every `check`), one that never finishes
 * its body after `request` (a full record batch over a slow link fits in it), an idle socket after
 * `connection` (it also bounds the wait for an answer: the slowest, a 10,000-record batch, takes
 * seconds). Kept-alive connections wait `keepAlive` for the next request: longer than the 60 s
 * idle timeout of common load balancers, so the balancer, not the server, closes them.
 */
export const TIMEOUTS = {
  headers: 10_000,
  request: 60_000,
  connection: 120_000,
  keepAlive: 72_000,
  check: 1_000,
};

// A caller's request ID is kept when it is a plain token, so it cannot forge log lines.
const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(platform: Platform, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const t = { ...TIMEOUTS, ...opts.timeouts };
  const nodeServer = {
    headersTimeout: t.headers,
    requestTimeout: t.request,
    connectionsCheckingInterval: t.check,
  };
  const lifecycle = opts.lifecycle ?? { draining: false };
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : loggerOptions(typeof opts.logger === 'object' ? opts.logger : { level: platform.config.logLevel }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestTimeout: t.request,
    connectionTimeout: t.connection,
    keepAliveTimeout: t.keepAlive,
    http: nodeServer,
    ...(opts.https ? { https: { ...nodeServer, cert: opts.https.cert, key: opts.https.key } } : {}),
    // Requests arriving while the server drains get the one error shape (below), not Fastify's.
    return503OnClosing: false,
    // Only the configured proxies may name the caller (rate limits count anonymous callers by address).
    ...(platform.config.trustProxy ? { trustProxy: platform.config.trustProxy } : {}),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // What the router refuses before any route (a path that is not percent-encoded UTF-8, a path
    // part over MAX_PARAM_LENGTH) leaves in the one error shape with its request ID and the API's
    // security headers, not in Fastify's own shape echoing the path. No hook runs for it.
    frameworkErrors: (error, request, reply) => {
      for (const [k, v] of securityHeadersFor(request.url)) reply.raw.setHeader(k, v);
      reply.header('x-request-id', request.id);
      return handleError(error, request, reply);
    },
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook('preValidation', textGuard);
  app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  decorateRequests(app, platform);
  app.addHook('onRequest', (request, reply, done) => {
    // Set on the raw response, so the console's page and the API documentation replace the CSP
    // with their own (web.ts, swagger-ui below).
    for (const [k, v] of securityHeadersFor(request.url)) reply.raw.setHeader(k, v);
    if (!lifecycle.draining || request.url.startsWith('/health')) return done();
    reply.header('connection', 'close');
    done(
      new CredenceError(
        'unavailable',
        'this server is shutting down: send the request again (another instance answers it)',
      ),
    );
  });
  // Both add hooks to each route registered after them.
  await registerRateLimits(app, platform);
  const metrics = registerMetrics(app, platform);

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
    transformObject: (input) =>
      pruneUnusedSchemas(withEdgeResponses(jsonSchemaTransformObject(input) as OpenAPIV3.Document)),
  });
  // Its pages load their own scripts and styles: its own CSP (with their hashes) replaces the API's.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (h) => h.replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { platform, lifecycle });
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
  const notFound = opts.web === false ? handleNotFound : await registerWeb(app, handleNotFound, opts.web);
  app.setNotFoundHandler((request, reply) => {
    // Counted once answered: the console's pages answer here too, with 200 or 304.
    reply.raw.once('finish', () => metrics.unmatched(request.method, reply.statusCode));
    return notFound(request, reply);
  });
  return app;
}
