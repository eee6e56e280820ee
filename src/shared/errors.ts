/**
 * Typed errors with a fixed set of codes. Every layer throws these; the HTTP API maps them to
 * status codes in src/api/errors.ts and the CLI maps them to exit codes in src/cli/errors.ts —
 * exactly one place each.
 */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'unauthenticated',
  'forbidden',
  'conflict',
  'gone',
  'protected_category',
  'policy_violation',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem inside a larger input: which line/path/field, and what was wrong. */
export interface Issue {
  /** 1-based line number in a batch or file, when the input has lines. */
  line?: number;
  /** Dotted field path inside the item, e.g. `subject.id_number`. */
  field?: string;
  message: string;
}

export class CredenceError extends Error {
  readonly code: ErrorCode;
  readonly issues: Issue[];
  /** For `rate_limited`: seconds until a new request may succeed (HTTP `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, issues: Issue[] = [], retryAfterSeconds?: number) {
    super(message);
    this.name = 'CredenceError';
    this.code = code;
    this.issues = issues;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const invalidInput = (message: string, issues: Issue[] = []) =>
  new CredenceError('invalid_input', message, issues);
export const notFound = (message: string) => new CredenceError('not_found', message);
export const forbidden = (message: string) => new CredenceError('forbidden', message);
export const unauthenticated = (message: string) => new CredenceError('unauthenticated', message);
export const conflict = (message: string) => new CredenceError('conflict', message);
/** A quota is spent: try again in `retryAfterSeconds`. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new CredenceError('rate_limited', message, [], retryAfterSeconds);
/** Something that existed has run out for good (an expired token). */
export const gone = (message: string) => new CredenceError('gone', message);
export const protectedCategory = (message: string, issues: Issue[] = []) =>
  new CredenceError('protected_category', message, issues);

export const isCredenceError = (e: unknown): e is CredenceError => e instanceof CredenceError;
