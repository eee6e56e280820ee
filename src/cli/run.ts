/** Shared plumbing for commands: configuration, the platform, and exit codes from errors. */
import { InvalidArgumentError } from 'commander';
import { AUDIT_SEQUENCER, cutAuditHead } from '../audit/index.ts';
import { parseConfig } from '../config.ts';
import { openPlatform, type Platform } from '../platform/index.ts';
import { EXIT, reportError } from './errors.ts';

/**
 * Puts the audit entries a command committed in the tree and signs a head, as the server does every
 * few seconds, so no entry written from the command line waits for the next start to be covered.
 * A failure is reported and leaves the command's own exit code alone.
 */
const cutHeadAfter = async (p: Platform) => {
  try {
    await cutAuditHead({ ctx: p.ctx(AUDIT_SEQUENCER, 'sign the audit log head'), deps: p.audit });
  } catch (e) {
    process.stderr.write(`audit: no new tree head signed: ${(e as Error).message}\n`);
  }
};

/**
 * Opens the platform from the environment, runs the command, signs a tree head over what it wrote,
 * closes, and sets the exit code. The store must exist (a mistyped DATA_DIR is refused, exit 2,
 * creating nothing) unless `create` is set: `init` and `demo` create it.
 */
export const withPlatform =
  <A extends unknown[]>(
    fn: (p: Platform, ...args: A) => Promise<number | undefined>,
    opts: { create?: boolean } = {},
  ) =>
  async (...args: A): Promise<void> => {
    let platform: Platform | undefined;
    try {
      platform = await openPlatform(parseConfig(process.env), { create: opts.create ?? false });
      process.exitCode = (await fn(platform, ...args)) ?? EXIT.ok;
    } catch (e) {
      process.exitCode = reportError(e);
    } finally {
      if (platform) await cutHeadAfter(platform);
      await platform?.close().catch(() => {});
    }
  };

/** Where the data lives, for messages. */
export const describeStore = (p: Platform): string =>
  p.config.store.backend === 'sqlite'
    ? `SQLite ${p.config.store.file}`
    : p.config.store.replica
      ? `PostgreSQL (DATABASE_URL; reads that may lag from DATABASE_REPLICA_URL within ${p.config.store.replica.maxLagMs} ms)`
      : 'PostgreSQL (DATABASE_URL)';

/**
 * A whole number as an operator types it: plain decimal digits, within JavaScript's safe integers.
 * `Number()` alone reads `0x1` as 1, `1e3` as 1000, `1.0` as 1 and rounds 20 digits to another
 * number, so an id typed wrong would act on some other row. Undefined when `raw` is anything else.
 */
export const parseWholeNumber = (raw: string): number | undefined => {
  if (!/^[0-9]+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
};

export const intOption =
  (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (v: string) => {
    const n = parseWholeNumber(v);
    if (n === undefined || n < min || n > max) {
      throw new InvalidArgumentError(`--${name} must be a whole number from ${min} to ${max}, got "${v}"`);
    }
    return n;
  };
