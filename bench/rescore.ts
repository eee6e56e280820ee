/**
 * Rescore bench: full rescoring of every subject with key factors by the engine over its
 * in-memory columns, against DuckDB computing the same per-subject aggregation in SQL over the
 * same rows in the same run. Both sides are timed on the computation only (data already loaded).
 *
 * The generated data keeps to what one SQL statement can state exactly: persons, active records
 * all known before the as-of day, one act per record, no cures, no amount steps. The run checks
 * that both sides give the same score, grade and key factors for every subject, and reports the
 * number of mismatches.
 *
 * The store's part (`store_…` figures), on SQLite or with `--backend postgres` on a private durable
 * PostgreSQL (or `DATABASE_URL`'s server, see benchBackend): the same rows written into the store
 * (untimed, bench/store-rows.ts), then the store's read of every record in the engine's form
 * (`scanRecordsForScoring`, 50,000 a chunk) against the same keyset query through the bare driver
 * (better-sqlite3, or pg on the same PostgreSQL) in alternated rounds (`--rounds`, 3 by default),
 * and once `rescoreAllSubjects` end to end (read, score, save scores and due days), whose grades
 * must match the engine's above.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../src/catalogue/index.ts';
import { parseConfig } from '../src/config.ts';
import type { Clock, Principal } from '../src/context.ts';
import { loadListPolicy } from '../src/lists/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import {
  ColumnBuilder,
  DEFAULT_SCORING_POLICY_PATH,
  type EngineSubject,
  formatDay,
  GRADES,
  loadScoringPolicyFile,
  parseDay,
  rescoreAll,
  rescoreAllSubjects,
} from '../src/scoring/index.ts';
import { compileTables } from '../src/scoring/tables.ts';
import { registerSource } from '../src/sources/index.ts';
import { bareKeysetRead, openRowWriter, SUBJECT_COLUMNS } from './store-rows.ts';
import { alternate, benchBackend, emit, intArg, log, median, peakRss, rng, serverCost } from './util.ts';

const operator: Principal = { id: 'operator:bench', role: 'operator' };
const COLUMNS = 'id, subject_id, type, occurred_at, decided_at, recorded_at, amount, evidence, status';

export const run = async (args: Record<string, string>) => {
  const nSubjects = intArg(args, 'subjects', 200_000);
  const nRecords = intArg(args, 'records', 2_000_000);
  const rounds = intArg(args, 'rounds', 3);
  const asOf = '2026-06-30';
  const A = parseDay(asOf);
  const catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
  const policy = await loadScoringPolicyFile(DEFAULT_SCORING_POLICY_PATH, catalogue, await loadListPolicy());
  const t = compileTables(policy, catalogue);

  // Person types without amount steps, cures or a grade that follows a listing (whose term is the
  // list's, beyond one SQL statement); common conduct more often than serious.
  const usable = catalogue.items
    .map((item, i) => ({ item, i }))
    .filter(
      ({ item, i }) =>
        item.subject_kinds.includes('person') &&
        t.stepFrom[i] === t.stepTo[i] &&
        t.cure[i] === -1 &&
        t.followsList[i] === -1,
    )
    .filter(({ item }) => !policy.cures.some((c) => c.curedBy.includes(item.code)));
  const weights = usable.map(({ item }) =>
    item.severity === 'minor' ? 8 : item.severity === 'general' ? 3 : 1,
  );
  const cum: number[] = [];
  weights.reduce((s, w, k) => (cum[k] = s + w), 0);
  const pick = (x: number) => {
    const target = x * cum[cum.length - 1]!;
    let k = 0;
    while (cum[k]! <= target) k++;
    return usable[k]!.i;
  };

  const dir = mkdtempSync(join(tmpdir(), 'credence-rescore-'));
  const store = await benchBackend(args, 'credence_rescore_bench');
  try {
    log(`rescore bench: generating ${nRecords} records for ${nSubjects} persons…`);
    const random = rng(42);
    const builder = new ColumnBuilder(catalogue, nRecords);
    const csv = createWriteStream(join(dir, 'records.csv'));
    csv.write('id,subject,type,start_day,occurred_day\n');
    const subjectOf = new Int32Array(nRecords);
    const typeOf = new Int32Array(nRecords);
    const startOf = new Int32Array(nRecords);
    const occurredOf = new Int32Array(nRecords);
    for (let i = 0; i < nRecords; i++) subjectOf[i] = 1 + Math.floor(random() * nSubjects);
    subjectOf.sort(); // records arrive grouped by subject, as a store scan by subject gives them
    let buf = '';
    for (let i = 0; i < nRecords; i++) {
      const type = pick(random());
      const start = A - Math.floor(random() * 6 * 365);
      const occurred = start - Math.floor(random() * 60);
      typeOf[i] = type;
      startOf[i] = start;
      occurredOf[i] = occurred;
      const id = i + 1;
      builder.add({
        id,
        subjectId: subjectOf[i]!,
        type: catalogue.items[type]!.code,
        occurredAt: formatDay(occurred),
        decidedAt: formatDay(start),
        recordedAt: '2026-01-01T00:00:00.000Z',
        amount: null,
        evidence: `ev-${id}`,
        status: 'active',
      });
      buf += `${id},${subjectOf[i]},${type},${start},${occurred}\n`;
      if (buf.length > 1 << 20) {
        if (!csv.write(buf)) await new Promise<void>((r) => csv.once('drain', () => r()));
        buf = '';
      }
    }
    csv.write(buf);
    await new Promise<void>((r) => csv.end(() => r()));
    const cols = builder.finish();
    const subjects: EngineSubject[] = Array.from({ length: nSubjects }, (_, k) => ({
      id: k + 1,
      kind: 'person',
      legalRepId: null,
      birthDate: null,
    }));

    log('Credence: rescoreAll with key factors…');
    globalThis.gc?.();
    const t0 = process.hrtime.bigint();
    const ours = rescoreAll(cols, subjects, policy, catalogue, asOf, { keyFactors: true });
    const ourSecs = Number(process.hrtime.bigint() - t0) / 1e9;
    const ourRss = peakRss();

    log('DuckDB: loading the same rows…');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(
      `create table records as select * from read_csv('${join(dir, 'records.csv')}', header = true,
        columns = {'id': 'BIGINT', 'subject': 'INTEGER', 'type': 'INTEGER', 'start_day': 'INTEGER', 'occurred_day': 'INTEGER'})`,
    );
    await con.run(`create table subjects as select range + 1 as subject from range(${nSubjects})`);
    const typeRows = catalogue.items.map((_, i) => {
      const g = t.grade[i]!;
      // One act counts once: a direct grade deducts no points of its own. The catalogue says how
      // long a record counts.
      const p = g !== 0 ? 0 : t.points[i]!;
      const months = t.catalogueMonths[i]!;
      return `(${i}, ${p}, ${g}, ${months}, ${t.repeatable[i]}, ${t.domain[i]})`;
    });
    await con.run(
      `create table types as select * from (values ${typeRows.join(',')}) as v(type, points, grade, months, repeatable, domain)`,
    );
    const [b0, b1, b2, b3, b4] = t.bands;
    // The engine's rules in SQL: validity window of the catalogue, in force on the
    // as-of day, a deduction repeating an earlier record of its type whose window covers its
    // start counts ×multiplier, worst direct grade caps the band, four key factors (the direct
    // grade that decides the grade first, then |points|, later day, higher id).
    const sql = `
      with r as (
        select r.id, r.subject, r.type, r.occurred_day, t.points, t.grade, t.repeatable, t.domain,
               date '1970-01-01' + r.start_day as start_date,
               date '1970-01-01' + r.start_day + to_months(t.months) as until_date
        from records r join types t using (type)
        where r.start_day <= ${A}
      ),
      w as (
        select *, max(until_date) over (partition by subject, type order by start_date, id
                    rows between unbounded preceding and 1 preceding) as prev_until
        from r
      ),
      v as (
        select subject, id, type, occurred_day, grade, domain,
               case when grade = 0 and points < 0 and repeatable = 1 and prev_until > start_date
                    then cast(points * ${t.multiplier} as integer) else points end as pts
        from w
        where start_date <= date '${asOf}' and date '${asOf}' < until_date
      ),
      agg as (
        select subject, ${t.base} + sum(pts) as score, max(grade) as worst,
               list({'grade': grade, 'pts': abs(pts), 'day': occurred_day, 'id': id})
                 filter (where grade > 0 or pts <> 0) as factors
        from v group by subject
      ),
      s as (
        select subjects.subject, coalesce(score, ${t.base}) as score, coalesce(worst, 0) as worst, coalesce(factors, []) as factors
        from subjects left join agg using (subject)
      ),
      g as (
        select subject, score, worst, factors,
               case when score >= ${b0} then 0 when score >= ${b1} then 1 when score >= ${b2} then 2
                    when score >= ${b3} then 3 when score >= ${b4} then 4 else 7 end as by_points
        from s
      ),
      b as (
        select *, case when worst <> 0 and by_points < worst + 2 then worst else 0 end as binding
        from g
      )
      select subject, score,
             case when worst = 0 then by_points when worst = 1 then greatest(by_points, 3)
                  when worst = 2 then greatest(by_points, 4)
                  when by_points <= 2 then 5 when by_points = 3 then 6 else 7 end as grade,
             list_transform(
               list_reverse_sort(list_transform(factors, f -> {
                 'binds': case when f.grade = binding then f.grade else 0 end,
                 'pts': f.pts, 'day': f.day, 'id': f.id})),
               f -> f.id)[1:4] as factors
      from b order by subject`;
    log('DuckDB: the same aggregation in SQL…');
    const t1 = process.hrtime.bigint();
    const result = await con.runAndReadAll(sql);
    const duckSecs = Number(process.hrtime.bigint() - t1) / 1e9;

    const rows = result.getRows();
    let mismatches = 0;
    for (let k = 0; k < rows.length; k++) {
      const [, score, grade, factors] = rows[k] as [
        number,
        number | bigint,
        number,
        { items: (number | bigint)[] },
      ];
      const theirs = factors.items.map(Number);
      const mine: number[] = [];
      for (let s = 0; s < 4; s++) {
        const id = ours.keyFactors!.recordIds[k * 4 + s]!;
        if (!Number.isNaN(id)) mine.push(id);
      }
      if (
        Number(score) !== ours.scores[k] ||
        Number(grade) !== ours.grades[k] ||
        theirs.join() !== mine.join()
      )
        mismatches++;
    }
    con.closeSync();
    db.closeSync();

    const enginePeak = peakRss(); // before the store's part, which holds the columns again
    const sf = await storePart();
    async function storePart() {
      const dataDir = join(dir, 'store');
      const config = parseConfig({ ...store.env, DATA_DIR: dataDir });
      const clock: Clock = { now: () => new Date(`${asOf}T09:00:00.000Z`) };
      let p = await openPlatform(config, { clock });
      await registerSource({
        ctx: p.ctx(operator, 'bench'),
        catalogue,
        input: { code: 'bench-court', kind: 'court' },
      });
      await p.close();
      log(`store (${store.backend}): writing the same ${nSubjects} persons and ${nRecords} records…`);
      const w = await openRowWriter(config.store);
      const { id: sourceId } = await w.one<{ id: number }>(
        "select id from sources where code = 'bench-court'",
      );
      const { id: context } = await w.one<{ id: number }>('select max(id) as id from audit_contexts');
      await w.insert(
        'subjects',
        SUBJECT_COLUMNS,
        (function* () {
          for (let s = 1; s <= nSubjects; s++) yield [s, 'person', `P${s}`, '张伟', `${asOf}T00:00:00.000Z`];
        })(),
      );
      await w.syncKey('subjects');
      await w.insert(
        'records',
        [
          ['id', 'bigint'],
          ['source_id', 'bigint'],
          ['source_record_id', 'text'],
          ['type', 'text'],
          ['subject_id', 'bigint'],
          ['occurred_at', 'text'],
          ['decided_at', 'text'],
          ['recorded_at', 'text'],
          ['evidence', 'text'],
          ['status', 'text'],
          ['context_id', 'bigint'],
        ],
        (function* () {
          for (let i = 0; i < nRecords; i++)
            yield [
              i + 1,
              sourceId,
              `b-${i}`,
              catalogue.items[typeOf[i]!]!.code,
              subjectOf[i]!,
              formatDay(occurredOf[i]!),
              formatDay(startOf[i]!),
              '2026-01-01T00:00:00.000Z',
              `ev-${i + 1}`,
              'active',
              context,
            ];
        })(),
      );
      await w.syncKey('records');
      if (w.backend === 'postgres') await w.all('analyze');
      await w.close();

      p = await openPlatform(config, { clock });
      try {
        // The bare driver's read: the store's keyset query, 50,000 rows a chunk, rows as arrays.
        const bare = async () => {
          const text = `select ${COLUMNS} from records where id > ? order by id limit 50000`;
          globalThis.gc?.();
          const t0 = process.hrtime.bigint();
          const n = await bareKeysetRead(config.store, text, 50_000);
          const secs = Number(process.hrtime.bigint() - t0) / 1e9;
          if (n !== nRecords) throw new Error(`the bare read gave ${n} rows`);
          return secs;
        };
        const storeRead = async () => {
          let n = 0;
          globalThis.gc?.();
          const t0 = process.hrtime.bigint();
          await p.store.scanRecordsForScoring(50_000, (rows) => {
            n += rows.length;
          });
          const secs = Number(process.hrtime.bigint() - t0) / 1e9;
          if (n !== nRecords) throw new Error(`the store's read gave ${n} rows`);
          return secs;
        };
        log(`store: its read against the bare driver's, ${rounds} alternated rounds…`);
        const reads = await alternate(rounds, bare, storeRead);
        log('store: rescoreAllSubjects end to end…');
        const cost = config.store.backend === 'postgres' ? await serverCost(config.store.url) : undefined;
        await cost?.start();
        globalThis.gc?.();
        const t0 = process.hrtime.bigint();
        const summary = await rescoreAllSubjects({
          ctx: p.ctx(operator, 'bench: full rescoring'),
          deps: { policy, catalogue },
          input: { asOf },
        });
        const rescoreSecs = Number(process.hrtime.bigint() - t0) / 1e9;
        const server = await cost?.stop();
        const gradeMismatches = GRADES.reduce(
          (d, g, i) => d + Math.abs(summary.grades[g] - ours.grades.filter((x) => x === i).length),
          0,
        );
        return {
          store_read_value: Math.round(nRecords / median(reads.ours)),
          store_read_baseline:
            store.backend === 'postgres'
              ? 'the same keyset query through pg (rows as arrays) on the same PostgreSQL'
              : 'the same keyset query through better-sqlite3 (rows as arrays)',
          store_read_baseline_value: Math.round(nRecords / median(reads.baseline)),
          store_read_ratio: Number((median(reads.baseline) / median(reads.ours)).toFixed(3)),
          store_read_rounds: reads.ours.map((o, i) => Number((reads.baseline[i]! / o).toFixed(3))),
          store_rescore_value: Math.round(nRecords / rescoreSecs),
          store_rescore_s: Number(rescoreSecs.toFixed(2)),
          store_grade_mismatches: gradeMismatches,
          ...(server
            ? { store_rescore_round_trips: server.round_trips, store_rescore_commits: server.commits }
            : {}),
        };
      } finally {
        await p.close();
      }
    }

    const value = nRecords / ourSecs;
    const baseline = nRecords / duckSecs;
    const grades = Object.fromEntries(GRADES.map((g, i) => [g, ours.grades.filter((x) => x === i).length]));
    emit({
      bench: 'rescore',
      value: Math.round(value),
      unit: 'records/s',
      baseline: 'DuckDB computing the same per-subject aggregation in SQL over the same rows',
      baseline_value: Math.round(baseline),
      ratio: Number((value / baseline).toFixed(3)),
      subjects: nSubjects,
      records: nRecords,
      mismatches,
      grades,
      ...sf,
      backend: store.backend,
      ...(store.durable === undefined ? {} : { durable: store.durable }),
      rss_after_engine_bytes: ourRss,
      peak_rss_bytes: enginePeak,
      store_peak_rss_bytes: peakRss(),
    });
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
