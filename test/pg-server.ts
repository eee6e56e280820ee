// A throwaway PostgreSQL server for the test suite: initdb into a temporary directory, start it on a
// free loopback port, stop it and delete everything afterwards. The PostgreSQL backend is tested on a
// real server (CONVENTIONS.md: no mocks of the database), so this harness must be cheap and reliable.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { lsnValue } from '../src/store/postgres/replica.ts';

export interface PostgresServer {
  /** Superuser URL of the `postgres` database, e.g. `postgres://postgres@127.0.0.1:54321/postgres`. */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server at once and deletes its files. Safe to call more than once. */
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';
const hasTools = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));

/** The directory holding initdb and pg_ctl, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env['CREDENCE_PG_BIN'];
  if (fromEnv) {
    // An explicit setting that points nowhere is a mistake to report, not a reason to skip tests.
    if (!hasTools(fromEnv)) throw new Error(`CREDENCE_PG_BIN=${fromEnv} does not contain initdb and pg_ctl`);
    return fromEnv;
  }
  let versions: string[];
  try {
    versions = readdirSync(PG_ROOT);
  } catch {
    return undefined;
  }
  const newestFirst = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  for (const version of newestFirst) {
    const dir = join(PG_ROOT, version, 'bin');
    if (hasTools(dir)) return dir;
  }
  return undefined;
}

interface RunAs {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root, so as root we run it as the `postgres` system user. */
function runAsUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root but there is no `postgres` system user to run PostgreSQL as');
  }
}

/** The argv that runs `binary args...`, switching to the postgres user when we are root. */
function command(runAs: RunAs | undefined, binary: string, args: string[]): [string, string[]] {
  return runAs ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

function run(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout + stderr);
      const why = err.killed ? 'timed out' : `exit code ${err.code}`;
      reject(new Error(`${file} ${args.join(' ')} failed (${why})\n${stdout}${stderr}`.trim()));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

async function logTail(logFile: string, lines = 40): Promise<string> {
  try {
    const text = await readFile(logFile, 'utf8');
    return text.split('\n').slice(-lines).join('\n').trim();
  } catch {
    return '(no server log)';
  }
}

// Database names go into SQL unquoted by parameters (CREATE DATABASE takes none), so allow only a
// plain identifier.
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Creates database `name` on the server at `adminUrl` and returns the URL of the new database. */
export async function createDatabaseAt(adminUrl: string, name: string): Promise<string> {
  if (!DATABASE_NAME.test(name)) {
    throw new Error(`database name "${name}" must be lower-case letters, digits and _ (at most 63)`);
  }
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A detached process that stops the server if this process dies without stopping it (killed with
 * SIGKILL, out of memory...), so a crashed test run never leaves a server running.
 */
function startWatchdog(stopArgv: [string, string[]], dir: string): ChildProcess {
  const script = `
    const { execFileSync } = require('node:child_process');
    const { rmSync } = require('node:fs');
    const [parent, file, args, dir] = [Number(process.argv[1]), process.argv[2], JSON.parse(process.argv[3]), process.argv[4]];
    const alive = () => { try { process.kill(parent, 0); return true; } catch { return false; } };
    const timer = setInterval(() => {
      if (alive()) return;
      clearInterval(timer);
      try { execFileSync(file, args, { cwd: dir, stdio: 'ignore', timeout: 60000 }); } catch {}
      rmSync(dir, { recursive: true, force: true });
    }, 1000);
  `;
  const child = spawn(
    process.execPath,
    ['-e', script, String(process.pid), stopArgv[0], JSON.stringify(stopArgv[1]), dir],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  return child;
}

/** The server's certificate and key in its data folder (the key private to it, as it demands). */
async function writeSslFiles(dataDir: string, ssl: { cert: string; key: string }, runAs: RunAs | undefined) {
  for (const [name, text] of [
    ['server.crt', ssl.cert],
    ['server.key', ssl.key],
  ] as const) {
    const file = join(dataDir, name);
    await writeFile(file, text, { mode: 0o600 });
    if (runAs) await chown(file, runAs.uid, runAs.gid);
  }
  await appendFile(
    join(dataDir, 'postgresql.conf'),
    ['', 'ssl = on', "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'", ''].join('\n'),
  );
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface PostgresServerOptions {
  log?: (s: string) => void;
  /**
   * Serve SSL with this certificate and private key (PEM text): written into the data folder,
   * private to the server's user, with `ssl = on`. Plain connections are still accepted.
   */
  ssl?: { cert: string; key: string };
}

/**
 * The life of a server in `dir` (its data in `dir/data`): stopped and deleted when this process
 * exits or is killed by a signal, by a watchdog if it dies without stopping it, or by `stop`.
 */
function lifecycle(runAs: RunAs | undefined, bin: string, dir: string, log: (s: string) => void) {
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const pgCtl = (args: string[]) => command(runAs, join(bin, 'pg_ctl'), ['-D', dataDir, ...args]);
  const stopArgv = pgCtl(['stop', '-m', 'immediate', '-w']);

  let stopped = false;
  let watchdog: ChildProcess | undefined;
  const stopWatchdog = () => {
    if (!watchdog?.pid) return;
    try {
      process.kill(watchdog.pid);
    } catch {
      // Already gone.
    }
  };
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    stopWatchdog();
    try {
      execFileSync(stopArgv[0], stopArgv[1], { cwd: dir, stdio: 'ignore', timeout: 60_000 });
    } catch {
      // Not running (yet, or any more): nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopSync();
    removeExitHooks();
    // Keep the signal's usual effect unless someone else (e.g. the test runner) handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const removeExitHooks = () => {
    process.off('exit', stopSync);
    for (const s of EXIT_SIGNALS) process.off(s, onSignal);
  };
  process.on('exit', stopSync);
  for (const s of EXIT_SIGNALS) process.on(s, onSignal);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    removeExitHooks();
    try {
      await run(stopArgv[0], stopArgv[1], dir);
    } catch (err) {
      log(`pg_ctl stop: ${(err as Error).message}`);
    }
    stopWatchdog();
    await rm(dir, { recursive: true, force: true });
  };

  const fail = async (step: string, err: unknown): Promise<never> => {
    const tail = await logTail(logFile);
    await stop();
    throw new Error(
      `PostgreSQL ${step} failed: ${(err as Error).message}\n--- server log (tail) ---\n${tail}`,
    );
  };

  /** Starts the server on a free loopback port and returns the port. */
  const start = async (): Promise<number> => {
    watchdog = startWatchdog(stopArgv, dir);
    // Another process may take the free port between our probe and the server binding it: retry.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const [file, args] = pgCtl(['start', '-w', '-t', '60', '-l', logFile, '-o', `-p ${port}`]);
      try {
        await run(file, args, dir);
        return port;
      } catch (err) {
        const tail = await logTail(logFile, 5);
        if (attempt < 3 && /could not bind|address already in use/i.test(tail)) continue;
        return fail('start', err);
      }
    }
  };

  return { dataDir, logFile, stop, fail, start };
}

/** A temporary directory for a server, with its socket folder, owned by the user it runs as. */
async function serverDir(runAs: RunAs | undefined): Promise<{ dir: string; socketDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'credence-pg-'));
  const socketDir = join(dir, 'sock');
  await mkdir(socketDir);
  if (runAs) {
    await chown(dir, runAs.uid, runAs.gid);
    await chown(socketDir, runAs.uid, runAs.gid);
  }
  return { dir, socketDir };
}

function postgresBinOrThrow(): string {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`PostgreSQL binaries not found under ${PG_ROOT}/*/bin (set CREDENCE_PG_BIN)`);
  return bin;
}

/** Starts a fresh PostgreSQL server on 127.0.0.1 in a temporary directory. */
export async function startPostgres(opts: PostgresServerOptions = {}): Promise<PostgresServer> {
  const log = opts.log ?? (() => {});
  const bin = postgresBinOrThrow();
  const runAs = runAsUser();
  const { dir, socketDir } = await serverDir(runAs);
  const { dataDir, logFile, stop, fail, start } = lifecycle(runAs, bin, dir, log);

  try {
    const [file, args] = command(runAs, join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    await run(file, args, dir);
    // Durability is pointless for a throwaway server; turning it off makes the suite much faster.
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${socketDir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        '',
      ].join('\n'),
    );
    if (opts.ssl) await writeSslFiles(dataDir, opts.ssl, runAs);
  } catch (err) {
    return fail('initdb', err);
  }

  const port = await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  log(`PostgreSQL from ${bin} listening at ${url} (data in ${dir})`);
  return {
    url,
    createDatabase: async (name) => {
      try {
        return await createDatabaseAt(url, name);
      } catch (err) {
        throw new Error(
          `CREATE DATABASE ${name} failed: ${(err as Error).message}\n--- server log (tail) ---\n${await logTail(logFile)}`,
        );
      }
    },
    stop,
  };
}

/** A hot standby of a server: read-only, kept current by streaming replication. */
export interface PostgresStandby {
  /** Superuser URL of its `postgres` database. */
  url: string;
  /** Stops the standby at once and deletes its files. Safe to call more than once. */
  stop(): Promise<void>;
  /**
   * Freezes every process of the standby (SIGSTOP), as a host that hangs: connections stay open and
   * nothing answers. `resume` lets them go on (SIGCONT).
   */
  freeze(): Promise<void>;
  resume(): Promise<void>;
}

/** The server's postmaster and every process it started, from its postmaster.pid and /proc. */
const serverProcesses = async (dataDir: string): Promise<number[]> => {
  const postmaster = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(join('/proc', entry, 'stat'), 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
};

const signalAll = async (dataDir: string, signal: NodeJS.Signals) => {
  for (const pid of await serverProcesses(dataDir)) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone meanwhile.
    }
  }
};

/**
 * Starts a hot standby of the server at `primaryUrl` (a superuser URL on loopback) in a temporary
 * directory, on another free loopback port: `pg_basebackup -R -X stream` copies the primary and
 * writes `standby.signal` and `primary_conninfo`, so the standby streams the primary's WAL and
 * answers read-only queries meanwhile. The primary needs nothing more: PostgreSQL 15 defaults to
 * `wal_level = replica` and `max_wal_senders = 10`, and the `pg_hba.conf` initdb writes lets
 * `replication` connect from 127.0.0.1 with the same method as everyone (trust here).
 */
export async function startStandby(
  primaryUrl: string,
  opts: { log?: (s: string) => void } = {},
): Promise<PostgresStandby> {
  const log = opts.log ?? (() => {});
  const bin = postgresBinOrThrow();
  const runAs = runAsUser();
  const { dir, socketDir } = await serverDir(runAs);
  const { dataDir, stop, fail, start } = lifecycle(runAs, bin, dir, log);
  try {
    const [file, args] = command(runAs, join(bin, 'pg_basebackup'), [
      '-d',
      primaryUrl,
      '-D',
      dataDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    await run(file, args, dir);
    // The copied configuration names the primary's socket folder: the standby gets its own.
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      ['', `unix_socket_directories = '${socketDir}'`, 'hot_standby = on', ''].join('\n'),
    );
  } catch (err) {
    return fail('pg_basebackup', err);
  }
  const port = await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  log(`PostgreSQL standby of ${primaryUrl} listening at ${url} (data in ${dir})`);
  return {
    url,
    stop,
    freeze: () => signalAll(dataDir, 'SIGSTOP'),
    resume: () => signalAll(dataDir, 'SIGCONT'),
  };
}

/**
 * Waits until database `name`, created on the primary, is on the standby (its creation replayed),
 * at most `timeoutMs`, and returns its URL there.
 */
export async function standbyDatabase(
  standby: PostgresStandby,
  name: string,
  timeoutMs = 30_000,
): Promise<string> {
  const url = databaseUrl(standby.url, name);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      return url;
    } catch (err) {
      if (Date.now() > until)
        throw new Error(`database ${name} did not reach the standby: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---- Test-side helpers: the shared server started by test/global-setup.ts ----

/** URL of the shared test server, or undefined when the PostgreSQL suite is skipped. */
export function testPostgresUrl(): string | undefined {
  return process.env['CREDENCE_TEST_PG_URL'] || undefined;
}

/** Why the PostgreSQL suite is skipped, or undefined when it runs. Put it in the suite's title. */
export function testPostgresSkipReason(): string | undefined {
  if (testPostgresUrl()) return undefined;
  return process.env['CREDENCE_TEST_PG_SKIP'] || 'no PostgreSQL server: CREDENCE_TEST_PG_URL is not set';
}

/** Creates a uniquely named, empty database on the shared test server and returns its URL. */
export async function freshTestDatabase(): Promise<string> {
  const url = testPostgresUrl();
  if (!url) throw new Error(testPostgresSkipReason());
  return createDatabaseAt(url, `credence_test_${randomBytes(6).toString('hex')}`);
}

/** The one row a query answers, on a connection of its own. */
export async function queryOne<T>(url: string, q: string): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(q)).rows[0] as T;
  } finally {
    await c.end();
  }
}

/**
 * Makes the server at `writerUrl` write WAL until it is 16 MiB past where the server at `pastUrl`
 * is now (a WAL switch moves to the next 16 MiB segment when something was written since the last),
 * then waits until the standby at `standbyUrl` has replayed all of it: by WAL positions alone the
 * standby then looks caught up with `pastUrl`, whatever it really follows.
 */
export async function replayPast(writerUrl: string, standbyUrl: string, pastUrl: string): Promise<void> {
  const { lsn: past } = await queryOne<{ lsn: string }>(
    pastUrl,
    'select pg_current_wal_insert_lsn()::text as lsn',
  );
  const c = new pg.Client({ connectionString: writerUrl });
  await c.connect();
  try {
    await c.query('create table if not exists filler (n int)');
    for (;;) {
      await c.query('insert into filler values (1)');
      const { rows } = await c.query<{ lsn: string }>('select pg_switch_wal()::text as lsn');
      if (lsnValue(rows[0]!.lsn) > lsnValue(past) + 16n * 1024n * 1024n) break;
    }
  } finally {
    await c.end();
  }
  const { target } = await queryOne<{ target: string }>(
    writerUrl,
    'select pg_current_wal_insert_lsn()::text as target',
  );
  for (;;) {
    const { lsn } = await queryOne<{ lsn: string }>(
      standbyUrl,
      'select pg_last_wal_replay_lsn()::text as lsn',
    );
    if (lsnValue(lsn) >= lsnValue(target)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
