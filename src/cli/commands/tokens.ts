import type { Command } from 'commander';
import { issueToken } from '../../access/index.ts';
import type { Role } from '../../context.ts';
import { cliOperator } from '../../platform/index.ts';
import { withPlatform } from '../run.ts';

export const register = (program: Command) => {
  const tokens = program.command('tokens').description('API credentials for roles');
  tokens
    .command('issue')
    .description('issue an API token; it is printed once and only its hash is kept')
    .requiredOption('--role <role>', 'operator, source, relying_party, subject, rater, inspector or auditor')
    .option('--ref <ref>', 'whom it stands for: a subject identifier, a source or relying-party code')
    .requiredOption('--label <label>', 'a name for the holder, e.g. "Chengdu railway ticketing"')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, opts: { role: string; ref?: string; label: string; json?: boolean }) => {
        const { token, row } = await issueToken({
          ctx: p.ctx(cliOperator(), 'issue an API token'),
          input: { role: opts.role as Role, label: opts.label, ...(opts.ref ? { ref: opts.ref } : {}) },
        });
        if (opts.json)
          process.stdout.write(
            `${JSON.stringify({ token, role: row.role, principal: row.principal, label: row.label })}\n`,
          );
        else process.stdout.write(`${row.role} token for ${row.label} (shown once): ${token}\n`);
        return 0;
      }),
    );
  return tokens;
};
