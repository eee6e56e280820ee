/**
 * Reads from a hot standby (DATABASE_REPLICA_URL), within a bound on how far behind the primary it
 * may be (REPLICA_MAX_LAG_MS).
 *
 * How far behind: every probe (a few times per bound) notes the primary's WAL insert position and
 * the moment it asked, then asks the standby how far it has replayed, again every few milliseconds
 * until it has passed that position or the probe's time is up. Once the standby has replayed a
 * position noted at moment t, every transaction the primary had committed at t is visible there
 * (a commit is visible only after its commit record is inserted, and the insert position counts
 * records not yet written, as with `synchronous_commit = off`). So "covered through t" is a sure
 * statement, and the standby's state is at most `now - t` old: reads go to it only while that is
 * within the bound. The lag reported is that age when it is asked for (`now - t`, growing between
 * probes and while the standby falls behind), and none while the standby does not answer: a figure
 * from before it went silent would say nothing of it now.
 *
 * Whose standby: WAL positions are comparable only within one cluster and one line of history. Each
 * probe asks the standby for its system identifier (`pg_control_system()`), which must be the
 * primary's (read once), and for the timeline it follows: the one its WAL receiver streams when it
 * streams (`pg_stat_wal_receiver.received_tli`), which must be the primary's current one; else the
 * timeline of its last restartpoint, which must be the primary's too (a standby not streaming,
 * whose last restartpoint is on an earlier timeline, cannot be told apart from one left behind on
 * that line of history). A standby of another cluster (a promoted standby's own standby, say, whose
 * positions may well be past the primary's), one following a newer primary, and one left behind on
 * an earlier timeline — still streaming from the old primary after a failover, whose positions run
 * on past the fork on a history the primary never had — are refused, and the log and GET
 * /health/ready say so. A refusal lasts until a probe finds the standby following the primary.
 *
 * Falling back and coming back: past the bound, or when the standby fails a probe or a read, reads
 * go to the primary (and a read the standby failed is run there again). They come back to the
 * standby only once it has replayed a position noted after every read sent to the primary in the
 * meantime had ended (new reads wait for that, at most the bound): a reader never sees an older
 * state after a newer one, so the check service, which reads the change feed and then the subjects
 * it names, never takes a change as applied while holding the subjects from before it.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.ts';
import type { ReplicaStatus } from '../types.ts';

/** Probes per bound: how soon a replica falling behind is noticed, relative to the bound. */
const PROBES_PER_BOUND = 5;
const MIN_PROBE_MS = 100;
const MAX_PROBE_MS = 1_000;
/** How often a probe asks the standby again while it has not replayed the position yet. */
const REPLAY_POLL_MS = 10;
/** A read on the standby is given up on after the bound (REPLICA_MAX_LAG_MS), and never sooner than this. */
const MIN_READ_TIMEOUT_MS = 1_000;

type Db = Kysely<Database>;

/** A WAL position (`X/Y` in hexadecimal) as one number. */
export const lsnValue = (lsn: string): bigint => {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
};

/** A pause that does not keep the process alive (a command that is done may exit meanwhile). */
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
/** Milliseconds on a clock that never jumps (the bound is a duration, not a time of day). */
const now = () => performance.now();

/** A server that answers but is not a standby of the primary: never read from (ReplicaStatus.refused). */
class RefusedReplica extends Error {
  constructor(
    readonly refused: NonNullable<ReplicaStatus['refused']>,
    message: string,
  ) {
    super(message);
  }
}

export class ReplicaRouter {
  readonly #primary: Db;
  readonly #replica: Db;
  readonly #maxLagMs: number;
  readonly #probeMs: number;
  /** How long a read may take on the standby before the primary answers it instead. */
  readonly #readTimeoutMs: number;
  /** Noted primary positions not yet seen replayed, oldest first. */
  #samples: { at: number; lsn: bigint }[] = [];
  /** The standby holds every transaction committed on the primary before this moment (ms). */
  #coveredThrough: number | undefined;
  /** The standby answered the last probe (its lag is known), and is a standby of the primary. */
  #answering = false;
  #refused: ReplicaStatus['refused'];
  /** The primary's system identifier (pg_control_system()), read once. */
  #primarySystem: string | undefined;
  #inUse = false;
  #reason: string | undefined = 'not probed yet';
  #fallbacks = 0;
  /** Reads sent to the primary and not ended, and when the last one ended. */
  readonly #primaryReads = new Set<Promise<unknown>>();
  #lastPrimaryReadEnd = 0;
  /** Coming back to the replica: new reads wait for it. */
  #switching: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #probing: Promise<void> | undefined;
  #closed = false;

  constructor(primary: Db, replica: Db, maxLagMs: number) {
    this.#primary = primary;
    this.#replica = replica;
    this.#maxLagMs = maxLagMs;
    this.#probeMs = Math.min(MAX_PROBE_MS, Math.max(MIN_PROBE_MS, Math.floor(maxLagMs / PROBES_PER_BOUND)));
    this.#readTimeoutMs = Math.max(MIN_READ_TIMEOUT_MS, maxLagMs);
    this.#schedule(0);
  }

  get replica(): Db {
    return this.#replica;
  }

  status(): ReplicaStatus {
    const inUse = this.#usable();
    return {
      inUse,
      // How old the standby's state may be now: an upper bound that grows until a probe sees it
      // replay again; none while it does not answer (or is refused), as nothing is known of it.
      lagSeconds:
        this.#answering && this.#coveredThrough !== undefined
          ? (now() - this.#coveredThrough) / 1000
          : undefined,
      maxLagMs: this.#maxLagMs,
      fallbacks: this.#fallbacks,
      reason: inUse ? undefined : (this.#reason ?? 'behind the bound'),
      refused: this.#refused,
    };
  }

  /** Runs a read on the replica while it is usable, else (or when it fails there) on the primary. */
  async read<T>(q: (db: Db) => Promise<T>): Promise<T> {
    const onReplica = await this.tryReplica(q);
    return onReplica ? onReplica.value : this.#onPrimary(q);
  }

  /**
   * Runs a read on the replica when it is usable and answers there; undefined when it is not, or
   * the read failed there (then the replica is not used until it is probed again).
   */
  async tryReplica<T>(q: (db: Db) => Promise<T>): Promise<{ value: T } | undefined> {
    // Coming back takes at most about the bound; a read does not wait longer (it goes to the primary).
    if (this.#switching) await Promise.race([this.#switching.catch(() => {}), sleep(this.#maxLagMs)]);
    if (!this.#usable()) return undefined;
    // A standby gone silent (its host frozen, the network cut without a reset) would hold the read
    // for ever: past the read timeout it is given up on, and the primary answers.
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.#readTimeoutMs);
    });
    const read = q(this.#replica).then((value) => ({ value }));
    try {
      const done = await Promise.race([read, givenUp]);
      if (done === undefined) {
        // The abandoned read ends (or fails) unheard; its connection returns when the standby answers.
        read.catch(() => {});
        this.#fallBack(`a read took more than ${this.#readTimeoutMs} ms on the replica`);
      }
      return done;
    } catch (e) {
      // Unreachable, or a query cancelled by a conflict with recovery: the primary answers.
      this.#fallBack(`a read failed on the replica: ${(e as Error).message}`);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  async #onPrimary<T>(q: (db: Db) => Promise<T>): Promise<T> {
    const p = q(this.#primary);
    this.#primaryReads.add(p);
    try {
      return await p;
    } finally {
      this.#primaryReads.delete(p);
      this.#lastPrimaryReadEnd = now();
    }
  }

  #usable(): boolean {
    if (!this.#inUse || this.#coveredThrough === undefined) return false;
    if (now() - this.#coveredThrough <= this.#maxLagMs) return true;
    this.#fallBack(`more than ${this.#maxLagMs} ms behind the primary`);
    return false;
  }

  #fallBack(reason: string) {
    this.#reason = reason;
    if (!this.#inUse) return;
    this.#inUse = false;
    this.#fallbacks++;
  }

  #schedule(ms: number) {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      // A probe that hangs (a standby gone silent) is given up on: the bound still holds, as the
      // standby's state only ages meanwhile, and the next probe tries again.
      let timeout: NodeJS.Timeout | undefined;
      const givenUp = new Promise<void>((resolve) => {
        timeout = setTimeout(() => {
          this.#answering = false;
          this.#fallBack('the replica does not answer the probe');
          resolve();
        }, this.#maxLagMs + this.#probeMs);
      });
      this.#probing = Promise.race([this.#probe(), givenUp]).finally(() => {
        clearTimeout(timeout);
        this.#probing = undefined;
        this.#schedule(this.#probeMs);
      });
    }, ms);
    this.#timer.unref();
  }

  /** The primary's insert position now, and when it was asked. */
  async #notePrimary(): Promise<{ at: number; lsn: bigint }> {
    const at = now();
    const { rows } = await sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(
      this.#primary,
    );
    return { at, lsn: lsnValue(rows[0]!.lsn) };
  }

  /**
   * Refuses (RefusedReplica) a server that is not a standby of the primary: not in recovery, of
   * another cluster, or on a timeline later than the primary's (following another primary).
   */
  async #checkStandby(): Promise<void> {
    if (this.#primarySystem === undefined) {
      const { rows } = await sql<{ system: string }>`
        select (pg_control_system()).system_identifier::text as system`.execute(this.#primary);
      this.#primarySystem = rows[0]!.system;
    }
    // The primary's current timeline: the first 8 hex digits of its WAL file name.
    const [{ rows: p }, { rows: r }] = await Promise.all([
      sql<{ timeline: string }>`
        select substr(pg_walfile_name(pg_current_wal_insert_lsn()), 1, 8) as timeline`.execute(this.#primary),
      // (`received_tli` is null to a role that may not read the receiver's details: then the
      // restartpoint's timeline decides.)
      sql<{ standby: boolean; system: string; timeline: number; streaming: number | null }>`
        select pg_is_in_recovery() as standby, (pg_control_system()).system_identifier::text as system,
          (pg_control_checkpoint()).timeline_id as timeline,
          (select received_tli from pg_stat_wal_receiver where status = 'streaming') as streaming`.execute(
        this.#replica,
      ),
    ]);
    const standby = r[0]!;
    if (!standby.standby)
      throw new RefusedReplica(
        'not_a_standby',
        'DATABASE_REPLICA_URL is not a hot standby (not in recovery)',
      );
    if (standby.system !== this.#primarySystem)
      throw new RefusedReplica(
        'other_cluster',
        `DATABASE_REPLICA_URL is not a standby of DATABASE_URL: it is of another cluster (system identifier ${standby.system}, the primary's is ${this.#primarySystem})`,
      );
    const primaryTimeline = Number.parseInt(p[0]!.timeline, 16);
    const follows = standby.streaming ?? standby.timeline;
    if (follows > primaryTimeline)
      throw new RefusedReplica(
        'other_timeline',
        `DATABASE_REPLICA_URL follows another primary: it is on timeline ${follows}, after the primary's ${primaryTimeline}`,
      );
    if (follows < primaryTimeline)
      throw new RefusedReplica(
        'other_timeline',
        standby.streaming !== null
          ? `DATABASE_REPLICA_URL is left behind on an earlier timeline: it streams timeline ${follows}, and the primary is on ${primaryTimeline}`
          : `DATABASE_REPLICA_URL may be left behind on an earlier timeline: it streams nothing, and its last restartpoint is on timeline ${follows}, before the primary's ${primaryTimeline}`,
      );
  }

  /** How far the standby has replayed; refuses a server that is not a standby. */
  async #replayed(): Promise<bigint> {
    const { rows } = await sql<{ lsn: string | null; standby: boolean }>`
      select pg_last_wal_replay_lsn()::text as lsn, pg_is_in_recovery() as standby`.execute(this.#replica);
    const r = rows[0]!;
    if (!r.standby || r.lsn === null)
      throw new Error('DATABASE_REPLICA_URL is not a hot standby (not in recovery)');
    return lsnValue(r.lsn);
  }

  /**
   * Notes the primary's position, then waits (at most one probe interval) for the standby to
   * replay it, moving `coveredThrough` to the latest noted moment it has replayed.
   */
  async #probe(): Promise<void> {
    try {
      await this.#checkStandby();
      const noted = await this.#notePrimary();
      this.#samples.push(noted);
      // Positions older than anything the bound allows are of no more use.
      const oldest = noted.at - 2 * this.#maxLagMs;
      while (this.#samples.length > 1 && this.#samples[0]!.at < oldest) this.#samples.shift();
      const until = noted.at + this.#probeMs;
      for (;;) {
        const replayed = await this.#replayed();
        this.#answering = true;
        this.#refused = undefined;
        let covered: { at: number; lsn: bigint } | undefined;
        while (this.#samples.length > 0 && this.#samples[0]!.lsn <= replayed) covered = this.#samples.shift();
        if (covered) this.#coveredThrough = covered.at;
        if (covered === noted || now() >= until || this.#closed) break;
        await sleep(REPLAY_POLL_MS);
      }
      if (this.#coveredThrough === undefined || now() - this.#coveredThrough > this.#maxLagMs) {
        this.#fallBack(`more than ${this.#maxLagMs} ms behind the primary`);
        return;
      }
      if (!this.#inUse && !this.#switching) {
        const switching = this.#comeBack();
        this.#switching = switching;
        await switching.finally(() => {
          if (this.#switching === switching) this.#switching = undefined;
        });
      }
    } catch (e) {
      this.#answering = false;
      if (e instanceof RefusedReplica) {
        this.#refused = e.refused;
        // What it replayed says nothing of the primary's transactions: forget it.
        this.#samples = [];
        this.#coveredThrough = undefined;
        this.#fallBack(`refused: ${e.message}`);
        return;
      }
      this.#fallBack(`the replica does not answer: ${(e as Error).message}`);
    }
  }

  /**
   * Back to the replica once it holds everything the reads sent to the primary may have seen: new
   * reads wait; the ones in flight end; then a position noted after them must be replayed (within
   * the bound, or reads stay on the primary).
   */
  async #comeBack(): Promise<void> {
    while (this.#primaryReads.size > 0) await Promise.allSettled([...this.#primaryReads]);
    const noted = await this.#notePrimary();
    const until = noted.at + this.#maxLagMs;
    for (;;) {
      if (this.#closed) return;
      if ((await this.#replayed()) >= noted.lsn) break;
      if (now() >= until) {
        this.#reason = `more than ${this.#maxLagMs} ms behind the primary`;
        return;
      }
      await sleep(REPLAY_POLL_MS);
    }
    if (noted.at < this.#lastPrimaryReadEnd) return; // a read ended after the note: try at the next probe
    this.#coveredThrough = noted.at;
    this.#inUse = true;
    this.#reason = undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#probing?.catch(() => {});
  }
}
