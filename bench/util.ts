/** Helpers shared by benches: argument parsing, peak memory, CPU time, HTTP load, one JSON line out. */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export const intArg = (args: Record<string, string>, name: string, dflt: number): number => {
  const v = args[name];
  if (v === undefined) return dflt;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
  return n;
};

/** Peak resident set size of this process so far, in bytes. */
export const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

export const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

export const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** The middle value (the mean of the two middle ones for an even count). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Runs the baseline and ours in alternated rounds (baseline, ours, baseline, ours…) and returns
 * every round's figures. On a shared machine the load moves within a minute; alternating puts both
 * through the same phases, and the medians over the rounds stand for each. A third arm, `limit`
 * (what the least correct implementation costs here), joins each round after ours when given.
 */
export const alternate = async <T>(
  rounds: number,
  baseline: (round: number) => Promise<T>,
  ours: (round: number) => Promise<T>,
  limit?: (round: number) => Promise<T>,
  floor?: (round: number) => Promise<T>,
): Promise<{ baseline: T[]; ours: T[]; limit: T[]; floor: T[] }> => {
  const out = { baseline: [] as T[], ours: [] as T[], limit: [] as T[], floor: [] as T[] };
  for (let r = 0; r < rounds; r++) {
    log(`round ${r + 1} of ${rounds}: baseline…`);
    out.baseline.push(await baseline(r));
    log(`round ${r + 1} of ${rounds}: ours…`);
    out.ours.push(await ours(r));
    if (limit) {
      log(`round ${r + 1} of ${rounds}: limit…`);
      out.limit.push(await limit(r));
    }
    if (floor) {
      log(`round ${r + 1} of ${rounds}: floor…`);
      out.floor.push(await floor(r));
    }
  }
  return out;
};

/**
 * CPU time (user + system) of this process's main thread so far, in microseconds, from Linux's
 * `/proc`; undefined elsewhere. Unlike requests/s, it barely moves with the machine's other load,
 * which makes it the figure to compare versions by.
 */
export const mainThreadCpuMicros = (): number | undefined => {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks
    // of 1/100 s (USER_HZ, which Linux fixes at 100 for /proc).
    return (Number(f[11]) + Number(f[12])) * (1_000_000 / 100);
  } catch {
    return undefined;
  }
};

/** A small seeded generator (mulberry32), so runs are comparable. */
export const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/**
 * Load from autocannon in a worker thread, so the server under test has the main thread to itself
 * (as it would behind a real network) and both servers meet the same client. Each connection
 * cycles through `requests`, pre-built so that the worker needs no code of ours; `more` adds
 * autocannon options (a fixed `amount` of requests, a `setupClient` module giving each connection
 * its own requests).
 */
export const load = async (
  url: string,
  connections: number,
  seconds: number,
  requests: autocannon.Request[],
  headers: Record<string, string>,
  more: Partial<autocannon.Options> = {},
): Promise<autocannon.Result & { cpuMicros: number | undefined }> => {
  const cpu0 = mainThreadCpuMicros();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, headers, requests, workers: 1, ...more }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
  const cpu1 = mainThreadCpuMicros();
  return { ...result, cpuMicros: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
};
export type Load = Awaited<ReturnType<typeof load>>;

/**
 * The store a bench runs on (`--backend sqlite|postgres`): on PostgreSQL, `DATABASE_URL` when set,
 * otherwise a private server started as the tests start theirs (test/pg-server.ts) with a fresh
 * database `name`. That server is made durable again (`fsync`, `synchronous_commit` and full page
 * writes on, as a production server runs; the tests turn them off) unless `--durable false`.
 * Returns the environment to open the platform with and how to stop what was started.
 */
export const benchBackend = async (
  args: Record<string, string>,
  name: string,
): Promise<{
  backend: 'sqlite' | 'postgres';
  env: Record<string, string>;
  durable: boolean | undefined;
  /** On PostgreSQL, a new empty database on the same server (its URL), for a bench's rounds. */
  database: (name: string) => Promise<string>;
  stop: () => Promise<void>;
}> => {
  const backend = args['backend'] ?? 'sqlite';
  if (backend !== 'sqlite' && backend !== 'postgres') throw new Error('--backend is sqlite or postgres');
  const noDatabase = async (): Promise<string> => {
    throw new Error('databases are made on PostgreSQL only');
  };
  if (backend === 'sqlite')
    return { backend, env: {}, durable: undefined, database: noDatabase, stop: async () => {} };
  const { startPostgres, createDatabaseAt } = await import('../test/pg-server.ts');
  // A database beside the given one, unique to this run (the role must be allowed to create one).
  const beside = (url: string) => (name: string) =>
    createDatabaseAt(url, `${name}_${process.pid}_${Date.now() % 1e6}`);
  const given = process.env['DATABASE_URL'];
  if (given)
    return {
      backend,
      env: { DATABASE_URL: given },
      durable: undefined,
      database: beside(given),
      stop: async () => {},
    };
  const server = await startPostgres();
  const durable = args['durable'] !== 'false';
  if (durable) {
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      for (const s of ['fsync = on', 'synchronous_commit = on', 'full_page_writes = on'])
        await admin.query(`alter system set ${s}`);
      await admin.query('select pg_reload_conf()');
    } finally {
      await admin.end();
    }
  }
  log(`PostgreSQL for the bench at ${server.url} (${durable ? 'durable: fsync on' : 'fsync off'})`);
  return {
    backend,
    env: { DATABASE_URL: await createDatabaseAt(server.url, name) },
    durable,
    database: beside(server.url),
    stop: () => server.stop(),
  };
};

/**
 * On PostgreSQL, counts what a timed part costs the server: round trips (every query node-postgres
 * sends, from any client of this process: the platform's pool included) and commits of the
 * database (`pg_stat_database.xact_commit`, which backends report up to a second late, so it is
 * read after a pause; give or take one or two). `start()` before the part, `stop()` after.
 */
export const serverCost = async (url: string) => {
  const pg = (await import('pg')).default;
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = proto.query;
  let trips = 0;
  // Milliseconds spent waiting per statement (its text's first 100 characters).
  let waits = new Map<string, { n: number; ms: number }>();
  const commits = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const { rows } = (await query.call(
        c,
        'select xact_commit from pg_stat_database where datname = current_database()',
      )) as { rows: { xact_commit: string }[] };
      return Number(rows[0]!.xact_commit);
    } finally {
      await c.end();
    }
  };
  let c0 = 0;
  return {
    async start() {
      c0 = await commits();
      trips = 0;
      waits = new Map();
      proto.query = function (this: unknown, ...a: unknown[]) {
        trips++;
        const q = a[0] as string | { text?: string } | undefined;
        const key = (typeof q === 'string' ? q : (q?.text ?? '?')).replace(/\s+/g, ' ').slice(0, 100);
        const t0 = performance.now();
        const r = query.apply(this, a);
        const done = () => {
          const w = waits.get(key) ?? { n: 0, ms: 0 };
          w.n++;
          w.ms += performance.now() - t0;
          waits.set(key, w);
        };
        if (r instanceof Promise) r.then(done, done);
        return r;
      };
    },
    async stop() {
      proto.query = query;
      const t = trips;
      // Less the reads of the counter itself (one commit each).
      const top = [...waits]
        .sort((x, y) => y[1].ms - x[1].ms)
        .slice(0, 5)
        .map(([text, w]) => ({ text, n: w.n, ms: Math.round(w.ms) }));
      return { round_trips: t, commits: (await commits()) - c0 - 1, top };
    },
  };
};
