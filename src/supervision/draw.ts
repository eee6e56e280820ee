/**
 * The reproducible inspection draw ("double random, one public"; REFERENCE.md "Publicly verifiable
 * random selection", after RFC 3797): a plan is a pure function of the policy, a public seed fixed
 * after the snapshots, the target snapshot, the roster snapshot and the last inspectors of the
 * drawn targets. Anyone holding the published inputs re-runs it and gets the same plan
 * (`verifyPlan`). Everything below is the specification a third party implements.
 *
 * Conventions. Text is ASCII (ids are 1–64 printable ASCII characters other than `,` and `;`,
 * which USCCs satisfy); "sorted" means by bytes, ascending; a hash is SHA-256 written as 64
 * lowercase hex digits; HMAC is HMAC-SHA256 (RFC 2104) keyed with the seed's bytes (the seed is
 * given as hex); numbers in messages are decimal without leading zeros; `\n` is byte 0x0A.
 *
 * 1. Target snapshot. One line `<id>,<class>,<r>\n` per target (`r` 1 when red-listed, else 0),
 *    the lines sorted, concatenated: `targetsHash` = SHA-256 of that text. Ids are unique.
 *    Example line: `91350100M000100Y0Q,B,0\n`.
 * 2. Roster snapshot. One line `<id>,<c1>;<c2>;…\n` per inspector, its declared conflicts (the
 *    ids of targets it may not inspect) deduplicated and sorted (nothing after the comma when it
 *    has none), the lines sorted: `rosterHash` = SHA-256 of that text. The roster's order is the
 *    order of these lines; inspector `i` is the i-th line (from 0), `m` the roster's size.
 * 3. Targets, per class A, B, C, D. The class's population `n` is its targets that may be drawn
 *    (red-listed ones are left out when the policy's `red_listed.drawn` is false). With the
 *    class's ratio, band min and band max written in millionths (r, lo, hi: whole numbers), the
 *    count drawn is k = floor((r·n + 500000) / 1000000) (ratio × n rounded half up, exactly),
 *    then brought inside the band [ceil(lo·n / 10⁶), floor(hi·n / 10⁶)] when that interval holds
 *    a whole number. The population is ordered by
 *        HMAC(seed, "target\n" + policyVersion + "\n" + targetsHash + "\n" + id)
 *    as a 32-byte big-endian number, ascending, ties by id; the first k are drawn, in that order.
 * 4. Inspectors. The drawn targets are taken class D first, then C, B, A (the highest risk first,
 *    so a workload cap binds on the lowest), each class in its draw order. For target `t`, for
 *    j = 0, 1, …, 15: compute
 *        HMAC(seed, "inspector\n" + policyVersion + "\n" + rosterHash + "\n" + t + "\n" + j)
 *    and read it as eight 32-bit big-endian unsigned words w; for each w in turn, skip it when
 *    w ≥ 2³² − (2³² mod m) (rejection, so that every inspector is equally likely), else the
 *    candidate is inspector (w mod m). A candidate is taken when it was not taken for `t` already,
 *    has not declared a conflict with `t`, is not among `t`'s last inspectors, and has fewer than
 *    `workload_cap` targets in this plan. Stop once `inspectors_per_target` are taken. When the 16
 *    blocks (128 candidates) did not suffice, candidates are then inspectors 0, 1, …, m − 1 in
 *    order, under the same conditions. A target given its full pair is assigned (inspectors
 *    listed in the order taken) and each of them counts one target against the cap; a target
 *    that could not be is unassigned, with the reason, and counts against nobody.
 * 5. History snapshot. One line `<t>,<i1>;<i2>;…\n` per drawn target whose last inspectors were
 *    given (non-empty; deduplicated and sorted), the lines sorted: `historyHash` = SHA-256 of
 *    that text (of the empty text when there is none). Only the drawn targets' histories can
 *    change a plan, so only they are committed to.
 *
 * Speed: a million targets need a million HMACs. HMAC keys are fixed per plan and the message
 * prefixes are fixed per phase, so the SHA-256 states after (key ⊕ ipad ‖ prefix) and
 * (key ⊕ opad) are computed once and each HMAC costs two compressions in JavaScript, about
 * 0.9 µs on the 2-core bench machine (bench/inspections.ts `hmac_only_ms`); node's createHmac,
 * createHash().copy() and crypto.hash all cost 3.4–4.4 µs a target there, in object and call
 * overhead. The snapshot's sort is a radix sort over the lines' bytes (`targetSnapshot`).
 */
import { createHash } from 'node:crypto';
import { invalidInput } from '../shared/errors.ts';
import { type ClassRatio, RISK_CLASSES, type RiskClass, type SupervisionPolicy } from './policy.ts';

export interface DrawTarget {
  /** The organization's or public body's id (its USCC). */
  id: string;
  class: RiskClass;
  redListed: boolean;
}

export interface RosterInspector {
  id: string;
  /** Ids (USCCs) of the targets the inspector declared a conflict of interest with. */
  conflicts: readonly string[];
}

export interface DrawInput {
  /** The supervision policy's version (SHA-256 of its file); must be the policy's. */
  policyVersion: string;
  /** The public seed, hex (e.g. SHA-256 of a signed audit tree head), fixed after the snapshots. */
  seed: string;
  targets: readonly DrawTarget[];
  roster: readonly RosterInspector[];
  /** Target id → the inspector ids of its last inspection. */
  lastInspectors: Readonly<Record<string, readonly string[]>>;
}

export type DrawPolicy = Pick<
  SupervisionPolicy,
  'version' | 'ratios' | 'redListed' | 'inspectorsPerTarget' | 'workloadCap'
>;

export interface ClassDraw {
  class: RiskClass;
  /** Targets of the class that could be drawn (red-listed ones excluded when they are exempt). */
  population: number;
  /** Red-listed targets of the class left undisturbed. */
  redListed: number;
  drawn: number;
  /** The policy's ratio for the class. */
  ratio: number;
}

export interface Assignment {
  target: string;
  class: RiskClass;
  /** In the order drawn. */
  inspectors: string[];
}

export interface Unassigned {
  target: string;
  class: RiskClass;
  reason: string;
}

export interface DrawnPlan {
  policyVersion: string;
  seed: string;
  targetsHash: string;
  rosterHash: string;
  historyHash: string;
  perClass: ClassDraw[];
  /** Drawn targets given their inspectors, in assignment order (D, C, B, A; draw order within). */
  assignments: Assignment[];
  /** Drawn targets no eligible set of inspectors could take, in the same order. */
  unassigned: Unassigned[];
}

// ---------------------------------------------------------------------------------------------
// SHA-256 (FIPS 180-4) compression and HMAC (RFC 2104) with precomputed prefix states.

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const W = new Int32Array(64);

/** One SHA-256 compression of the 16 words in W[0..15] into `st`. */
const compress = (st: Int32Array): void => {
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!;
    const y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = st[0]!;
  let b = st[1]!;
  let c = st[2]!;
  let d = st[3]!;
  let e = st[4]!;
  let f = st[5]!;
  let g = st[6]!;
  let h = st[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  st[0] = (st[0]! + a) | 0;
  st[1] = (st[1]! + b) | 0;
  st[2] = (st[2]! + c) | 0;
  st[3] = (st[3]! + d) | 0;
  st[4] = (st[4]! + e) | 0;
  st[5] = (st[5]! + f) | 0;
  st[6] = (st[6]! + g) | 0;
  st[7] = (st[7]! + h) | 0;
};

/** Loads the 64 bytes at `off` into W[0..15] as big-endian words. */
const loadBlock = (bytes: Uint8Array, off: number): void => {
  for (let i = 0; i < 16; i++) {
    const o = off + 4 * i;
    W[i] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!;
  }
};

/** The longest suffix `digest` takes (an id, a newline and a counter). */
const MAX_SUFFIX = 96;

/**
 * HMAC-SHA256(key, prefix ‖ suffix) for a fixed key and prefix and many ASCII suffixes: the SHA-256
 * states after key ⊕ ipad ‖ prefix (whole blocks) and after key ⊕ opad are computed once, so one
 * HMAC of a short suffix costs two compressions.
 */
export class PrefixedHmac {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);
  readonly #tail: Uint8Array;
  readonly #hashed: number;
  readonly #buf = new Uint8Array(64 * 4);
  readonly #st = new Int32Array(8);

  constructor(key: Uint8Array, prefix: string) {
    let k = key;
    if (k.length > 64) k = createHash('sha256').update(k).digest();
    const ipad = new Uint8Array(64).fill(0x36);
    const opad = new Uint8Array(64).fill(0x5c);
    for (let i = 0; i < k.length; i++) {
      ipad[i]! ^= k[i]!;
      opad[i]! ^= k[i]!;
    }
    const p = Buffer.from(prefix, 'latin1');
    const msg = new Uint8Array(64 + p.length);
    msg.set(ipad, 0);
    msg.set(p, 64);
    const whole = msg.length - (msg.length % 64);
    this.#inner.set(IV);
    for (let off = 0; off < whole; off += 64) {
      loadBlock(msg, off);
      compress(this.#inner);
    }
    this.#tail = msg.slice(whole);
    this.#hashed = whole;
    this.#outer.set(IV);
    loadBlock(opad, 0);
    compress(this.#outer);
  }

  /** HMAC of prefix ‖ suffix (ASCII, at most 96 characters) into out[at..at+8) as 32-bit words. */
  digest(suffix: string, out: Int32Array, at: number): void {
    const buf = this.#buf;
    const tail = this.#tail;
    buf.set(tail, 0);
    let pos = tail.length;
    const n = suffix.length;
    if (n > MAX_SUFFIX) throw new RangeError('suffix too long');
    for (let i = 0; i < n; i++) buf[pos++] = suffix.charCodeAt(i);
    const bits = (this.#hashed + pos) * 8;
    buf[pos++] = 0x80;
    const end = (pos + 8 + 63) & ~63;
    buf.fill(0, pos, end - 4);
    // the message length in bits, 64-bit big-endian (its high word is 0 below 512 MiB)
    buf[end - 4] = bits >>> 24;
    buf[end - 3] = (bits >>> 16) & 0xff;
    buf[end - 2] = (bits >>> 8) & 0xff;
    buf[end - 1] = bits & 0xff;
    const st = this.#st;
    st.set(this.#inner);
    for (let off = 0; off < end; off += 64) {
      loadBlock(buf, off);
      compress(st);
    }
    for (let i = 0; i < 8; i++) W[i] = st[i]!;
    W[8] = 0x80000000 | 0;
    for (let i = 9; i < 15; i++) W[i] = 0;
    W[15] = (64 + 32) * 8;
    st.set(this.#outer);
    compress(st);
    for (let i = 0; i < 8; i++) out[at + i] = st[i]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Snapshots.

// Printable ASCII without `,` (0x2c) and `;` (0x3b): the separators of the canonical texts.
const ID = /^[\x21-\x2b\x2d-\x3a\x3c-\x7e]{1,64}$/;
const HEX = /^(?:[0-9a-f]{2})+$/i;

const checkId = (id: unknown, what: string): string => {
  if (typeof id !== 'string' || !ID.test(id))
    throw invalidInput(
      `${what} ${JSON.stringify(id)} is not a valid id: 1 to 64 printable ASCII characters other than "," and ";"`,
    );
  return id;
};

const sha256OfLines = (lines: readonly string[]): string => {
  const h = createHash('sha256');
  const CHUNK = 65_536;
  for (let i = 0; i < lines.length; i += CHUNK) h.update(lines.slice(i, i + CHUNK).join(''), 'latin1');
  return h.digest('hex');
};

const CLASS_SET: ReadonlySet<string> = new Set(RISK_CLASSES);

// ID's characters, for the target snapshot's own scan.
const ID_CHAR = new Uint8Array(128);
for (let c = 0x21; c <= 0x7e; c++) if (c !== 0x2c && c !== 0x3b) ID_CHAR[c] = 1;

/**
 * The target snapshot's canonical text (step 1) as bytes; `invalid_input` on a bad or repeated id
 * or a bad class. One pass over the targets writes each line's bytes twice, row by row (to write
 * the text) and column by column (to sort), padded with zero bytes to the longest line; a
 * least-significant-digit radix sort over the columns then orders the lines (a line shorter than
 * another reads as ending in zero bytes, which is byte order). About a third of the cost of
 * sorting a million id strings, which chase pointers where this reads arrays in order.
 */
const targetSnapshot = (
  targets: readonly DrawTarget[],
): { text: Buffer; ids: string[]; classes: Uint8Array; red: Uint8Array } => {
  const n = targets.length;
  // One read of the target objects; later passes use these arrays.
  const ids = new Array<string>(n);
  const classes = new Uint8Array(n); // the class letter's code
  const red = new Uint8Array(n); // 0x31 red-listed, 0x30 not
  let maxLen = 0;
  for (let i = 0; i < n; i++) {
    const t = targets[i]!;
    const id = t.id;
    if (typeof id !== 'string' || id.length < 1 || id.length > 64) checkId(id, 'target');
    if (id.length > maxLen) maxLen = id.length;
    if (!CLASS_SET.has(t.class))
      throw invalidInput(`target ${id}: class ${JSON.stringify(t.class)} is not one of A, B, C, D`);
    ids[i] = id;
    classes[i] = t.class.charCodeAt(0);
    red[i] = t.redListed ? 0x31 : 0x30;
  }
  const S = maxLen + 5; // `<id>,<class>,<r>\n`
  const rows = new Uint8Array(n * S);
  const cols = new Uint8Array(n * S);
  const lens = new Uint8Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    const L = id.length;
    const base = i * S;
    for (let k = 0; k < L; k++) {
      const c = id.charCodeAt(k);
      if (c > 127 || ID_CHAR[c] === 0) checkId(id, 'target');
      rows[base + k] = c;
      cols[k * n + i] = c;
    }
    const c = classes[i]!;
    const r = red[i]!;
    rows[base + L] = 0x2c;
    rows[base + L + 1] = c;
    rows[base + L + 2] = 0x2c;
    rows[base + L + 3] = r;
    rows[base + L + 4] = 0x0a;
    cols[L * n + i] = 0x2c;
    cols[(L + 1) * n + i] = c;
    cols[(L + 2) * n + i] = 0x2c;
    cols[(L + 3) * n + i] = r;
    cols[(L + 4) * n + i] = 0x0a;
    lens[i] = L + 5;
    total += L + 5;
  }
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  const count = new Int32Array(256);
  for (let k = S - 1; k >= 0; k--) {
    const col = cols.subarray(k * n, (k + 1) * n);
    count.fill(0);
    for (let i = 0; i < n; i++) count[col[i]!]!++;
    if (n === 0 || count[col[0]!] === n) continue; // every line has the same byte here
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      next[count[col[i]!]!++] = i;
    }
    const swap = order;
    order = next;
    next = swap;
  }
  const text = Buffer.allocUnsafe(total);
  let p = 0;
  let prev = -1;
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    const base = i * S;
    const len = lens[i]!;
    // The lines of one id are adjacent once sorted (nothing else starts with `<id>,`).
    if (prev >= 0 && lens[prev] === len) {
      const pb = prev * S;
      let k = 0;
      while (k < len - 5 && rows[pb + k] === rows[base + k]) k++;
      if (k === len - 5) throw invalidInput(`target ${ids[i]} appears twice in the snapshot`);
    }
    for (let k = 0; k < len; k++) text[p++] = rows[base + k]!;
    prev = i;
  }
  return { text, ids, classes, red };
};

/** The target snapshot's canonical text (step 1). */
export const targetsCanonicalText = (targets: readonly DrawTarget[]): string =>
  targetSnapshot(targets).text.toString('latin1');

/** SHA-256 (hex) of the target snapshot's canonical text. */
export const targetsSnapshotHash = (targets: readonly DrawTarget[]): string =>
  createHash('sha256').update(targetSnapshot(targets).text).digest('hex');

const uniqueSorted = (ids: readonly string[], what: string): string[] => {
  const out = [...new Set(ids.map((id) => checkId(id, what)))];
  out.sort();
  return out;
};

interface RosterEntry {
  id: string;
  conflicts: string[];
  line: string;
}

/** The roster in its canonical order (step 2); `invalid_input` on a bad or repeated id. */
const rosterOrder = (roster: readonly RosterInspector[]): RosterEntry[] => {
  const entries = roster.map((r) => {
    const id = checkId(r.id, 'inspector');
    const conflicts = uniqueSorted(r.conflicts, `inspector ${id}: conflict`);
    return { id, conflicts, line: `${id},${conflicts.join(';')}\n` };
  });
  entries.sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.id)) throw invalidInput(`inspector ${e.id} appears twice in the roster`);
    seen.add(e.id);
  }
  return entries;
};

/** The roster snapshot's canonical text (step 2). */
export const rosterCanonicalText = (roster: readonly RosterInspector[]): string =>
  rosterOrder(roster)
    .map((e) => e.line)
    .join('');

/** SHA-256 (hex) of the roster snapshot's canonical text. */
export const rosterSnapshotHash = (roster: readonly RosterInspector[]): string =>
  sha256OfLines(rosterOrder(roster).map((e) => e.line));

// ---------------------------------------------------------------------------------------------
// The draw.

const M = 1_000_000;

/** How many of a class's population are drawn (step 3), exactly in millionths. */
export const drawCount = (population: number, band: ClassRatio): number => {
  const r = Math.round(band.ratio * M);
  const lo = Math.round(band.min * M);
  const hi = Math.round(band.max * M);
  let k = Math.floor((r * population + M / 2) / M);
  const kMin = Math.floor((lo * population + M - 1) / M);
  const kMax = Math.floor((hi * population) / M);
  if (kMin <= kMax) k = Math.min(Math.max(k, kMin), kMax);
  return Math.min(k, population);
};

const checkInput = (input: DrawInput, policy: DrawPolicy): { seed: string; key: Buffer } => {
  if (input.policyVersion !== policy.version)
    throw invalidInput(
      `the plan's policy version ${input.policyVersion} is not the policy's (${policy.version}): ` +
        'a draw is reproducible only under the policy it cites',
    );
  if (!/^[\x20-\x7e]{1,128}$/.test(input.policyVersion))
    throw invalidInput('the policy version must be 1 to 128 printable ASCII characters');
  if (typeof input.seed !== 'string' || !HEX.test(input.seed))
    throw invalidInput('the seed must be hex (an even number of hex digits, at least two)');
  const seed = input.seed.toLowerCase();
  return { seed, key: Buffer.from(seed, 'hex') };
};

/** The targets drawn per class (steps 1 and 3). */
export interface TargetDraw {
  targetsHash: string;
  perClass: ClassDraw[];
  /** The drawn targets per class A, B, C, D, each in draw order. */
  drawn: Record<RiskClass, string[]>;
}

/** Steps 1 and 3 alone: the target snapshot's hash and the targets drawn in each class. */
export const drawTargets = (input: DrawInput, policy: DrawPolicy): TargetDraw => {
  const { key } = checkInput(input, policy);
  const { text, ids, classes, red: redFlag } = targetSnapshot(input.targets);
  const targetsHash = createHash('sha256').update(text).digest('hex');
  const hmac = new PrefixedHmac(key, `target\n${input.policyVersion}\n${targetsHash}\n`);

  // The drawable targets, grouped by class.
  const n = ids.length;
  const classOf = new Uint8Array(n);
  const counts = [0, 0, 0, 0];
  const red = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const c = classes[i]! - 65;
    classOf[i] = c;
    if (redFlag[i] === 0x31 && !policy.redListed.drawn) {
      red[c]!++;
      classOf[i] = 255;
    } else counts[c]!++;
  }
  const members = counts.map((k) => new Int32Array(k));
  const fill = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const c = classOf[i]!;
    if (c !== 255) members[c]![fill[c]!++] = i;
  }

  const perClass: ClassDraw[] = [];
  const drawn = { A: [], B: [], C: [], D: [] } as Record<RiskClass, string[]>;
  RISK_CLASSES.forEach((cls, c) => {
    const idx = members[c]!;
    const pop = idx.length;
    const band = policy.ratios[cls];
    const k = drawCount(pop, band);
    perClass.push({ class: cls, population: pop, redListed: red[c]!, drawn: k, ratio: band.ratio });
    if (k === 0) return;
    // Order by the full 256-bit HMAC; a 53-bit key of its first bits (two words) finds the k
    // smallest, and only those are compared in full.
    const words = new Int32Array(pop * 8);
    const keys = new Float64Array(pop);
    for (let j = 0; j < pop; j++) {
      hmac.digest(ids[idx[j]!]!, words, j * 8);
      keys[j] = (words[j * 8]! >>> 0) * 2097152 + ((words[j * 8 + 1]! >>> 0) >>> 11);
    }
    const threshold = kthSmallest(keys.slice(), k - 1);
    const picked: number[] = [];
    for (let j = 0; j < pop; j++) if (keys[j]! <= threshold) picked.push(j);
    picked.sort((a, b) => {
      for (let w = 0; w < 8; w++) {
        const x = words[a * 8 + w]! >>> 0;
        const y = words[b * 8 + w]! >>> 0;
        if (x !== y) return x - y;
      }
      const p = ids[idx[a]!]!;
      const q = ids[idx[b]!]!;
      return p < q ? -1 : p > q ? 1 : 0;
    });
    const out = drawn[cls];
    for (let j = 0; j < k; j++) out.push(ids[idx[picked[j]!]!]!);
  });
  return { targetsHash, perClass, drawn };
};

/** The k-th smallest (from 0) of `a` (reordered in place): Hoare's selection, median of three. */
const kthSmallest = (a: Float64Array, k: number): number => {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
};

const ASSIGNMENT_ORDER: readonly RiskClass[] = ['D', 'C', 'B', 'A'];
const BLOCKS = 16;

/** Draws a plan (steps 1–5 of the header). Pure: the same inputs give the same plan. */
export const drawPlan = (input: DrawInput, policy: DrawPolicy): DrawnPlan => {
  const { seed, key } = checkInput(input, policy);
  const { targetsHash, perClass, drawn } = drawTargets(input, policy);
  const roster = rosterOrder(input.roster);
  const rosterHash = sha256OfLines(roster.map((e) => e.line));
  const m = roster.length;
  const indexOf = new Map(roster.map((e, i) => [e.id, i]));
  const conflicted = new Map<string, number[]>();
  roster.forEach((e, i) => {
    for (const t of e.conflicts) {
      const list = conflicted.get(t);
      if (list) list.push(i);
      else conflicted.set(t, [i]);
    }
  });

  const perTarget = policy.inspectorsPerTarget;
  const cap = policy.workloadCap;
  const load = new Int32Array(m);
  // mark[i] === stamp: inspector i is out for the current target (conflicted, last time, taken)
  const mark = new Int32Array(m);
  let stamp = 0;
  const limit = m === 0 ? 0 : 2 ** 32 - (2 ** 32 % m);
  const hmac = new PrefixedHmac(key, `inspector\n${input.policyVersion}\n${rosterHash}\n`);
  const words = new Int32Array(8);
  const taken: number[] = [];
  const assignments: Assignment[] = [];
  const unassigned: Unassigned[] = [];
  const historyLines: string[] = [];
  const history = input.lastInspectors;

  const tryTake = (i: number): boolean => {
    if (mark[i] === stamp || load[i]! >= cap) return false;
    mark[i] = stamp;
    taken.push(i);
    return taken.length === perTarget;
  };

  for (const cls of ASSIGNMENT_ORDER) {
    for (const t of drawn[cls]) {
      stamp++;
      taken.length = 0;
      const conflicts = conflicted.get(t) ?? [];
      for (const i of conflicts) mark[i] = stamp;
      const last = Object.hasOwn(history, t) ? history[t]! : [];
      let lastOnRoster = 0;
      if (last.length > 0) {
        const ids = uniqueSorted(last, `last inspector of ${t}`);
        historyLines.push(`${t},${ids.join(';')}\n`);
        for (const id of ids) {
          const i = indexOf.get(id);
          if (i !== undefined && mark[i] !== stamp) {
            mark[i] = stamp;
            lastOnRoster++;
          }
        }
      }
      let full = false;
      for (let j = 0; j < BLOCKS && !full && m > 0; j++) {
        hmac.digest(`${t}\n${j}`, words, 0);
        for (let w = 0; w < 8 && !full; w++) {
          const x = words[w]! >>> 0;
          if (x < limit) full = tryTake(x % m);
        }
      }
      for (let i = 0; i < m && !full; i++) full = tryTake(i);
      if (full) {
        for (const i of taken) load[i]!++;
        assignments.push({ target: t, class: cls, inspectors: taken.map((i) => roster[i]!.id) });
      } else {
        let atCap = 0;
        for (let i = 0; i < m; i++) if (load[i]! >= cap && !taken.includes(i)) atCap++;
        unassigned.push({
          target: t,
          class: cls,
          reason:
            m === 0
              ? 'the roster is empty'
              : `only ${taken.length} of ${perTarget} inspectors eligible: of ${m} on the roster, ` +
                `${conflicts.length} declared a conflict, ${lastOnRoster} inspected it last time, ` +
                `${atCap} reached the workload cap of ${cap}`,
        });
      }
    }
  }
  historyLines.sort();
  return {
    policyVersion: input.policyVersion,
    seed,
    targetsHash,
    rosterHash,
    historyHash: sha256OfLines(historyLines),
    perClass,
    assignments,
    unassigned,
  };
};

/** What `verifyPlan` says. */
export interface PlanVerification {
  identical: boolean;
  /** Each difference in plain words: published value, then re-run value. */
  differences: string[];
}

const MAX_LISTED = 50;

/**
 * Re-runs the draw from the published inputs and compares it with the published plan: identical,
 * or every difference (snapshot hashes, seed, per-class counts, targets drawn or not, inspectors).
 */
export const verifyPlan = (published: DrawnPlan, inputs: DrawInput, policy: DrawPolicy): PlanVerification => {
  const differences: string[] = [];
  if (inputs.policyVersion !== policy.version || published.policyVersion !== policy.version)
    differences.push(
      `policy version: the plan cites ${published.policyVersion}, the inputs ${inputs.policyVersion}, ` +
        `the policy given is ${policy.version}`,
    );
  if (differences.length > 0) return { identical: false, differences };
  const rerun = drawPlan(inputs, policy);
  const field = (name: string, a: string, b: string) => {
    if (a !== b) differences.push(`${name}: published ${a}, re-run ${b}`);
  };
  field('seed', published.seed, rerun.seed);
  field('target snapshot hash', published.targetsHash, rerun.targetsHash);
  field('roster snapshot hash', published.rosterHash, rerun.rosterHash);
  field('history snapshot hash', published.historyHash, rerun.historyHash);
  for (const r of rerun.perClass) {
    const p = published.perClass.find((x) => x.class === r.class);
    if (!p) differences.push(`class ${r.class}: missing from the published plan`);
    else
      for (const k of ['population', 'redListed', 'drawn', 'ratio'] as const)
        if (p[k] !== r[k]) differences.push(`class ${r.class} ${k}: published ${p[k]}, re-run ${r[k]}`);
  }
  const listed: string[] = [];
  const outcome = (plan: DrawnPlan) => {
    const m = new Map<string, string>();
    for (const a of plan.assignments)
      m.set(a.target, `class ${a.class}, inspectors ${a.inspectors.join(' and ')}`);
    for (const u of plan.unassigned) m.set(u.target, `class ${u.class}, unassigned`);
    return m;
  };
  const pub = outcome(published);
  const re = outcome(rerun);
  for (const [t, v] of pub) {
    const w = re.get(t);
    if (w === undefined) listed.push(`target ${t}: drawn in the published plan (${v}), not in the re-run`);
    else if (v !== w) listed.push(`target ${t}: published ${v}; re-run ${w}`);
  }
  for (const [t, w] of re)
    if (!pub.has(t)) listed.push(`target ${t}: drawn in the re-run (${w}), not published`);
  const order = (plan: DrawnPlan) =>
    [...plan.assignments, ...plan.unassigned].map((a) => a.target).join('\n');
  if (listed.length === 0 && order(published) !== order(rerun))
    listed.push('the same targets and inspectors, in a different order');
  differences.push(...listed.slice(0, MAX_LISTED));
  if (listed.length > MAX_LISTED)
    differences.push(`… and ${listed.length - MAX_LISTED} more target differences`);
  return { identical: differences.length === 0, differences };
};
