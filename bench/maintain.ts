/**
 * Maintain bench: one day's `credence maintain` (the transitions due that day: windows closing,
 * listings ending) against a full rescoring of the same store (`rescoreAllSubjects`, which also
 * keeps every subject's due day), in the same run on the same store: SQLite by default, or with
 * `--backend postgres` a private durable PostgreSQL (or `DATABASE_URL`'s server, see
 * benchBackend), where both sides run on the same server.
 *
 * The store is written directly (subjects and records rows, as ingestion would leave them, without
 * its checks; bench/store-rows.ts, then ANALYZE on PostgreSQL as its autovacuum would): persons with records of types that carry no amount steps, cures or red-list
 * rewards, spread over six years before the as-of day, and court defaulter listings on 1% of the
 * records. Set-up then rescores everyone (the baseline, timed) and computes the list entries of the
 * listed subjects as ingestion would have (untimed); maintenance then runs for the next day (timed)
 * in a fresh process on the same store, so `peak_rss_mb` is its own; `baseline_peak_rss_mb` is the
 * set-up's and full rescoring's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.ts';
import type { Clock, Principal } from '../src/context.ts';
import { recomputeLists } from '../src/lists/index.ts';
import { type MaintainSummary, runMaintenance } from '../src/maintain/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import { formatDay, parseDay, rescoreAllSubjects } from '../src/scoring/index.ts';
import { compileTables } from '../src/scoring/tables.ts';
import { registerSource } from '../src/sources/index.ts';
import { openRowWriter } from './store-rows.ts';
import { benchBackend, emit, intArg, log, peakRss, rng, serverCost } from './util.ts';

const operator: Principal = { id: 'operator:bench', role: 'operator' };
const LISTING = 'court.judgment_defaulter';

/** The timed part, in its own process: one day's maintenance on the store the set-up left, then a second run. */
const maintainPhase = async (dir: string, date: string) => {
  const clock: Clock = { now: () => new Date(`${date}T00:05:00.000Z`) };
  // The parent passes its store's URL on PostgreSQL (empty on SQLite).
  const env = { DATA_DIR: dir, DATABASE_URL: process.env['DATABASE_URL'] ?? '' };
  const p = await openPlatform(parseConfig(env), { clock });
  const deps = {
    lists: p.lists,
    catalogue: p.catalogue,
    scoringPolicy: p.scoringPolicy,
    dueProcess: p.dueProcess,
    calendar: p.calendar,
  };
  const cost = env.DATABASE_URL ? await serverCost(env.DATABASE_URL) : undefined;
  await cost?.start();
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  const summary = await runMaintenance({ ctx: p.ctx(operator, 'bench: maintain'), input: {}, deps });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const server = await cost?.stop();
  if (server) log(`  maintenance's slowest statements: ${JSON.stringify(server.top, null, 1)}`);
  const again = await runMaintenance({ ctx: p.ctx(operator, 'bench: maintain again'), input: {}, deps });
  await p.close();
  emit({ seconds, summary, second_run_subjects: again.subjects, peak_rss_bytes: peakRss(), server });
};

export const run = async (args: Record<string, string>) => {
  if (args.phase === 'maintain') return maintainPhase(args.dir!, args.date!);
  const nSubjects = intArg(args, 'subjects', 1_000_000);
  const nRecords = intArg(args, 'records', 10_000_000);
  const asOf = '2026-06-30';
  const A = parseDay(asOf);
  const next = formatDay(A + 1);
  const clock: Clock = { now: () => new Date(`${asOf}T09:00:00.000Z`) };
  const dir = mkdtempSync(join(tmpdir(), 'credence-maintain-'));
  const store = await benchBackend(args, 'credence_maintain_bench');
  try {
    const config = parseConfig({ ...store.env, DATA_DIR: dir });
    let p = await openPlatform(config, { clock });
    const { catalogue, scoringPolicy: policy } = p;
    await registerSource({
      ctx: p.ctx(operator, 'bench'),
      catalogue,
      input: { code: 'bench-court', kind: 'court' },
    });
    await p.close();

    // Person types without amount steps, cures or red-list rewards; minor conduct more often.
    const t = compileTables(policy, catalogue);
    const rewards = new Set(p.lists.lists.flatMap((l) => l.requiresPositive));
    const usable = catalogue.items
      .map((item, i) => ({ item, i }))
      .filter(
        ({ item, i }) =>
          item.subject_kinds.includes('person') &&
          t.stepFrom[i] === t.stepTo[i] &&
          t.cure[i] === -1 &&
          !rewards.has(item.code) &&
          !p.lists.lists.some((l) => l.enteredBy.includes(item.code) || l.repeat?.types.includes(item.code)),
      )
      .filter(
        ({ item }) => !policy.cures.some((c) => ([] as string[]).concat(c.curedBy).includes(item.code)),
      );
    const weights = usable.map(({ item }) =>
      item.severity === 'minor' ? 8 : item.severity === 'general' ? 3 : 1,
    );
    const cum: number[] = [];
    weights.reduce((s, w, k) => (cum[k] = s + w), 0);
    const pick = (x: number) => {
      const target = x * cum[cum.length - 1]!;
      let k = 0;
      while (cum[k]! <= target) k++;
      return usable[k]!.item.code;
    };

    log(`maintain bench: writing ${nSubjects} persons and ${nRecords} records (${store.backend})…`);
    const t0 = Date.now();
    const db = await openRowWriter(config.store);
    const { id: sourceId } = await db.one<{ id: number }>(
      "select id from sources where code = 'bench-court'",
    );
    const { id: context } = await db.one<{ id: number }>(
      'select coalesce(max(id), 0) + 1 as id from audit_contexts',
    );
    await db.insert(
      'audit_contexts',
      [
        ['id', 'bigint'],
        ['at', 'text'],
        ['actor', 'text'],
        ['role', 'text'],
        ['purpose', 'text'],
      ],
      [[Number(context), `${asOf}T00:00:00.000Z`, 'operator:bench', 'operator', 'bench']],
    );
    await db.syncKey('audit_contexts');
    const subjectRows = function* () {
      for (let s = 1; s <= nSubjects; s++)
        yield [s, 'person', `P${s}`, '张伟', '1980-01-01', 'male', `${asOf}T00:00:00.000Z`];
    };
    await db.insert(
      'subjects',
      [
        ['id', 'bigint'],
        ['kind', 'text'],
        ['identifier', 'text'],
        ['name', 'text'],
        ['birth_date', 'text'],
        ['sex', 'text'],
        ['created_at', 'text'],
      ],
      subjectRows(),
    );
    await db.syncKey('subjects');
    const random = rng(42);
    const subjectOf = new Int32Array(nRecords);
    for (let i = 0; i < nRecords; i++) subjectOf[i] = 1 + Math.floor(random() * nSubjects);
    subjectOf.sort();
    const listed = new Set<number>();
    const recordRows = function* () {
      for (let i = 0; i < nRecords; i++) {
        const listing = random() < 0.01;
        const type = listing ? LISTING : pick(random());
        const start = A - Math.floor(random() * 6 * 365);
        const occurred = start - Math.floor(random() * 60);
        if (listing) listed.add(subjectOf[i]!);
        if (i % 1_000_000 === 999_999) log(`  ${i + 1} records`);
        yield [
          sourceId,
          `b-${i}`,
          type,
          subjectOf[i]!,
          formatDay(occurred),
          formatDay(start),
          `${formatDay(start)}T12:00:00.000Z`,
          listing ? 50_000 : null,
          `(${formatDay(start).slice(0, 4)})bench${i}号`,
          'active',
          context,
        ];
      }
    };
    await db.insert(
      'records',
      [
        ['source_id', 'bigint'],
        ['source_record_id', 'text'],
        ['type', 'text'],
        ['subject_id', 'bigint'],
        ['occurred_at', 'text'],
        ['decided_at', 'text'],
        ['recorded_at', 'text'],
        ['amount', 'float8'],
        ['evidence', 'text'],
        ['status', 'text'],
        ['context_id', 'bigint'],
      ],
      recordRows(),
    );
    if (db.backend === 'postgres') await db.all('analyze');
    await db.close();
    log(`  written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    p = await openPlatform(config, { clock });
    const deps = {
      lists: p.lists,
      catalogue: p.catalogue,
      scoringPolicy: p.scoringPolicy,
      dueProcess: p.dueProcess,
      calendar: p.calendar,
    };

    log('baseline: full rescoring of every subject (rescoreAllSubjects)…');
    const cost = config.store.backend === 'postgres' ? await serverCost(config.store.url) : undefined;
    await cost?.start();
    globalThis.gc?.();
    const r0 = process.hrtime.bigint();
    const scored = await rescoreAllSubjects({
      ctx: p.ctx(operator, 'bench: full rescoring'),
      deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
      input: {},
    });
    const rescoreSecs = Number(process.hrtime.bigint() - r0) / 1e9;
    const baselineServer = await cost?.stop();
    if (baselineServer)
      log(`  full rescoring's slowest statements: ${JSON.stringify(baselineServer.top, null, 1)}`);
    log(`  ${rescoreSecs.toFixed(1)} s`);

    log(`set-up: list entries of the ${listed.size} listed subjects, as ingestion computes them…`);
    const ids = [...listed].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += 2000)
      await recomputeLists({
        ctx: p.ctx(operator, 'bench: lists'),
        input: { subjectIds: ids.slice(i, i + 2000) },
        deps,
      });
    const due = await p.store.countDueSubjects(next);
    const baselineRss = peakRss();
    await p.close();

    // Maintenance runs in a process of its own, so that its peak memory is its own, not the full
    // rescoring's (which holds every record in columns).
    log(`ours: one day's maintenance (${next}, ${due} subjects due), in a fresh process…`);
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1]!,
        'maintain',
        '--phase',
        'maintain',
        '--dir',
        dir,
        '--date',
        next,
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
        env: { ...process.env, DATABASE_URL: store.env['DATABASE_URL'] ?? '' },
      },
    );
    if (child.status !== 0) throw new Error(`the maintenance process failed (exit ${child.status})`);
    const m = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
      seconds: number;
      summary: MaintainSummary;
      second_run_subjects: number;
      peak_rss_bytes: number;
      server?: { round_trips: number; commits: number };
    };
    log(`  ${m.seconds.toFixed(2)} s`);

    emit({
      bench: 'maintain',
      value: Number(m.seconds.toFixed(3)),
      unit: 's',
      baseline:
        store.backend === 'postgres'
          ? 'full rescoring of the same PostgreSQL store (rescoreAllSubjects), seconds'
          : 'full rescoring of the same SQLite store (rescoreAllSubjects), seconds',
      baseline_value: Number(rescoreSecs.toFixed(3)),
      ratio: Number((rescoreSecs / m.seconds).toFixed(2)),
      subjects: nSubjects,
      records: scored.records,
      date: m.summary.date,
      subjects_due: m.summary.subjects,
      transitions: m.summary.transitions,
      notifications: m.summary.notifications,
      second_run_subjects: m.second_run_subjects,
      peak_rss_mb: Math.round(m.peak_rss_bytes / 2 ** 20),
      baseline_peak_rss_mb: Math.round(baselineRss / 2 ** 20),
      ...(m.server && baselineServer
        ? {
            round_trips: m.server.round_trips,
            commits: m.server.commits,
            baseline_round_trips: baselineServer.round_trips,
            baseline_commits: baselineServer.commits,
          }
        : {}),
      backend: store.backend,
      ...(store.durable === undefined ? {} : { durable: store.durable }),
    });
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
