/**
 * Rate limits (@fastify/rate-limit): requests per minute per credential, keyed by the SHA-256 of
 * the bearer credential as credentials are stored (`hashCredential`, worked out once by the auth
 * hook; never the plaintext), and per address for anonymous callers (Config.rateLimit; 0 lifts a
 * limit). Past it: 429 with `Retry-After` in the one error shape.
 *
 * The count is shared by every API process on the same store: each counts in memory and, about
 * once a second, adds what it counted to a counter table (one upsert per key, not per request),
 * reading back the total all processes have added in the window. N processes together stay near
 * the limit: each may let through up to a second of its own traffic past it before it learns.
 */
import rateLimit, { type FastifyRateLimitStore, normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashCredential } from '../access/index.ts';
import type { Platform } from '../platform/index.ts';
import { rateLimited } from '../shared/errors.ts';
import type { Store } from '../store/index.ts';

/** The limits count requests per minute, in fixed windows every process agrees on. */
export const RATE_WINDOW_MS = 60_000;
/** How often each process adds its counts to the shared table and reads the totals back. */
export const RATE_SYNC_MS = 1_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Adds this process's counts to the shared counters now (tests; otherwise every second). */
    syncRateLimits(): Promise<void>;
  }
}

interface Count {
  window: number;
  /** Counted here and not yet added to the shared counter. */
  pending: number;
  /** The shared counter's total when last read, with what this process added since. */
  shared: number;
}

/** The plugin's store: counts in memory, reconciled with the store's shared counters by `sync`. */
export class SharedCounters implements FastifyRateLimitStore {
  private readonly counts = new Map<string, Count>();
  private syncing: Promise<void> | undefined;
  private lastPrune = 0;

  constructor(
    private readonly store: Pick<Store, 'addRateLimitHits' | 'pruneRateLimits'>,
    private readonly windowMs = RATE_WINDOW_MS,
  ) {}

  incr(key: string, cb: (e: Error | null, r?: { current: number; ttl: number }) => void) {
    const now = Date.now();
    const window = now - (now % this.windowMs);
    let c = this.counts.get(key);
    if (c === undefined || c.window !== window) {
      c = { window, pending: 0, shared: 0 };
      this.counts.set(key, c);
    }
    c.pending++;
    cb(null, { current: c.shared + c.pending, ttl: window + this.windowMs - now });
  }

  /** One set of counters whatever the route: the limits are per caller, not per route. */
  child() {
    return this;
  }

  /** Adds what was counted here since the last sync and reads back every process's totals. */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async syncOnce() {
    const now = Date.now();
    const hits = [];
    for (const [key, c] of this.counts) {
      if (c.pending > 0) {
        hits.push({ key, windowStart: c.window, hits: c.pending });
        c.shared += c.pending;
        c.pending = 0;
      } else if (c.window + this.windowMs <= now) this.counts.delete(key);
    }
    if (hits.length > 0) {
      for (const t of await this.store.addRateLimitHits(hits)) {
        const c = this.counts.get(t.key);
        if (c !== undefined && c.window === t.windowStart) c.shared = Math.max(c.shared, t.hits);
      }
    }
    if (now - this.lastPrune >= this.windowMs) {
      this.lastPrune = now;
      await this.store.pruneRateLimits(now - 2 * this.windowMs);
    }
  }
}

const BEARER_RE = /^Bearer\s+(\S+)\s*$/i;

/**
 * A credentialed caller by the SHA-256 of its credential, an anonymous one by its address (an IPv6
 * address by its /64, as one host usually holds the whole prefix). The limiter runs after the
 * authentication hook (route hooks run after the scope's), so a credential here is a known one.
 */
export const rateLimitKey = (request: FastifyRequest): string => {
  if (request.principal && request.principal.role !== 'public') {
    if (request.credentialHash !== undefined) return `c:${request.credentialHash}`;
    const m = BEARER_RE.exec(request.headers.authorization ?? '');
    if (m) return `c:${hashCredential(m[1]!)}`;
  }
  return `a:${normalizeIP(request.ip)}`;
};

/** Registers the limiter for every route registered after it (those with `config.rateLimit: false` aside). */
export const registerRateLimits = async (app: FastifyInstance, platform: Platform) => {
  const { perCredential, perAddress } = platform.config.rateLimit;
  const counters = new SharedCounters(platform.store);
  app.decorate('syncRateLimits', () => counters.sync());
  if (perCredential === 0 && perAddress === 0) return;
  const timer = setInterval(() => {
    counters.sync().catch((err: unknown) => {
      // Counting goes on in this process; the others learn of it at the next sync that works.
      app.log.warn({ err }, 'rate limits: the shared counters could not be updated');
    });
  }, RATE_SYNC_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await counters.sync().catch(() => {});
  });
  const limitOf = (key: string) => (key.startsWith('c:') ? perCredential : perAddress);
  await app.register(rateLimit, {
    hook: 'onRequest',
    timeWindow: RATE_WINDOW_MS,
    keyGenerator: rateLimitKey,
    max: (_req, key) => limitOf(key),
    allowList: (_req, key) => limitOf(key) === 0,
    // A constructor the plugin calls with `new`: it gets this one set of counters.
    store: function sharedCounters() {
      return counters;
    } as unknown as new () => SharedCounters,
    errorResponseBuilder: (req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      const per = rateLimitKey(req).startsWith('c:') ? 'credential' : 'address';
      return rateLimited(
        `too many requests: at most ${ctx.max} a minute per ${per}; retry in ${seconds} s`,
        seconds,
      );
    },
  });
};
