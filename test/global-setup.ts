// Vitest global setup: one PostgreSQL server for the whole run, shared by every test file (each file
// takes its own database with freshTestDatabase()). The URL travels to the forked workers through
// process.env, which they inherit.
import { CLI, prepareBundle, ROOT } from '../bin/compiled.js';
import { ensureWebBuilt } from '../src/api/web.ts';
import { findPostgresBin, startPostgres } from './pg-server.ts';

const SKIP_REASON =
  'PostgreSQL binaries not found (install Debian package postgresql): PostgreSQL suite skipped';

const isCi = () => {
  const ci = process.env['CI'];
  return !!ci && ci !== 'false' && ci !== '0';
};

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  // The browser tests' servers serve the built console: build it once here, before any of them
  // starts (and only when its sources changed), rather than racing in each test file.
  await ensureWebBuilt((line) => process.stderr.write(`${line}\n`));
  // Likewise the command line's bundle (bin/compiled.js), which the CLI suites start hundreds of times.
  await prepareBundle(ROOT, CLI.entry, { workers: CLI.workers });
  if (process.env['CREDENCE_TEST_PG_URL']) return undefined; // a server supplied by the caller

  const bin = findPostgresBin();
  if (!bin) {
    // CI must exercise both backends; a skipped PostgreSQL suite there would hide a broken backend.
    if (isCi()) throw new Error(`${SKIP_REASON.split(':')[0]}: CI requires them`);
    process.env['CREDENCE_TEST_PG_SKIP'] = SKIP_REASON;
    process.stderr.write(`\n${SKIP_REASON}\n\n`);
    return undefined;
  }

  const server = await startPostgres({
    log: (s) => {
      if (process.env['CREDENCE_TEST_PG_VERBOSE']) process.stderr.write(`${s}\n`);
    },
  });
  process.env['CREDENCE_TEST_PG_URL'] = server.url;
  return async () => {
    delete process.env['CREDENCE_TEST_PG_URL'];
    await server.stop();
  };
}
