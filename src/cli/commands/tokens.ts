import type { Command } from 'commander';
import { issueToken, listTokens, revokeToken, tokenView } from '../../access/index.ts';
import type { Role } from '../../context.ts';
import { cliOperator } from '../../platform/index.ts';
import { invalidInput } from '../../shared/errors.ts';
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
          ctx: p.ctx(cliOperator(p.config), 'issue an API token'),
          input: { role: opts.role as Role, label: opts.label, ...(opts.ref ? { ref: opts.ref } : {}) },
        });
        if (opts.json)
          process.stdout.write(
            `${JSON.stringify({ id: row.id, token, role: row.role, principal: row.principal, label: row.label })}\n`,
          );
        else process.stdout.write(`${row.role} token ${row.id} for ${row.label} (shown once): ${token}\n`);
        return 0;
      }),
    );
  tokens
    .command('list')
    .description(
      'list the API tokens issued: id, role, holder, when issued and when revoked (never the token)',
    )
    .option('--json', 'print JSON, one array')
    .action(
      withPlatform(async (p, opts: { json?: boolean }) => {
        const rows = await listTokens({ ctx: p.ctx(cliOperator(p.config), 'list API tokens') });
        if (opts.json) process.stdout.write(`${JSON.stringify(rows.map(tokenView))}\n`);
        else if (rows.length === 0) process.stdout.write('no API tokens issued\n');
        else
          for (const t of rows)
            process.stdout.write(
              `${t.id}\t${t.role}\t${t.principal}\t${t.label}\tissued ${t.createdAt}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}\n`,
            );
        return 0;
      }),
    );
  tokens
    .command('revoke')
    .description(
      'revoke an API token by its id (from `tokens list`): refused at once here, and within 5 s by running servers',
    )
    .argument('<id>', 'the token id')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, raw: string, opts: { json?: boolean }) => {
        const id = Number(raw);
        if (!Number.isInteger(id) || id < 1)
          throw invalidInput(
            `the token id must be a whole number (see \`credence tokens list\`), got "${raw}"`,
          );
        const row = await revokeToken({ ctx: p.ctx(cliOperator(p.config), 'revoke an API token'), input: { id } });
        if (opts.json) process.stdout.write(`${JSON.stringify(tokenView(row))}\n`);
        else
          process.stdout.write(`token ${row.id} (${row.role}, ${row.label}) revoked at ${row.revokedAt}\n`);
        return 0;
      }),
    );
  return tokens;
};
