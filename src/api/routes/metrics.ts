/**
 * GET /metrics in Prometheus text format (prom-client), for operators or whoever holds
 * METRICS_TOKEN: requests by route pattern and status, latency per route, checks answered, records
 * ingested, queue depths and the process's own figures. Counting costs a request no lookup: each
 * route gets its own hook holding its own series (added as the route is registered), and the
 * queue depths are read from the store at most every few seconds, when scraped. With a read
 * replica, its lag, its bound, whether reads go to it and how often they fell back to the primary.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteOptions,
} from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { requirePermission } from '../../access/index.ts';
import { todayOf } from '../../context.ts';
import type { Platform } from '../../platform/index.ts';
import { authHook } from '../auth.ts';
import { errorResponses } from '../errors.ts';

/** How long queue depths read from the store are served again. */
const QUEUES_TTL_MS = 5_000;

/** How often the replica's state is looked at for the log. */
const REPLICA_WATCH_MS = 1_000;

const BEARER_RE = /^Bearer\s+(\S+)\s*$/i;

type Hook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;
type SerializationHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (err: Error | null, payload?: unknown) => void,
) => void;

const appendHook = <T>(current: T | T[] | undefined, hook: T): T[] =>
  current === undefined ? [hook] : Array.isArray(current) ? [...current, hook] : [current, hook];

/** The queue depths, read together and kept a few seconds. */
const queueReader = (platform: Platform) => {
  let cached: { at: number; value: Promise<Record<string, { open: number; overdue?: number }>> } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > QUEUES_TTL_MS) {
      const today = todayOf(platform.clock);
      const s = platform.store;
      const value = Promise.all([
        s.console.objectionCounts(today),
        s.console.repairCounts(today),
        s.console.pendingHolds(0),
        s.countOutboxPending(),
      ]).then(([objections, repairs, holds, outbox]) => ({
        objections,
        repairs,
        held_ratings: { open: holds.count },
        outbox: { open: outbox },
      }));
      cached = { at: now, value };
      // A failed read is not kept: the next scrape tries again.
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
};

/**
 * Registers the metrics' hooks on every route registered after it, and GET /metrics. Call before
 * the routes.
 */
export const registerMetrics = (app: FastifyInstance, platform: Platform) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'credence_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'credence_http_request_duration_seconds',
    help: 'Time to answer a request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const checks = new Counter({
    name: 'credence_checks_answered_total',
    help: 'Relying-party checks answered (each subject of a batch counts)',
    registers: [registry],
  });
  const records = new Counter({
    name: 'credence_records_ingested_total',
    help: 'Record lines submitted through the API, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const readQueues = queueReader(platform);
  new Gauge({
    name: 'credence_queue_depth',
    help: 'Open items per queue: objections and repair applications open, held rating windows pending, notifications not yet delivered',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      for (const [queue, v] of Object.entries(await readQueues())) this.set({ queue }, v.open);
    },
  });
  new Gauge({
    name: 'credence_queue_overdue',
    help: 'Open objections and repair applications past their clock',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      for (const [queue, v] of Object.entries(await readQueues()))
        if (v.overdue !== undefined) this.set({ queue }, v.overdue);
    },
  });

  // Rating submissions share commits (ratings/turns.ts): submissions over turns is how many a commit carries.
  const turns = platform.ratings.turns?.counts;
  if (turns) {
    new Counter({
      name: 'credence_rating_submissions_total',
      help: 'Rating submissions decided in turns (group commit), refused ones included',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(turns.submissions);
      },
    });
    new Counter({
      name: 'credence_rating_turns_total',
      help: 'Turns of rating submissions: each kept its ratings and their audit entries in one transaction',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(turns.turns);
      },
    });
  }

  // A read replica (DATABASE_REPLICA_URL): how far behind it is, and whether reads go to it.
  if (platform.store.replicaStatus()) {
    const replica = () => platform.store.replicaStatus()!;
    new Gauge({
      name: 'credence_replica_lag_seconds',
      help: 'How far the read replica may be behind the primary now, in seconds: an upper bound from WAL positions (absent until first seen to replay, and while it does not answer or is refused)',
      registers: [registry],
      collect() {
        const lag = replica().lagSeconds;
        // Absent, not 0 (as reset() would leave it): an unknown lag is no lag of 0.
        if (lag === undefined) this.remove();
        else this.set(lag);
      },
    });
    new Gauge({
      name: 'credence_replica_max_lag_seconds',
      help: 'How far behind the primary the read replica may be and still serve reads (REPLICA_MAX_LAG_MS)',
      registers: [registry],
      collect() {
        this.set(replica().maxLagMs / 1000);
      },
    });
    new Gauge({
      name: 'credence_replica_in_use',
      help: 'Reads that may lag go to the read replica (1) or, past the lag bound or when it fails, to the primary (0)',
      registers: [registry],
      collect() {
        this.set(replica().inUse ? 1 : 0);
      },
    });
    // The log says when reads leave the replica and why, and when they come back; and when it is
    // refused as no standby of the primary, though it was never used (a mistaken setting).
    let inUse = false;
    let refused: string | undefined;
    const watch = setInterval(() => {
      const r = replica();
      if (r.refused !== refused) {
        refused = r.refused;
        if (refused)
          app.log.error(
            { reason: r.reason, refused },
            'read replica: refused, not a standby of the primary (check DATABASE_REPLICA_URL); reads go to the primary',
          );
      }
      if (r.inUse === inUse) return;
      inUse = r.inUse;
      if (inUse)
        app.log.info(
          { replicaLagSeconds: r.lagSeconds },
          'read replica: reads that may lag go to the replica',
        );
      else app.log.warn({ reason: r.reason }, 'read replica: not used, reads go to the primary');
    }, REPLICA_WATCH_MS);
    watch.unref();
    app.addHook('onClose', async () => clearInterval(watch));
    new Counter({
      name: 'credence_replica_fallbacks_total',
      help: 'Times reads fell back from the read replica to the primary',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(replica().fallbacks);
      },
    });
  }

  /** Requests no route matched (the not-found handler's, app.ts), by method and status, as one route. */
  const unmatched = (method: string, status: number) =>
    requests.labels(method, UNMATCHED_ROUTE, String(status)).inc();

  app.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url;
    if (url === '/metrics') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const timer = durations.labels(method, url);
      const byStatus = new Map<number, ReturnType<typeof requests.labels>>();
      const count: Hook = (_request, reply, done) => {
        const status = reply.statusCode;
        let c = byStatus.get(status);
        if (c === undefined) {
          c = requests.labels(method, url, String(status));
          byStatus.set(status, c);
        }
        c.inc();
        timer.observe(reply.elapsedTime / 1000);
        done();
      };
      route.onResponse = appendHook(route.onResponse as Hook | Hook[] | undefined, count);
    }
    // Answers counted from the payload before it is serialised (no parse of the JSON sent).
    let tally: SerializationHook | undefined;
    if (url === '/v1/checks') {
      tally = (_request, reply, payload, done) => {
        if (reply.statusCode === 200 && payload && typeof payload === 'object') {
          const results = (payload as { results?: unknown[] }).results;
          checks.inc(Array.isArray(results) ? results.length : 1);
        }
        done(null, payload);
      };
    } else if (url === '/v1/records') {
      tally = (_request, reply, payload, done) => {
        if (reply.statusCode === 200 && payload && typeof payload === 'object') {
          const p = payload as Record<string, unknown>;
          for (const outcome of ['accepted', 'duplicates', 'corrected', 'withdrawn', 'rejected'])
            if (typeof p[outcome] === 'number' && p[outcome] > 0) records.inc({ outcome }, p[outcome]);
        }
        done(null, payload);
      };
    }
    if (tally)
      route.preSerialization = appendHook(
        route.preSerialization as SerializationHook | SerializationHook[] | undefined,
        tally,
      );
  });

  const tokenDigest = platform.config.metricsToken
    ? hash('sha256', platform.config.metricsToken, 'buffer')
    : undefined;
  const resolvePrincipal = authHook(platform);
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Metrics in Prometheus text format (operators, or the METRICS_TOKEN as a bearer)',
        tags: ['service'],
        response: errorResponses(401, 403),
      },
      onRequest: (request, reply, done) => {
        const m = BEARER_RE.exec(request.headers.authorization ?? '');
        // Compared as digests in constant time: neither the token nor its length leaks by timing.
        if (m && tokenDigest && timingSafeEqual(hash('sha256', m[1]!, 'buffer'), tokenDigest)) {
          request.metricsToken = true;
          return done();
        }
        resolvePrincipal(request, reply, done);
      },
    },
    async (request, reply) => {
      if (!request.metricsToken) requirePermission(request.principal, 'metrics.read');
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    },
  );
  return { unmatched };
};

/** The route label of requests no route matched: one label, whatever the path asked for. */
export const UNMATCHED_ROUTE = '(unmatched)';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller presented the metrics token. */
    metricsToken?: boolean;
  }
}
