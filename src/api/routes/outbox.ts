/** The notification outbox's state for operators and auditors: counts and what went wrong, no subject data. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getOutboxStatus, requeueOutbox } from '../../outbox/index.ts';
import type { Platform } from '../../platform/index.ts';
import { invalidInput } from '../../shared/errors.ts';
import { errorResponses } from '../errors.ts';
import { inputObject, intQuery } from '../input.ts';

const problem = z.object({
  id: z.number().int(),
  notification_id: z.number().int(),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  dead_at: z.string().nullable(),
});

export const outboxRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app) => {
  app.get(
    '/outbox',
    {
      schema: {
        summary:
          'Notifications queued, sent, failed and waiting to retry, dead, and superseded (never to be sent: what they announced no longer stood before they went out, the listing removed, its end changed since, or the notice queued again with its present text), with the latest problems',
        tags: ['notifications'],
        querystring: z.object({ problems: intQuery({ min: 0, max: 100, default: 10 }) }),
        response: {
          200: z.object({
            queued: z.number().int(),
            sent: z.number().int(),
            failed: z.number().int(),
            dead: z.number().int(),
            superseded: z.number().int(),
            problems: z.array(problem),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const s = await getOutboxStatus({
        ctx: request.ctx('read the outbox state'),
        input: { problems: request.query.problems },
      });
      return {
        queued: s.queued,
        sent: s.sent,
        failed: s.failed,
        dead: s.dead,
        superseded: s.superseded,
        problems: s.problems.map((p) => ({
          id: p.id,
          notification_id: p.notificationId,
          attempts: p.attempts,
          last_error: p.lastError,
          next_attempt_at: p.nextAttemptAt,
          dead_at: p.deadAt,
        })),
      };
    },
  );

  app.post(
    '/outbox/requeue',
    {
      schema: {
        summary:
          'Put dead notifications back in the queue with a fresh round of attempts (operator), by outbox row id or all',
        tags: ['notifications'],
        body: inputObject({
          ids: z.array(z.number().int().positive()).max(10_000).optional(),
          all_dead: z.boolean().optional(),
        }),
        response: {
          200: z.object({ requeued: z.array(z.number().int()) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { ids, all_dead } = request.body;
      if (Boolean(all_dead) === Boolean(ids?.length))
        throw invalidInput('give the dead rows to requeue as `ids`, or `all_dead: true` (not both)');
      return requeueOutbox({
        ctx: request.ctx('requeue dead notifications'),
        input: { ids: all_dead ? 'all' : ids! },
      });
    },
  );
};
