import type { Command } from 'commander';
import {
  DEFAULT_TOKEN_DAYS,
  issueToken,
  listTokens,
  MAX_TOKEN_DAYS,
  renewToken,
  revokeToken,
  tokenView,
} from '../../access/index.ts';
import type { Role } from '../../context.ts';
import { cliOperator } from '../../platform/index.ts';
import { invalidInput } from '../../shared/errors.ts';
import { parseWholeNumber, withPlatform } from '../run.ts';

const tokenId = (raw: string) => {
  const id = parseWholeNumber(raw);
  if (id === undefined || id < 1)
    throw invalidInput(
      `the token id must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, in decimal digits (see \`credence tokens list\`), got "${raw}"`,
    );
  return id;
};

const days = (raw: string | undefined) => {
  if (raw === undefined) return {};
  const d = Number(raw);
  if (!/^\d+$/.test(raw) || d < 1 || d > MAX_TOKEN_DAYS)
    throw invalidInput(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}, got "${raw}"`, [
      { field: 'days', message: raw },
    ]);
  return { days: d };
};

const day = (iso: string) => iso.slice(0, 10);

export const register = (program: Command) => {
  const tokens = program.command('tokens').description('API credentials for roles');
  tokens
    .command('issue')
    .description('issue an API token; it is printed once and only its hash is kept')
    .requiredOption('--role <role>', 'operator, source, relying_party, subject, rater, inspector or auditor')
    .option(
      '--ref <ref>',
      "whom it stands for: a subject's identifier, a rater's resident ID, a source or relying-party code, an inspector's code on a roster (none for operator and auditor)",
    )
    .requiredOption('--label <label>', 'a name for the holder, e.g. "Chengdu railway ticketing"')
    .option(
      '--scope <permissions>',
      'comma-separated permission names it is limited to (each held by its role), e.g. checks.run',
    )
    .option('--days <n>', `days it lives, 1 to ${MAX_TOKEN_DAYS} (default ${DEFAULT_TOKEN_DAYS})`)
    .option('--json', 'print JSON')
    .action(
      withPlatform(
        async (
          p,
          opts: { role: string; ref?: string; label: string; scope?: string; days?: string; json?: boolean },
        ) => {
          const scope = opts.scope
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          const { token, row } = await issueToken({
            ctx: p.ctx(cliOperator(p.config), 'issue an API token'),
            input: {
              role: opts.role as Role,
              label: opts.label,
              ...(opts.ref ? { ref: opts.ref } : {}),
              ...(scope ? { scope } : {}),
              ...days(opts.days),
            },
          });
          const { id, role, principal, label, expires_at } = tokenView(row);
          if (opts.json)
            process.stdout.write(
              `${JSON.stringify({ id, token, role, principal, label, scope: row.scope, expires_at })}\n`,
            );
          else
            process.stdout.write(
              `${role} token ${id} for ${label}, valid until ${day(expires_at)}${row.scope.length ? `, limited to ${row.scope.join(', ')}` : ''} (shown once): ${token}\n`,
            );
          return 0;
        },
      ),
    );
  tokens
    .command('list')
    .description(
      'list the API tokens issued: id, role, holder, when issued, when it expires or was revoked (never the token)',
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
              `${t.id}\t${t.role}\t${t.principal}\t${t.label}\tissued ${t.createdAt}\t${
                t.revokedAt
                  ? `revoked ${t.revokedAt}`
                  : `${Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'expires'} ${t.expiresAt}`
              }${t.scope.length ? `\tscope ${t.scope.join(',')}` : ''}\n`,
            );
        return 0;
      }),
    );
  tokens
    .command('revoke')
    .description(
      'revoke an API token by its id (from `tokens list`): refused at once here and by running servers',
    )
    .argument('<id>', 'the token id')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, raw: string, opts: { json?: boolean }) => {
        const id = tokenId(raw);
        const row = await revokeToken({
          ctx: p.ctx(cliOperator(p.config), 'revoke an API token'),
          input: { id },
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(tokenView(row))}\n`);
        else
          process.stdout.write(`token ${row.id} (${row.role}, ${row.label}) revoked at ${row.revokedAt}\n`);
        return 0;
      }),
    );
  tokens
    .command('renew')
    .description(
      `renew a live API token by its id: it expires --days (default ${DEFAULT_TOKEN_DAYS}) from now (audited)`,
    )
    .argument('<id>', 'the token id')
    .option('--days <n>', `days from now it lives, 1 to ${MAX_TOKEN_DAYS} (default ${DEFAULT_TOKEN_DAYS})`)
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, raw: string, opts: { days?: string; json?: boolean }) => {
        const row = await renewToken({
          ctx: p.ctx(cliOperator(p.config), 'renew an API token'),
          input: { id: tokenId(raw), ...days(opts.days) },
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(tokenView(row))}\n`);
        else
          process.stdout.write(`token ${row.id} (${row.role}, ${row.label}) valid until ${row.expiresAt}\n`);
        return 0;
      }),
    );
  return tokens;
};
