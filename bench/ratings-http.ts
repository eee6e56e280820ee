/**
 * Ratings over HTTP: `npm run bench -- ratings_http [--requests N] [--connections C] [--rounds K]
 * [--backend sqlite|postgres] [--durable false] [--floor true]`.
 * The real app on a temp DATA_DIR; each request redeems a fresh interaction token with
 * `POST /v1/ratings` (N a round, issued beforehand through `issueInteractions`), against a bare
 * Fastify route parsing the same JSON bodies, in alternated rounds, from autocannon in a worker
 * thread (as the check bench). Each connection gets its own slice of the requests, so no token is
 * sent twice. The population keeps every rating honest: each rater rates 4 times (the limit is 5 a
 * day), each rated company 10 times (a burst needs 20 in a window), no comments, no bindings; each
 * source issues at most 400 tokens (beyond 2 × its daily volume of 200 its day would be held).
 *
 * Submissions share commits (ratings/turns.ts): the line says how many a turn carried on average.
 * `--backend postgres` runs the app on PostgreSQL (benchBackend: a private durable server, or
 * DATABASE_URL). `--floor true` answers every submission as soon as it is validated, without the
 * store: what the app costs around the verb (auth, hooks, schema, serialisation), the most the
 * verb's work could ever give back.
 *
 * The limit: one bare transaction inserting one row, timed per call on the same thread — on SQLite
 * through better-sqlite3 (16 KiB pages, WAL, synchronous = NORMAL as the platform opens it), on
 * PostgreSQL through one pg client on the same server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { issueToken } from '../src/access/index.ts';
import { buildApp } from '../src/api/index.ts';
import { parseConfig } from '../src/config.ts';
import { todayOf } from '../src/context.ts';
import { makeResidentId, makeUscc } from '../src/identity/index.ts';
import { importSubjects } from '../src/ingest/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import { issueInteractions, type SubmittedRating } from '../src/ratings/index.ts';
import { Turns, type Waiting } from '../src/ratings/turns.ts';
import { registerSource } from '../src/sources/index.ts';
import { alternate, benchBackend, emit, intArg, type Load, load, log, median, peakRss, rng } from './util.ts';

/** Requests/s over the whole run (a run of a fixed amount can be shorter than autocannon's 1 s sample). */
const perSecond = (l: Load) => l.requests.total / l.duration;
/** Server main-thread CPU per request, µs. */
const cpuPer = (l: Load) => (l.cpuMicros === undefined ? Number.NaN : l.cpuMicros / l.requests.total);

const DAY = 86_400_000;
/** Tokens per source: within volume_factor × default_daily_service_volume (2 × 200) a day. */
const PER_SOURCE = 400;

/** The module autocannon's worker loads to give connection k its own requests (from a JSON file). */
const SETUP_CLIENT = `const all = JSON.parse(require('node:fs').readFileSync(process.env.CREDENCE_BENCH_REQUESTS, 'utf8'));
let next = 0;
module.exports = (client) => client.setRequests(all[next++ % all.length]);
`;

export const run = async (args: Record<string, string>) => {
  const connections = intArg(args, 'connections', 50);
  const perRound = Math.ceil(intArg(args, 'requests', 3000) / connections) * connections;
  const rounds = intArg(args, 'rounds', 3);
  const total = perRound * rounds;
  const nRaters = Math.ceil(total / 4);
  const nRated = Math.ceil(total / 10);
  const floor = args['floor'] === 'true';
  const dir = mkdtempSync(join(tmpdir(), 'credence-ratings-http-'));
  const store = await benchBackend(args, 'credence_ratings_http_bench');
  try {
    const platform = await openPlatform(parseConfig({ ...store.env, DATA_DIR: dir, LOG_LEVEL: 'silent' }));
    const ctx = platform.ctx({ id: 'operator:bench', role: 'operator' }, 'benchmark set-up');
    log(`ratings_http: ${nRaters} raters, ${nRated} rated companies, ${total} tokens…`);
    const born = Date.UTC(1960, 0, 1);
    const raters = Array.from({ length: nRaters }, (_, k) =>
      makeResidentId(
        '110105',
        new Date(born + Math.floor(k / 999) * DAY).toISOString().slice(0, 10),
        (k % 999) + 1,
      ),
    );
    const rated = Array.from({ length: nRated }, (_, k) =>
      makeUscc('9', '1', '110105', String(10_000_000 + k)),
    );
    const lines = [
      ...raters.map((id, k) => ({ kind: 'person', id_number: id, name: `居民${k}` })),
      ...rated.map((uscc, k) => ({ kind: 'organization', uscc, name: `商户${k}` })),
    ];
    for (let a = 0; a < lines.length; a += 5000) {
      const r = await importSubjects({
        ctx,
        input: { lines: lines.slice(a, a + 5000).map((value, i) => ({ line: a + i + 1, value })) },
      });
      if (r.rejected > 0) throw new Error(`${r.rejected} subjects rejected`);
    }
    const raterTokens: string[] = [];
    for (const id of raters)
      raterTokens.push((await issueToken({ ctx, input: { role: 'rater', label: id, ref: id } })).token);
    const today = todayOf(platform.clock);
    const tokens: string[] = [];
    for (let s = 0; s * PER_SOURCE < total; s++) {
      const code = `bench-shop-${s}`;
      await registerSource({ ctx, input: { code, kind: 'ecommerce' }, catalogue: platform.catalogue });
      const n = Math.min(PER_SOURCE, total - s * PER_SOURCE);
      const issued = await issueInteractions({
        ctx,
        input: {
          source: code,
          interactions: Array.from({ length: n }, (_, k) => ({
            serving: { kind: 'organization', id: rated[(s * PER_SOURCE + k) % nRated]! },
            serviceDate: today,
            service: 'online order',
          })),
        },
        deps: { policy: platform.ratingsPolicy },
      });
      for (const t of issued) tokens.push(t.token);
    }
    // Request j: rater j mod nRaters (4 ratings each), company j mod nRated (10 each), stars 3–5.
    const random = rng(7);
    const requests: autocannon.Request[] = tokens.map((token, j) => ({
      method: 'POST',
      path: '/v1/ratings',
      headers: {
        authorization: `Bearer ${raterTokens[j % nRaters]!}`,
        'x-purpose': 'rate a service',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        token,
        professionalism: 3 + Math.floor(random() * 3),
        honesty: 3 + Math.floor(random() * 3),
      }),
    }));
    const setup = join(dir, 'setup-client.cjs');
    writeFileSync(setup, SETUP_CLIENT);
    const requestsFile = join(dir, 'requests.json');
    process.env.CREDENCE_BENCH_REQUESTS = requestsFile;
    /** Round r's requests, one slice per connection, written where the worker's module reads them. */
    const slices = (r: number) => {
      const mine = requests.slice(r * perRound, (r + 1) * perRound);
      const per = perRound / connections;
      writeFileSync(
        requestsFile,
        JSON.stringify(Array.from({ length: connections }, (_, c) => mine.slice(c * per, (c + 1) * per))),
      );
    };

    // The floor: the same app, each submission answered once validated, nothing read or written.
    const answered: SubmittedRating = {
      id: 1,
      status: 'published',
      comment_status: 'none',
      rated: { kind: 'organization', name: 'floor' },
    };
    const served = floor
      ? {
          ...platform,
          ratings: {
            ...platform.ratings,
            // A stand-in for the ratings' own turns, which carry the verb's submissions.
            turns: new Turns(async (_store, jobs: Waiting<SubmittedRating>[]) => {
              for (const j of jobs) j.resolve(answered);
            }) as unknown as NonNullable<typeof platform.ratings.turns>,
          },
        }
      : platform;
    const app = await buildApp(served, { logger: false });
    const ours = await app.listen({ host: '127.0.0.1', port: 0 });
    const bare = Fastify({ logger: false });
    let bareId = 0;
    bare.post('/v1/ratings', async (req, reply) => {
      const b = req.body as { token: string; professionalism: number; honesty: number };
      return reply.status(201).send({
        id: ++bareId,
        status: 'published',
        comment_status: 'none',
        rated: { kind: 'organization', name: b.token.slice(0, 8) },
      });
    });
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
    // In worker mode autocannon takes setupClient as a module path (its types know only functions).
    const opts = (amount: number): Partial<autocannon.Options> => ({
      amount,
      setupClient: setup as unknown as autocannon.Options['setupClient'],
    });
    log(`${rounds} alternated rounds of ${perRound} requests over ${connections} connections…`);
    const r = await alternate(
      rounds,
      (k) => {
        slices(k);
        // the bare route may send tokens twice: 5 × as many requests, so it too runs for seconds
        return load(bareUrl, connections, 0, [], {}, opts(5 * perRound));
      },
      (k) => {
        slices(k);
        return load(ours, connections, 0, [], {}, opts(perRound));
      },
    );
    const failed = (xs: Load[]) => xs.reduce((n, o) => n + o.non2xx + o.errors, 0);
    const turns = platform.ratings.turns?.counts;
    if (failed(r.ours) > 0) throw new Error(`${failed(r.ours)} submissions failed`);
    const f = {
      value: median(r.ours.map(perSecond)),
      baseline: median(r.baseline.map(perSecond)),
      p99: median(r.ours.map((o) => o.latency.p99)),
      baselineP99: median(r.baseline.map((b) => b.latency.p99)),
      rounds: r.ours.map((o, i) => Number((perSecond(o) / perSecond(r.baseline[i]!)).toFixed(3))),
      cpu: Number(median(r.ours.map(cpuPer)).toFixed(1)),
      baselineCpu: Number(median(r.baseline.map(cpuPer)).toFixed(1)),
    };
    const stored = await platform.store.ratings.globalMeans();
    const held = (await platform.store.ratings.listHolds({ status: 'pending', limit: 1000 })).length;

    // The limit: one bare transaction inserting one row, per call.
    const times = store.backend === 'postgres' ? await pgLimit(store.env['DATABASE_URL']!) : sqliteLimit(dir);
    emit({
      bench: 'ratings_http',
      requests_per_s: Math.round(f.value),
      baseline_requests_per_s: Math.round(f.baseline),
      baseline: 'bare Fastify POST /v1/ratings parsing the same JSON bodies in the same process',
      ratio: Number((f.value / f.baseline).toFixed(3)),
      rounds: f.rounds,
      p99_ms: f.p99,
      baseline_p99_ms: f.baselineP99,
      server_cpu_us_per_request: f.cpu,
      baseline_server_cpu_us_per_request: f.baselineCpu,
      requests_per_round: perRound,
      connections,
      raters: nRaters,
      rated_subjects: nRated,
      ratings_stored: stored.count,
      pending_holds: held,
      submissions_per_turn:
        turns && turns.turns > 0 ? Number((turns.submissions / turns.turns).toFixed(1)) : null,
      largest_turn: turns?.largest ?? null,
      limit_tx_us_p50: Number(median(times).toFixed(1)),
      limit_tx_per_s: Math.round(1e6 / median(times)),
      ...(floor ? { floor: 'each submission answered once validated, without the store' } : {}),
      backend: store.backend,
      ...(store.durable === undefined ? {} : { durable: store.durable }),
      peak_rss_mb: Math.round(peakRss() / 1048576),
    });
    await app.close();
    await bare.close();
    await platform.close();
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

/** One row per transaction through better-sqlite3, opened as the platform opens its file: µs per call. */
const sqliteLimit = (dir: string): number[] => {
  const db = new Database(join(dir, 'limit.db'));
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table t (id integer primary key, token blob, p integer, h integer, at text)');
  const ins = db.prepare('insert into t (token, p, h, at) values (?, ?, ?, ?)');
  const tx = db.transaction((k: number) => ins.run(Buffer.alloc(32, k), 4, 4, new Date().toISOString()));
  const times: number[] = [];
  for (let k = 0; k < 5000; k++) {
    const t = process.hrtime.bigint();
    tx(k);
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  db.close();
  return times;
};

/** One row per transaction (begin, insert, commit) through one pg client on the bench's server: µs per call. */
const pgLimit = async (url: string): Promise<number[]> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('create table bench_limit (id bigserial primary key, token bytea, p int, h int, at text)');
    const times: number[] = [];
    for (let k = 0; k < 2000; k++) {
      const t = process.hrtime.bigint();
      await c.query('begin');
      await c.query('insert into bench_limit (token, p, h, at) values ($1, $2, $3, $4)', [
        Buffer.alloc(32, k % 256),
        4,
        4,
        new Date().toISOString(),
      ]);
      await c.query('commit');
      times.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    await c.query('drop table bench_limit');
    return times;
  } finally {
    await c.end();
  }
};
