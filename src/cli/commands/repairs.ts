/** `credence repairs`: credit repair applications (operator): the queue, feedback and decisions. */
import { type Command, Option } from 'commander';
import { DUE_PROCESS_PRINCIPAL } from '../../due-process/index.ts';
import { cliOperator, type Platform } from '../../platform/index.ts';
import {
  decideRepair,
  giveRepairFeedback,
  listRepairs,
  REPAIR_FILTERS,
  type RepairFilter,
  type RepairView,
} from '../../repairs/index.ts';
import { EXIT } from '../errors.ts';
import { intOption, withPlatform } from '../run.ts';

const MAX_PAGE = 500;

const deps = (p: Platform) => ({ catalogue: p.catalogue, dueProcess: p.dueProcess, calendar: p.calendar });

const line = (v: RepairView) => {
  const clock =
    v.due !== null
      ? `${v.status === 'pending' ? 'feedback' : 'decision'} due ${v.due}${v.overdue ? ' OVERDUE' : ''}`
      : v.status === 'rejected'
        ? `not accepted ${(v.feedback?.at ?? '').slice(0, 10)}`
        : `${v.status} ${(v.decided_at ?? '').slice(0, 10)}${v.display_stop_due ? `, display stops by ${v.display_stop_due}` : ''}`;
  return (
    `#${v.id}  [${v.status}]  ${clock}  ${v.subject?.identifier ?? ''} ${v.subject?.name ?? ''}  record ${v.record_id} ` +
    `${v.record.type}${v.record.case_reference ? ` ${v.record.case_reference}` : ''} from ${v.record.source}`
  );
};

const print = (v: RepairView, json: boolean | undefined, text: string) => {
  process.stdout.write(json ? `${JSON.stringify(v, null, 2)}\n` : `${text}\n`);
  return EXIT.ok;
};

export const register = (program: Command) => {
  const repairs = program
    .command('repairs')
    .description(
      "subjects' credit repair applications (operator): the queue, feedback within 10 working days and the " +
        'decision within 3 more; a granted repair stops the record counting',
    );
  repairs
    .command('list')
    .description(
      'the repair queue: open applications first, the overdue leading, then by the day their step is due',
    )
    .addOption(
      new Option('--status <status>', 'which applications (open: pending and accepted)')
        .choices(REPAIR_FILTERS)
        .default('open'),
    )
    .option('--limit <n>', `at most this many (1 to ${MAX_PAGE})`, intOption('limit', 1, MAX_PAGE), 50)
    .option('--after <cursor>', 'the next page: the cursor printed at the end of the previous one')
    .option('--json', 'print JSON: repairs and the next cursor')
    .action(
      withPlatform(
        async (p, opts: { status: RepairFilter; limit: number; after?: string; json?: boolean }) => {
          const { repairs: list, next } = await listRepairs({
            ctx: p.ctx(cliOperator(p.config), 'review repair applications'),
            input: { status: opts.status, limit: opts.limit, ...(opts.after ? { after: opts.after } : {}) },
            deps: deps(p),
          });
          if (opts.json) {
            process.stdout.write(`${JSON.stringify({ repairs: list, next }, null, 2)}\n`);
            return EXIT.ok;
          }
          const out = list.length === 0 ? [`no ${opts.status} repair applications`] : list.map(line);
          if (next) out.push(`more: --after ${next}`);
          process.stdout.write(`${out.join('\n')}\n`);
          return EXIT.ok;
        },
      ),
    );
  repairs
    .command('feedback')
    .description(
      'give feedback on a pending application (due within 10 working days): --accept starts the 3-working-day ' +
        'decision clock, --reject closes it (the subject may apply again); the subject is notified',
    )
    .argument('<id>', 'the application number', intOption('id', 1))
    .option('--accept', 'the application is complete and will be decided')
    .option('--reject', 'the application is not accepted (say what is missing in --message)')
    .requiredOption('--message <text>', 'the feedback (shown to the subject)')
    .option('--json', 'print the application as JSON')
    .action(
      withPlatform(
        async (
          p,
          id: number,
          opts: { accept?: boolean; reject?: boolean; message: string; json?: boolean },
        ) => {
          if (Boolean(opts.accept) === Boolean(opts.reject)) {
            process.stderr.write('error (invalid_input): give exactly one of --accept or --reject\n');
            return EXIT.usage;
          }
          const v = await giveRepairFeedback({
            ctx: p.ctx(cliOperator(p.config), 'give feedback on a repair application'),
            input: { id, accepted: Boolean(opts.accept), message: opts.message },
            deps: deps(p),
          });
          return print(
            v,
            opts.json,
            v.status === 'accepted'
              ? `repair application #${v.id} accepted; the decision is due by ${v.decision_due}`
              : `repair application #${v.id} not accepted; the subject is told what is missing`,
          );
        },
      ),
    );
  repairs
    .command('decide')
    .description(
      'decide an application with written reasons (from pending, feedback is given with it): granted repairs ' +
        'the record — it stops counting and scores, lists and the next check follow at once; the subject is notified',
    )
    .argument('<id>', 'the application number', intOption('id', 1))
    .addOption(
      new Option('--outcome <outcome>', 'the decision').choices(['granted', 'refused']).makeOptionMandatory(),
    )
    .requiredOption('--reasons <text>', 'the written reasons (shown to the subject)')
    .option('--json', 'print the application as JSON')
    .action(
      withPlatform(
        async (p, id: number, opts: { outcome: 'granted' | 'refused'; reasons: string; json?: boolean }) => {
          const ctx = p.ctx(cliOperator(p.config), 'decide a repair application');
          const v = await decideRepair({
            ctx,
            input: { id, outcome: opts.outcome, reasons: opts.reasons },
            deps: {
              ...deps(p),
              refresh: (ids) =>
                p.refreshSubjects(
                  p.ctx(DUE_PROCESS_PRINCIPAL, 'apply a repair decision', ctx.requestId),
                  ids,
                ),
            },
          });
          return print(
            v,
            opts.json,
            v.outcome === 'granted'
              ? `repair application #${v.id} granted: record ${v.record_id} is ${v.record.status}; list display stops by ${v.display_stop_due}`
              : `repair application #${v.id} refused`,
          );
        },
      ),
    );
  return repairs;
};
