/**
 * TEMPORARY: reads of routes being added by the backend right now, through the same typed client
 * (its auth and base URL) with the planned shapes, until `npm run build:api-types` includes them.
 */
import { api, unwrap } from '../api/client';

type Init = {
  params?: { query?: Record<string, unknown> };
  headers?: Record<string, string>;
  body?: unknown;
};
type Call = <T>(path: string, init?: Init) => Promise<{ data?: T; error?: unknown; response: Response }>;

export const plannedGet = <T>(path: string, init?: Init) =>
  unwrap((api.GET as unknown as Call)<T>(path, init));
export const plannedPost = <T>(path: string, init?: Init) =>
  unwrap((api.POST as unknown as Call)<T>(path, init));
