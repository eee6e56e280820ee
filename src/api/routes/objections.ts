/** HTTP face of objections to records and their appeals. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../platform/index.ts';

export const objectionRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (_app, _opts) => {};
