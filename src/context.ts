/**
 * Explicit context (CONVENTIONS.md §5): every domain verb takes `{ ctx, input }`. `ctx` carries the
 * acting principal, the purpose, the request ID, the clock and the store. Nothing deep in the
 * domain reads the environment or the wall clock.
 */
import { randomUUID } from 'node:crypto';
import { type DayOfInstant, parseDay } from './shared/days.ts';
import type { Store } from './store/index.ts';

export const ROLES = [
  'operator',
  'source',
  'relying_party',
  'subject',
  'rater',
  'inspector',
  'auditor',
  'public',
] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Stable name of the actor, e.g. `operator:cli`, `source:demo-court`, `subject:11010519491231002X`. */
  id: string;
  role: Role;
  /** For a source: its code. For a subject: its identifier. For a relying party: its code. */
  ref?: string;
}

/** The zone a clock counts days in when it names none (the default of TIME_ZONE, src/config.ts). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export interface Clock {
  now(): Date;
  /**
   * The IANA zone whose calendar days "today" is counted in: the platform's TIME_ZONE
   * (`openPlatform` sets it). A clock without one counts in DEFAULT_TIME_ZONE.
   */
  readonly timeZone?: string;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at one instant, for tests and as-of work (its zone: the platform's, once opened). */
export const fixedClock = (at: Date | string, timeZone?: string): Clock => {
  const d = typeof at === 'string' ? new Date(at) : at;
  return { now: () => new Date(d.getTime()), ...(timeZone ? { timeZone } : {}) };
};

/** The same instants, counted in another zone's days. */
export const inZone = (clock: Clock, timeZone: string): Clock => ({ now: () => clock.now(), timeZone });

/**
 * Calendar days in a zone, with the last day looked up kept per zone: checks ask for "today"
 * on every request, and asking Intl costs microseconds. The day is valid from its first instant
 * up to the next; both ends are confirmed with Intl, so a daylight-saving change at midnight
 * cannot make a day last an hour too long.
 */
interface DaySpan {
  day: string;
  from: number;
  until: number;
}
const spans = new Map<string, DaySpan>();
const formatters = new Map<string, Intl.DateTimeFormat>();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const formatterFor = (zone: string): Intl.DateTimeFormat => {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
};

/** The wall-clock date and the milliseconds since its midnight of an instant in a zone. */
const wallClock = (ms: number, zone: string): { day: string; sinceMidnight: number } => {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(ms)) parts[p.type] = p.value;
  const sinceMidnight =
    ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 +
    (((ms % 1000) + 1000) % 1000);
  return { day: `${parts.year}-${parts.month}-${parts.day}`, sinceMidnight };
};

const spanOf = (ms: number, zone: string): DaySpan => {
  const { day, sinceMidnight } = wallClock(ms, zone);
  const base = ms - sinceMidnight;
  // A daylight-saving change during the day moves its ends by up to an hour either way: confirm
  // each end with Intl (the first instant of the day, then the first of the next).
  const starts = (t: number, d: string) => wallClock(t, zone).day === d && wallClock(t - 1, zone).day !== d;
  const from = [base, base + HOUR, base - HOUR].find((t) => t <= ms && starts(t, day)) ?? ms;
  const until = [base + DAY, base + DAY - HOUR, base + DAY + HOUR].find(
    (t) => t > ms && wallClock(t - 1, zone).day === day && wallClock(t, zone).day !== day,
  );
  return { day, from, until: until ?? ms + 60_000 };
};

const spanAt = (ms: number, zone: string): DaySpan => {
  const cached = spans.get(zone);
  if (cached && ms >= cached.from && ms < cached.until) return cached;
  const span = spanOf(ms, zone);
  spans.set(zone, span);
  return span;
};

/** The day number (days since 1970-01-01) of an instant in the clock's zone, for the engines. */
export const dayNumberIn =
  (clock: Clock): DayOfInstant =>
  (ms) =>
    parseDay(spanAt(ms, clock.timeZone ?? DEFAULT_TIME_ZONE).day);

/** The calendar day (YYYY-MM-DD) of an instant in the clock's zone. */
export const dateIn = (clock: Clock, at: Date): string =>
  spanAt(at.getTime(), clock.timeZone ?? DEFAULT_TIME_ZONE).day;

/**
 * The calendar day of an instant in the clock's zone with its first instant (`from`) and the
 * first instant of the next day (`until`), in milliseconds.
 */
export const daySpanIn = (clock: Clock, at: Date): { day: string; from: number; until: number } => {
  const { day, from, until } = spanAt(at.getTime(), clock.timeZone ?? DEFAULT_TIME_ZONE);
  return { day, from, until };
};

/**
 * The first instant (`from`) and the first instant of the next day (`until`), in milliseconds, of
 * a calendar day (YYYY-MM-DD) in the clock's zone.
 */
export const spanOfDay = (clock: Clock, day: string): { day: string; from: number; until: number } => {
  const zone = clock.timeZone ?? DEFAULT_TIME_ZONE;
  // The day's UTC midnight lies in it or within a day of it, whatever the zone's offset.
  let span = spanAt(Date.parse(`${day}T00:00:00Z`), zone);
  if (span.day < day) span = spanAt(span.until, zone);
  else if (span.day > day) span = spanAt(span.from - 1, zone);
  return { day: span.day, from: span.from, until: span.until };
};

/** Today (YYYY-MM-DD) in the clock's zone: the day the platform counts in. */
export const todayOf = (clock: Clock): string => dateIn(clock, clock.now());

/** The first instant of today in the clock's zone (ISO, UTC), e.g. to count what arrived today. */
export const startOfToday = (clock: Clock): string =>
  new Date(spanAt(clock.now().getTime(), clock.timeZone ?? DEFAULT_TIME_ZONE).from).toISOString();

export interface Ctx {
  principal: Principal;
  /** Why the data is being read or written; recorded in every audit entry. */
  purpose: string;
  /**
   * False when the caller gave no purpose and `purpose` is the way in's default (an API request
   * without `x-purpose`): a verb that needs a stated purpose refuses it.
   */
  purposeStated?: boolean;
  requestId: string;
  clock: Clock;
  store: Store;
  /**
   * The caller's credential when the way in left its confirmation to the verb (the checks: see
   * `keptCredential` in access/tokens.ts): the verb confirms it in the transaction that commits
   * its answer.
   */
  credential?: CredentialSeen;
}

/** A credential as resolved: its SHA-256 and the credentials epoch it was resolved at. */
export interface CredentialSeen {
  hash: string;
  epoch: number | undefined;
}

export const makeCtx = (
  store: Store,
  principal: Principal,
  purpose: string,
  opts: { clock?: Clock; requestId?: string } = {},
): Ctx => ({
  store,
  principal,
  purpose,
  clock: opts.clock ?? systemClock,
  requestId: opts.requestId ?? randomUUID(),
});

/**
 * Calendar date (YYYY-MM-DD) of an instant in UTC. The platform's "today" is `today(clock)`, in
 * its zone; this is for dates that are UTC by construction.
 */
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
