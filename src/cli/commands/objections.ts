/** `credence objections`: objections to records and to bindings, and their appeals. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  type BindingCorrection,
  type Correction,
  decideObjection,
  listObjections,
  MAX_PAGE,
  OBJECTION_FILTERS,
  OBJECTION_OUTCOMES,
  type ObjectionFilter,
  type ObjectionOutcome,
  type ObjectionView,
  objectionDeps,
  objectionJson,
} from '../../objections/index.ts';
import { cliOperator } from '../../platform/index.ts';
import { EXIT } from '../errors.ts';
import { intOption, withPlatform } from '../run.ts';

const correctionOption = (v: string): Correction => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new InvalidArgumentError(`--correction must be a JSON object, e.g. '{"amount": 30000}': ${v}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidArgumentError(`--correction must be a JSON object, e.g. '{"amount": 30000}': ${v}`);
  return parsed as Correction;
};

const line = (v: ObjectionView) => {
  const clock =
    v.status === 'pending'
      ? `due ${v.dueDay}${v.overdue ? ' OVERDUE' : ''}`
      : v.status === 'appealed'
        ? `appeal due ${v.appealDue}${v.overdue ? ' OVERDUE' : ''}`
        : `decided ${(v.appealDecidedAt ?? v.decidedAt ?? '').slice(0, 10)}: ${v.appealOutcome ?? v.outcome}`;
  const notice = v.sourceNotifiedAt
    ? 'source told'
    : `source not told (by ${v.sourceNoticeDue}${v.sourceNoticeOverdue ? ', OVERDUE' : ''})`;
  const about = v.record
    ? `record ${v.recordId} ${v.record.type}${v.record.evidence ? ` ${v.record.evidence}` : ''} from ${v.record.sourceCode}`
    : `binding ${v.bindingId} ${v.binding!.role} of ${v.binding!.organizationIdentifier} ${v.binding!.organizationName} ` +
      `${v.binding!.validFrom ?? 'first on file'}..${v.binding!.validUntil ?? 'in force'}` +
      `${v.binding!.sourceCode ? ` from ${v.binding!.sourceCode}` : ' (registry import)'}`;
  const pending = v.record ? 'counts while pending' : 'binds while pending';
  return (
    `#${v.id}  [${v.status}]  ${clock}  ${v.subjectIdentifier} ${v.subjectName}  ${about}  ${notice}` +
    `${v.countsWhilePending ? `  (${pending})` : ''}`
  );
};

/** A day option (YYYY-MM-DD); the decision checks it further (not after today, from before until). */
const dayOption = (name: string) => (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v))
    throw new InvalidArgumentError(`--${name} must be a day, YYYY-MM-DD: ${v}`);
  return v;
};

export const register = (program: Command) => {
  const objections = program
    .command('objections')
    .description(
      "subjects' objections to records, and persons' objections to the bindings that name them: the review queue and decisions (operator)",
    );
  objections
    .command('list')
    .description(
      'the objection queue: open objections first, the overdue leading, then by the day their decision is due',
    )
    .addOption(
      new Option('--status <status>', 'which objections; appealed is the appeal queue')
        .choices(OBJECTION_FILTERS)
        .default('open'),
    )
    .option('--limit <n>', `at most this many (1 to ${MAX_PAGE})`, intOption('limit', 1, MAX_PAGE), 50)
    .option('--after <cursor>', 'the next page: the cursor printed at the end of the previous one')
    .option('--json', 'print JSON: objections and the next cursor')
    .action(
      withPlatform(
        async (p, opts: { status: ObjectionFilter; limit: number; after?: string; json?: boolean }) => {
          const { objections: list, next } = await listObjections({
            ctx: p.ctx(cliOperator(p.config), 'review objections'),
            input: { status: opts.status, limit: opts.limit, ...(opts.after ? { after: opts.after } : {}) },
            deps: objectionDeps(p),
          });
          const typeName = (code: string) => p.catalogue.get(code)?.name ?? code;
          if (opts.json) {
            const json = list.map((v) => objectionJson(v, { typeName, internal: true }));
            process.stdout.write(`${JSON.stringify({ objections: json, next }, null, 2)}\n`);
            return EXIT.ok;
          }
          const out = list.length === 0 ? [`no ${opts.status} objections`] : list.map(line);
          if (next) out.push(`more: --after ${next}`);
          process.stdout.write(`${out.join('\n')}\n`);
          return EXIT.ok;
        },
      ),
    );
  objections
    .command('decide')
    .description(
      'decide an objection (or, when it was appealed, the appeal: final) with written reasons; the change to ' +
        'the record or the binding flows to scores, lists and the next check, and the subject is notified',
    )
    .argument('<id>', 'the objection number', intOption('id', 1))
    .addOption(
      new Option(
        '--outcome <outcome>',
        'for a record: record_confirmed keeps it, record_corrected changes it (--correction), record_removed takes it out; ' +
          'for a binding: binding_confirmed keeps it, binding_corrected sets its days (--valid-from, --valid-until), ' +
          'binding_removed withdraws it (kept, bound nowhere)',
      )
        .choices(OBJECTION_OUTCOMES)
        .makeOptionMandatory(),
    )
    .requiredOption('--reasons <text>', 'the written reasons (shown to the subject)')
    .option(
      '--correction <json>',
      'with record_corrected: the fields to change, e.g. \'{"amount": 30000, "note": "paid in part"}\'',
      correctionOption,
    )
    .option(
      '--valid-from <day>',
      'with binding_corrected: the first day the person was bound (YYYY-MM-DD, not after today)',
      dayOption('valid-from'),
    )
    .option(
      '--valid-until <day>',
      'with binding_corrected: the first day the person was no longer bound (YYYY-MM-DD, not after today)',
      dayOption('valid-until'),
    )
    .option('--json', 'print the objection as JSON')
    .action(
      withPlatform(
        async (
          p,
          id: number,
          opts: {
            outcome: ObjectionOutcome;
            reasons: string;
            correction?: Correction;
            validFrom?: string;
            validUntil?: string;
            json?: boolean;
          },
        ) => {
          const ctx = p.ctx(cliOperator(p.config), 'decide an objection');
          const days: BindingCorrection | undefined =
            opts.validFrom !== undefined || opts.validUntil !== undefined
              ? { validFrom: opts.validFrom, validUntil: opts.validUntil }
              : undefined;
          const v = await decideObjection({
            ctx,
            input: {
              id,
              outcome: opts.outcome,
              reasons: opts.reasons,
              correction: opts.correction,
              bindingCorrection: days,
            },
            deps: objectionDeps(p, ctx.requestId),
          });
          if (opts.json) {
            const typeName = (code: string) => p.catalogue.get(code)?.name ?? code;
            process.stdout.write(
              `${JSON.stringify(objectionJson(v, { typeName, internal: true }), null, 2)}\n`,
            );
            return EXIT.ok;
          }
          const final = v.status === 'appeal_decided';
          process.stdout.write(
            `objection #${v.id} ${final ? 'appeal ' : ''}decided: ${opts.outcome}; ` +
              (v.record
                ? `record ${v.recordId} is now ${v.record.status}`
                : `binding ${v.bindingId} ${
                    v.binding!.withdrawnAt
                      ? 'is withdrawn'
                      : `holds ${v.binding!.validFrom ?? 'from its first recording'}..${v.binding!.validUntil ?? 'in force'}`
                  }`) +
              `${final ? ' (final)' : `; the subject may appeal until ${v.appealWindowEnds}`}\n`,
          );
          return EXIT.ok;
        },
      ),
    );
  return objections;
};
