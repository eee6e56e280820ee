/** HTTP face of credit repair applications. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../platform/index.ts';

export const repairRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (_app, _opts) => {};
