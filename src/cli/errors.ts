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

/** File system refusals of a path the operator named (or DATA_DIR): what to say, and the exit code. */
const FILE_PROBLEMS: Record<string, [string, number]> = {
  EACCES: ['permission denied', EXIT.usage],
  EPERM: ['operation not permitted', EXIT.usage],
  EISDIR: ['is a folder, not a file', EXIT.usage],
  ENOTDIR: ['a part of this path is not a folder', EXIT.usage],
  EROFS: ['on a read-only file system', EXIT.usage],
  // Free space comes back: like a database that does not answer, try again later.
  ENOSPC: ['no space left on the device', EXIT.unavailable],
};

export const reportError = (e: unknown): number => {
  if (isCredenceError(e)) {
    process.stderr.write(`error (${e.code}): ${e.message}\n`);
    // Issues the message lists already (a policy file's problems, each with its field and line)
    // are not printed twice.
    const issues = e.issues.filter((i) => !e.message.includes(i.message));
    for (const i of issues.slice(0, 50)) {
      const where = [i.line !== undefined ? `line ${i.line}` : '', i.field ?? ''].filter(Boolean).join(': ');
      const text =
        i.field && i.message.startsWith(`${i.field}: `) ? i.message.slice(i.field.length + 2) : i.message;
      process.stderr.write(`  ${where ? `${where}: ` : ''}${text}\n`);
    }
    if (issues.length > 50) process.stderr.write(`  … and ${issues.length - 50} more\n`);
    return byCode[e.code];
  }
  const err = e as NodeJS.ErrnoException & { address?: string; port?: number };
  // A folder that cannot be made where its parent is (under /proc, say: the parent exists, yet
  // mkdir answers ENOENT): not a missing file to look for, but a place folders cannot go.
  if (err?.code === 'ENOENT' && err.syscall === 'mkdir' && err.path) {
    process.stderr.write(`error: ${err.path}: cannot create this folder (no such file or directory)\n`);
    return EXIT.usage;
  }
  if (err?.code === 'ENOENT') {
    process.stderr.write(`error: file not found: ${err.path ?? err.message}\n`);
    return EXIT.usage;
  }
  // The server's address: taken by another process (free again later: unavailable), or one this
  // process may not listen on (the configuration must change: a usage error).
  if (err?.syscall === 'listen') {
    const where = `port ${err.port} on ${err.address}`;
    if (err.code === 'EADDRINUSE') {
      process.stderr.write(`error: ${where} is in use (set PORT, or --port)\n`);
      return EXIT.unavailable;
    }
    if (err.code === 'EADDRNOTAVAIL') {
      process.stderr.write(`error: ${err.address} is not an address of this machine (set HOST, or --host)\n`);
      return EXIT.usage;
    }
    if (err.code === 'EACCES') {
      process.stderr.write(
        `error: not allowed to listen on ${where} (ports below 1024 need privileges: set PORT, or --port)\n`,
      );
      return EXIT.usage;
    }
  }
  // A file or folder named on the command line (or by DATA_DIR) that cannot be used as asked.
  // Node leaves `path` unset on some of them (a read of an open folder is EISDIR without one): the
  // refusal is said all the same, with the system's own words in place of the path.
  const fileProblem = FILE_PROBLEMS[err?.code ?? ''];
  if (fileProblem) {
    process.stderr.write(
      err.path
        ? `error: ${err.path}: ${fileProblem[0]}\n`
        : `error: a path given ${fileProblem[0].replace(/^(?!is )/, 'cannot be used: ')} (${err.message})\n`,
    );
    return fileProblem[1];
  }
  if (err?.code === 'ECONNREFUSED') {
    process.stderr.write(`error: cannot reach the database: ${err.message}\n`);
    return EXIT.unavailable;
  }
  // The PostgreSQL server answers but will not let this process in: no such database (SQLSTATE
  // class 3D) or the role refused (class 28). Waiting will not help; DATABASE_URL must change.
  if (typeof err?.code === 'string' && /^(3D|28)[0-9A-Z]{3}$/.test(err.code)) {
    const why = err.cause instanceof Error ? err.cause.message : err.message;
    process.stderr.write(`error: cannot use the database: ${why} (check DATABASE_URL)\n`);
    return EXIT.usage;
  }
  process.stderr.write(`error: ${err?.stack ?? String(e)}\n`);
  return EXIT.internal;
};
