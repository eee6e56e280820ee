/**
 * Rescore bench: full rescoring of every subject with key factors by the engine over its
 * in-memory columns, against DuckDB computing the same per-subject aggregation in SQL over the
 * same rows in the same run. Both sides are timed on the computation only (data already loaded).
 *
 * The generated data keeps to what one SQL statement can state exactly: persons, active records
 * all known before the as-of day, one act per record, no cures, no amount steps. The run checks
 * that both sides give the same score, grade and key factors for every subject, and reports the
 * number of mismatches.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../src/catalogue/index.ts';
import { loadListPolicy } from '../src/lists/index.ts';
import {
  ColumnBuilder,
  DEFAULT_SCORING_POLICY_PATH,
  type EngineSubject,
  formatDay,
  GRADES,
  loadScoringPolicyFile,
  parseDay,
  rescoreAll,
} from '../src/scoring/index.ts';
import { compileTables } from '../src/scoring/tables.ts';
import { emit, intArg, log, peakRss, rng } from './util.ts';

export const run = async (args: Record<string, string>) => {
  const nSubjects = intArg(args, 'subjects', 200_000);
  const nRecords = intArg(args, 'records', 2_000_000);
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
  try {
    log(`rescore bench: generating ${nRecords} records for ${nSubjects} persons…`);
    const random = rng(42);
    const builder = new ColumnBuilder(catalogue, nRecords);
    const csv = createWriteStream(join(dir, 'records.csv'));
    csv.write('id,subject,type,start_day,occurred_day\n');
    const subjectOf = new Int32Array(nRecords);
    for (let i = 0; i < nRecords; i++) subjectOf[i] = 1 + Math.floor(random() * nSubjects);
    subjectOf.sort(); // records arrive grouped by subject, as a store scan by subject gives them
    let buf = '';
    for (let i = 0; i < nRecords; i++) {
      const type = pick(random());
      const start = A - Math.floor(random() * 6 * 365);
      const occurred = start - Math.floor(random() * 60);
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
    // start counts ×multiplier, worst direct grade caps the band, four key factors.
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
               list(id order by grade desc, abs(pts) desc, occurred_day desc, id desc)
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
      )
      select subject, score,
             case when worst = 0 then by_points when worst = 1 then greatest(by_points, 3)
                  when worst = 2 then greatest(by_points, 4)
                  when by_points <= 2 then 5 when by_points = 3 then 6 else 7 end as grade,
             factors[1:4] as factors
      from g order by subject`;
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
      rss_after_engine_bytes: ourRss,
      peak_rss_bytes: peakRss(),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
