/**
 * Check bench: relying-party checks over loopback HTTP with many connections (autocannon), against
 * a bare Fastify route answering the same shape in the same process and run; then batch checks
 * (1,000 subjects a call) through POST /v1/checks against a bare route answering 1,000 answers.
 * Both are loaded in alternated rounds (`--rounds`, 3 by default, of `--seconds` each) and the
 * medians reported, with each round's ratio and the server thread's CPU time per answer (Linux),
 * which compares versions better than requests/s on a busy machine. `--limit true` adds a third
 * arm to each round, the limit (see `limitServer`), reported as `limit_value` and `limit_ratio`;
 * `--floor true` another, the floor: our own route with the store's turn knocked out (`floor_value`,
 * `floor_ratio`), what no faster store or commit could take below. `--profile FILE` writes a CPU
 * profile of the server thread (this one) over our single-check rounds only, for Chrome's DevTools
 * or `node bench/profile-summary.mjs FILE`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/api/index.ts';
import { AUDIT_SEQUENCER, cutAuditHead, startHeadCutting } from '../src/audit/index.ts';
import { parseConfig } from '../src/config.ts';
import { todayOf } from '../src/context.ts';
import { generateDemo, loadDemo } from '../src/demo/index.ts';
import { recomputeAllLists } from '../src/lists/index.ts';
import { checkService, registerRelyingParty } from '../src/measures/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import { rescoreAllSubjects } from '../src/scoring/index.ts';
import { alternate, benchBackend, emit, intArg, type Load, load, log, median, peakRss } from './util.ts';

const ANSWER = {
  applies: false,
  measure: 'restrict.high_speed_rail',
  reason_code: 'NOT_APPLICABLE',
  list: null,
  from: null,
  until: null,
  case_reference: null,
  check_id: '00000000-0000-4000-8000-000000000000',
};

/** The server thread's CPU time per answer (the median over rounds), when the platform tells it. */
const cpuPer = (rounds: Load[], per: number) => {
  const xs = rounds.flatMap((r) =>
    r.cpuMicros === undefined ? [] : [r.cpuMicros / (r.requests.total * per)],
  );
  return xs.length === rounds.length ? Number(median(xs).toFixed(2)) : undefined;
};

/** An extra arm's median requests/s, CPU and per-round ratios to the bare route, when it ran. */
const armFigures = (arm: Load[] | undefined, baseline: Load[], per: number) =>
  arm && arm.length > 0
    ? {
        value: median(arm.map((l) => l.requests.average)) * per,
        cpu: cpuPer(arm, per),
        rounds: arm.map((l, i) => Number((l.requests.average / baseline[i]!.requests.average).toFixed(3))),
      }
    : undefined;

/**
 * Medians over alternated rounds, `per` answers a request; each round's ratio is kept in the line,
 * so a reader sees how far the rounds spread.
 */
const figures = (r: { baseline: Load[]; ours: Load[]; limit?: Load[]; floor?: Load[] }, per = 1) => ({
  cpu: cpuPer(r.ours, per),
  baselineCpu: cpuPer(r.baseline, per),
  value: median(r.ours.map((o) => o.requests.average)) * per,
  baseline: median(r.baseline.map((b) => b.requests.average)) * per,
  p99: median(r.ours.map((o) => o.latency.p99)),
  baselineP99: median(r.baseline.map((b) => b.latency.p99)),
  rounds: r.ours.map((o, i) => Number((o.requests.average / r.baseline[i]!.requests.average).toFixed(3))),
  limit: armFigures(r.limit, r.baseline, per),
  floor: armFigures(r.floor, r.baseline, per),
});

/** An extra arm's figures in a bench line (`limit_value`, `floor_ratio`, …), when it ran. */
const armFields = (
  name: 'limit' | 'floor',
  f: ReturnType<typeof figures>,
  what: string,
): Record<string, unknown> => {
  const arm = f[name];
  return arm === undefined
    ? {}
    : {
        [name]: what,
        [`${name}_value`]: Math.round(arm.value),
        [`${name}_ratio`]: Number((arm.value / f.baseline).toFixed(3)),
        [`${name}_rounds`]: arm.rounds,
        [`${name}_server_cpu_us`]: arm.cpu,
      };
};

/** On PostgreSQL, a reader of the last transaction ID given out (each writing transaction takes one). */
const writeCounter = async (url: string | undefined) => {
  if (!url) return undefined;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const read = async () => Number((await client.query('select txid_current() as x')).rows[0].x);
  return Object.assign(read, { end: () => client.end() });
};

/** Requests per writing transaction over the rounds, when counted. */
const perCommit = (rounds: readonly (Load & { commits?: number | undefined })[]) => {
  const commits = rounds.reduce((n, r) => n + (r.commits ?? 0), 0);
  if (rounds.some((r) => r.commits === undefined) || commits <= 0) return {};
  const requests = rounds.reduce((n, r) => n + r.requests.total, 0);
  return { commits, requests_per_commit: Number((requests / commits).toFixed(1)) };
};

/**
 * The limit (`--limit true`): the bare routes, except that every answer waits until its check is
 * logged — one row per check (subject, check ID, time) — by one write shared by the checks that
 * arrived together, as ours shares its turns, into the same backend: a transaction in a SQLite file
 * beside ours (WAL, synchronous NORMAL, as the store opens its own), or one autocommit
 * `INSERT … unnest` into the same durable PostgreSQL. It is the least any implementation that logs
 * every check before answering pays here; what lies between it and ours is our own code.
 */
const limitServer = async (dir: string, url: string | undefined) => {
  let write: (subjects: string[], ids: string[], at: string) => Promise<void>;
  let close: () => Promise<void>;
  const table =
    'create table bench_check_limit (id integer primary key, subject text, check_id text, at text)';
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('drop table if exists bench_check_limit');
    await client.query(table.replace('integer primary key', 'bigserial primary key'));
    write = async (subjects, ids, at) => {
      await client.query(
        'insert into bench_check_limit (subject, check_id, at) select unnest($1::text[]), unnest($2::text[]), $3',
        [subjects, ids, at],
      );
    };
    close = async () => {
      await client.query('drop table bench_check_limit');
      await client.end();
    };
  } else {
    const db = new Database(join(dir, 'limit.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(table);
    const ins = db.prepare('insert into bench_check_limit (subject, check_id, at) values (?, ?, ?)');
    const tx = db.transaction((subjects: string[], ids: string[], at: string) => {
      for (let i = 0; i < subjects.length; i++) ins.run(subjects[i], ids[i], at);
    });
    write = async (subjects, ids, at) => tx(subjects, ids, at);
    close = async () => {
      db.close();
    };
  }
  let waiting: { subjects: string[]; ids: string[]; done: () => void }[] = [];
  let busy = false;
  let writes = 0;
  const flush = async () => {
    if (busy || waiting.length === 0) return;
    busy = true;
    const turn = waiting;
    waiting = [];
    writes++;
    await write(
      turn.flatMap((w) => w.subjects),
      turn.flatMap((w) => w.ids),
      new Date().toISOString(),
    );
    for (const w of turn) w.done();
    busy = false;
    setImmediate(flush);
  };
  const logged = <T>(subjects: string[], answer: (ids: string[]) => T) =>
    new Promise<T>((resolve) => {
      const ids = subjects.map(() => randomUUID());
      waiting.push({ subjects, ids, done: () => resolve(answer(ids)) });
      setImmediate(flush);
    });
  const app = Fastify({ logger: false });
  app.get('/v1/checks', (req) =>
    logged([(req.query as { subject: string }).subject], ([check_id]) => ({ ...ANSWER, check_id })),
  );
  app.post('/v1/checks', (req) => {
    const { subjects } = req.body as { subjects: string[] };
    return logged(subjects, (ids) => ({
      results: subjects.map((subject, i) => ({ ...ANSWER, subject, check_id: ids[i] })),
    }));
  });
  const listening = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: listening,
    writes: () => writes,
    close: async () => {
      await app.close();
      await close();
    },
  };
};

export const run = async (args: Record<string, string>) => {
  const persons = intArg(args, 'persons', 20_000);
  const connections = intArg(args, 'connections', 50);
  const seconds = intArg(args, 'seconds', 5);
  const rounds = intArg(args, 'rounds', 3);
  const dir = mkdtempSync(join(tmpdir(), 'credence-check-'));
  // `--backend postgres`: a private PostgreSQL (or DATABASE_URL), see benchBackend.
  const store = await benchBackend(args, 'credence_check_bench');
  try {
    const platform = await openPlatform(
      parseConfig({
        ...store.env,
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        // Limits far past the bench's load: counted (their cost is measured), never reached.
        RATE_LIMIT_PER_CREDENTIAL: '1000000000',
        RATE_LIMIT_PER_ADDRESS: '1000000000',
      }),
    );
    const ctx = platform.ctx({ id: 'operator:bench', role: 'operator' }, 'benchmark set-up');
    const options = {
      persons,
      organizations: Math.round(persons / 7),
      seed: 1,
      end: todayOf(platform.clock),
    };
    log(`check bench (${store.backend}): loading a demo population of ${persons} persons…`);
    await loadDemo({ ctx, input: { options, catalogue: platform.catalogue } });
    await rescoreAllSubjects({
      ctx,
      deps: { policy: platform.scoringPolicy, catalogue: platform.catalogue },
      input: {},
    });
    await recomputeAllLists({
      ctx,
      deps: {
        lists: platform.lists,
        catalogue: platform.catalogue,
        scoringPolicy: platform.scoringPolicy,
        calendar: platform.calendar,
      },
      input: {},
    });
    const { token } = await registerRelyingParty({
      ctx,
      measures: platform.measures,
      // The bench's load is far past a real desk's day: a quota it cannot reach.
      input: { code: 'bench-rail', kind: 'railway', purposes: ['ticket_sale'], dailyQuota: 1_000_000_000 },
    });
    const ids: string[] = [];
    for (const item of generateDemo(options, platform.catalogue)) {
      if (item.kind === 'subject' && item.subject.kind === 'person') ids.push(item.subject.id_number);
      if (item.kind === 'record') break;
    }
    const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
    const headers = {
      authorization: `Bearer ${token}`,
      'x-purpose': 'ticket_sale',
      'content-type': 'application/json',
    };

    await checkService(platform.store, platform.measures, platform.lists).preload(todayOf(platform.clock));
    // As `serve` does: every check group joins the audit tree and a signed head every 2 s.
    await cutAuditHead({ ctx: platform.ctx(AUDIT_SEQUENCER, 'bench set-up'), deps: platform.audit });
    // `--head-interval-ms 0` leaves them out, to measure what they cost.
    const headInterval =
      args['head-interval-ms'] === '0'
        ? 0
        : intArg(args, 'head-interval-ms', platform.config.audit.headIntervalMs);
    const heads =
      headInterval > 0
        ? startHeadCutting({
            ctx: () => platform.ctx(AUDIT_SEQUENCER, 'sign the audit log head'),
            deps: platform.audit,
            intervalMs: headInterval,
            onError: (e) => log(`audit: ${(e as Error).message}`),
          })
        : undefined;
    const app = await buildApp(platform, { logger: false });
    const ours = await app.listen({ host: '127.0.0.1', port: 0 });
    const bare = Fastify({ logger: false });
    bare.get('/v1/checks', async () => ANSWER);
    bare.post('/v1/checks', async (req) => ({
      results: (req.body as { subjects: string[] }).subjects.map((subject) => ({ ...ANSWER, subject })),
    }));
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
    const limit = args['limit'] === 'true' ? await limitServer(dir, store.env['DATABASE_URL']) : undefined;
    const LIMIT = 'bare route whose answers wait for one shared write a turn of one row per check';
    const FLOOR = 'our route with the store knocked out: each turn answered as of no change, nothing written';
    // `--floor true`: our own server again, with the store's turn knocked out while the arm runs —
    // what the route costs without the database, so how much a faster store could still give.
    const knockedOut = async <T>(f: () => Promise<T>): Promise<T> => {
      const store = platform.store as { checkTurn: typeof platform.store.checkTurn };
      const real = store.checkTurn;
      store.checkTurn = async (_afterSeq, _limit, turn) => turn([]) !== undefined;
      try {
        return await f();
      } finally {
        store.checkTurn = real;
      }
    };
    const floor = args['floor'] === 'true';

    const singles = Array.from({ length: 5000 }, () => ({
      method: 'GET' as const,
      path: `/v1/checks?subject=${pick()}&measure=restrict.high_speed_rail`,
    }));
    // On PostgreSQL, how many transactions wrote while ours was loaded (each takes a transaction
    // ID): the checks a commit carried.
    const xids = await writeCounter(store.env['DATABASE_URL']);
    const counted = async <T extends Load>(f: () => Promise<T>) => {
      const x0 = await xids?.();
      const r = await f();
      const x1 = await xids?.();
      return { ...r, commits: x0 === undefined || x1 === undefined ? undefined : x1 - x0 - 1 };
    };
    const profiler = args['profile'] ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
    }
    // Our arm, under the profiler when one is asked for (started and stopped around each round).
    const profiled = async <T>(f: () => Promise<T>): Promise<T> => {
      if (!profiler) return f();
      await profiler.post('Profiler.start');
      try {
        return await f();
      } finally {
        const { profile } = await profiler.post('Profiler.stop');
        profiles.push(profile);
      }
    };
    const profiles: unknown[] = [];
    log(`single checks: ${connections} connections, ${rounds} alternated rounds of ${seconds} s…`);
    const s = await alternate(
      rounds,
      () => load(bareUrl, connections, seconds, singles, headers),
      () => counted(() => profiled(() => load(ours, connections, seconds, singles, headers))),
      limit && (() => load(limit.url, connections, seconds, singles, headers)),
      floor ? () => knockedOut(() => load(ours, connections, seconds, singles, headers)) : undefined,
    );
    const failed = s.ours.reduce((n, o) => n + o.non2xx, 0);
    if (failed > 0) throw new Error(`${failed} checks failed`);
    if (profiler) {
      // The last round's profile: the first runs while the route is still warming up.
      writeFileSync(args['profile']!, JSON.stringify(profiles.at(-1)));
      profiler.disconnect();
      log(`profile of our last round written to ${args['profile']}`);
    }
    const single = figures(s);
    emit({
      bench: 'check',
      value: Math.round(single.value),
      unit: 'requests/s',
      baseline: 'bare Fastify route answering the same JSON in the same process',
      baseline_value: Math.round(single.baseline),
      ratio: Number((single.value / single.baseline).toFixed(3)),
      p99_ms: single.p99,
      baseline_p99_ms: single.baselineP99,
      rounds: single.rounds,
      server_cpu_us_per_request: single.cpu,
      baseline_server_cpu_us_per_request: single.baselineCpu,
      connections,
      seconds,
      subjects: ids.length,
      audit_tree_size: (await platform.store.auditTree.frontier()).size,
      head_interval_ms: headInterval,
      ...armFields('limit', single, LIMIT),
      ...armFields('floor', single, FLOOR),
      ...perCommit(s.ours),
      backend: store.backend,
      ...(store.durable === undefined ? {} : { durable: store.durable }),
      peak_rss_bytes: peakRss(),
    });

    // Batch: 1,000 subjects a call, from a few connections.
    const batchConnections = intArg(args, 'batch-connections', 4);
    const bodies = Array.from({ length: 50 }, () => ({
      method: 'POST' as const,
      path: '/v1/checks',
      body: JSON.stringify({
        measure: 'restrict.high_speed_rail',
        purpose: 'ticket_sale',
        subjects: Array.from({ length: 1000 }, pick),
      }),
    }));
    log(
      `batch checks: 1,000 subjects a call, ${batchConnections} connections, ${rounds} rounds of ${seconds} s…`,
    );
    const bt = await alternate(
      rounds,
      () => load(bareUrl, batchConnections, seconds, bodies, headers),
      () => counted(() => load(ours, batchConnections, seconds, bodies, headers)),
      limit && (() => load(limit.url, batchConnections, seconds, bodies, headers)),
      floor ? () => knockedOut(() => load(ours, batchConnections, seconds, bodies, headers)) : undefined,
    );
    const failedBatches = bt.ours.reduce((n, o) => n + o.non2xx, 0);
    if (failedBatches > 0) throw new Error(`${failedBatches} batch checks failed`);
    const batch = figures(bt, 1000);
    emit({
      bench: 'check_batch',
      value: Math.round(batch.value),
      unit: 'subject-checks/s',
      baseline: 'bare Fastify route answering 1,000 answers a call',
      baseline_value: Math.round(batch.baseline),
      ratio: Number((batch.value / batch.baseline).toFixed(3)),
      p99_ms: batch.p99,
      rounds: batch.rounds,
      server_cpu_us_per_check: batch.cpu,
      baseline_server_cpu_us_per_check: batch.baselineCpu,
      connections: batchConnections,
      ...armFields('limit', batch, LIMIT),
      ...armFields('floor', batch, FLOOR),
      ...perCommit(bt.ours),
      backend: store.backend,
      peak_rss_bytes: peakRss(),
    });
    await xids?.end();
    await app.close();
    await heads?.stop();
    await bare.close();
    await limit?.close();
    await platform.close();
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
