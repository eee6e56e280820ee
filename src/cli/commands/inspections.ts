/**
 * `credence inspections`: risk-based random inspections of organizations and public bodies
 * ("double random, one public"): the roster, the drawn plan, outcomes, the re-run of a draw and
 * the published results.
 */
import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { type RawLine, readNdjson } from '../../ingest/index.ts';
import { cliOperator, type Platform } from '../../platform/index.ts';
import { invalidInput } from '../../shared/errors.ts';
import {
  addInspector,
  addInspectors,
  INSPECTION_OUTCOMES,
  INSPECTIONS_PRINCIPAL,
  type InspectionDeps,
  inspectOnComplaint,
  parseInputsJson,
  planInspections,
  publishedInspections,
  type RosterChange,
  recordOutcome,
  showPlan,
  verifyStoredPlan,
} from '../../supervision/index.ts';
import { EXIT } from '../errors.ts';
import { statInputFile } from '../input-file.ts';
import { readJsonFile } from '../json-file.ts';
import { intOption, withPlatform } from '../run.ts';

const json = (v: unknown) => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
  return EXIT.ok;
};

const declared = (k: number) => `${k} declared conflict${k === 1 ? '' : 's'}`;

/** What an update changed of an inspector on file. */
const rosterChanges = (
  before: { name: string; conflicts: string[] },
  after: { name: string; conflicts: string[] },
): string[] => [
  ...(before.name !== after.name ? [`name "${before.name}" → "${after.name}"`] : []),
  ...(before.conflicts.join(';') !== after.conflicts.join(';')
    ? [`${declared(before.conflicts.length)} → ${after.conflicts.length}`]
    : []),
];

/** A roster is a few hundred lines: a larger file is a wrong path, refused unread. */
const MAX_ROSTER_FILE = 16 * 1024 ** 2;

const readRosterFile = async (file: string): Promise<RawLine[]> => {
  const info = await statInputFile(file); // ENOENT: file not found, exit 2
  if (info.size > MAX_ROSTER_FILE)
    throw invalidInput(`${file} is over ${MAX_ROSTER_FILE / 1024 ** 2} MiB: not a roster`);
  const lines: RawLine[] = [];
  for await (const chunk of readNdjson(createReadStream(file))) lines.push(...chunk);
  return lines;
};

const deps = (p: Platform): InspectionDeps => ({
  policy: p.supervisionPolicy,
  catalogue: p.catalogue,
  lists: p.lists,
  scoringPolicy: p.scoringPolicy,
  audit: p.audit,
  refresh: (ids) =>
    p.refreshSubjects(p.ctx(INSPECTIONS_PRINCIPAL, 'rescore after an inspection outcome'), ids),
});

type PlanView = Awaited<ReturnType<typeof showPlan>>;
const printPlan = (v: PlanView) => {
  const out = [
    `plan #${v.id} ${v.regulator} ${v.period}: seed ${v.seed} (${v.seed_origin})`,
    `  targets ${v.targets_hash}  roster ${v.roster_hash}  policy ${v.policy_version.slice(0, 12)}`,
    ...v.per_class.map(
      (c) =>
        `  class ${c.class}: ${c.drawn} of ${c.population} drawn (ratio ${c.ratio}; ${c.red_listed} red-listed left alone)`,
    ),
    ...v.inspections.map(
      (i) =>
        `  #${i.id} ${i.target.uscc} ${i.target.name} [${i.class}] ${i.inspectors.join(' + ')}  ${i.outcome ?? `due ${i.due_day}${i.overdue ? ' OVERDUE' : ''}`}`,
    ),
  ];
  if (v.unassigned.length)
    out.push(`  ${v.unassigned.length} drawn but unassigned (roster too small or conflicted)`);
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
};

export const register = (program: Command) => {
  const inspections = program
    .command('inspections')
    .description(
      'risk-based random inspections of organizations and public bodies (never persons): classes A–D, a draw anyone ' +
        'can re-run, two inspectors per target without conflicts, outcomes that become records, published results',
    );
  inspections
    .command('roster')
    .description(
      "put an inspector (an inspector credential's ref) on a regulator's roster with its declared conflicts, " +
        'or every inspector of an NDJSON file (--file), all or none; an inspector already there is updated, and said so',
    )
    .argument('[code]', 'the inspector (or --file)')
    .requiredOption('--regulator <source>', 'a source of kind market_regulator or local_government')
    .option('--name <name>', 'the inspector’s name')
    .option(
      '--conflicts <usccs>',
      "comma-separated USCCs it may not inspect (left out: an inspector already there keeps its own; '' clears them)",
    )
    .option(
      '--file <ndjson>',
      'one inspector per line: {"code":"…","name":"…","conflicts":["USCC",…]}; any bad line, or one code on two lines ' +
        'with different data, refuses the whole file (exit 2)',
    )
    .action(
      withPlatform(
        async (
          p,
          code: string | undefined,
          opts: { regulator: string; name?: string; conflicts?: string; file?: string },
        ) => {
          const ctx = p.ctx(cliOperator(p.config), 'keep an inspector roster');
          if (opts.file) {
            if (code !== undefined || opts.name !== undefined || opts.conflicts !== undefined)
              throw invalidInput('--file gives the inspectors: name no CODE, --name or --conflicts with it');
            const put = await addInspectors({
              ctx,
              input: { regulator: opts.regulator, lines: await readRosterFile(opts.file), file: opts.file },
            });
            const count = (c: RosterChange) => put.filter((x) => x.change === c).length;
            for (const x of put.filter((x) => x.change === 'updated'))
              process.stdout.write(
                `line ${x.line}: ${x.entry.code} updated: ${rosterChanges(x.previous!, x.entry).join(', ')}\n`,
              );
            process.stdout.write(
              `roster of ${opts.regulator}: added ${count('added')}, updated ${count('updated')}, unchanged ${count('unchanged')}\n`,
            );
            return EXIT.ok;
          }
          if (code === undefined) throw invalidInput('name the inspector (CODE), or give --file');
          const i = await addInspector({
            ctx,
            input: {
              code,
              regulator: opts.regulator,
              name: opts.name,
              conflicts: opts.conflicts?.split(',').filter((c) => c.trim() !== ''),
            },
          });
          process.stdout.write(
            i.change === 'added'
              ? `${i.code} added to the roster of ${i.regulator} (${declared(i.conflicts.length)})\n`
              : i.change === 'updated'
                ? `${i.code} updated on the roster of ${i.regulator}: ${rosterChanges(i.previous!, i).join(', ')}\n`
                : `${i.code} already on the roster of ${i.regulator} as given (${declared(i.conflicts.length)})\n`,
          );
          return EXIT.ok;
        },
      ),
    );
  inspections
    .command('plan')
    .description(
      "draw a regulator's plan for a period: classes from each file, snapshots hashed and audited, then the seed " +
        '(by default the SHA-256 of a signed audit head cut after them)',
    )
    .requiredOption('--regulator <source>', 'the regulator (a source code)')
    .requiredOption('--period <label>', 'e.g. 2026-Q4')
    .option('--seed <hex>', 'a seed from a public lottery instead of the audit head (recorded with the plan)')
    .option('--json', 'print JSON, as POST /v1/inspections/plans')
    .action(
      withPlatform(async (p, opts: { regulator: string; period: string; seed?: string; json?: boolean }) => {
        const v = await planInspections({
          ctx: p.ctx(cliOperator(p.config), 'draw an inspection plan'),
          input: {
            regulator: opts.regulator,
            period: opts.period,
            ...(opts.seed ? { seed: opts.seed } : {}),
          },
          deps: deps(p),
        });
        return opts.json ? json(v) : printPlan(v);
      }),
    );
  inspections
    .command('complaint')
    .description(
      'add an inspection made on a complaint to a plan, outside the draw (the only way a red-listed organization is inspected); ' +
        'its two inspectors are the least loaded without a conflict',
    )
    .argument('<plan>', 'the plan id', intOption('plan', 1))
    .requiredOption('--target <uscc>', 'the organization or public body')
    .requiredOption('--complaint <text>', 'what the complaint says (kept and audited)')
    .action(
      withPlatform(async (p, id: number, opts: { target: string; complaint: string }) => {
        const v = await inspectOnComplaint({
          ctx: p.ctx(cliOperator(p.config), 'inspect on a complaint'),
          input: { planId: id, target: opts.target, complaint: opts.complaint },
          deps: deps(p),
        });
        process.stdout.write(
          `inspection #${v.id} of ${v.target.uscc} on a complaint: ${v.inspectors.join(' + ')}, due ${v.due_day}\n`,
        );
        return EXIT.ok;
      }),
    );
  inspections
    .command('show')
    .description('a plan: its published inputs and every target (operator)')
    .argument('<plan>', 'the plan id', intOption('plan', 1))
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, id: number, opts: { json?: boolean }) => {
        const v = await showPlan({
          ctx: p.ctx(cliOperator(p.config), 'read an inspection plan'),
          input: { id },
          deps: deps(p),
        });
        return opts.json ? json(v) : printPlan(v);
      }),
    );
  inspections
    .command('outcome')
    .description('enter the outcome of an inspection (operator): it becomes a record and is published')
    .argument('<inspection>', 'the inspection id', intOption('inspection', 1))
    .addOption(
      new Option('--outcome <outcome>', 'what the inspection found')
        .choices(INSPECTION_OUTCOMES)
        .makeOptionMandatory(),
    )
    .option('--note <text>', 'a note kept with the record')
    .action(
      withPlatform(async (p, id: number, opts: { outcome: string; note?: string }) => {
        const v = await recordOutcome({
          ctx: p.ctx(cliOperator(p.config), 'enter an inspection outcome'),
          input: { id, outcome: opts.outcome, ...(opts.note ? { note: opts.note } : {}) },
          deps: deps(p),
        });
        process.stdout.write(
          `inspection #${v.id} of ${v.target.uscc}: ${v.outcome}, published ${v.published_at}\n`,
        );
        return EXIT.ok;
      }),
    );
  inspections
    .command('verify')
    .description(
      're-run a plan’s draw from its published inputs (or inputs from a JSON file) and say identical or not',
    )
    .argument('<plan>', 'the plan id', intOption('plan', 1))
    .option(
      '--inputs <file>',
      'the draw inputs as JSON, as GET /v1/inspections/plans/{id}/inputs gives them (policy_version, seed, targets, roster, last_inspectors)',
    )
    .action(
      withPlatform(async (p, id: number, opts: { inputs?: string }) => {
        const inputs = opts.inputs
          ? parseInputsJson(await readJsonFile(opts.inputs), opts.inputs)
          : undefined;
        const r = await verifyStoredPlan({
          ctx: p.ctx(cliOperator(p.config), 'verify an inspection plan'),
          input: { id, ...(inputs ? { inputs } : {}) },
          deps: deps(p),
        });
        process.stdout.write(
          r.identical
            ? `plan #${id}: identical\n`
            : `plan #${id}: NOT identical\n${r.differences.map((d) => `  ${d}`).join('\n')}\n`,
        );
        return r.identical ? EXIT.ok : EXIT.partial;
      }),
    );
  inspections
    .command('publish')
    .description('the published results of inspections done, newest first (as GET /v1/inspections/published)')
    .option('--limit <n>', 'at most this many', intOption('limit', 1, 1000), 200)
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, opts: { limit: number; json?: boolean }) => {
        const rows = await publishedInspections({
          ctx: p.ctx(cliOperator(p.config), 'read published inspection results'),
          input: { limit: opts.limit },
        });
        if (opts.json) return json({ inspections: rows });
        process.stdout.write(
          `${rows.length ? rows.map((r) => `#${r.id} ${r.inspected_on} ${r.target.uscc} ${r.target.name} [${r.class}] ${r.outcome}${r.contested ? ' (contested)' : ''}`).join('\n') : 'no inspection results published yet'}\n`,
        );
        return EXIT.ok;
      }),
    );
};
