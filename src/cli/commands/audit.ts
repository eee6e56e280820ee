import type { Command } from 'commander';
import { verifyAuditLog } from '../../audit/index.ts';
import { cliOperator } from '../../platform/index.ts';
import { EXIT } from '../errors.ts';
import { withPlatform } from '../run.ts';

export const register = (program: Command) => {
  const audit = program
    .command('audit')
    .description('the audit log as an RFC 6962 Merkle tree anyone can verify');
  audit
    .command('verify')
    .description(
      'recompute every leaf hash from the stored entries in leaf order and the tree from them, and check ' +
        'them against the stored leaf hashes, subtree tiles and every tree head kept. Exit 0 with the tree ' +
        'size and root when all is intact; exit 1 naming the leaf index of the first changed, removed or ' +
        'reordered entry.',
    )
    .option('--json', 'print JSON: ok, tree_size and root_hash, or ok, leaf_index and reason')
    .action(
      withPlatform(async (p, opts: { json?: boolean }) => {
        const r = await verifyAuditLog({ ctx: p.ctx(cliOperator(), 'verify the audit log') });
        if (r.ok) {
          const root = r.root.toString('hex');
          process.stdout.write(
            opts.json
              ? `${JSON.stringify({ ok: true, tree_size: r.size, root_hash: root })}\n`
              : `audit log intact: ${r.size} entries, root ${root}\n`,
          );
          return EXIT.ok;
        }
        if (opts.json)
          process.stdout.write(`${JSON.stringify({ ok: false, leaf_index: r.index, reason: r.reason })}\n`);
        else process.stderr.write(`audit log broken at leaf ${r.index}: ${r.reason}\n`);
        return EXIT.partial;
      }),
    );
  return audit;
};
