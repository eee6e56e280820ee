import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  auditConsistencyProof,
  auditEntries,
  auditInclusionProof,
  auditLogKey,
  consistencyJson,
  cutAuditHead,
  inclusionJson,
  latestAuditHead,
  splitSignedNotes,
  verifyAndKeepAuditLog,
} from '../../audit/index.ts';
import { cliOperator, type Platform } from '../../platform/index.ts';
import { notFound } from '../../shared/errors.ts';
import { EXIT } from '../errors.ts';
import { statInputFile } from '../input-file.ts';
import { intOption, withPlatform } from '../run.ts';

const print = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
const ctxOf = (p: Platform, purpose: string) => p.ctx(cliOperator(p.config), purpose);
const deps = (p: Platform) => p.audit;
const index = intOption('index', 0);
const size = (name: string) => intOption(name, 0);

export const register = (program: Command) => {
  const audit = program
    .command('audit')
    .description('the audit log as an RFC 6962 Merkle tree with signed heads, which anyone can verify');
  audit
    .command('verify')
    .description(
      'recompute every leaf hash from the stored entries in leaf order and the tree from them, and check ' +
        'them against the stored leaf hashes, subtree tiles and every tree head kept, and each head against ' +
        "the log's public key. Exit 0 with the tree size and root when all is intact; exit 1 naming the leaf " +
        'index of the first changed, removed or reordered entry (or the head that is not signed by this log). ' +
        'The result is kept as the latest verification (GET /v1/console/audit-status).',
    )
    .option('--json', 'print JSON: ok, tree_size and root_hash, or ok, leaf_index and reason')
    .option(
      '--checkpoint <file...>',
      'also check the log against signed heads kept outside the database (the `checkpoint` of GET /v1/audit/head; ' +
        'a file may hold several, one after another)',
    )
    .action(
      withPlatform(async (p, opts: { json?: boolean; checkpoint?: string[] }) => {
        // A saved head often gains a blank line at its end (`jq -r`, an editor), and heads appended
        // to one file (`>>`) are separated by one: the notes are read between them, each named by
        // its file (and its place in it) when it is refused.
        const checkpoints = (
          await Promise.all(
            (opts.checkpoint ?? []).map(async (f) => {
              await statInputFile(f);
              const notes = splitSignedNotes(await readFile(f, 'utf8'));
              return notes.map((note, k) => ({
                note,
                from: notes.length > 1 ? `checkpoint ${k + 1} of ${notes.length} in ${f}` : f,
              }));
            }),
          )
        ).flat();
        // The result is kept as the latest verification, which the console shows.
        const { result: r } = await verifyAndKeepAuditLog({
          ctx: ctxOf(p, 'verify the audit log'),
          deps: deps(p),
          input: { checkpoints },
        });
        if (r.ok) {
          const root = r.root.toString('hex');
          process.stdout.write(
            opts.json
              ? `${JSON.stringify({ ok: true, tree_size: r.size, root_hash: root, heads: r.heads })}\n`
              : `audit log intact: ${r.size} entries, root ${root}, ${r.heads} signed head${r.heads === 1 ? '' : 's'} checked\n`,
          );
          return EXIT.ok;
        }
        if (opts.json)
          process.stdout.write(
            `${JSON.stringify({ ok: false, leaf_index: r.index, ...('head' in r ? { head: r.head } : {}), reason: r.reason })}\n`,
          );
        else if (r.index === null) process.stderr.write(`audit log broken: ${r.reason}\n`);
        else process.stderr.write(`audit log broken at leaf ${r.index}: ${r.reason}\n`);
        return EXIT.partial;
      }),
    );
  audit
    .command('head')
    .description(
      'print the latest signed tree head as GET /v1/audit/head gives it (tree_size, root_hash, timestamp, ' +
        'signature, public_key and the C2SP checkpoint)',
    )
    .option('--cut', 'first put the entries committed since the last head in the tree and sign a new head')
    .action(
      withPlatform(async (p, opts: { cut?: boolean }) => {
        const ctx = ctxOf(p, 'read the signed tree head');
        const head = opts.cut
          ? await cutAuditHead({ ctx, deps: deps(p) })
          : await latestAuditHead({ ctx, deps: deps(p) });
        if (!head) throw notFound('the audit log is empty: there is no head to sign');
        print(head);
        return EXIT.ok;
      }),
    );
  audit
    .command('key')
    .description(
      "print the log's public key: its name, the raw Ed25519 key in hex, and the C2SP verifier key",
    )
    .action(
      withPlatform(async (p) => {
        print(auditLogKey({ ctx: ctxOf(p, "read the audit log's public key"), deps: deps(p) }));
        return EXIT.ok;
      }),
    );
  audit
    .command('entries')
    .description('print the canonical bytes (base64) of leaves [start, end), as GET /v1/audit/entries')
    .requiredOption('--start <n>', 'first leaf index', size('start'))
    .requiredOption('--end <n>', 'leaf index after the last', size('end'))
    .action(
      withPlatform(async (p, opts: { start: number; end: number }) => {
        print(await auditEntries({ ctx: ctxOf(p, 'read audit entries'), input: opts }));
        return EXIT.ok;
      }),
    );
  const proof = audit
    .command('proof')
    .description('print an inclusion or consistency proof, as the API gives it');
  proof
    .command('inclusion')
    .description(
      'the audit path of one leaf in the tree of --tree-size leaves (GET /v1/audit/proof/inclusion)',
    )
    .requiredOption('--index <i>', 'the leaf index', index)
    .requiredOption('--tree-size <n>', "the tree's size (a signed head's tree_size)", size('tree-size'))
    .action(
      withPlatform(async (p, opts: { index: number; treeSize: number }) => {
        print(
          inclusionJson(
            await auditInclusionProof({
              ctx: ctxOf(p, 'prove an audit entry is in the log'),
              input: { index: opts.index, size: opts.treeSize },
            }),
          ),
        );
        return EXIT.ok;
      }),
    );
  proof
    .command('consistency')
    .description(
      'the proof that the tree of --first leaves is a prefix of the tree of --second (GET /v1/audit/proof/consistency)',
    )
    .requiredOption('--first <m>', 'the older tree size', size('first'))
    .requiredOption('--second <n>', 'the newer tree size', size('second'))
    .action(
      withPlatform(async (p, opts: { first: number; second: number }) => {
        print(
          consistencyJson(
            await auditConsistencyProof({ ctx: ctxOf(p, 'prove the log only grew'), input: opts }),
          ),
        );
        return EXIT.ok;
      }),
    );
  return audit;
};
