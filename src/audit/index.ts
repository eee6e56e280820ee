/**
 * Audit capability: the audit log as an RFC 6962 Merkle tree anyone can verify — entries put in the
 * tree after they commit, tree heads, inclusion and consistency proofs, and verification of the
 * whole log against its heads. Other capabilities and the ways in import from here only.
 */
import { requirePermission } from '../access/index.ts';
import type { Ctx } from '../context.ts';
import { invalidInput } from '../shared/errors.ts';
import {
  type AuditVerification,
  currentHead,
  rootAt,
  sequenceEntries,
  storedConsistencyProof,
  storedInclusionProof,
  type TreeHead,
  verifyTree,
} from './tree.ts';

export * from './merkle.ts';
export type { AuditVerification, TreeHead } from './tree.ts';

const SEQUENCE_BATCH = 10_000;

/**
 * Recomputes the tree from the stored entries and checks it against every stored head: the first
 * changed, removed or reordered entry by leaf index, or the size and root when all is intact.
 */
export const verifyAuditLog = async ({ ctx }: { ctx: Ctx }): Promise<AuditVerification> => {
  requirePermission(ctx.principal, 'audit.read');
  return verifyTree(ctx.store.auditTree);
};

/**
 * Puts every committed entry not yet in the tree into it (in batches) and keeps the head reached;
 * returns it. `tileHeight` fixes the tile levels of a new log (default 8).
 */
export const cutAuditHead = async ({
  ctx,
  input = {},
}: {
  ctx: Ctx;
  input?: { note?: string; tileHeight?: number };
}): Promise<TreeHead> => {
  requirePermission(ctx.principal, 'maintain.run');
  const tree = ctx.store.auditTree;
  let head = await sequenceEntries(tree, SEQUENCE_BATCH, input.tileHeight);
  while (head.added === SEQUENCE_BATCH) head = await sequenceEntries(tree, SEQUENCE_BATCH, input.tileHeight);
  await tree.saveHead({
    treeSize: head.size,
    rootHash: head.root,
    at: ctx.clock.now().toISOString(),
    note: input.note ?? null,
  });
  return { size: head.size, root: head.root };
};

const checkSize = (what: string, n: number, max: number) => {
  if (!Number.isSafeInteger(n) || n < 0 || n > max)
    throw invalidInput(`${what} must be a whole number from 0 to ${max} (the tree's size)`);
};

/** The audit path of leaf `index` in the tree of `size` leaves, with the leaf hash and root. */
export const auditInclusionProof = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { index: number; size: number };
}) => {
  requirePermission(ctx.principal, 'audit.read');
  const tree = ctx.store.auditTree;
  const { size: max } = await currentHead(tree);
  checkSize('tree_size', input.size, max);
  if (!Number.isSafeInteger(input.index) || input.index < 0 || input.index >= input.size)
    throw invalidInput(`leaf_index must be a whole number below tree_size ${input.size}`);
  const [leaf] = await tree.leafHashes(input.index, input.index + 1);
  return {
    leafIndex: input.index,
    treeSize: input.size,
    leafHash: leaf!,
    rootHash: await rootAt(tree, input.size),
    auditPath: await storedInclusionProof(tree, input.index, input.size),
  };
};

/** The proof that the tree of `first` leaves is a prefix of the tree of `second`. */
export const auditConsistencyProof = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { first: number; second: number };
}) => {
  requirePermission(ctx.principal, 'audit.read');
  const tree = ctx.store.auditTree;
  const { size: max } = await currentHead(tree);
  checkSize('second', input.second, max);
  checkSize('first', input.first, input.second);
  return {
    first: input.first,
    second: input.second,
    proof: await storedConsistencyProof(tree, input.first, input.second),
  };
};
