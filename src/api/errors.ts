/**
 * The one place where errors become HTTP answers (CONVENTIONS.md §8): every error — a domain
 * CredenceError, a Fastify validation failure, a malformed body, an unknown route, a bug — leaves
 * the API in the same JSON shape, carrying the request ID.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode, type Issue, isCredenceError } from '../shared/errors.ts';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  protected_category: 422,
  policy_violation: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      issues: z.array(
        z.object({ line: z.number().int().optional(), field: z.string().optional(), message: z.string() }),
      ),
      request_id: z.string(),
    }),
  })
  .meta({
    id: 'Error',
    description: 'Every error has this shape; quote request_id when reporting a problem.',
  });
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Error responses for a route's OpenAPI description. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries([...new Set([400, 500, ...statuses])].map((s) => [s, errorBodySchema]));

interface HttpError {
  status: number;
  code: ErrorCode;
  message: string;
  issues: Issue[];
}

/** The longest path parameter the router takes (app.ts; Fastify's default): a longer one is 414. */
export const MAX_PARAM_LENGTH = 100;

interface BranchIssue {
  path: PropertyKey[];
  code: string;
  message: string;
}

/**
 * The alternative of a union the caller most likely meant, so a refusal names its field rather
 * than "Invalid input": the first whose value is of the right kind with no unknown field (its
 * issues are all inside it: `fits`), else the one of the right kind with the fewest issues; none
 * when the value is of no kind the union takes (its own message says what it takes).
 */
const likelyBranch = (params: unknown): { issues: BranchIssue[]; fits: boolean } | undefined => {
  const errors = (params as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return undefined;
  const branches = errors.filter((b): b is BranchIssue[] => Array.isArray(b) && b.length > 0);
  const atRoot = (b: BranchIssue[]) => b.filter((i) => i.path.length === 0);
  const fits = branches.find((b) => atRoot(b).length === 0);
  if (fits) return { issues: fits, fits: true };
  const rightKind = branches.filter((b) => atRoot(b).every((i) => i.code === 'unrecognized_keys'));
  const closest = rightKind.sort((a, b) => a.length - b.length)[0];
  return closest && { issues: closest, fits: false };
};

const kib = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(0)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;

const TWICE = 'given more than once: send it once';

/**
 * Whether a query parameter came more than once (`?q=a&q=b` parses as a list). No parameter of this
 * API takes several values, so whatever its schema expected, the refusal says that, for every
 * parameter alike, rather than "expected string, received array".
 */
const givenTwice = (request: FastifyRequest, name: string | undefined): boolean =>
  name !== undefined &&
  typeof request.query === 'object' &&
  request.query !== null &&
  Array.isArray((request.query as Record<string, unknown>)[name]);

const toHttpError = (err: unknown, request: FastifyRequest): HttpError => {
  if (isCredenceError(err)) {
    // An anonymous caller refused for lack of rights lacks credentials, not permission.
    if (err.code === 'forbidden' && request.principal?.role === 'public') {
      return {
        status: 401,
        code: 'unauthenticated',
        message: `this needs credentials: send \`Authorization: Bearer <token>\` (${err.message})`,
        issues: [],
      };
    }
    return { status: HTTP_STATUS[err.code], code: err.code, message: err.message, issues: err.issues };
  }
  const fe: Partial<FastifyError> = typeof err === 'object' && err !== null ? err : {};
  if (Array.isArray(fe.validation)) {
    const where = fe.validationContext ?? 'request';
    const issues = fe.validation.flatMap((v) => {
      const path = v.instancePath.split('/').filter(Boolean);
      const field = [where, ...path].join('.');
      if (where === 'querystring' && givenTwice(request, path[0])) return [{ field, message: TWICE }];
      const own = { field, message: v.message ?? 'invalid' };
      const branch = v.keyword === 'invalid_union' ? likelyBranch(v.params) : undefined;
      if (!branch) return [own];
      const inner = branch.issues.map((i) => ({
        field: [where, ...path, ...i.path.map(String)].join('.'),
        message: i.message,
      }));
      // A value of the right kind with fields of no alternative: what the union takes, then why.
      return branch.fits ? inner : [own, ...inner];
    });
    const first = issues[0];
    return {
      status: 400,
      code: 'invalid_input',
      message: first ? `invalid ${first.field}: ${first.message}` : `invalid ${where}`,
      issues,
    };
  }
  // Refused by the router before any route: the message never repeats the path, which may be long
  // or hold anything the caller put in it.
  if (fe.code === 'FST_ERR_BAD_URL')
    return {
      status: 400,
      code: 'invalid_input',
      message: 'the path is not valid percent-encoded UTF-8 (RFC 3986)',
      issues: [{ field: 'path', message: 'bad percent-encoding' }],
    };
  if (fe.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return {
      status: 414,
      code: 'invalid_input',
      message: `a part of the path is longer than any this API takes (at most ${MAX_PARAM_LENGTH} characters)`,
      issues: [{ field: 'path', message: `at most ${MAX_PARAM_LENGTH} characters a part` }],
    };
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit;
    return {
      status: 413,
      code: 'invalid_input',
      message: `the body is larger than this route accepts: at most ${limit.toLocaleString('en')} bytes (${kib(limit)})`,
      issues: [{ field: 'body', message: `at most ${limit} bytes` }],
    };
  }
  // Fastify's own client errors: malformed JSON, empty body, unsupported media type.
  if (
    !isResponseSerializationError(fe) &&
    typeof fe.statusCode === 'number' &&
    fe.statusCode >= 400 &&
    fe.statusCode < 500
  ) {
    const code: ErrorCode = fe.statusCode === 404 ? 'not_found' : 'invalid_input';
    return { status: fe.statusCode, code, message: fe.message ?? 'bad request', issues: [] };
  }
  return {
    status: 500,
    code: 'internal',
    message: 'internal error: the problem has been logged with this request ID',
    issues: [],
  };
};

export const errorBody = (e: Omit<HttpError, 'status'>, requestId: string): ErrorBody => ({
  error: { code: e.code, message: e.message, issues: e.issues, request_id: requestId },
});

export const handleError = (err: unknown, request: FastifyRequest, reply: FastifyReply) => {
  const e = toHttpError(err, request);
  // Neither message is logged: a database error's names its SQL, tables and values, a refusal's
  // may name a subject (logging.ts keeps the error's class, code and stack frames).
  if (e.status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: e.code, status: e.status }, 'request refused');
  if (isCredenceError(err) && err.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(err.retryAfterSeconds));
  return reply.status(e.status).send(errorBody(e, request.id));
};

export const handleNotFound = (request: FastifyRequest, reply: FastifyReply) =>
  reply
    .status(404)
    .send(
      errorBody(
        { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}`, issues: [] },
        request.id,
      ),
    );
