/** `credence`: the command line. Each command lives in its own file under commands/. */
import { Command } from 'commander';
import { register as audit } from './commands/audit.ts';
import { register as backup } from './commands/backup.ts';
import { register as catalogue } from './commands/catalogue.ts';
import { register as demo } from './commands/demo.ts';
import { register as ingest } from './commands/ingest.ts';
import { register as init } from './commands/init.ts';
import { register as inspections } from './commands/inspections.ts';
import { register as maintain } from './commands/maintain.ts';
import { register as measures } from './commands/measures.ts';
import { register as objections } from './commands/objections.ts';
import { register as outbox } from './commands/outbox.ts';
import { register as policy } from './commands/policy.ts';
import { register as ratings } from './commands/ratings.ts';
import { register as repairs } from './commands/repairs.ts';
import { register as report } from './commands/report.ts';
import { register as score } from './commands/score.ts';
import { register as serve } from './commands/serve.ts';
import { register as sources } from './commands/sources.ts';
import { register as subjects } from './commands/subjects.ts';
import { register as tokens } from './commands/tokens.ts';
import { EXIT, reportError } from './errors.ts';
import { checkCommandText } from './text-options.ts';

const program = new Command('credence')
  .description(
    'Credence — a social credit information platform under rule-of-law safeguards.\n' +
      'Works on SQLite in DATA_DIR (default ./data) or on PostgreSQL when DATABASE_URL is set.',
  )
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride((err) => {
    // Usage errors exit 2 (CONVENTIONS: one mapping); help and version exit 0.
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });

// Every command's text, as the API's (text-options.ts): refused before anything is opened.
program.hook('preAction', (_program, action) => {
  try {
    checkCommandText(action);
  } catch (e) {
    process.exit(reportError(e));
  }
});

// A closed pipe (e.g. `credence catalogue | head`) is a normal way for output to end.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT.ok);
  throw e;
});

for (const add of [
  init,
  catalogue,
  policy,
  sources,
  subjects,
  ingest,
  score,
  maintain,
  report,
  measures,
  objections,
  repairs,
  ratings,
  inspections,
  outbox,
  audit,
  backup,
  demo,
  tokens,
  serve,
])
  add(program);

await program.parseAsync(process.argv);
