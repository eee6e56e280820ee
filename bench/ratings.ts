/**
 * Ratings bench: `npm run bench -- ratings [--ratings N] [--subjects M] [--raters R] [--rounds K]
 * [--comments SHARE_PERCENT] [--store false]`. The engine's `detect` (every detector and the weighted aggregates)
 * over columns already built, against DuckDB computing the plain Bayesian average per subject and
 * dimension in SQL over the same rows (loaded beforehand), in alternated rounds; medians reported.
 * A third arm, the limit, computes DuckDB's figures in one bare pass on one thread (checked equal).
 * Knock-outs time the aggregation alone, detection on one thread, and detection without rings or
 * without bursts. CPU figures are the whole process's (every thread) during each arm.
 *
 * Population (seeded): 10,000,000 ratings over 200,000 rated subjects by 2,000,000 raters by
 * default, over two years in submission order (as a store scan by id gives them). Activity is
 * skewed both ways: rater ~ R·u^1.5 (the busiest rate about once a day, most a handful of times),
 * subject ~ S·u² (a popular doctor gets tens of ratings a day); stars around each subject's own
 * quality; 0.5 % of raters connected to what they rate; 10 % of ratings with a comment (distinct
 * band keys). Injected: 5 bursts (200 ratings within an hour from fresh accounts, 1 or 5 stars),
 * 3 rings (20 fresh raters each rating 15–19 of the other members' 20 businesses within 60 days)
 * and one comment campaign (50 fresh raters, one text); then 4 rings that dodge lockstep detection
 * (drawn from a second seed, so the honest population is the same as without them): `rotating`
 * (each of 20 members rates 3–5 of 15 businesses), `camouflage` (15–19 of 20, and 20 ratings each of
 * popular subjects with honest-looking stars), `slow` (15–19 of 20 over a year) and `all_three`.
 * Detection figures count what was found and the holds on honest ratings.
 *
 * The store's part (`store_…` figures), on SQLite or with `--backend postgres` on a private durable
 * PostgreSQL (or `DATABASE_URL`'s server, see benchBackend): the same ratings written into the
 * store (untimed, bench/store-rows.ts: rated subjects, raters, one interaction per rating), then
 * the sweep's read — every rating with its interaction and rater weight, `listAllRatings` 50,000 a
 * page, into columns (`buildColumns`) — against the same keyset query through the bare driver
 * (better-sqlite3, or pg on the same PostgreSQL), rows as arrays, in alternated rounds. Its size is
 * `--store-ratings` (all the ratings by default).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseConfig } from '../src/config.ts';
import { openPlatform } from '../src/platform/index.ts';
import { buildColumns } from '../src/ratings/columns.ts';
import { aggregate, COMMENT_BANDS, detect, type RatingColumns } from '../src/ratings/engine.ts';
import { loadRatingsPolicy } from '../src/ratings/policy.ts';
import { registerSource } from '../src/sources/index.ts';
import type { RatingRow } from '../src/store/ratings.ts';
import { bareKeysetRead, openRowWriter, SUBJECT_COLUMNS } from './store-rows.ts';
import { alternate, benchBackend, emit, intArg, log, median, peakRss, rng } from './util.ts';

/** The sweep's read as listAllRatings states it, one page. */
const PAGE_QUERY = `select r.*, i.service, i.service_date, w.weight as rater_weight
  from ratings r join interactions i on i.id = r.interaction_id
  left join rater_weights w on w.rater_id = r.rater_id
  where r.id > ? order by r.id limit 50000`;

/**
 * The store's part: the first `m` ratings written into the store, then the sweep's read of them
 * against the bare driver's, in alternated rounds.
 */
const storePart = async (
  args: Record<string, string>,
  cols: RatingColumns,
  m: number,
  rounds: number,
): Promise<Record<string, unknown>> => {
  const store = await benchBackend(args, 'credence_ratings_bench');
  const dir = mkdtempSync(join(tmpdir(), 'credence-ratings-store-'));
  try {
    const config = parseConfig({ ...store.env, DATA_DIR: dir });
    const clock = { now: () => new Date('2026-06-30T09:00:00.000Z') };
    let p = await openPlatform(config, { clock });
    await registerSource({
      ctx: p.ctx({ id: 'operator:bench', role: 'operator' }, 'bench'),
      catalogue: p.catalogue,
      input: { code: 'bench-clinic', kind: 'market_regulator' },
    });
    await p.close();
    log(`store (${store.backend}): writing ${m} ratings, their interactions and subjects…`);
    const w = await openRowWriter(config.store);
    const { id: sourceId } = await w.one<{ id: number }>(
      "select id from sources where code = 'bench-clinic'",
    );
    const created = '2026-06-30T00:00:00.000Z';
    // Rated subjects are 1…nSubjects, raters after them.
    const rated = (s: number) => 1 + s;
    const rater = (r: number) => 1 + cols.nSubjects + r;
    await w.insert(
      'subjects',
      SUBJECT_COLUMNS,
      (function* () {
        for (let s = 0; s < cols.nSubjects; s++)
          yield [rated(s), 'organization', `O${s}`, `诊所${s}`, created];
        for (let r = 0; r < cols.nRaters; r++) yield [rater(r), 'person', `R${r}`, '张伟', created];
      })(),
    );
    await w.syncKey('subjects');
    const day = (i: number) => new Date(cols.at[i]!).toISOString();
    await w.insert(
      'interactions',
      [
        ['id', 'bigint'],
        ['token_hash', 'bytea'],
        ['source_id', 'bigint'],
        ['serving_id', 'bigint'],
        ['service', 'text'],
        ['service_date', 'text'],
        ['issued_at', 'text'],
        ['expires_at', 'text'],
        ['redeemed_at', 'text'],
      ],
      (function* () {
        for (let i = 0; i < m; i++) {
          const at = day(i);
          const token = Buffer.alloc(8);
          token.writeUInt32BE(i, 4);
          yield [
            i + 1,
            token,
            sourceId,
            rated(cols.subject[i]!),
            'consultation',
            at.slice(0, 10),
            at,
            at,
            at,
          ];
        }
      })(),
    );
    await w.syncKey('interactions');
    const comments = cols.comments;
    let nextComment = 0; // comments.rows is ascending
    await w.insert(
      'ratings',
      [
        ['id', 'bigint'],
        ['interaction_id', 'bigint'],
        ['rated_id', 'bigint'],
        ['rater_id', 'bigint'],
        ['source_id', 'bigint'],
        ['professionalism', 'integer'],
        ['honesty', 'integer'],
        ['comment', 'text'],
        ['comment_status', 'text'],
        ['comment_bands', 'text'],
        ['connected', 'integer'],
        ['submitted_at', 'text'],
        ['state', 'integer'],
        ['held', 'integer'],
      ],
      (function* () {
        for (let i = 0; i < m; i++) {
          let b: Uint32Array | undefined;
          if (comments && comments.rows[nextComment] === i) {
            b = comments.keys.subarray(nextComment * COMMENT_BANDS, (nextComment + 1) * COMMENT_BANDS);
            nextComment++;
          }
          const commented = b !== undefined;
          yield [
            i + 1,
            i + 1,
            rated(cols.subject[i]!),
            rater(cols.rater[i]!),
            sourceId,
            cols.professionalism[i]!,
            cols.honesty[i]!,
            commented ? '服务很好' : null,
            commented ? 'published' : 'none',
            b ? b.join(',') : null,
            cols.connected[i]!,
            day(i),
            cols.state[i]!,
            0,
          ];
        }
      })(),
    );
    await w.syncKey('ratings');
    if (w.backend === 'postgres') await w.all('analyze');
    await w.close();

    p = await openPlatform(config, { clock });
    try {
      const bare = async () => {
        globalThis.gc?.();
        const t0 = process.hrtime.bigint();
        const n = await bareKeysetRead(config.store, PAGE_QUERY, 50_000);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (n !== m) throw new Error(`the bare read gave ${n} rows`);
        return ms;
      };
      const ours = async () => {
        globalThis.gc?.();
        const t0 = process.hrtime.bigint();
        const rows: RatingRow[] = [];
        for (let after = 0; ; ) {
          const page = await p.store.ratings.listAllRatings(after, 50_000);
          for (const r of page) rows.push(r);
          if (page.length < 50_000) break;
          after = page[page.length - 1]!.id;
        }
        const built = buildColumns(rows);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (built.cols.n !== m) throw new Error(`the store's read gave ${built.cols.n} ratings`);
        return ms;
      };
      log(`store: the sweep's read against the bare query, ${rounds} alternated rounds…`);
      const r = await alternate(rounds, bare, ours);
      return {
        store_ratings: m,
        store_read_ms: Math.round(median(r.ours)),
        store_baseline:
          store.backend === 'postgres'
            ? "the sweep's keyset query (ratings joined with interactions and weights, 50,000 a page) through pg on the same PostgreSQL"
            : "the sweep's keyset query (ratings joined with interactions and weights, 50,000 a page) through better-sqlite3",
        store_baseline_ms: Math.round(median(r.baseline)),
        store_ratio: Number((median(r.baseline) / median(r.ours)).toFixed(3)),
        store_rounds: r.ours.map((o, i) => Number((r.baseline[i]! / o).toFixed(3))),
        backend: store.backend,
        ...(store.durable === undefined ? {} : { durable: store.durable }),
      };
    } finally {
      await p.close();
    }
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Injected {
  subject: number;
  rater: number;
  at: number;
  p: number;
  h: number;
  kind: number; // 1 burst, 2 ring, 3 campaign, 4 a dodging ring's camouflage
  group: number;
  comment: number; // campaign id + 1, 0 none
}

export interface Population {
  cols: RatingColumns;
  now: number;
  /** What each row is (0 honest, 1 burst, 2 ring, 3 campaign, 4 camouflage) and its group, for the detection figures. */
  kind: Uint8Array;
  group: Int32Array;
  bursts: number;
  rings: number;
  ringRaters: number[][];
  /** The rings that dodge lockstep detection, by name, with their members. */
  dodges: { name: string; members: number[] }[];
}

/** The seeded population described above (exported for profiling the engine alone). */
export function population(
  nRatings: number,
  nSubjects: number,
  nHonestRaters: number,
  commentShare: number,
): Population {
  const random = rng(42);
  const now = Date.UTC(2026, 5, 30);
  const span = 730 * DAY;
  const t0 = now - span;

  // Injected attacks, in time order, on fresh raters numbered after the honest ones.
  const injected: Injected[] = [];
  let fresh = nHonestRaters;
  const BURSTS = 5;
  for (let b = 0; b < BURSTS; b++) {
    const subject = Math.floor(nSubjects * (0.2 + 0.15 * b)); // mid-popularity subjects
    const at = now - (30 + 40 * b) * DAY;
    const x = b % 2 === 0 ? 1 : 5;
    for (let k = 0; k < 200; k++)
      injected.push({
        subject,
        rater: fresh++,
        at: at + Math.floor(random() * HOUR),
        p: x,
        h: x,
        kind: 1,
        group: b,
        comment: 0,
      });
  }
  const RINGS = 3;
  const RING = 20;
  const ringRaters: number[][] = [];
  for (let g = 0; g < RINGS; g++) {
    const businesses = Array.from(
      { length: RING },
      (_, k) => Math.floor(nSubjects * (0.5 + 0.1 * g)) + 7 * k,
    );
    const members: number[] = [];
    for (let m = 0; m < RING; m++) {
      const rater = fresh++;
      members.push(rater);
      const others = businesses.filter((_, k) => k !== m);
      for (let k = others.length - 1; k > 0; k--) {
        const j = Math.floor(random() * (k + 1));
        [others[k], others[j]] = [others[j]!, others[k]!];
      }
      for (const subject of others.slice(0, 15 + Math.floor(random() * 5)))
        injected.push({
          subject,
          rater,
          at: now - Math.floor(random() * 60 * DAY),
          p: 5,
          h: 5,
          kind: 2,
          group: g,
          comment: 0,
        });
    }
    ringRaters.push(members);
  }
  for (let k = 0; k < 50; k++)
    injected.push({
      subject: Math.floor(random() * nSubjects),
      rater: fresh++,
      at: now - Math.floor(random() * 20 * DAY),
      p: 1,
      h: 1,
      kind: 3,
      group: 0,
      comment: 1,
    });
  // Rings that dodge lockstep detection, from their own seed (the honest population is unchanged).
  const dodgeRandom = rng(4242);
  const DODGES = [
    { name: 'rotating', businesses: 15, per: [3, 5], camouflage: 0, days: 60 },
    { name: 'camouflage', businesses: 20, per: [15, 19], camouflage: 20, days: 60 },
    { name: 'slow', businesses: 20, per: [15, 19], camouflage: 0, days: 365 },
    { name: 'all_three', businesses: 15, per: [3, 5], camouflage: 20, days: 365 },
  ];
  const dodges: Population['dodges'] = [];
  const camouflaged: Injected[] = []; // stars set once subjects have a quality
  for (const [g, d] of DODGES.entries()) {
    const businesses = Array.from(
      { length: d.businesses },
      (_, k) => Math.floor(nSubjects * (0.45 + 0.1 * g)) + 11 * k,
    );
    const members: number[] = [];
    for (let m = 0; m < RING; m++) {
      const rater = fresh++;
      members.push(rater);
      const order = [...businesses];
      for (let k = order.length - 1; k > 0; k--) {
        const j = Math.floor(dodgeRandom() * (k + 1));
        [order[k], order[j]] = [order[j]!, order[k]!];
      }
      const count = d.per[0]! + Math.floor(dodgeRandom() * (d.per[1]! - d.per[0]! + 1));
      for (const subject of order.slice(0, count))
        injected.push({
          subject,
          rater,
          at: now - Math.floor(dodgeRandom() * d.days * DAY),
          p: 5,
          h: 5,
          kind: 2,
          group: RINGS + g,
          comment: 0,
        });
      for (let k = 0; k < d.camouflage; k++) {
        const x: Injected = {
          subject: Math.floor(nSubjects * dodgeRandom() ** 2),
          rater,
          at: now - Math.floor(dodgeRandom() * d.days * DAY),
          p: 0,
          h: 0,
          kind: 4,
          group: RINGS + g,
          comment: 0,
        };
        injected.push(x);
        camouflaged.push(x);
      }
    }
    dodges.push({ name: d.name, members });
  }
  injected.sort((a, b) => a.at - b.at);
  const nRaters = fresh;
  const n = nRatings + injected.length;

  log(`ratings bench: ${n} ratings, ${nSubjects} subjects, ${nRaters} raters…`);
  const quality = new Float32Array(nSubjects);
  for (let s = 0; s < nSubjects; s++) quality[s] = 2 + 3 * random();
  const dodgeStar = (q: number) => Math.min(5, Math.max(1, Math.round(q + (dodgeRandom() - 0.5) * 2.2)));
  for (const x of camouflaged) {
    x.p = dodgeStar(quality[x.subject]!);
    x.h = dodgeStar(quality[x.subject]!);
  }
  // On shared memory, as buildColumns gives them (the engine's helper thread reads them in place).
  const shared = (bytes: number) => new SharedArrayBuffer(bytes);
  const cols: RatingColumns = {
    n,
    nSubjects,
    nRaters,
    subject: new Int32Array(shared(n * 4)),
    rater: new Int32Array(shared(n * 4)),
    at: new Float64Array(shared(n * 8)),
    professionalism: new Uint8Array(shared(n)),
    honesty: new Uint8Array(shared(n)),
    connected: new Uint8Array(shared(n)),
    state: new Uint8Array(shared(n)),
    comments: null,
  };
  // The commented rows and their keys, grown as met, then put on shared memory.
  let commentRows = new Int32Array(1 << 16);
  let commentKeys = new Uint32Array((1 << 16) * COMMENT_BANDS);
  let nCommented = 0;
  const comment = (i: number, key: (b: number) => number) => {
    if (nCommented === commentRows.length) {
      const rows = new Int32Array(commentRows.length * 2);
      rows.set(commentRows);
      commentRows = rows;
      const keys = new Uint32Array(commentKeys.length * 2);
      keys.set(commentKeys);
      commentKeys = keys;
    }
    commentRows[nCommented] = i;
    for (let b = 0; b < COMMENT_BANDS; b++) commentKeys[nCommented * COMMENT_BANDS + b] = key(b);
    nCommented++;
  };
  const kind = new Uint8Array(n); // what each row is, for the detection figures
  const group = new Int32Array(n);
  const star = (q: number) => Math.min(5, Math.max(1, Math.round(q + (random() - 0.5) * 2.2)));
  let inj = 0;
  let honest = 0;
  for (let i = 0; i < n; i++) {
    const tHonest = t0 + Math.floor((honest * span) / nRatings);
    if (inj < injected.length && (honest >= nRatings || injected[inj]!.at <= tHonest)) {
      const x = injected[inj++]!;
      cols.subject[i] = x.subject;
      cols.rater[i] = x.rater;
      cols.at[i] = x.at;
      cols.professionalism[i] = x.p;
      cols.honesty[i] = x.h;
      kind[i] = x.kind;
      group[i] = x.group;
      if (x.comment && commentShare > 0) comment(i, (b) => 0x9e3779b9 + b);
      continue;
    }
    const s = Math.floor(nSubjects * random() ** 2);
    cols.subject[i] = s;
    cols.rater[i] = Math.floor(nHonestRaters * random() ** 1.5);
    cols.at[i] = tHonest;
    cols.professionalism[i] = star(quality[s]!);
    cols.honesty[i] = star(quality[s]!);
    cols.connected[i] = random() < 0.005 ? 1 : 0;
    if (commentShare > 0 && random() < commentShare)
      comment(i, (b) => {
        // distinct keys per honest comment (a bijective mix of the position)
        let k = Math.imul(i * COMMENT_BANDS + b + 1, 0x9e3779b1) >>> 0;
        k ^= k >>> 16;
        return k || 1;
      });
    honest++;
  }
  if (commentShare > 0) {
    const rows = new Int32Array(shared(nCommented * 4));
    rows.set(commentRows.subarray(0, nCommented));
    const keys = new Uint32Array(shared(nCommented * COMMENT_BANDS * 4));
    keys.set(commentKeys.subarray(0, nCommented * COMMENT_BANDS));
    cols.comments = { rows, keys };
  }
  return { cols, now, kind, group, bursts: BURSTS, rings: RINGS, ringRaters, dodges };
}

export const run = async (args: Record<string, string>) => {
  const nRatings = intArg(args, 'ratings', 10_000_000);
  const nSubjects = intArg(args, 'subjects', 200_000);
  const nHonestRaters = intArg(args, 'raters', Math.max(1000, Math.round(nRatings / 5)));
  const rounds = intArg(args, 'rounds', 3);
  const commentShare = Number(args.comments ?? '10') / 100;
  const policy = await loadRatingsPolicy();
  const {
    cols,
    now,
    kind,
    group,
    bursts: BURSTS,
    rings: RINGS,
    ringRaters,
    dodges,
  } = population(nRatings, nSubjects, nHonestRaters, commentShare);
  const n = cols.n;

  /** Wall time, and CPU time of the whole process (every thread: DuckDB's, the engine's helper). */
  const timeIt = async <T>(f: () => T | Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> => {
    globalThis.gc?.();
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    const value = await f();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const used = process.cpuUsage(c);
    return { ms, cpuMs: (used.user + used.system) / 1000, value };
  };
  // The engine alone, before DuckDB shares the process (its threads and memory), once.
  log('engine alone, before DuckDB loads…');
  const aloneMs = (await timeIt(() => detect(cols, policy, { now }))).ms;
  // The limit: what DuckDB computes (the plain Bayesian average per subject and dimension), in one
  // bare pass over the columns on one thread, no detection, no weights, no bands or distribution.
  const m = policy.aggregation.minCount;
  const plainBayesian = (): Float64Array => {
    const acc = new Int32Array(nSubjects * 3);
    const { subject, professionalism: P, honesty: H, state } = cols;
    for (let i = 0; i < n; i++) {
      if (state[i] === 2) continue;
      const x = subject[i]! * 3;
      acc[x]!++;
      acc[x + 1]! += P[i]!;
      acc[x + 2]! += H[i]!;
    }
    let v = 0;
    let sp = 0;
    let sh = 0;
    for (let s = 0; s < nSubjects; s++) {
      v += acc[s * 3]!;
      sp += acc[s * 3 + 1]!;
      sh += acc[s * 3 + 2]!;
    }
    const C = [sp / v, sh / v];
    const out = new Float64Array(nSubjects * 2).fill(Number.NaN);
    for (let s = 0; s < nSubjects; s++) {
      const c = acc[s * 3]!;
      if (c < m) continue;
      for (let d = 0; d < 2; d++)
        out[s * 2 + d] = (c / (c + m)) * (acc[s * 3 + 1 + d]! / c) + (m / (c + m)) * C[d]!;
    }
    return out;
  };

  const dir = mkdtempSync(join(tmpdir(), 'credence-ratings-'));
  try {
    log('DuckDB: loading the same rows…');
    const lines: string[] = ['subject,p,h,state\n'];
    let buf = '';
    for (let i = 0; i < n; i++) {
      buf += `${cols.subject[i]},${cols.professionalism[i]},${cols.honesty[i]},${cols.state[i]}\n`;
      if (buf.length > 1 << 20) {
        lines.push(buf);
        buf = '';
      }
    }
    lines.push(buf);
    writeFileSync(join(dir, 'ratings.csv'), lines.join(''));
    lines.length = 0;
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(
      `create table ratings as select * from read_csv('${join(dir, 'ratings.csv')}', header = true,
        columns = {'subject': 'INTEGER', 'p': 'UTINYINT', 'h': 'UTINYINT', 'state': 'UTINYINT'})`,
    );
    rmSync(join(dir, 'ratings.csv'));
    const sql = `
      with c as (select avg(p) as cp, avg(h) as ch from ratings where state <> 2),
      s as (select subject, count(*) as v, avg(p) as rp, avg(h) as rh from ratings where state <> 2 group by subject)
      select subject, v,
             case when v >= ${m} then v / (v + ${m}) * rp + ${m} / (v + ${m}) * cp end as bayesian_professionalism,
             case when v >= ${m} then v / (v + ${m}) * rh + ${m} / (v + ${m}) * ch end as bayesian_honesty
      from s, c order by subject`;

    let result: ReturnType<typeof detect> | undefined;
    let duckRows = 0;
    let duckLast: Awaited<ReturnType<typeof con.runAndReadAll>> | undefined;
    const cpu = { baseline: [] as number[], ours: [] as number[] };
    const main = await alternate(
      rounds,
      async () => {
        const r = await timeIt(() => con.runAndReadAll(sql));
        duckRows = r.value.currentRowCount;
        duckLast = r.value;
        cpu.baseline.push(r.cpuMs);
        return r.ms;
      },
      async () => {
        const r = await timeIt(() => detect(cols, policy, { now }));
        result = r.value;
        cpu.ours.push(r.cpuMs);
        return r.ms;
      },
      async () => (await timeIt(plainBayesian)).ms,
    );
    // The limit computes what DuckDB does: the same figures (to 1e-9) for every subject.
    const plain = plainBayesian();
    let limitMismatches = 0;
    for (const [subject, , bp, bh] of duckLast!.getRows()) {
      const s = Number(subject);
      for (const [d, x] of [bp, bh].entries()) {
        const y = plain[s * 2 + d]!;
        if (x === null ? !Number.isNaN(y) : Math.abs(Number(x) - y) > 1e-9) limitMismatches++;
      }
    }
    log('knock-outs…');
    const knock = {
      aggregate: [] as number[],
      rings: [] as number[],
      bursts: [] as number[],
      oneThread: [] as number[],
    };
    for (let r = 0; r < rounds; r++) {
      knock.aggregate.push((await timeIt(() => aggregate(cols, null, policy))).ms);
      knock.oneThread.push((await timeIt(() => detect(cols, policy, { now, threads: 1 }))).ms);
      knock.rings.push((await timeIt(() => detect(cols, policy, { now, skip: ['ring'] }))).ms);
      knock.bursts.push((await timeIt(() => detect(cols, policy, { now, skip: ['burst'] }))).ms);
    }
    con.closeSync();
    db.closeSync();
    const enginePeak = peakRss(); // before the store's part
    // `--store false` leaves the store's part out (for quick iterations on the engine).
    const sf =
      args.store === 'false'
        ? {}
        : await storePart(args, cols, Math.min(n, intArg(args, 'store-ratings', n)), rounds);

    // Detection figures.
    const res = result!;
    const burstFound = new Set<number>();
    for (let b = 0; b < BURSTS; b++) {
      let all = 0;
      let heldB = 0;
      for (let i = 0; i < n; i++)
        if (kind[i] === 1 && group[i] === b) {
          all++;
          if (res.held[i] !== 0) heldB++;
        }
      if (heldB >= 0.9 * all) burstFound.add(b);
    }
    const ringFindings = res.findings.filter((f) => f.reason === 'ring');
    const found = (members: number[]) =>
      ringFindings.some((f) => {
        const ids = new Set(String(f.detail.rater_ids).split(',').map(Number));
        return members.filter((r) => ids.has(r)).length >= 0.8 * members.length;
      });
    const ringsFound = ringRaters.filter(found).length;
    // A dodging ring is found when 80 % of its members are in one finding and 80 % of its ratings
    // of its businesses are held (its camouflage elsewhere is not what it moves).
    const dodgeFound = dodges.map(({ name, members }, g) => {
      let all = 0;
      let heldR = 0;
      for (let i = 0; i < n; i++)
        if (kind[i] === 2 && group[i] === RINGS + g) {
          all++;
          if (res.held[i] !== 0) heldR++;
        }
      return { name, found: found(members) && heldR >= 0.8 * all, held: `${heldR}/${all}` };
    });
    let campaignHeld = 0;
    const falseHolds: Record<string, number> = {};
    let falseTotal = 0;
    for (let i = 0; i < n; i++) {
      const h = res.held[i]!;
      if (kind[i] === 3 && h !== 0) campaignHeld++;
      if (kind[i] !== 0 || h === 0) continue;
      falseTotal++;
      for (const [name, bit] of [
        ['burst', 1],
        ['ring', 2],
        ['connected', 4],
        ['duplicate', 8],
        ['rate_limit', 16],
      ] as const)
        if (h & bit) falseHolds[name] = (falseHolds[name] ?? 0) + 1;
    }
    const engineMs = median(main.ours);
    const baselineMs = median(main.baseline);
    emit({
      bench: 'ratings',
      ratings: n,
      subjects: nSubjects,
      raters: cols.nRaters,
      rounds,
      engine_ms: Math.round(engineMs),
      baseline_ms: Math.round(baselineMs),
      baseline: 'DuckDB: plain Bayesian average per subject and dimension in SQL over the same rows',
      ratio: Number((baselineMs / engineMs).toFixed(3)),
      engine_rounds_ms: main.ours.map(Math.round),
      baseline_rounds_ms: main.baseline.map(Math.round),
      engine_alone_before_duckdb_ms: Math.round(aloneMs),
      engine_cpu_ms: Math.round(median(cpu.ours)),
      baseline_cpu_ms: Math.round(median(cpu.baseline)),
      cpu_ratio: Number((median(cpu.baseline) / median(cpu.ours)).toFixed(3)),
      limit_plain_bayesian_one_pass_ms: Math.round(median(main.limit)),
      ratio_at_limit: Number((baselineMs / median(main.limit)).toFixed(3)),
      limit_mismatches_with_baseline: limitMismatches,
      aggregate_only_ms: Math.round(median(knock.aggregate)),
      one_thread_ms: Math.round(median(knock.oneThread)),
      without_rings_ms: Math.round(median(knock.rings)),
      without_bursts_ms: Math.round(median(knock.bursts)),
      baseline_rows: duckRows,
      bursts_injected: BURSTS,
      bursts_found: burstFound.size,
      rings_injected: RINGS,
      rings_found: ringsFound,
      dodging_rings_injected: dodges.length,
      dodging_rings_found: dodgeFound.filter((d) => d.found).length,
      dodging_rings: Object.fromEntries(
        dodgeFound.map((d) => [d.name, d.found ? `found, ${d.held} held` : `missed, ${d.held} held`]),
      ),
      ring_findings: ringFindings.length,
      campaign_held: `${campaignHeld}/50`,
      findings: res.findings.length,
      held: res.held.reduce((c, h) => c + (h !== 0 ? 1 : 0), 0),
      false_holds_on_honest: falseTotal,
      false_holds_by_reason: falseHolds,
      peak_rss_mb: Math.round(enginePeak / 1048576),
      ...sf,
      store_peak_rss_mb: Math.round(peakRss() / 1048576),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
