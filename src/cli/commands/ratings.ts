/**
 * `credence ratings`: citizens' ratings (operator): a subject's published aggregates, the held
 * windows and their decisions, and the sweep that detects rings and records sustained aggregates.
 * `credence interactions issue`: tokens for services given, on a source's behalf.
 */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { todayOf } from '../../context.ts';
import { cliOperator, type Platform } from '../../platform/index.ts';
import {
  decideHeld,
  getHeld,
  getRatings,
  HOLD_DECISIONS,
  HOLD_FILTERS,
  type InteractionInput,
  issueInteractions,
  listHeld,
  SERVING_KINDS,
  sweepRatings,
} from '../../ratings/index.ts';
import { invalidInput } from '../../shared/errors.ts';
import { EXIT } from '../errors.ts';
import { statInputFile } from '../input-file.ts';
import { intOption, withPlatform } from '../run.ts';

/** Prints JSON and says the command succeeded. */
const json = (v: unknown) => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
  return EXIT.ok;
};

const stars = (x: number | null) => (x === null ? '—' : x.toFixed(2));

export const register = (program: Command) => {
  const ratings = program
    .command('ratings')
    .description(
      "citizens' ratings after verified interactions: published aggregates, windows held for review " +
        '(bursts, rings, connected raters, repeated text, rate limits) and their decisions, the daily sweep',
    );
  ratings
    .command('show')
    .description(
      'the published ratings of an organization or public body (USCC) or a licensed professional (licence number)',
    )
    .argument('<id>', 'USCC or licence number')
    .option('--json', 'print JSON, as GET /v1/ratings/{id}')
    .action(
      withPlatform(async (p, id: string, opts: { json?: boolean }) => {
        const v = await getRatings({
          ctx: p.ctx(cliOperator(p.config), 'look up published ratings'),
          input: { id },
          deps: p.ratings,
        });
        if (opts.json) return json(v);
        const out = [
          `${v.subject.name} (${v.subject.kind}${v.subject.uscc ? ` ${v.subject.uscc}` : ''}${v.subject.licence ? ` ${v.subject.licence.kind} ${v.subject.licence.number}` : ''})`,
        ];
        for (const d of ['professionalism', 'honesty'] as const) {
          const a = v[d];
          out.push(
            `  ${d.padEnd(16)} ${a.published ? `${stars(a.bayesian)} (Bayesian; mean ${stars(a.mean)}, 95 % ${stars(a.band?.low ?? null)}–${stars(a.band?.high ?? null)})` : `not published: ${a.count} of ${v.min_count} ratings`}  ` +
              `count ${a.count}, held ${a.held}, stars 1–5: ${[1, 2, 3, 4, 5].map((s) => a.distribution[s]).join('/')}`,
          );
        }
        for (const c of v.comments.slice(0, 10))
          out.push(
            `  week of ${c.week} ${c.professionalism}/${c.honesty} ${c.comment}${c.reply ? `\n      reply: ${c.reply}` : ''}`,
          );
        process.stdout.write(`${out.join('\n')}\n`);
        return EXIT.ok;
      }),
    );
  ratings
    .command('held')
    .description(
      'the windows held for review, newest first; with an id, one window and its ratings (raters by pseudonym)',
    )
    .argument('[id]', 'a held window', intOption('id', 1))
    .addOption(new Option('--status <status>', 'which windows').choices(HOLD_FILTERS).default('pending'))
    .option('--limit <n>', 'at most this many (1 to 200)', intOption('limit', 1, 200), 50)
    .option('--before <id>', 'the next page: windows older than this id', intOption('before', 1))
    .option('--json', 'print JSON')
    .action(
      withPlatform(
        async (
          p,
          id: number | undefined,
          opts: { status: (typeof HOLD_FILTERS)[number]; limit: number; before?: number; json?: boolean },
        ) => {
          const ctx = p.ctx(cliOperator(p.config), 'review held ratings');
          if (id !== undefined) {
            const h = await getHeld({ ctx, input: { id } });
            if (opts.json) return json(h);
            const out = [
              `#${h.id} [${h.status}] ${h.reason}: ${h.reason_text}`,
              `  ${h.subject ? `${h.subject.identifier} ${h.subject.name}` : 'across subjects'}, ${h.window.from} → ${h.window.to}, ${h.ratings} ratings`,
              `  detail ${JSON.stringify(h.detail)}`,
              ...h.items.map(
                (r) =>
                  `  rating ${r.id} ${r.rater} ${r.professionalism}/${r.honesty} ${r.submitted_at}${r.connected ? ' connected' : ''}${r.comment ? ` "${r.comment}"` : ''}`,
              ),
            ];
            if (h.decided_at)
              out.push(`  ${h.status} ${h.decided_at} by ${h.decided_by}: ${h.decision_reason}`);
            process.stdout.write(`${out.join('\n')}\n`);
            return EXIT.ok;
          }
          const page = await listHeld({
            ctx,
            input: {
              status: opts.status,
              limit: opts.limit,
              ...(opts.before ? { before: opts.before } : {}),
            },
          });
          if (opts.json) return json(page);
          const out = page.holds.length
            ? page.holds.map(
                (h) =>
                  `#${h.id} [${h.status}] ${h.reason.padEnd(13)} ${h.subject ? `${h.subject.identifier} ${h.subject.name}` : 'across subjects'}  ${h.ratings} ratings  ${h.window.from.slice(0, 16)} → ${h.window.to.slice(0, 16)}`,
              )
            : [`no ${opts.status} held windows`];
          if (page.next_before) out.push(`more: --before ${page.next_before}`);
          process.stdout.write(`${out.join('\n')}\n`);
          return EXIT.ok;
        },
      ),
    );
  ratings
    .command('decide')
    .description(
      'confirm a held window (its ratings stop counting for good) or release it (they count, never held again for its reason)',
    )
    .argument('<id>', 'the held window', intOption('id', 1))
    .addOption(
      new Option('--decision <decision>', 'confirm or release').choices(HOLD_DECISIONS).makeOptionMandatory(),
    )
    .requiredOption('--reason <text>', 'the written reasons (kept and audited)')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, id: number, opts: { decision: string; reason: string; json?: boolean }) => {
        const h = await decideHeld({
          ctx: p.ctx(cliOperator(p.config), 'decide a held rating window'),
          input: { id, decision: opts.decision, reason: opts.reason },
        });
        if (opts.json) return json(h);
        process.stdout.write(
          `held window #${h.id} ${h.status}: ${h.ratings} ratings ${h.status === 'confirmed' ? 'no longer count' : 'count again'}\n`,
        );
        return EXIT.ok;
      }),
    );
  ratings
    .command('sweep')
    .description(
      'detect over every rating (rings and repeated text across subjects, as well as bursts), keep the rater weights, ' +
        'and turn aggregates sustained beyond the thresholds over the last complete period into records (policies/ratings.yaml)',
    )
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p: Platform, opts: { json?: boolean }) => {
        const ctx = p.ctx(cliOperator(p.config), 'detect steered ratings and record sustained aggregates');
        const r = await sweepRatings({
          ctx,
          deps: { ...p.ratings, catalogue: p.catalogue, refresh: (ids) => p.refreshSubjects(ctx, ids) },
        });
        if (opts.json) return json(r);
        process.stdout.write(
          `${r.ratings} ratings of ${r.subjects} subjects: ${r.holds.opened_or_extended} held windows opened or extended ` +
            `(${
              Object.entries(r.holds.by_reason)
                .map(([k, n]) => `${k} ${n}`)
                .join(', ') || 'nothing found'
            }); ` +
            `period ${r.records.period.from}..${r.records.period.to}: ${r.records.stored} records stored, ${r.records.duplicates} already kept\n`,
        );
        return EXIT.ok;
      }),
    );

  const interactions = program
    .command('interactions')
    .description('verified service interactions: the tokens a citizen rates a service with');
  interactions
    .command('issue')
    .description(
      'issue tokens on a source’s behalf for services that took place (one from options, or many from an NDJSON file of ' +
        '{"serving": {"kind", "id"}, "service_date", "service"}); each token is printed once',
    )
    .requiredOption('--source <code>', 'the source that served')
    .addOption(new Option('--serving-kind <kind>', 'who served').choices(SERVING_KINDS))
    .option('--serving-id <id>', 'the licence number or USCC of who served')
    .option('--licence-kind <kind>', 'only when one licence number is held under several kinds')
    .option('--service-date <day>', 'YYYY-MM-DD (default: today)')
    .option('--service <text>', 'what the service was', 'service')
    .option('--file <ndjson>', 'many interactions, one JSON object per line')
    .option('--json', 'print JSON')
    .action(
      withPlatform(
        async (
          p,
          opts: {
            source: string;
            servingKind?: string;
            servingId?: string;
            licenceKind?: string;
            serviceDate?: string;
            service: string;
            file?: string;
            json?: boolean;
          },
        ) => {
          const today = todayOf(p.clock);
          let list: InteractionInput[];
          if (opts.file) {
            await statInputFile(opts.file);
            const text = await readFile(opts.file, 'utf8');
            list = text
              .split('\n')
              .map((l, i) => [l.trim(), i + 1] as const)
              .filter(([l]) => l.length > 0)
              .map(([l, n]) => {
                let v: {
                  serving?: { kind?: string; id?: string; licence_kind?: string };
                  service_date?: string;
                  service?: string;
                };
                try {
                  v = JSON.parse(l);
                } catch {
                  throw invalidInput(`${opts.file}: line ${n} is not JSON`, [
                    { line: n, message: 'not JSON' },
                  ]);
                }
                return {
                  serving: {
                    kind: v.serving?.kind ?? '',
                    id: v.serving?.id ?? '',
                    licenceKind: v.serving?.licence_kind,
                  },
                  serviceDate: v.service_date ?? today,
                  service: v.service ?? 'service',
                };
              });
          } else {
            if (!opts.servingKind || !opts.servingId)
              throw invalidInput('name who served: --serving-kind and --serving-id (or --file)', [
                { field: 'serving', message: 'required' },
              ]);
            list = [
              {
                serving: { kind: opts.servingKind, id: opts.servingId, licenceKind: opts.licenceKind },
                serviceDate: opts.serviceDate ?? today,
                service: opts.service,
              },
            ];
          }
          const tokens = await issueInteractions({
            ctx: p.ctx(cliOperator(p.config), 'issue interaction tokens for services given'),
            input: {
              source: opts.source,
              interactions: list,
              naming: { how: '--source CODE', field: 'source' },
            },
            deps: p.ratings,
          });
          if (opts.json)
            return json({ tokens: tokens.map((t) => ({ token: t.token, expires_at: t.expiresAt })) });
          process.stdout.write(`${tokens.map((t) => `${t.token}  expires ${t.expiresAt}`).join('\n')}\n`);
          return EXIT.ok;
        },
      ),
    );
};
