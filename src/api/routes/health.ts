/** Liveness for load balancers and operators: no credentials needed. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/index.ts';

const healthSchema = z.object({
  status: z.literal('ok'),
  backend: z.enum(['sqlite', 'postgres']),
  catalogue_version: z.string(),
});

export const healthRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Is the service up?',
        tags: ['service'],
        security: [],
        response: { 200: healthSchema },
      },
    },
    async () => ({
      status: 'ok' as const,
      backend: platform.store.backend,
      catalogue_version: platform.catalogue.version,
    }),
  );
};
