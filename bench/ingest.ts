/**
 * Ingest bench: end-to-end records/s through `ingestFile` (read NDJSON from a file, parse,
 * validate against the catalogue, resolve identity, idempotency, audited batched writes) on SQLite,
 * against a raw batched better-sqlite3 insert of the same rows into an identical records table;
 * with `--backend postgres`, on PostgreSQL against a raw batched multi-row insert of the same rows
 * into the same server.
 * The baseline and ours run in alternated rounds (`--rounds`, 3 by default) and the medians are
 * reported, with each round's ratio; the one-thread figure is measured once, before the rounds.
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

    // Credence, end to end from the file, as `credence ingest` runs it: checking on a worker
    // thread overlapping the batch writes; and the same on one thread, for comparison. On
    // PostgreSQL each run gets a fresh database on the same server.
    let run = 0;
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
    const r = await alternate(rounds, store.backend === 'postgres' ? pgBaselineSecs : baselineSecs, () =>
      ours(true),
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
