import type { Command } from 'commander';
import { recomputeAllLists } from '../../lists/index.ts';
import {
  checkBasis,
  checkMeasure,
  explainCheck,
  listRelyingParties,
  registerRelyingParty,
  setRelyingPartyPurposes,
} from '../../measures/index.ts';
import { cliOperator, listDeps } from '../../platform/index.ts';
import type { RelyingPartyRow } from '../../store/index.ts';
import { getSubjectFile, subjectFileJson } from '../../subjects/index.ts';
import { startProgress } from '../progress.ts';
import { withPlatform } from '../run.ts';

const codes = (text: string) =>
  text
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);

/** A relying party as the API prints it (snake_case, CONVENTIONS 7c). */
const relyingPartyJson = (rp: RelyingPartyRow) => ({
  code: rp.code,
  kind: rp.kind,
  name: rp.name,
  legal_basis: rp.legalBasis,
  measures: rp.measures,
  purposes: rp.purposes,
  daily_quota: rp.dailyQuota,
});

export const register = (program: Command) => {
  const rps = program
    .command('relying-parties')
    .description('register and list relying parties (airlines, railways, procurement offices, banks...)');
  rps
    .command('add')
    .description('register a relying party with the measures it may ask about; prints its token once')
    .argument('<code>', 'short unique code, e.g. rail-chengdu')
    .requiredOption(
      '--kind <kind>',
      'airline, railway, procurement_office, bank, hotel, licensing_office, approvals_office, …',
    )
    .option(
      '--measures <codes>',
      'comma-separated measures it may check (default: every measure its kind enforces)',
    )
    .requiredOption(
      '--purposes <codes>',
      'comma-separated purposes its checks may name, snake_case (e.g. ticket_sale, tender_evaluation)',
    )
    .option('--daily-quota <n>', 'checks a day before it is refused (default 100000)')
    .option('--name <name>', 'display name')
    .option('--legal-basis <text>', 'the law under which it enforces the measures')
    .action(
      withPlatform(
        async (
          p,
          code: string,
          opts: {
            kind: string;
            measures?: string;
            purposes: string;
            dailyQuota?: string;
            name?: string;
            legalBasis?: string;
          },
        ) => {
          const { relyingParty, token } = await registerRelyingParty({
            ctx: p.ctx(cliOperator(p.config), 'register a relying party'),
            measures: p.measures,
            input: {
              code,
              kind: opts.kind,
              ...(opts.name ? { name: opts.name } : {}),
              ...(opts.legalBasis ? { legalBasis: opts.legalBasis } : {}),
              ...(opts.measures ? { measures: codes(opts.measures) } : {}),
              purposes: codes(opts.purposes),
              // A quota that is not a whole number is refused by the verb with its field named.
              ...(opts.dailyQuota !== undefined ? { dailyQuota: Number(opts.dailyQuota) } : {}),
            },
          });
          process.stdout.write(
            `registered relying party ${relyingParty.code} (${relyingParty.kind}) for ${relyingParty.measures.join(', ')}; ` +
              `purposes ${relyingParty.purposes.join(', ')}; ${relyingParty.dailyQuota} checks a day\n` +
              `token (shown once, keep it safe): ${token}\n`,
          );
          return 0;
        },
      ),
    );
  rps
    .command('purposes')
    .description('set the purposes a relying party’s checks may name (replaces them; audited)')
    .argument('<code>', 'the relying party')
    .requiredOption('--set <codes>', 'comma-separated purposes, snake_case (e.g. ticket_sale)')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, code: string, opts: { set: string; json?: boolean }) => {
        const rp = await setRelyingPartyPurposes({
          ctx: p.ctx(cliOperator(p.config), "set a relying party's purposes"),
          input: { code, purposes: codes(opts.set) },
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(relyingPartyJson(rp))}\n`);
        else process.stdout.write(`relying party ${rp.code} may check for ${rp.purposes.join(', ')}\n`);
        return 0;
      }),
    );
  rps
    .command('list')
    .description('registered relying parties and their measures')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, opts: { json?: boolean }) => {
        const rows = await listRelyingParties({ ctx: p.ctx(cliOperator(p.config), 'list relying parties') });
        if (opts.json) process.stdout.write(`${JSON.stringify(rows.map(relyingPartyJson), null, 2)}\n`);
        else
          for (const r of rows)
            process.stdout.write(
              `${r.code}\t${r.kind}\t${r.measures.join(',')}\t${r.purposes.join(',') || '(no purpose: checks refused)'}\t${r.dailyQuota}/day\n`,
            );
        return 0;
      }),
    );

  program
    .command('check')
    .description(
      'ask whether a measure applies to a subject: yes or no with a reason code, the list and the period — never the file (audited)',
    )
    .argument('<subject>', 'resident identity card number or Unified Social Credit Code')
    .requiredOption(
      '--measure <code>',
      'e.g. restrict.air_travel, restrict.high_speed_rail, restrict.public_procurement, reward.green_channel',
    )
    .option('--purpose <text>', 'why you ask (recorded in the audit log)', 'operator check')
    .option('--json', 'print the same object as the API')
    .action(
      withPlatform(async (p, subject: string, opts: { measure: string; purpose: string; json?: boolean }) => {
        const answers = await checkMeasure({
          ctx: p.ctx(cliOperator(p.config), opts.purpose),
          measures: p.measures,
          lists: p.lists,
          input: { measure: opts.measure, subject },
        });
        const a = answers[0];
        if (!a) return 70;
        const basis = checkBasis(p.measures, { version: answers.policies.lists }, a.measure);
        if (opts.json) {
          const { subject: _s, ...out } = a;
          process.stdout.write(`${JSON.stringify({ ...out, basis })}\n`);
        } else {
          const period = a.from
            ? ` (${a.list} from ${a.from}${a.until ? ` until ${a.until}` : ''}${a.case_reference ? `, case ${a.case_reference}` : ''})`
            : '';
          process.stdout.write(
            `${a.measure} ${a.applies ? 'APPLIES' : 'does not apply'} to ${a.subject}: ${a.reason_code}${period}; check ${a.check_id}\n` +
              `  basis: ${basis.legal_basis}\n` +
              `  measures policy ${basis.measures_policy_version.slice(0, 12)}, lists policy ${basis.lists_policy_version.slice(0, 12)}\n`,
          );
        }
        return 0;
      }),
    );

  program
    .command('checks')
    .description('the check log')
    .command('explain')
    .description(
      'a logged check explained: who asked, why, when, under which policies and legal basis, what it rested on, ' +
        'and its answer recomputed as of then (audited on the subject’s trail)',
    )
    .argument('<check_id>', 'the check ID the answer carried')
    .option('--purpose <text>', 'why you read it (shown to the subject)', 'operator review')
    .option('--json', 'print the same object as the API')
    .action(
      withPlatform(async (p, checkId: string, opts: { purpose: string; json?: boolean }) => {
        const x = await explainCheck({
          ctx: p.ctx(cliOperator(p.config), opts.purpose),
          input: { checkId },
          deps: p,
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
          return 0;
        }
        const c = x.check;
        const r = x.recomputed;
        const period = (a: { list: string | null; from: string | null; until: string | null }) =>
          a.list ? ` (${a.list} from ${a.from}${a.until ? ` until ${a.until}` : ''})` : '';
        const lines = [
          `check ${c.check_id}: ${c.measure} ${c.applies ? 'APPLIED' : 'did not apply'} to ${c.subject}: ${c.reason_code}`,
          `  asked by ${c.who}${c.relying_party ? ` (${c.relying_party})` : ''} for ${c.purpose} at ${c.at} (day ${c.day}); audit entry ${c.audit_seq}`,
          `  basis: ${x.basis.measure_name ?? c.measure}: ${x.basis.legal_basis ?? '(measures policy not on file)'}`,
          `  measures policy ${x.basis.measures_policy_label ?? '?'} (${x.basis.measures_policy_version.slice(0, 12)}), lists policy ${x.basis.lists_policy_label ?? '?'} (${x.basis.lists_policy_version.slice(0, 12)})`,
          ...(r
            ? [
                `  recomputed as known at ${r.known_at} under lists policy ${r.lists_policy_version.slice(0, 12)}: ${r.applies ? 'APPLIES' : 'does not apply'}: ${r.reason_code}${period(r)}${r.case_reference ? `, case ${r.case_reference}` : ''}`,
                `  ${x.agrees ? 'agrees with the logged answer' : 'DIFFERS from the logged answer'}`,
              ]
            : []),
          ...(x.note ? [`  note: ${x.note}`] : []),
        ];
        if (x.entry)
          lines.push(
            `  entry: ${x.entry.list} ${x.entry.status} from ${x.entry.from}${x.entry.until ? ` until ${x.entry.until}` : ''} (${x.entry.of === 'subject' ? 'own' : 'of a bound organization'}): ${x.entry.note}`,
          );
        for (const rec of x.reason_records)
          lines.push(
            `  record ${rec.id} ${rec.type} of ${rec.occurred_at.slice(0, 10)}${rec.case_reference ? `, case ${rec.case_reference}` : ''}: ${rec.status_then} then, ${rec.status_now ?? 'gone'} now`,
          );
        process.stdout.write(`${lines.join('\n')}\n`);
        return 0;
      }),
    );

  const lists = program.command('lists').description('red, black and focus list entries');
  lists
    .command('show')
    .description("a subject's list entries and notifications (the read is audited)")
    .argument('<subject>', 'resident identity card number or Unified Social Credit Code')
    .option('--purpose <text>', 'why you read it', 'operator review')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, subject: string, opts: { purpose: string; json?: boolean }) => {
        const f = await getSubjectFile({
          ctx: p.ctx(cliOperator(p.config), opts.purpose),
          input: { identifier: subject, policyVersion: p.scoringPolicy.version },
        });
        if (opts.json) {
          const json = subjectFileJson(f, (code) => p.catalogue.get(code)?.name ?? code);
          process.stdout.write(
            `${JSON.stringify({ lists: json.lists, notifications: json.notifications }, null, 2)}\n`,
          );
        } else {
          if (f.lists.length === 0) process.stdout.write('on no list\n');
          for (const e of f.lists)
            process.stdout.write(
              `${e.listCode}\t${e.status}\t${e.from} → ${e.until ?? 'open'}\t${e.reasonCode}\t${e.note}\n`,
            );
          for (const n of f.notifications)
            process.stdout.write(`notice ${n.effective} ${n.kind}: ${n.message}\n`);
        }
        return 0;
      }),
    );
  lists
    .command('recompute')
    .description(
      'recompute every subject’s list entries as of today (after a list policy change, or ingestion with --no-rescore)',
    )
    .option('--quiet', 'no progress bar')
    .action(
      withPlatform(async (p, opts: { quiet?: boolean }) => {
        const bar = startProgress('lists', 0, { quiet: opts.quiet, unit: 'subjects' });
        const r = await recomputeAllLists({
          ctx: p.ctx(cliOperator(p.config), 'recompute list entries'),
          deps: listDeps(p),
          input: { onProgress: (d, t) => bar.update(d, '', t) },
        });
        bar.stop();
        process.stdout.write(
          `recomputed ${r.subjects} subjects: ${r.entries} list entries, ${r.notifications} new notifications\n`,
        );
        return 0;
      }),
    );
};
