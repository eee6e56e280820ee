import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { issueToken, keepTokenAlive } from '../../access/index.ts';
import { AUDIT_SEQUENCER, startHeadCutting, verifierKey } from '../../audit/index.ts';
import { parseConfig } from '../../config.ts';
import { type Role, todayOf } from '../../context.ts';
import { recomputeAllLists } from '../../lists/index.ts';
import { startDailyMaintenance } from '../../maintain/index.ts';
import { checkService, registerRelyingParty } from '../../measures/index.ts';
import { OUTBOX_SENDER, startOutboxDelivery } from '../../outbox/index.ts';
import { cliOperator, listDeps, openPlatform, type Platform } from '../../platform/index.ts';
import { startDailySweep } from '../../ratings/index.ts';
import { isScoredUnder, rescoreAllSubjects } from '../../scoring/index.ts';
import { reportError } from '../errors.ts';
import { describeStore, intOption } from '../run.ts';
import { runDemoLoad } from './demo.ts';

interface ServeOptions {
  port?: number;
  host?: string;
  demo?: boolean;
  persons?: number;
  organizations?: number;
  seed?: number;
  quiet?: boolean;
}

const DEMO_ROLES: {
  role: Role;
  label: string;
  ref?: (p: Platform) => Promise<string | undefined>;
  kind?: string;
}[] = [
  { role: 'operator', label: 'demo credit office' },
  // Only when the demo registered its court (a store that had records of its own did not load it).
  {
    role: 'source',
    label: 'demo court',
    ref: async (p) => ((await p.store.findSourceByCode('demo-court')) ? 'demo-court' : undefined),
  },
  {
    role: 'relying_party',
    label: 'demo railway ticketing',
    ref: async () => 'demo-railway',
    kind: 'railway',
  },
  { role: 'relying_party', label: 'demo airline', ref: async () => 'demo-airline', kind: 'airline' },
  {
    role: 'relying_party',
    label: 'demo procurement office',
    ref: async () => 'demo-procurement',
    kind: 'procurement_office',
  },
  { role: 'subject', label: 'demo citizen', ref: (p) => p.store.getMeta('demo_sample_person') },
  // The demo citizen rates the services it receives with a rater credential of its own.
  { role: 'rater', label: 'demo rater', ref: (p) => p.store.getMeta('demo_sample_person') },
  { role: 'inspector', label: 'demo market inspector', ref: (p) => p.store.getMeta('demo_inspector') },
  { role: 'auditor', label: 'demo auditor' },
];

/** Demo credentials: issued once, kept (as plain tokens, for the demo only) in DATA_DIR/demo-credentials.json. */
const demoCredentials = async (
  p: Platform,
): Promise<{ role: string; label: string; ref?: string; token: string }[]> => {
  const file = join(p.config.dataDir, 'demo-credentials.json');
  // A long-lived demo keeps working: at every start its tokens are renewed for a year when fewer
  // than 180 days are left (renewals are audited like any other).
  const keepAlive = async <T extends { token: string }>(creds: T[]) => {
    const ctx = p.ctx(cliOperator(p.config), 'keep the demo credentials alive');
    for (const c of creds) await keepTokenAlive({ ctx, input: { token: c.token, days: 365, minDays: 180 } });
    return creds;
  };
  const kept = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as { role: string; label: string; ref?: string; token: string }[],
    () => undefined,
  );
  if (kept) return keepAlive(kept);
  const out = [];
  for (const d of DEMO_ROLES) {
    const ref = d.ref ? await d.ref(p) : undefined;
    if (d.ref && !ref) continue;
    const ctx = p.ctx(cliOperator(p.config), 'issue demo credentials');
    // A demo relying party is registered with every measure its kind enforces.
    const { token } =
      d.kind && ref && !(await p.store.findRelyingPartyByCode(ref))
        ? await registerRelyingParty({
            ctx,
            measures: p.measures,
            input: {
              code: ref,
              kind: d.kind,
              name: d.label,
              purposes: [d.kind === 'procurement_office' ? 'tender_evaluation' : 'ticket_sale'],
            },
          })
        : await issueToken({ ctx, input: { role: d.role, label: d.label, ...(ref ? { ref } : {}) } });
    out.push({ role: d.role, label: d.label, ...(ref ? { ref } : {}), token });
  }
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`, { mode: 0o600 });
  return keepAlive(out);
};

const serve = async (opts: ServeOptions, withDemo: boolean) => {
  let platform: Platform | undefined;
  try {
    const config = parseConfig(process.env);
    // `start` creates the store on first run (a fresh clone); `serve` serves one that exists, so a
    // mistyped DATA_DIR never serves an empty platform that answers every check with "no measure".
    platform = await openPlatform(config, { create: withDemo });
    const p = platform;
    process.stdout.write(`data: ${describeStore(p)}\n`);
    if (withDemo && opts.demo !== false && !(await p.store.getMeta('demo_loaded'))) {
      if ((await p.store.countRecords()) === 0) {
        process.stdout.write('first start: loading the demo population…\n');
        await runDemoLoad(
          p,
          {
            persons: opts.persons ?? 20_000,
            organizations: opts.organizations ?? 3_000,
            seed: opts.seed ?? 1,
            end: todayOf(p.clock),
          },
          opts.quiet,
        );
      }
      await p.store.setMeta('demo_loaded', new Date().toISOString());
    }
    // A new scoring policy version (or a first start) rescores everyone; old results are kept.
    const scoringCtx = p.ctx(cliOperator(p.config), 'rescore under the scoring policy in force');
    if ((await p.store.countRecords()) > 0 && !(await isScoredUnder(scoringCtx, p.scoringPolicy))) {
      process.stdout.write(
        `scoring policy ${p.scoringPolicy.label} (${p.scoringPolicy.version.slice(0, 12)}) is new here: rescoring…\n`,
      );
      const scored = await rescoreAllSubjects({
        ctx: scoringCtx,
        deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
        input: {},
      });
      process.stdout.write(
        `scored ${scored.subjects} subjects as of ${scored.asOf}` +
          (scored.skipped > 0 ? ` (${scored.skipped} changed meanwhile, scored again)` : '') +
          '\n',
      );
    }
    if (
      (await p.store.countRecords()) > 0 &&
      (await p.store.getMeta('lists_policy_version')) !== p.lists.version
    ) {
      process.stdout.write(`list policy ${p.lists.label} is new here: recomputing list entries…\n`);
      const r = await recomputeAllLists({
        ctx: scoringCtx,
        deps: listDeps(p),
        input: {},
      });
      process.stdout.write(
        `${r.entries} list entries for ${r.subjects} subjects, ${r.notifications} notifications\n`,
      );
    }
    // Relying-party checks are answered from memory: every subject is loaded in the background
    // while the server already answers (a check of a subject not loaded yet loads it first).
    const started = Date.now();
    checkService(p.store, p.measures, p.lists)
      .preload(todayOf(p.clock))
      .then(
        (held) =>
          process.stdout.write(`checks: ${held} subjects held in memory (${Date.now() - started} ms)\n`),
        (e: unknown) =>
          process.stdout.write(
            `checks: loading subjects stopped (${e instanceof Error ? e.message : String(e)}); they load on demand\n`,
          ),
      );
    const creds = withDemo && opts.demo !== false ? await demoCredentials(p) : [];
    // Loaded only when serving: the HTTP stack is the heaviest part of start-up for other commands.
    const { startServer, ensureWebBuilt } = await import('../../api/index.ts');
    // The console is built here on a fresh clone (and after its sources change); a server without
    // Vite or with a broken build still serves the API.
    await ensureWebBuilt((line) => process.stdout.write(`${line}\n`)).catch((e: unknown) =>
      process.stderr.write(
        `web console: not built (${e instanceof Error ? e.message : String(e)}); serving the API only\n`,
      ),
    );
    const server = await startServer(p, { host: opts.host ?? config.host, port: opts.port ?? config.port });
    const notify = p.config.notify;
    const lines = [
      '',
      `Credence is running at ${server.url}`,
      `  Web console: ${server.url}/ (public lookup), ${server.url}/me (citizens), ${server.url}/console (operators)`,
      `  API documentation: ${server.url}/docs`,
      `  Audit log heads are signed by ${verifierKey(p.auditKey)}`,
      notify
        ? `  Notifications are delivered to ${new URL(notify.webhookUrl).origin}`
        : '  Notifications are queued, not sent: set NOTIFY_WEBHOOK_URL to deliver them',
    ];
    if (creds.length) {
      lines.push(
        '',
        `Demo credentials (send as "Authorization: Bearer <token>"; also in ${join(p.config.dataDir, 'demo-credentials.json')}):`,
      );
      for (const c of creds) lines.push(`  ${c.role.padEnd(14)} ${c.token}${c.ref ? `   (${c.ref})` : ''}`);
    }
    // Notifications reach subjects only through the gateway: deliver in the background while serving.
    const outbox = notify
      ? startOutboxDelivery({
          ctx: () => p.ctx(OUTBOX_SENDER, 'deliver notifications to subjects'),
          deps: { webhookUrl: notify.webhookUrl, secret: notify.secret },
          onPass: (r) => {
            if (r.sent + r.failed + r.dead > 0)
              process.stdout.write(`outbox: sent ${r.sent}, failed ${r.failed}, dead ${r.dead}\n`);
          },
          onError: (e) => process.stderr.write(`outbox: delivery pass failed: ${(e as Error).message}\n`),
        })
      : undefined;
    // Time's transitions (grace periods and listings ending, windows closing): at start when a day
    // was missed, then once a day.
    const maintenance = startDailyMaintenance({
      ctx: () => p.ctx(cliOperator(p.config), 'apply the transitions due by date'),
      deps: listDeps(p),
      onRun: (r) =>
        process.stdout.write(
          `maintain: through ${r.date}, ${r.subjects} subjects due, ${r.transitions} transitions, ${r.notifications} notifications, ${r.archived} archived\n`,
        ),
      onError: (e) => process.stderr.write(`maintain: run failed: ${(e as Error).message}\n`),
    });
    // Citizens' ratings: rings and repeated text across subjects, and the records of sustained aggregates.
    const sweep = startDailySweep({
      ctx: () => p.ctx(cliOperator(p.config), 'detect steered ratings and record sustained aggregates'),
      deps: (ctx) => ({
        ...p.ratings,
        catalogue: p.catalogue,
        refresh: (ids) => p.refreshSubjects(ctx, ids),
      }),
      onRun: (r) =>
        process.stdout.write(
          `ratings: swept ${r.ratings} ratings, ${r.holds.opened_or_extended} held windows opened or extended, ${r.records.stored} records\n`,
        ),
      onError: (e) => process.stderr.write(`ratings: sweep failed: ${(e as Error).message}\n`),
    });
    // Every audit entry joins the Merkle tree and a signed head within a few seconds.
    const heads = startHeadCutting({
      ctx: () => p.ctx(AUDIT_SEQUENCER, 'sign the audit log head'),
      deps: p.audit,
      intervalMs: p.config.audit.headIntervalMs,
      onError: (e) => process.stderr.write(`audit: no tree head signed: ${(e as Error).message}\n`),
    });
    lines.push('', 'Press Ctrl+C to stop.', '');
    process.stdout.write(lines.join('\n'));
    // Graceful shutdown: readiness turns 503 and new requests are refused at once; the requests in
    // flight finish (at most DRAIN_MS, 10 s), the background work stops meanwhile, then the last
    // audit entries get their signed head and the store closes. What was answered is committed.
    // A second signal stops at once.
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('stopping: finishing the requests in flight…\n');
      const drained = server.close().catch(() => {});
      await Promise.allSettled([maintenance.stop(), sweep.stop(), outbox?.stop()]);
      await drained;
      // The last entries, written before the server closed, get their head.
      await heads.stop().catch(() => {});
      await p.close().catch(() => {});
      process.stdout.write('stopped\n');
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    await platform?.close().catch(() => {});
    process.exitCode = reportError(e);
  }
};

export const register = (program: Command) => {
  program
    .command('serve')
    .description(
      'start the HTTP API and web console on HOST:PORT (default 127.0.0.1:8080) over an existing store ' +
        '(create it with `credence init`, or use `credence start`)',
    )
    .option('--port <port>', 'port (default PORT or 8080)', intOption('port', 0, 65535))
    .option('--host <host>', 'address to listen on (default HOST or 127.0.0.1)')
    .action((opts: ServeOptions) => serve(opts, false));
  program
    .command('start')
    .description(
      'initialise if needed, load the demo population on first start (about 20,000 persons and 3,000 organizations), ' +
        'issue demo credentials for every role, and serve',
    )
    .option('--port <port>', 'port (default PORT or 8080)', intOption('port', 0, 65535))
    .option('--host <host>', 'address to listen on (default HOST or 127.0.0.1)')
    .option('--no-demo', 'start without demo data or credentials')
    .option('--persons <n>', 'demo persons on first start', intOption('persons', 1, 50_000_000))
    .option(
      '--organizations <n>',
      'demo organizations and public bodies on first start',
      intOption('organizations', 0, 10_000_000),
    )
    .option('--seed <n>', 'demo seed', intOption('seed', 0, 2 ** 31 - 1))
    .option('--quiet', 'no progress bar')
    .action((opts: ServeOptions) => serve(opts, true));
};
