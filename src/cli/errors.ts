/** THE mapping of typed errors to exit codes (CONVENTIONS.md §8) and how they are printed. */
import { type ErrorCode, isCredenceError } from '../shared/errors.ts';

export const EXIT = {
  ok: 0,
  /** The work ran but some input was refused (e.g. rejected lines). */
  partial: 1,
  usage: 2,
  denied: 3,
  conflict: 4,
  refused: 5,
  unavailable: 6,
  internal: 70,
} as const;

const byCode: Record<ErrorCode, number> = {
  invalid_input: EXIT.usage,
  not_found: EXIT.usage,
  unauthenticated: EXIT.denied,
  forbidden: EXIT.denied,
  conflict: EXIT.conflict,
  gone: EXIT.conflict,
  protected_category: EXIT.refused,
  policy_violation: EXIT.refused,
  rate_limited: EXIT.unavailable,
  unavailable: EXIT.unavailable,
  internal: EXIT.internal,
};

export const reportError = (e: unknown): number => {
  if (isCredenceError(e)) {
    process.stderr.write(`error (${e.code}): ${e.message}\n`);
    for (const i of e.issues.slice(0, 50)) {
      const where = [i.line !== undefined ? `line ${i.line}` : '', i.field ?? ''].filter(Boolean).join(': ');
      process.stderr.write(`  ${where ? `${where}: ` : ''}${i.message}\n`);
    }
    if (e.issues.length > 50) process.stderr.write(`  … and ${e.issues.length - 50} more\n`);
    return byCode[e.code];
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') {
    process.stderr.write(`error: file not found: ${err.path ?? err.message}\n`);
    return EXIT.usage;
  }
  if (err?.code === 'ECONNREFUSED') {
    process.stderr.write(`error: cannot reach the database: ${err.message}\n`);
    return EXIT.unavailable;
  }
  process.stderr.write(`error: ${err?.stack ?? String(e)}\n`);
  return EXIT.internal;
};
