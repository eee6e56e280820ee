/**
 * Request logs without personal data. A request is logged by its method and route pattern
 * (`/v1/subjects/:id`, never the URL with its identifiers and query values) and its request ID;
 * no header, body or address. An error is logged by its class, code and stack frames, never its
 * message: a database error's message carries SQL, table and constraint names or the values that
 * broke them, and a domain error's message may name a subject.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/** Where a request went, by pattern: `unmatched` when no route answered it. */
const reqSerializer = (req: FastifyRequest) => ({
  method: req.method,
  route: (req.is404 ? undefined : req.routeOptions.url) ?? 'unmatched',
});

const resSerializer = (reply: { statusCode: number }) => ({ statusCode: reply.statusCode });

/** Stack frames only (the first lines of a stack repeat the message). */
const frames = (stack: unknown): string =>
  typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((l) => l.startsWith('    at '))
        .map((l) => l.trim())
        .join('\n')
    : '';

const NOT_LOGGED = '[not logged]';

/** Its message never: `[not logged]` says so to whoever reads the log. */
export const errSerializer = (err: unknown) => {
  if (typeof err !== 'object' || err === null) return { type: typeof err, message: NOT_LOGGED, stack: '' };
  const e = err as { code?: unknown; stack?: unknown; statusCode?: unknown };
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined;
  return {
    type: err.constructor?.name ?? 'Object',
    ...(code !== undefined ? { code } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    message: NOT_LOGGED,
    stack: frames(e.stack),
  };
};

/**
 * Pino options for the app's logger: the serializers above and, in case a field ever carries
 * them, credentials redacted.
 */
export const loggerOptions = (opts: object = {}): FastifyServerOptions['logger'] => ({
  ...opts,
  serializers: { req: reqSerializer, res: resSerializer, err: errSerializer },
  redact: {
    paths: [
      'req.headers.authorization',
      'req.headers.cookie',
      'headers.authorization',
      'headers.cookie',
      'authorization',
    ],
    censor: '[redacted]',
  },
});
