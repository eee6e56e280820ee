/** Counts for operators and auditors. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../access/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses } from '../errors.ts';

const statsSchema = z.object({
  subjects: z.object({
    person: z.number().int(),
    organization: z.number().int(),
    public_body: z.number().int(),
  }),
  records: z.number().int(),
  audit_entries: z.number().int(),
  sources: z.number().int(),
});

export const statsRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app) => {
  app.get(
    '/stats',
    {
      schema: {
        summary: 'How much the platform holds',
        tags: ['service'],
        response: { 200: statsSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      // No stats verb exists yet: the permission is checked here and the store's counters read directly.
      const ctx = request.ctx('read platform statistics');
      requirePermission(ctx.principal, 'stats.read');
      const [subjects, records, audit, sources] = await Promise.all([
        ctx.store.countSubjects(),
        ctx.store.countRecords(),
        ctx.store.countAudit(),
        ctx.store.listSources(),
      ]);
      return { subjects, records, audit_entries: audit, sources: sources.length };
    },
  );
};
