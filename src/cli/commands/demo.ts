import type { Command } from 'commander';
import { todayOf } from '../../context.ts';
import {
  checkDemoOut,
  type DemoInspectionsResult,
  type DemoRatingsResult,
  loadDemo,
  writeDemoFiles,
} from '../../demo/index.ts';
import { cliOperator } from '../../platform/index.ts';
import { INSPECTIONS_PRINCIPAL } from '../../supervision/index.ts';
import { EXIT, reportError } from '../errors.ts';
import { startProgress } from '../progress.ts';
import { intOption, withPlatform } from '../run.ts';

export const register = (program: Command) =>
  program
    .command('demo')
    .description(
      'generate a deterministic demo population (persons, organizations, public bodies, licences, five years of records from every kind of source) ' +
        'and ingest it, with citizen ratings including one bombing attack and one ring held for review and one market ' +
        "regulator's inspection plan with some outcomes; or write it to files with --out",
    )
    .option('--persons <n>', 'number of persons', intOption('persons', 1, 50_000_000), 20_000)
    .option(
      '--organizations <n>',
      'number of organizations and public bodies',
      intOption('organizations', 0, 10_000_000),
      3_000,
    )
    .option(
      '--seed <n>',
      'random seed: the same seed gives the same population',
      intOption('seed', 0, 2 ** 31 - 1),
      1,
    )
    .option(
      '--out <dir>',
      'write subjects.ndjson, one <source>.ndjson per demo source and sources.json into this folder (new or empty) instead of ingesting',
    )
    .option('--force', 'with --out: replace a file there, or the demo files of an earlier run in that folder')
    .option('--quiet', 'no progress bar')
    .action(async (opts: DemoCliOptions) => {
      // Refused before the store is opened (or created): a refusal changes nothing.
      if (opts.out) {
        try {
          checkDemoOut(opts.out, opts.force);
        } catch (e) {
          process.exitCode = reportError(e);
          return;
        }
      }
      await demo(opts);
    });

interface DemoCliOptions {
  persons: number;
  organizations: number;
  seed: number;
  out?: string;
  force?: boolean;
  quiet?: boolean;
}

const demo = withPlatform(
  async (p, opts: DemoCliOptions) => {
    const options = {
      persons: opts.persons,
      organizations: opts.organizations,
      seed: opts.seed,
      end: todayOf(p.clock),
    };
    if (opts.out) {
      const bar = startProgress('demo', 0, { quiet: opts.quiet });
      const { files, items } = await writeDemoFiles(
        opts.out,
        options,
        p.catalogue,
        (n, t) => bar.update(n, '', t),
        { replace: Boolean(opts.force) },
      );
      bar.stop();
      process.stdout.write(`wrote ${items} lines to ${opts.out}: ${files.join(', ')}\n`);
      return EXIT.ok;
    }
    const r = await runDemoLoad(p, options, opts.quiet);
    return r.rejected > 0 ? EXIT.partial : EXIT.ok;
  },
  // `credence demo` fills a new store as readily as an existing one.
  { create: true },
);

/** Loads a demo population with a progress bar and prints what was stored; shared with `start`. */
export const runDemoLoad = async (
  p: Parameters<Parameters<typeof withPlatform>[0]>[0],
  options: { persons: number; organizations: number; seed: number; end: string },
  quiet?: boolean,
) => {
  let bar: ReturnType<typeof startProgress> | undefined;
  const ctx = p.ctx(cliOperator(p.config), 'load demo population');
  const r = await loadDemo({
    ctx,
    input: {
      options,
      catalogue: p.catalogue,
      // Scores, list entries, notifications and transition days of what the demo stored, as
      // `credence ingest` refreshes after each batch.
      refresh: (ids) => p.refreshSubjects(ctx, ids),
      ratings: { ...p.ratings, catalogue: p.catalogue, refresh: (ids) => p.refreshSubjects(ctx, ids) },
      inspections: {
        policy: p.supervisionPolicy,
        catalogue: p.catalogue,
        lists: p.lists,
        scoringPolicy: p.scoringPolicy,
        audit: p.audit,
        refresh: (ids) =>
          p.refreshSubjects(p.ctx(INSPECTIONS_PRINCIPAL, 'rescore after an inspection outcome'), ids),
      },
      onProgress: (s) => {
        bar ??= startProgress('demo', s.total, { quiet, unit: 'items' });
        bar.update(
          s.items,
          `${s.subjects} subjects, ${s.records} records${s.refreshed ? `, ${s.refreshed} rescored` : ''}${s.ratings ? `, ${s.ratings} ratings` : ''}`,
        );
      },
    },
  });
  bar?.update(r.total);
  bar?.stop();
  for (const x of r.rejections.slice(0, 20))
    process.stderr.write(`${x.source} line ${x.line}: ${x.field}: ${x.reason}\n`);
  process.stdout.write(
    `demo population: ${r.subjects} subjects, ${r.records} records stored, ${r.duplicates} already present, ${r.rejected} rejected; ${r.refreshed} subjects rescored and relisted\n`,
  );
  if (r.ratingsLoad) for (const line of ratingsSummary(r.ratingsLoad)) process.stdout.write(`${line}\n`);
  if (r.inspectionsLoad)
    for (const line of inspectionsSummary(r.inspectionsLoad)) process.stdout.write(`${line}\n`);
  if (r.samplePerson) await p.store.setMeta('demo_sample_person', r.samplePerson);
  // The first start's inspector credential: a roster inspector with inspections still to do.
  if (r.inspectionsLoad?.inspector) await p.store.setMeta('demo_inspector', r.inspectionsLoad.inspector);
  return r;
};

const count = (n: number) => n.toLocaleString('en-US');

/** The demo's plan: what was drawn per class, and the outcomes entered. */
const inspectionsSummary = (x: DemoInspectionsResult): string[] => {
  if (x.skipped) return [`demo inspections: ${x.regulator} already has a plan, none added`];
  const shares = x.perClass
    .filter((c) => c.population > 0)
    .map((c) => `${c.class} ${Math.round((100 * c.drawn) / c.population)} %`)
    .join(', ');
  const o = x.outcomes;
  const entered = o.passed + o.corrected_on_spot + o.ordered_corrected + o.penalty_referred;
  return [
    `demo inspections: plan #${x.planId} of ${x.regulator} for ${x.period}: ${count(x.drawn)} of ${count(x.organizations)} organizations and public bodies drawn${shares ? ` (${shares})` : ''}, ${entered} outcomes entered and ${x.published} published`,
    `demo inspections: ${x.inspectors} inspectors on the roster (${x.conflicted} with ${x.conflicts} declared conflicts)${x.unassigned ? `, ${x.unassigned} drawn targets unassigned` : ''}; outcomes: ${o.passed} passed, ${o.corrected_on_spot} corrected on the spot, ${o.ordered_corrected} ordered corrected, ${o.penalty_referred} penalty referred (credence inspections show ${x.planId})`,
  ];
};

/** What the demo's ratings show: how many, of what, and what detection held for review. */
const ratingsSummary = (x: DemoRatingsResult): string[] => {
  if (x.skipped) return ['demo ratings: ratings already on file, none added'];
  const n = x.rated;
  const lines = [
    `demo ratings: ${x.ratings} ratings of ${n.doctor} doctors, ${n.teacher} teachers, ${n.public_body} public bodies and ${n.organization} organizations (${x.honest} honest, ${x.comments} with a comment, ${x.replies} answered)`,
  ];
  const held = (reason: string) => x.held[reason] ?? { holds: 0, ratings: 0 };
  const parts: string[] = [];
  if (x.burst)
    parts.push(
      `burst: ${held('burst').ratings} ratings in ${held('burst').holds} window(s), the bombing of doctor ${x.burst.name} (licence ${x.burst.licence}) with ${x.burst.ratings} one-star ratings within an hour`,
    );
  if (x.ring)
    parts.push(
      `ring: ${held('ring').ratings} ratings in ${held('ring').holds} window(s), ${x.ring.raters} legal representatives rating each other's businesses`,
    );
  for (const [reason, h] of Object.entries(x.held))
    if (reason !== 'burst' && reason !== 'ring')
      parts.push(`${reason}: ${h.ratings} ratings in ${h.holds} window(s)`);
  if (x.records > 0)
    lines.push(`demo ratings: ${x.records} sustained aggregate(s) became records through the catalogue`);
  if (parts.length > 0) lines.push(`held for review (credence ratings held): ${parts.join('; ')}`);
  return lines;
};
