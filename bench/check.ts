/**
 * Check bench: relying-party checks over loopback HTTP with many connections (autocannon), against
 * a bare Fastify route answering the same shape in the same process and run; then batch checks
 * (1,000 subjects a call) through POST /v1/checks against a bare route answering 1,000 answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildApp } from '../src/api/index.ts';
import { parseConfig } from '../src/config.ts';
import { isoDate } from '../src/context.ts';
import { generateDemo, loadDemo } from '../src/demo/index.ts';
import { recomputeAllLists } from '../src/lists/index.ts';
import { registerRelyingParty } from '../src/measures/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import { rescoreAllSubjects } from '../src/scoring/index.ts';
import { emit, intArg, log, peakRss } from './util.ts';

const ANSWER = {
  applies: false,
  measure: 'restrict.high_speed_rail',
  reason_code: 'NOT_LISTED',
  list: null,
  from: null,
  until: null,
  check_id: '00000000-0000-4000-8000-000000000000',
};

const load = (
  url: string,
  connections: number,
  seconds: number,
  path: () => string,
  headers: Record<string, string>,
) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        headers,
        requests: [
          {
            setupRequest: (req) => ({ ...req, path: path() }),
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });

export const run = async (args: Record<string, string>) => {
  const persons = intArg(args, 'persons', 20_000);
  const connections = intArg(args, 'connections', 50);
  const seconds = intArg(args, 'seconds', 10);
  const dir = mkdtempSync(join(tmpdir(), 'credence-check-'));
  try {
    const platform = await openPlatform(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }));
    const ctx = platform.ctx({ id: 'operator:bench', role: 'operator' }, 'benchmark set-up');
    const options = { persons, organizations: Math.round(persons / 7), seed: 1, end: isoDate(new Date()) };
    log(`check bench: loading a demo population of ${persons} persons…`);
    await loadDemo({ ctx, input: { options, catalogue: platform.catalogue } });
    await rescoreAllSubjects({
      ctx,
      deps: { policy: platform.scoringPolicy, catalogue: platform.catalogue },
      input: {},
    });
    await recomputeAllLists({
      ctx,
      deps: { lists: platform.lists, catalogue: platform.catalogue, scoringPolicy: platform.scoringPolicy },
      input: {},
    });
    const { token } = await registerRelyingParty({
      ctx,
      measures: platform.measures,
      input: { code: 'bench-rail', kind: 'railway' },
    });
    const ids: string[] = [];
    for (const item of generateDemo(options, platform.catalogue)) {
      if (item.kind === 'subject' && item.subject.kind === 'person') ids.push(item.subject.id_number);
      if (item.kind === 'record') break;
    }
    const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
    const headers = {
      authorization: `Bearer ${token}`,
      'x-purpose': 'ticket sale',
      'content-type': 'application/json',
    };

    const app = await buildApp(platform, { logger: false });
    const ours = await app.listen({ host: '127.0.0.1', port: 0 });
    const bare = Fastify({ logger: false });
    bare.get('/v1/checks', async () => ANSWER);
    bare.post('/v1/checks', async (req) => ({
      results: (req.body as { subjects: string[] }).subjects.map((subject) => ({ ...ANSWER, subject })),
    }));
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

    const path = () => `/v1/checks?subject=${pick()}&measure=restrict.high_speed_rail`;
    log(`single checks: ${connections} connections for ${seconds} s, bare route first…`);
    const b = await load(bareUrl, connections, seconds, path, headers);
    const o = await load(ours, connections, seconds, path, headers);
    if (o.non2xx > 0) throw new Error(`${o.non2xx} checks failed`);
    emit({
      bench: 'check',
      value: Math.round(o.requests.average),
      unit: 'requests/s',
      baseline: 'bare Fastify route answering the same JSON in the same process',
      baseline_value: Math.round(b.requests.average),
      ratio: Number((o.requests.average / b.requests.average).toFixed(3)),
      p99_ms: o.latency.p99,
      baseline_p99_ms: b.latency.p99,
      connections,
      seconds,
      subjects: ids.length,
      peak_rss_bytes: peakRss(),
    });

    // Batch: 1,000 subjects a call, one call at a time, for a fixed number of calls.
    const calls = intArg(args, 'batches', 20);
    const batch = async (url: string) => {
      const t = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) {
        const res = await fetch(`${url}/v1/checks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            measure: 'restrict.high_speed_rail',
            subjects: Array.from({ length: 1000 }, pick),
          }),
        });
        if (!res.ok) throw new Error(`batch check failed: ${res.status} ${await res.text()}`);
        await res.json();
      }
      return (calls * 1000) / (Number(process.hrtime.bigint() - t) / 1e9);
    };
    log(`batch checks: ${calls} calls of 1,000 subjects…`);
    const bb = await batch(bareUrl);
    const ob = await batch(ours);
    emit({
      bench: 'check_batch',
      value: Math.round(ob),
      unit: 'subject-checks/s',
      baseline: 'bare Fastify route answering 1,000 answers a call',
      baseline_value: Math.round(bb),
      ratio: Number((ob / bb).toFixed(3)),
      calls,
      peak_rss_bytes: peakRss(),
    });
    await app.close();
    await bare.close();
    await platform.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
