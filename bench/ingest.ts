/**
 * Ingest bench: end-to-end records/s through `ingestFile` (read NDJSON from a file, parse,
 * validate against the catalogue, resolve identity, idempotency, audited batched writes) on SQLite,
 * against a raw batched better-sqlite3 insert of the same rows into an identical records table;
 * with `--backend postgres`, on PostgreSQL against a raw batched multi-row insert of the same rows
 * into the same server.
 * The baseline and ours run in alternated rounds (`--rounds`, 3 by default) and the medians are
 * reported, with each round's ratio; the one-thread figure is measured once, before the rounds.
 * On PostgreSQL `--limit true` adds a third arm, the same rows by raw SQL into the platform's own
 * layout (`layoutSecs`), reported as `limit_value` and `limit_ratio`.
 */
import { closeSync, createWriteStream, fsyncSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { AUDIT_SEQUENCER, cutAuditHead } from '../src/audit/index.ts';
import { parseConfig } from '../src/config.ts';
import { fixedClock } from '../src/context.ts';
import { makeResidentId } from '../src/identity/index.ts';
import { ingestFile } from '../src/ingest/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import { registerSource } from '../src/sources/index.ts';
import { alternate, benchBackend, emit, intArg, log, median, peakRss } from './util.ts';

const TYPES = [
  ['court.contract_lawsuit_lost', true],
  ['court.judgment_defaulter', true],
  ['court.sham_litigation', false],
  ['court.parent_support_failure', false],
] as const;
const DIVISIONS = ['110105', '310104', '440305', '510104', '371082', '510903'];

/** A deterministic line generator: ~4 records per person, valid identifiers, dates in 2021–2025. */
const makeLine = (i: number, persons: number) => {
  const p = (i * 2654435761) % persons;
  const div = DIVISIONS[p % DIVISIONS.length]!;
  const birth = `${1950 + (p % 50)}-${String(1 + (p % 12)).padStart(2, '0')}-${String(1 + (p % 28)).padStart(2, '0')}`;
  const id = makeResidentId(div, birth, 1 + ((p >> 3) % 998));
  const [type, withAmount] = TYPES[i % TYPES.length]!;
  const d = `${2021 + (i % 5)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  return {
    source_record_id: `b-${i}`,
    type,
    subject: { kind: 'person', id_number: id, name: '张伟' },
    occurred_at: d,
    decided_at: d,
    ...(withAmount ? { amount: 1000 + (i % 9000) } : {}),
    evidence: `(2024)川0104执${i}号`,
  };
};

/**
 * Each timed part starts alike: the garbage of the part before collected, and the database it
 * wrote deleted (so the kernel is not still writing it back during the next part).
 */
const settle = () => (globalThis as { gc?: () => void }).gc?.();

export const run = async (args: Record<string, string>) => {
  const n = intArg(args, 'records', 200_000);
  const persons = Math.max(1, Math.floor(n / 4));
  const rounds = intArg(args, 'rounds', 3);
  const dir = mkdtempSync(join(tmpdir(), 'credence-bench-'));
  // `--backend postgres`: a private PostgreSQL (or DATABASE_URL's server), see benchBackend.
  const store = await benchBackend(args, 'credence_ingest_bench');
  try {
    const file = join(dir, 'records.ndjson');
    log(`ingest bench: writing ${n} records for ${persons} persons…`);
    const out = createWriteStream(file);
    for (let i = 0; i < n; i++) {
      const l = makeLine(i, persons);
      if (!out.write(`${JSON.stringify(l)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    // Written back to disk now, not by the kernel in the middle of a timed part.
    const fd = openSync(file, 'r');
    fsyncSync(fd);
    closeSync(fd);

    // Baseline: the same rows, already in memory, inserted with one prepared statement in batches.
    // The rows are made afresh for each round (untimed) and dropped before our turn.
    const baselineSecs = async (): Promise<number> => {
      const rows = Array.from({ length: n }, (_, i) => makeLine(i, persons));
      const dbFile = join(dir, 'baseline.db');
      const raw = new Database(dbFile);
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      raw.exec(`create table records (id integer primary key autoincrement, source_id integer not null, source_record_id text not null,
        type text not null, subject_id integer not null, occurred_at text not null, decided_at text, disclosed_at text,
        recorded_at text not null, amount double precision, evidence text, note text, status text not null default 'active',
        unique (source_id, source_record_id))`);
      const ins = raw.prepare(
        `insert into records (source_id, source_record_id, type, subject_id, occurred_at, decided_at, disclosed_at, recorded_at, amount, evidence, note)
         values (1, ?, ?, ?, ?, ?, null, ?, ?, ?, null)`,
      );
      const now = new Date().toISOString();
      const insertMany = raw.transaction((batch: typeof rows, from: number) => {
        for (let k = 0; k < batch.length; k++) {
          const r = batch[k]!;
          ins.run(
            r.source_record_id,
            r.type,
            (from + k) % persons,
            r.occurred_at,
            r.decided_at,
            now,
            r.amount ?? null,
            r.evidence,
          );
        }
      });
      settle();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i += 5000) insertMany(rows.slice(i, i + 5000), i);
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      raw.close();
      for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
      return secs;
    };

    // On PostgreSQL: the same rows into the same server, 5,000 a statement (a multi-row insert of
    // column arrays through unnest, as the platform's batch write passes them), each batch
    // committed, into a fresh table like the SQLite baseline's.
    const url = store.backend === 'postgres' ? await store.database('credence_ingest_baseline') : '';
    let run = 0;
    const pgBaselineSecs = async (): Promise<number> => {
      const rows = Array.from({ length: n }, (_, i) => makeLine(i, persons));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('drop table if exists records');
        await client.query(`create table records (id bigserial primary key, source_id bigint not null,
          source_record_id text not null, type text not null, subject_id bigint not null, occurred_at text not null,
          decided_at text, disclosed_at text, recorded_at text not null, amount double precision, evidence text,
          note text, status text not null default 'active', unique (source_id, source_record_id))`);
        const now = new Date().toISOString();
        settle();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < n; i += 5000) {
          const batch = rows.slice(i, i + 5000);
          await client.query(
            `insert into records (source_id, source_record_id, type, subject_id, occurred_at, decided_at,
               disclosed_at, recorded_at, amount, evidence, note)
             select 1, r, t, s, o, d, null, $7, a, e, null
             from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::float8[], $8::text[])
               as u(r, t, s, o, d, a, e)`,
            [
              batch.map((r) => r.source_record_id),
              batch.map((r) => r.type),
              batch.map((_, k) => (i + k) % persons),
              batch.map((r) => r.occurred_at),
              batch.map((r) => r.decided_at),
              batch.map((r) => r.amount ?? null),
              now,
              batch.map((r) => r.evidence),
            ],
          );
        }
        return Number(process.hrtime.bigint() - t0) / 1e9;
      } finally {
        await client.query('drop table if exists records').catch(() => {});
        await client.end();
      }
    };

    // The limit on PostgreSQL (`--limit true`): the same rows written by raw SQL into the platform's
    // own layout, freshly migrated, 5,000 a transaction as ours writes them — each new person a
    // subject, each record's key claimed in record_keys and the record stored in its partition,
    // one audit entry a batch — with no parsing, checking or identity resolution: what the layout
    // itself costs against the baseline's one plain table.
    const layoutSecs = async (): Promise<number> => {
      const url = await store.database(`credence_ingest_limit_${++run}`);
      const migrated = await openPlatform(parseConfig({ DATABASE_URL: url, DATA_DIR: join(dir, 'limit') }));
      await registerSource({
        ctx: migrated.ctx({ id: 'operator:bench', role: 'operator' }, 'benchmark'),
        catalogue: migrated.catalogue,
        input: { code: 'bench-court', kind: 'court' },
      });
      await migrated.close();
      const rows = Array.from({ length: n }, (_, i) => makeLine(i, persons));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const source = Number(
          (await client.query("select id from sources where code = 'bench-court'")).rows[0].id,
        );
        const at = new Date().toISOString();
        settle();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < n; i += 5000) {
          const batch = rows.slice(i, i + 5000);
          await client.query('begin');
          const context = Number(
            (
              await client.query(
                `insert into audit_contexts (at, actor, role, purpose, request_id)
                 values ($1, 'source:bench-court', 'source', 'ingest', null) returning id`,
                [at],
              )
            ).rows[0].id,
          );
          const people = [...new Set(batch.map((r) => r.subject.id_number))];
          await client.query(
            `insert into subjects (kind, identifier, name, created_at, context_id)
             select 'person', i, '张伟', $2, $3 from unnest($1::text[]) as t(i)
             on conflict (identifier) do nothing`,
            [people, at, context],
          );
          const idOf = new Map<string, number>(
            (
              await client.query('select id, identifier from subjects where identifier = any($1::text[])', [
                people,
              ])
            ).rows.map((r: { id: string; identifier: string }) => [r.identifier, Number(r.id)]),
          );
          await client.query(
            `with t as (
               select * from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::float8[], $7::text[])
                 with ordinality as t(sri, ty, sid, oa, da, am, ev, o)
             ), k as (
               insert into record_keys (source_id, source_record_id, subject_id, record_id)
               select $8, sri, sid, nextval('records_id_seq') from t order by o
               on conflict (source_id, source_record_id) do nothing
               returning source_record_id, record_id
             )
             insert into records (id, source_id, source_record_id, type, subject_id, occurred_at, decided_at,
               disclosed_at, recorded_at, amount, evidence, note, status, context_id)
             select k.record_id, $8, sri, ty, sid, oa, da, null, $9, am, ev, null, 'active', $10
             from t join k on k.source_record_id = t.sri order by k.record_id`,
            [
              batch.map((r) => r.source_record_id),
              batch.map((r) => r.type),
              batch.map((r) => idOf.get(r.subject.id_number)),
              batch.map((r) => r.occurred_at),
              batch.map((r) => r.decided_at),
              batch.map((r) => r.amount ?? null),
              batch.map((r) => r.evidence),
              source,
              at,
              context,
            ],
          );
          await client.query(
            `insert into audit_log (context_id, subject_id, action, detail, leaf_hash)
             values ($1, null, 'records.create', $2, $3)`,
            [context, `${batch.length} records`, Buffer.alloc(32)],
          );
          await client.query('commit');
        }
        return Number(process.hrtime.bigint() - t0) / 1e9;
      } finally {
        await client.end();
      }
    };

    // Credence, end to end from the file, as `credence ingest` runs it: checking on a worker
    // thread overlapping the batch writes; and the same on one thread, for comparison. On
    // PostgreSQL each run gets a fresh database on the same server.
    const ours = async (parallel: boolean) => {
      const dataDir = join(dir, `credence-${parallel}`);
      const env: Record<string, string> =
        store.backend === 'postgres'
          ? { DATABASE_URL: await store.database(`credence_ingest_${++run}`) }
          : {};
      const platform = await openPlatform(parseConfig({ ...env, DATA_DIR: dataDir }), {
        clock: fixedClock('2026-06-01T00:00:00Z'),
      });
      const ctx = platform.ctx({ id: 'operator:bench', role: 'operator' }, 'benchmark');
      await registerSource({
        ctx,
        catalogue: platform.catalogue,
        input: { code: 'bench-court', kind: 'court' },
      });
      settle();
      const t = process.hrtime.bigint();
      const summary = await ingestFile({
        ctx,
        input: { source: 'bench-court', file, format: 'ndjson', catalogue: platform.catalogue, parallel },
      });
      // As `credence ingest` ends: the batches' audit entries join the tree under a signed head.
      await cutAuditHead({
        ctx: platform.ctx(AUDIT_SEQUENCER, 'sign the audit log head'),
        deps: platform.audit,
      });
      const secs = Number(process.hrtime.bigint() - t) / 1e9;
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (summary.accepted !== n) throw new Error(`expected ${n} accepted, got ${JSON.stringify(summary)}`);
      return secs;
    };
    log('Credence: ingestFile, one thread (once)…');
    const singleSecs = await ours(false);
    log(`baseline and Credence (checking on a worker thread) in ${rounds} alternated rounds…`);
    const withLimit = args['limit'] === 'true';
    if (withLimit && store.backend !== 'postgres') throw new Error('--limit true runs on PostgreSQL only');
    const r = await alternate(
      rounds,
      store.backend === 'postgres' ? pgBaselineSecs : baselineSecs,
      () => ours(true),
      withLimit ? layoutSecs : undefined,
    );
    const values = r.ours.map((secs) => n / secs);
    const baselines = r.baseline.map((secs) => n / secs);
    const value = median(values);
    const baseline = median(baselines);
    emit({
      bench: 'ingest',
      value: Math.round(value),
      unit: 'records/s',
      baseline:
        store.backend === 'postgres'
          ? 'raw batched multi-row insert (unnest of column arrays, 5,000 rows a statement) of the same rows into the same PostgreSQL'
          : 'raw batched better-sqlite3 insert of the same rows',
      baseline_value: Math.round(baseline),
      ratio: Number((value / baseline).toFixed(3)),
      rounds: values.map((v, i) => Number((v / baselines[i]!).toFixed(3))),
      single_thread_value: Math.round(n / singleSecs),
      single_thread_ratio: Number((n / singleSecs / baseline).toFixed(3)),
      ...(withLimit
        ? {
            limit:
              "raw SQL into the platform's own layout (subjects, record_keys, partitioned records, an audit entry a batch)",
            limit_value: Math.round(median(r.limit.map((secs) => n / secs))),
            limit_ratio: Number((median(r.limit.map((secs) => n / secs)) / baseline).toFixed(3)),
            limit_rounds: r.limit.map((secs, i) => Number((n / secs / baselines[i]!).toFixed(3))),
          }
        : {}),
      records: n,
      subjects: persons,
      backend: store.backend,
      ...(store.durable === undefined ? {} : { durable: store.durable }),
      peak_rss_bytes: peakRss(),
    });
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
