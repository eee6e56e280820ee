/**
 * The typed API client: openapi-fetch over the types generated from the API's OpenAPI document
 * (schema.d.ts). The credential lives in sessionStorage (gone when the tab closes) and travels as a
 * bearer token; a purpose, when the view states one, travels as `x-purpose` and is audited.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export type { paths };

const TOKEN_KEY = 'credence.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token.trim()),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token && !request.headers.has('authorization'))
      request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** An error the API answered with: its code, message and request ID, as the API's error body gives them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Unwraps an openapi-fetch answer: its data, or an ApiError carrying the API's message. */
export const unwrap = async <T>(answer: Promise<Answer<T>>): Promise<T> => {
  const { data, error, response } = await answer;
  if (response.ok && data !== undefined) return data;
  const body = (error ?? {}) as { error?: { code?: string; message?: string; request_id?: string } };
  throw new ApiError(
    response.status,
    body.error?.code ?? 'http_error',
    body.error?.message ?? `${response.status} ${response.statusText}`,
    body.error?.request_id,
  );
};

/** Headers stating why the caller reads a file (recorded in the audit log). */
export const purpose = (why: string) => ({ 'x-purpose': why });
