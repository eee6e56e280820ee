/**
 * Health for load balancers and operators, no credentials needed: `/health/live` (the process
 * answers), `/health/ready` (the store answers and the server is not shutting down; 503 when not
 * ready, so a balancer stops sending requests; with a read replica, whether reads go to it, never
 * why not: a failed read's message could name hosts, and this answer is public; only a replica
 * refused for what it is, not a standby of the primary, is named by a fixed word), and `/health` (as before: the process and what it
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
  replica: z
    .object({
      in_use: z
        .boolean()
        .describe('reads that may lag go to the replica now; false: the primary serves them'),
      lag_seconds: z
        .number()
        .nullable()
        .describe(
          'how old its state may be now (an upper bound); null: never seen to replay, or it does not answer, or it is refused',
        ),
      max_lag_ms: z.number().int().describe('REPLICA_MAX_LAG_MS'),
      refused: z
        .enum(['not_a_standby', 'other_cluster', 'other_timeline'])
        .optional()
        .describe(
          'present when the replica answers but is not a standby of the primary, so is never read from: not in recovery, of another cluster (another system identifier), or on a later timeline (following another primary)',
        ),
    })
    .optional()
    .describe(
      'present when a read replica is configured (DATABASE_REPLICA_URL); one not in use does not make the server unready. Why it is not in use is in the log, not here (this answer is public), except a replica refused for what it is (`refused`, a fixed word)',
    ),
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
      const r = platform.store.replicaStatus();
      const replica = r && {
        replica: {
          in_use: r.inUse,
          lag_seconds: r.lagSeconds ?? null,
          max_lag_ms: r.maxLagMs,
          ...(r.refused ? { refused: r.refused } : {}),
        },
      };
      if (lifecycle.draining) return reply.status(503).send({ status: 'draining' as const, ...replica });
      try {
        await platform.store.getMeta('schema_ready_probe');
      } catch {
        return reply.status(503).send({ status: 'store_unavailable' as const, ...replica });
      }
      return { status: 'ready' as const, ...replica };
    },
  );
};
