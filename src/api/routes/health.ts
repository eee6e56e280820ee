/**
 * Health for load balancers and operators, no credentials needed: `/health/live` (the process
 * answers), `/health/ready` (the store answers and the server is not shutting down; 503 when not
 * ready, so a balancer stops sending requests), and `/health` (as before: the process and what it
 * serves). None of them is rate limited.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/index.ts';

/** Whether the server is draining: set when it begins to shut down. */
export interface Lifecycle {
  draining: boolean;
}

const healthSchema = z.object({
  status: z.literal('ok'),
  backend: z.enum(['sqlite', 'postgres']),
  catalogue_version: z.string(),
});
const readySchema = z.object({
  status: z.enum(['ready', 'draining', 'store_unavailable']),
});

export const healthRoutes: FastifyPluginAsyncZod<{ platform: Platform; lifecycle: Lifecycle }> = async (
  app,
  { platform, lifecycle },
) => {
  const config = { rateLimit: false };
  app.get(
    '/health',
    {
      schema: {
        summary: 'Is the service up?',
        tags: ['service'],
        security: [],
        response: { 200: healthSchema },
      },
      config,
    },
    async () => ({
      status: 'ok' as const,
      backend: platform.store.backend,
      catalogue_version: platform.catalogue.version,
    }),
  );
  app.get(
    '/health/live',
    {
      schema: {
        summary: 'Does the process answer? (restart it when not)',
        tags: ['service'],
        security: [],
        response: { 200: z.object({ status: z.literal('live') }) },
      },
      config,
    },
    async () => ({ status: 'live' as const }),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        summary: 'May it be sent requests? 503 while it shuts down or its store does not answer',
        tags: ['service'],
        security: [],
        response: { 200: readySchema, 503: readySchema },
      },
      config,
    },
    async (_request, reply) => {
      if (lifecycle.draining) return reply.status(503).send({ status: 'draining' as const });
      try {
        await platform.store.getMeta('schema_ready_probe');
      } catch {
        return reply.status(503).send({ status: 'store_unavailable' as const });
      }
      return { status: 'ready' as const };
    },
  );
};
