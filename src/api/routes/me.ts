/** HTTP face of a subject's own file and printable report. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../platform/index.ts';

export const meRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (_app, _opts) => {};
