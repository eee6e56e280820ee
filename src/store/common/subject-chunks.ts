/**
 * Subject keys in chunks for `in (…)` lists. On PostgreSQL the per-subject tables are partitioned
 * by a hash of the subject key (migration 0022), and PostgreSQL 15 hands the whole list to every
 * partition the list reaches: 500 keys spread over 16 partitions were 8,000 index descents and a
 * plan of 16 scans with 500-element conditions each (65–115 ms against 7–30 ms unpartitioned). So
 * on PostgreSQL the keys are grouped by the partition they hash to, and each chunk names one
 * partition. The grouping is only a hint: a chunk sent to the parent table is answered right
 * whatever partitions its keys are in, so a wrong hash would cost speed, never rows.
 */
import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import { SUBJECT_PARTITIONS } from '../migrations/partitions.ts';
import type { Database } from '../schema.ts';

const CHUNK = 500;

const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * The remainder PostgreSQL's hash partitioning gives an int8 key, modulo a power of two: its
 * `hashint8extended` (the key folded to 32 bits, as int4 and int8 hash alike) under the partition
 * seed, Bob Jenkins' lookup3 `hash_bytes_uint32_extended`, then `hash_combine64(0, h)`, whose low
 * bits are those of the hash's low word plus 0x15e5a8e3 (PostgreSQL's partbounds.c, hashfn.c).
 */
export const hashPartitionOf = (key: number, modulus = SUBJECT_PARTITIONS): number => {
  const hi = Math.floor(key / 2 ** 32) >>> 0;
  let k = key >>> 0;
  k = (key >= 0 ? k ^ hi : k ^ ~hi) >>> 0;
  let a = (0x9e3779b9 + 4 + 3923095) >>> 0;
  let b = a;
  let c = a;
  // HASH_PARTITION_SEED 0x7A5B22367996DCFD: high word into a, low word into b, then mix.
  a = (a + 0x7a5b2236) >>> 0;
  b = (b + 0x7996dcfd) >>> 0;
  a = (a - c) >>> 0;
  a = (a ^ rot(c, 4)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rot(a, 6)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rot(b, 8)) >>> 0;
  b = (b + a) >>> 0;
  a = (a - c) >>> 0;
  a = (a ^ rot(c, 16)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rot(a, 19)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rot(b, 4)) >>> 0;
  b = (b + a) >>> 0;
  a = (a + k) >>> 0;
  // final(a, b, c)
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 24)) >>> 0;
  return ((c + 0x15e5a8e3) >>> 0) % modulus;
};

const isPostgres = (db: Kysely<Database> | Transaction<Database>) =>
  db.getExecutor().adapter instanceof PostgresAdapter;

/** The keys in chunks of at most 500; on PostgreSQL each chunk within one subject partition. */
export const subjectChunks = (
  db: Kysely<Database> | Transaction<Database>,
  keys: readonly number[],
): number[][] => {
  const out: number[][] = [];
  if (!isPostgres(db)) {
    for (let i = 0; i < keys.length; i += CHUNK) out.push(keys.slice(i, i + CHUNK));
    return out;
  }
  const groups = Array.from({ length: SUBJECT_PARTITIONS }, (): number[] => []);
  for (const k of keys) groups[hashPartitionOf(k)]!.push(k);
  for (const g of groups) for (let i = 0; i < g.length; i += CHUNK) out.push(g.slice(i, i + CHUNK));
  return out;
};
