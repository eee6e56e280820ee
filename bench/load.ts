/**
 * `npm run load [-- --seconds 60 --connections 16 --persons 2000]`: the platform under mixed load.
 *
 * Starts the real binary (`credence start --port 0`) over a fresh demo store in a temporary folder,
 * on loopback only, with the rate limits off (the run measures the service, not the limiter), then
 * drives `--seconds` of mixed traffic from `--connections` keep-alive connections: single checks,
 * batch checks, record batches from the demo court, subject files read with a purpose, and bad
 * requests (malformed JSON, an unknown subject, no or a made-up credential, a measure not granted
 * or not existing), each of which must get its intended 4xx. Afterwards it counts, in the store,
 * that every record of every acknowledged batch (a 200 answer) is there by its source_record_id.
 *
 * Prints one JSON line: per route the count, the statuses and p50/p99 latency; the intended 4xx,
 * the unexpected answers (any other status, a socket error, a timeout, a refused line) and the
 * lost writes. Exits 1 when any is unexpected or lost, 2 on a usage error, 3 when the server did
 * not start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeResidentId } from '../src/identity/index.ts';
import { emit, intArg, log, rng } from './util.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'credence.js');
/** At most this many requests, whatever the duration: the run is bounded in count as in time. */
const MAX_REQUESTS = 2_000_000;
const REQUEST_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 300_000;
const RECORDS_PER_BATCH = 20;
const SUBJECTS_PER_BATCH_CHECK = 100;
const MEASURE = 'restrict.high_speed_rail';
const PURPOSE = 'ticket_sale';

type Credential = { role: string; ref?: string; token: string };

interface Route {
  count: number;
  statuses: Record<string, number>;
  latencies: number[];
}

/** What each kind of request is, and the status it must get. */
const KINDS = {
  check: { route: 'GET /v1/checks', expect: 200, weight: 40 },
  check_batch: { route: 'POST /v1/checks', expect: 200, weight: 10 },
  records: { route: 'POST /v1/records', expect: 200, weight: 12 },
  file: { route: 'GET /v1/subjects/:id', expect: 200, weight: 18 },
  bad_json: { route: 'POST /v1/checks (malformed JSON)', expect: 400, weight: 4 },
  unknown_subject: { route: 'GET /v1/subjects/:id (not on file)', expect: 404, weight: 4 },
  no_credentials: { route: 'GET /v1/checks (no credentials)', expect: 401, weight: 4 },
  bad_token: { route: 'GET /v1/checks (unknown token)', expect: 401, weight: 3 },
  forbidden_measure: { route: 'GET /v1/checks (measure not granted)', expect: 403, weight: 3 },
  unknown_measure: { route: 'GET /v1/checks (no such measure)', expect: 403, weight: 2 },
} as const;
type Kind = keyof typeof KINDS;

const percentile = (xs: number[], p: number): number | null => {
  if (xs.length === 0) return null;
  const s = Float64Array.from(xs).sort();
  return Number(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!.toFixed(2));
};

/** Starts `credence start` on a free loopback port; resolves with its URL once it serves. */
const startServer = async (
  dataDir: string,
  persons: number,
): Promise<{ child: ChildProcess; url: string; logFile: string }> => {
  const logFile = join(dataDir, 'server.log');
  // A file, not a pipe: a server that logs faster than we read must never block on its output.
  const fd = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      BIN,
      'start',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--persons',
      String(persons),
      '--organizations',
      String(Math.max(1, Math.round(persons / 7))),
      '--quiet',
    ],
    {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        HOST: '127.0.0.1',
        RATE_LIMIT_PER_CREDENTIAL: '0',
        RATE_LIMIT_PER_ADDRESS: '0',
      },
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const m = /Credence is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(logFile, 'utf8'));
    if (m) return { child, url: m[1]!, logFile };
    const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 250, 'wait'))]);
    if (code !== 'wait') throw new Error(`the server exited (${code}) before serving`);
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not serve within ${START_TIMEOUT_MS / 1000} s`);
};

const stopServer = async (child: ChildProcess): Promise<boolean> => {
  if (child.exitCode !== null) return false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000, 'timeout'))]);
  if (code === 'timeout') {
    child.kill('SIGKILL');
    await exited;
    return false;
  }
  return code === 0;
};

export const run = async (args: Record<string, string>) => {
  const seconds = intArg(args, 'seconds', 60);
  const connections = intArg(args, 'connections', 16);
  const persons = intArg(args, 'persons', 2000);
  const dataDir = mkdtempSync(join(tmpdir(), 'credence-load-'));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let failed = true;
  try {
    log(`load: starting credence on a demo of ${persons} persons in ${dataDir}…`);
    try {
      server = await startServer(dataDir, persons);
    } catch (e) {
      log(`load: ${(e as Error).message}`);
      process.exitCode = 3;
      return;
    }
    const { url } = server;
    log(`load: serving at ${url}`);
    const creds: Credential[] = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'));
    const token = (role: string, ref?: string) => {
      const c = creds.find((x) => x.role === role && (ref === undefined || x.ref === ref));
      if (!c) throw new Error(`no demo credential for ${role} ${ref ?? ''}`);
      return c.token;
    };
    const operator = token('operator');
    const court = token('source', 'demo-court');

    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    const call = (
      method: string,
      path: string,
      headers: Record<string, string>,
      body?: string,
    ): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = http.request(
          `${url}${path}`,
          {
            method,
            agent,
            headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
            timeout: REQUEST_TIMEOUT_MS,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
            );
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
        req.on('error', reject);
        req.end(body);
      });

    // A relying party of our own, registered by the operator through the API with a quota the run
    // cannot reach: the demo railway's 100,000 checks a day would refuse the run with 429.
    const rp = await call(
      'POST',
      '/v1/relying-parties',
      { authorization: `Bearer ${operator}` },
      JSON.stringify({
        code: 'load-railway',
        kind: 'railway',
        purposes: [PURPOSE],
        daily_quota: 1_000_000_000,
      }),
    );
    if (rp.status !== 201) throw new Error(`registering the load's relying party: ${rp.status} ${rp.body}`);
    const railway: string = JSON.parse(rp.body).token;

    // Subjects on file, read from the store the server writes (SQLite allows readers beside it).
    const db = new Database(join(dataDir, 'credence.db'), { readonly: true, fileMustExist: true });
    const onFile = (
      db.prepare(`select identifier from subjects where kind in ('person', 'organization')`).all() as {
        identifier: string;
      }[]
    ).map((r) => r.identifier);
    const random = rng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    // Persons the load's records name: born in the 1930s, so none is a demo person (18 to 80).
    const birth = (n: number) =>
      new Date(Date.UTC(1930, 0, 1) + (n % 3650) * 86_400_000).toISOString().slice(0, 10);
    const newPerson = (n: number) => makeResidentId('110105', birth(n), 1 + (Math.floor(n / 3650) % 999));
    // Never written by the run: born in 1925.
    const absent = Array.from({ length: 200 }, (_, i) => makeResidentId('110105', '1925-03-01', i + 1));
    const written: string[] = [];

    const routes = new Map<string, Route>();
    const unexpected: { route: string; status: number | string; body?: string }[] = [];
    let unexpectedCount = 0;
    let intended4xx = 0;
    let requests = 0;
    let batches = 0;
    let rejectedLines = 0;
    const acknowledged: string[] = [];
    const runId = Date.now().toString(36);

    const weights = Object.entries(KINDS) as [Kind, (typeof KINDS)[Kind]][];
    const total = weights.reduce((n, [, k]) => n + k.weight, 0);
    const nextKind = (): Kind => {
      let r = random() * total;
      for (const [kind, k] of weights) {
        r -= k.weight;
        if (r < 0) return kind;
      }
      return 'check';
    };

    const checkHeaders = { authorization: `Bearer ${railway}`, 'x-purpose': PURPOSE };
    const fileHeaders = { authorization: `Bearer ${operator}`, 'x-purpose': 'load test: file review' };
    const request = (kind: Kind): [string, string, Record<string, string>, string?] => {
      const subject = pick(onFile);
      const q = (measure: string, who = subject) => `/v1/checks?subject=${who}&measure=${measure}`;
      switch (kind) {
        case 'check':
          return ['GET', q(MEASURE, random() < 0.8 ? subject : pick(absent)), checkHeaders];
        case 'check_batch':
          return [
            'POST',
            '/v1/checks',
            checkHeaders,
            JSON.stringify({
              measure: MEASURE,
              purpose: PURPOSE,
              subjects: Array.from({ length: SUBJECTS_PER_BATCH_CHECK }, () => pick(onFile)),
            }),
          ];
        case 'records': {
          const b = batches++;
          const records = Array.from({ length: RECORDS_PER_BATCH }, (_, i) => {
            const n = b * RECORDS_PER_BATCH + i;
            return {
              source_record_id: `load-${runId}-${n}`,
              type: 'court.judgment_defaulter',
              subject: { kind: 'person', id_number: newPerson(n), name: '李四' },
              occurred_at: '2025-05-01',
              decided_at: '2025-06-01',
              amount: 10_000 + (n % 90_000),
              evidence: `(2025)京0105执${10_000 + (n % 90_000)}号`,
            };
          });
          return ['POST', '/v1/records', { authorization: `Bearer ${court}` }, JSON.stringify({ records })];
        }
        case 'file':
          return [
            'GET',
            `/v1/subjects/${written.length > 0 && random() < 0.3 ? pick(written) : subject}`,
            fileHeaders,
          ];
        case 'bad_json':
          return ['POST', '/v1/checks', checkHeaders, `{"measure": "${MEASURE}", "subjects": ["${subject}"`];
        case 'unknown_subject':
          return ['GET', `/v1/subjects/${pick(absent)}`, fileHeaders];
        case 'no_credentials':
          return ['GET', q(MEASURE), { 'x-purpose': PURPOSE }];
        case 'bad_token':
          return [
            'GET',
            q(MEASURE),
            { authorization: 'Bearer cr_relying_party_notARealTokenAtAllxxxxxxxxxxx', 'x-purpose': PURPOSE },
          ];
        case 'forbidden_measure':
          return ['GET', q('restrict.air_travel'), checkHeaders];
        case 'unknown_measure':
          return ['GET', q('restrict.no_such_measure'), checkHeaders];
      }
    };

    const note = (route: string, status: number | string, body?: string) => {
      unexpectedCount++;
      if (unexpected.length < 20)
        unexpected.push({ route, status, ...(body ? { body: body.slice(0, 300) } : {}) });
    };

    log(`load: ${seconds} s of mixed traffic from ${connections} connections…`);
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const user = async () => {
      while (performance.now() < deadline && requests < MAX_REQUESTS) {
        requests++;
        const kind = nextKind();
        const { route: name, expect } = KINDS[kind];
        const [method, path, headers, body] = request(kind);
        const route = routes.get(name) ?? { count: 0, statuses: {}, latencies: [] };
        routes.set(name, route);
        route.count++;
        const t0 = performance.now();
        let res: { status: number; body: string };
        try {
          res = await call(method, path, headers, body);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
          route.statuses[code] = (route.statuses[code] ?? 0) + 1;
          note(name, code);
          continue;
        }
        route.latencies.push(performance.now() - t0);
        route.statuses[res.status] = (route.statuses[res.status] ?? 0) + 1;
        if (res.status !== expect) {
          note(name, res.status, res.body);
          continue;
        }
        if (expect >= 400) intended4xx++;
        if (kind === 'records') {
          // Acknowledged: every line stored or recognised, each must be in the store afterwards.
          const sent = JSON.parse(body!).records as {
            source_record_id: string;
            subject: { id_number: string };
          }[];
          const results = JSON.parse(res.body).results as { line: number; status: string }[];
          for (const r of results) {
            const line = sent[r.line - 1]!;
            if (r.status === 'stored' || r.status === 'duplicate') {
              acknowledged.push(line.source_record_id);
              if (written.length < 5000) written.push(line.subject.id_number);
            } else {
              rejectedLines++;
              note(`${name} (line refused)`, r.status, JSON.stringify(r));
            }
          }
        }
      }
    };
    await Promise.all(Array.from({ length: connections }, user));
    const elapsed = (performance.now() - started) / 1000;
    agent.destroy();

    // Every acknowledged record, counted in the store by its source_record_id.
    const stored = new Set(
      (
        db
          .prepare(
            `select r.source_record_id as id from records r join sources s on s.id = r.source_id
             where s.code = 'demo-court' and r.source_record_id like ?`,
          )
          .all(`load-${runId}-%`) as { id: string }[]
      ).map((r) => r.id),
    );
    db.close();
    const lost = acknowledged.filter((id) => !stored.has(id));
    const stoppedCleanly = await stopServer(server.child);
    failed = unexpectedCount > 0 || lost.length > 0;

    emit({
      bench: 'load',
      seconds: Number(elapsed.toFixed(1)),
      connections,
      persons,
      requests,
      requests_per_second: Math.round(requests / elapsed),
      routes: Object.fromEntries(
        [...routes].map(([name, r]) => [
          name,
          {
            count: r.count,
            statuses: r.statuses,
            p50_ms: percentile(r.latencies, 50),
            p99_ms: percentile(r.latencies, 99),
          },
        ]),
      ),
      intended_4xx: intended4xx,
      unexpected_errors: unexpectedCount,
      ...(unexpected.length > 0 ? { unexpected_samples: unexpected } : {}),
      refused_lines: rejectedLines,
      acknowledged_batches: routes.get(KINDS.records.route)?.statuses['200'] ?? 0,
      acknowledged_records: acknowledged.length,
      lost_writes: lost.length,
      ...(lost.length > 0 ? { lost_samples: lost.slice(0, 10) } : {}),
      server_stopped_cleanly: stoppedCleanly,
    });
    if (failed) process.exitCode = 1;
  } finally {
    if (server && server.child.exitCode === null) await stopServer(server.child);
    if (failed && server) {
      const text = readFileSync(server.logFile, 'utf8');
      log(`load: the server's last output:\n${text.slice(-4000)}`);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
};

// Run as `node --import tsx bench/load.ts [--seconds N]…` (`npm run load`).
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const rest = process.argv.slice(2);
  const args: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const k = rest[i]!;
    if (k.startsWith('--') && rest[i + 1] !== undefined) args[k.slice(2)] = rest[++i]!;
  }
  try {
    await run(args);
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    // A bad option (intArg names it) is a usage error; anything else failed the run.
    if (message.startsWith('--')) {
      log(`load: ${message}`);
      process.exitCode = 2;
    } else {
      log(`load: ${(e as Error).stack ?? message}`);
      process.exitCode = process.exitCode || 1;
    }
  }
}
