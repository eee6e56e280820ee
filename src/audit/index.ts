/**
 * Audit capability: the audit log as an RFC 6962 Merkle tree anyone can verify — entries put in the
 * tree after they commit, tree heads signed with the log's Ed25519 key (C2SP checkpoints), the
 * canonical entries, inclusion and consistency proofs, and verification of the whole log against
 * its signed heads. Other capabilities and the ways in import from here only.
 *
 * Who reads what: auditors and operators the whole log; a subject the signed head, consistency
 * proofs, and the entries and inclusion proofs of its own trail (the leaves its own file lists).
 */
import { can, requirePermission } from '../access/index.ts';
import type { Ctx, Principal } from '../context.ts';
import { conflict, forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type { AuditHead } from '../store/index.ts';
import { type HeadCutting, type HeadCuttingOptions, startBackgroundCutting } from './background.ts';
import {
  CheckpointError,
  type HeadJson,
  headJson,
  type LogKey,
  parseCheckpoint,
  signCheckpoint,
  verifierKey,
  verifyCheckpoint,
} from './checkpoint.ts';
import { LAST_HEAD_FILE, type SignerMemory } from './last-head.ts';
import {
  type AuditLogVerification,
  type AuditVerificationJson,
  LAST_VERIFICATION_KEY,
  verificationJson,
} from './last-verification.ts';
import { verifyConsistency } from './merkle.ts';
import {
  currentHead,
  rootAt,
  sequenceEntries,
  storedConsistencyProof,
  storedInclusionProof,
  verifyTree,
} from './tree.ts';

export {
  CheckpointError,
  ensureLogKey,
  type HeadJson,
  headJson,
  LOG_KEY_FILE,
  type LogKey,
  logKeyForStore,
  parseVerifierKey,
  splitSignedNotes,
  verifierKey,
  verifyCheckpoint,
} from './checkpoint.ts';
export { fileSignerMemory, LAST_HEAD_FILE, type SignerMemory } from './last-head.ts';
export type { AuditLogVerification, AuditVerificationJson } from './last-verification.ts';
export * from './merkle.ts';
export type { AuditVerification, TreeHead } from './tree.ts';

const SEQUENCE_BATCH = 10_000;

/** The platform's own sequencer: puts committed entries in the tree and signs heads. */
export const AUDIT_SEQUENCER: Principal = { id: 'system:audit-sequencer', role: 'operator' };
/** Entries per read of `entries` (auditors); a subject reads its own leaves a few at a time. */
export const MAX_ENTRIES_PER_READ = 1_000;
export const MAX_OWN_ENTRIES_PER_READ = 50;

export interface AuditDeps {
  /** The log's key (platform.auditKey): signs heads, and heads are verified against it. */
  key: LogKey;
  /** The last head signed by this key, kept outside the database (platform.audit.memory). */
  memory?: SignerMemory;
}

/**
 * A checkpoint kept outside the database: its note, with where it came from as a refusal names it
 * (`kept.checkpoint`, `checkpoint 2 of 3 in heads.checkpoint`); a bare note is named by its position.
 */
export type KeptCheckpoint = string | { note: string; from: string };

/**
 * Recomputes the tree from the stored entries and checks it against every stored head, then checks
 * that each head is signed by the log's key and signs the size, root and time stored with it: the
 * first changed, removed or reordered entry by leaf index, or a head not signed by this log, or the
 * size and root when all is intact. An externally kept checkpoint (`input.checkpoints`, as
 * GET /v1/audit/head gave it) is checked the same way, so a log rewritten with its heads still fails
 * against the heads an auditor kept.
 */
export const verifyAuditLog = async ({
  ctx,
  deps,
  input = {},
}: {
  ctx: Ctx;
  deps: AuditDeps;
  input?: { checkpoints?: KeptCheckpoint[] };
}): Promise<AuditLogVerification> => {
  requirePermission(ctx.principal, 'audit.read');
  const tree = ctx.store.auditTree;
  const remembered = deps.memory?.read();
  const stored = await tree.listHeads();
  // Heads kept outside (given, and the last this signer signed), less those the database also holds.
  const given = (input.checkpoints ?? []).map((c, i) =>
    typeof c === 'string' ? { note: c, from: `checkpoint ${i + 1}` } : c,
  );
  const kept = [
    ...given,
    ...(remembered
      ? [{ note: remembered, from: `the head this signer remembers (${LAST_HEAD_FILE} in the data folder)` }]
      : []),
  ]
    .map((c) => keptHead(c, deps.key))
    .filter((k) => !stored.some((h) => h.treeSize === k.treeSize && h.rootHash.equals(k.rootHash)));
  const r = await verifyTree(tree);
  if (!r.ok) return r;
  for (const head of stored) {
    const bad = headSignatureProblem(head, deps.key);
    if (bad) return { ok: false, index: null, head: head.treeSize, reason: bad };
  }
  // The stored leaf hashes and tiles now match the entries, so roots read from them are the log's.
  for (const head of kept) {
    const at = `the kept head of ${head.treeSize} leaves (${head.at})`;
    if (head.treeSize > r.size)
      return {
        ok: false,
        index: r.size,
        reason: `leaf ${r.size} is missing: ${at} counts more than the log holds`,
      };
    if (!(await rootAt(tree, head.treeSize)).equals(head.rootHash))
      return {
        ok: false,
        index: null,
        head: head.treeSize,
        reason: `the first ${head.treeSize} leaves do not have the root ${at} signs: entries before it were changed, removed or reordered`,
      };
  }
  return { ...r, heads: stored.length + kept.length };
};

/**
 * Verifies the log as `verifyAuditLog` does and keeps the result as the latest verification (the
 * meta table), which the console shows; returns both. A verification that cannot run (a kept
 * checkpoint that is not the log's) throws and keeps nothing.
 */
export const verifyAndKeepAuditLog = async (args: {
  ctx: Ctx;
  deps: AuditDeps;
  input?: { checkpoints?: KeptCheckpoint[] };
}): Promise<{ result: AuditLogVerification; kept: AuditVerificationJson }> => {
  const { ctx } = args;
  const result = await verifyAuditLog(args);
  const kept = verificationJson(result, {
    at: ctx.clock.now().toISOString(),
    by: ctx.principal.id,
    storedSize: result.ok ? result.size : (await ctx.store.auditTree.frontier()).size,
  });
  await ctx.store.setMeta(LAST_VERIFICATION_KEY, JSON.stringify(kept));
  return { result, kept };
};

/** The latest kept verification of the log, or null when it was never verified on this database. */
export const lastAuditVerification = async ({ ctx }: { ctx: Ctx }): Promise<AuditVerificationJson | null> => {
  requirePermission(ctx.principal, 'audit.read');
  const text = await ctx.store.getMeta(LAST_VERIFICATION_KEY);
  return text ? (JSON.parse(text) as AuditVerificationJson) : null;
};

/** A head kept outside the database, checked against the log's key before the tree is compared. */
const keptHead = ({ note, from }: { note: string; from: string }, key: LogKey): AuditHead => {
  try {
    const c = verifyCheckpoint(note, key.name, key.publicKey, { origin: key.name });
    return {
      treeSize: c.treeSize,
      rootHash: c.rootHash,
      at: c.timestamp ?? '',
      note: null,
      checkpoint: note,
    };
  } catch (e) {
    if (e instanceof CheckpointError)
      throw invalidInput(`${from} is not a head signed by this log: ${e.message}`);
    throw e;
  }
};

/** Why a stored head is not one this log signed, or undefined when it is. */
const headSignatureProblem = (head: AuditHead, key: LogKey): string | undefined => {
  const at = `the head cut at ${head.treeSize} leaves (${head.at})`;
  if (!head.checkpoint) return `${at} carries no signature`;
  try {
    const c = verifyCheckpoint(head.checkpoint, key.name, key.publicKey, { origin: key.name });
    if (c.treeSize !== head.treeSize || !c.rootHash.equals(head.rootHash) || c.timestamp !== head.at)
      return `${at}: its stored size, root or time differ from what its signature signs`;
  } catch (e) {
    if (e instanceof CheckpointError) return `${at} is not signed by this log's key: ${e.message}`;
    throw e;
  }
  return undefined;
};

/**
 * Puts every committed entry not yet in the tree into it (in batches) and, when the tree grew, signs
 * and keeps a new head; returns the latest signed head. `tileHeight` fixes the tile levels of a new
 * log (default 8).
 */
export const cutAuditHead = async ({
  ctx,
  deps,
  input = {},
}: {
  ctx: Ctx;
  deps: AuditDeps;
  input?: { note?: string; tileHeight?: number };
}): Promise<HeadJson | undefined> => {
  requirePermission(ctx.principal, 'audit.cut');
  const tree = ctx.store.auditTree;
  let head = await sequenceEntries(tree, SEQUENCE_BATCH, input.tileHeight);
  while (head.added === SEQUENCE_BATCH) head = await sequenceEntries(tree, SEQUENCE_BATCH, input.tileHeight);
  const latest = await tree.latestHead();
  const remembered = rememberedHead(deps);
  if (remembered && remembered.treeSize > head.size)
    throw conflict(
      `the audit tree holds ${head.size} leaves but this platform signed a head of ${remembered.treeSize}: ` +
        'no head is signed until `credence audit verify` finds what was removed',
    );
  if (head.size === 0 || (latest && latest.treeSize >= head.size)) return latest && jsonOf(latest, deps.key);
  // Never sign a tree that does not extend the heads already signed (the latest in the database and
  // the last this signer remembers): whoever rewrote the rows the tree is read from cannot have the
  // key sign the rewrite.
  for (const before of [latest, remembered])
    if (before && !(await extendsHead(tree, before, head)))
      throw conflict(
        `the audit tree of ${head.size} leaves does not extend the head signed at ${before.treeSize} leaves: ` +
          'no head is signed until `credence audit verify` finds what changed',
      );
  const at = ctx.clock.now().toISOString();
  const signed = signCheckpoint(deps.key, head.size, head.root, { timestamp: at });
  const saved: AuditHead = {
    treeSize: head.size,
    rootHash: head.root,
    at,
    note: input.note ?? null,
    checkpoint: signed.note,
  };
  // A head of this size cut meanwhile by another process wins; it is the one returned.
  const won = await tree.saveHead(saved);
  const kept = won ? saved : ((await tree.latestHead()) ?? saved);
  if (kept.checkpoint) deps.memory?.write(kept.checkpoint);
  return jsonOf(kept, deps.key);
};

/** The head this signer remembers signing, if it still verifies as the log's. */
const rememberedHead = (deps: AuditDeps): { treeSize: number; rootHash: Buffer } | undefined => {
  const note = deps.memory?.read();
  if (!note) return undefined;
  const c = verifyCheckpoint(note, deps.key.name, deps.key.publicKey, { origin: deps.key.name });
  return { treeSize: c.treeSize, rootHash: c.rootHash };
};

/** Whether the tree (size, root) extends an earlier head, by a consistency proof from the tiles. */
const extendsHead = async (
  tree: Ctx['store']['auditTree'],
  before: { treeSize: number; rootHash: Buffer },
  after: { size: number; root: Buffer },
): Promise<boolean> => {
  if (before.treeSize === after.size) return before.rootHash.equals(after.root);
  const proof = await storedConsistencyProof(tree, before.treeSize, after.size);
  return verifyConsistency(before.treeSize, after.size, proof, before.rootHash, after.root);
};

const jsonOf = (head: AuditHead, key: LogKey): HeadJson => {
  if (!head.checkpoint) throw notFound('the latest tree head was cut without a signature');
  return headJson({
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: parseCheckpoint(head.checkpoint).timestamp ?? head.at,
    note: head.checkpoint,
    publicKey: key.publicKey,
  });
};

/** The latest signed tree head, as GET /v1/audit/head gives it. */
export const latestAuditHead = async ({ ctx, deps }: { ctx: Ctx; deps: AuditDeps }): Promise<HeadJson> => {
  requirePermission(ctx.principal, 'audit.head');
  const head = await ctx.store.auditTree.latestHead();
  if (!head)
    throw notFound('no tree head has been cut yet: the platform cuts one every few seconds while serving');
  return jsonOf(head, deps.key);
};

/** The log's public key: its name, the raw key in hex and the C2SP verifier key string. */
export const auditLogKey = ({ ctx, deps }: { ctx: Ctx; deps: AuditDeps }) => {
  requirePermission(ctx.principal, 'audit.head');
  return {
    name: deps.key.name,
    public_key: deps.key.publicKey.toString('hex'),
    key_id: deps.key.keyId.toString('hex'),
    verifier_key: verifierKey(deps.key),
  };
};

/** `n` is a whole number from 0 to `max`, which is the tree's size unless `bound` names what else it is. */
const checkSize = (what: string, n: number, max: number, bound = "the tree's size") => {
  if (!Number.isSafeInteger(n) || n < 0 || n > max)
    throw invalidInput(`${what} must be a whole number from 0 to ${max} (${bound})`, [
      { field: what, message: `0..${max}` },
    ]);
};

/** The subject a subject's credential stands for (audit.trail reads are checked against it). */
const ownSubjectId = async (ctx: Ctx): Promise<number> => {
  const ref = ctx.principal.ref;
  const s = ref ? await ctx.store.findSubjectByIdentifier(ref) : undefined;
  if (!s) throw notFound('this credential names no subject the platform knows');
  return s.id;
};

/**
 * Whole-log readers pass; a subject passes for leaves of its own trail only (the same 404 for a
 * leaf of another's trail as for a leaf that does not exist, so nothing is learnt by probing).
 */
const requireLeavesReadable = async (ctx: Ctx, start: number, end: number): Promise<void> => {
  if (can(ctx.principal, 'audit.read')) return;
  requirePermission(ctx.principal, 'audit.trail');
  if (end - start > MAX_OWN_ENTRIES_PER_READ)
    throw invalidInput(`a subject reads at most ${MAX_OWN_ENTRIES_PER_READ} leaves of its trail at a time`);
  const subjectId = await ownSubjectId(ctx);
  for (let i = start; i < end; i++)
    if (!(await ctx.store.accessLog.leafOnTrail(subjectId, i)))
      throw notFound(`leaf ${i} is not on your file's trail`);
};

/**
 * The canonical bytes of leaves [start, end) in leaf order, base64: SHA-256(0x00 ‖ bytes) is each
 * leaf hash. Reading entries is itself audited.
 */
export const auditEntries = async ({ ctx, input }: { ctx: Ctx; input: { start: number; end: number } }) => {
  if (!can(ctx.principal, 'audit.read') && !can(ctx.principal, 'audit.trail'))
    throw forbidden(`role ${ctx.principal.role} may not read the audit log`);
  const { size } = await currentHead(ctx.store.auditTree);
  checkSize('end', input.end, size);
  checkSize('start', input.start, input.end, 'end');
  if (input.end - input.start > MAX_ENTRIES_PER_READ)
    throw invalidInput(`at most ${MAX_ENTRIES_PER_READ} entries per read`, [
      { field: 'end', message: `end − start ≤ ${MAX_ENTRIES_PER_READ}` },
    ]);
  await requireLeavesReadable(ctx, input.start, input.end);
  const entries = await ctx.store.auditTree.entries(input.start, input.end);
  if (entries.length > 0)
    await ctx.store.appendAudit(
      [
        {
          actor: ctx.principal.id,
          role: ctx.principal.role,
          purpose: ctx.purpose,
          subjectId: null,
          action: 'audit.entries.read',
          detail: JSON.stringify({ start: input.start, end: input.end }),
          requestId: ctx.requestId,
        },
      ],
      ctx.clock.now().toISOString(),
    );
  return {
    start: input.start,
    end: input.start + entries.length,
    entries: entries.map((e) => e.toString('base64')),
  };
};

/** The audit path of leaf `index` in the tree of `size` leaves, with the leaf hash and root. */
/**
 * Records that the whole store was copied out (a backup reads every subject's data) or a copy put
 * in place (rule 9): by whom, why, and where.
 */
export const recordStoreCopy = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { action: 'store.backup' | 'store.restore'; file: string };
}) => {
  requirePermission(ctx.principal, 'store.copy');
  await ctx.store.appendAudit(
    [
      {
        actor: ctx.principal.id,
        role: ctx.principal.role,
        purpose: ctx.purpose,
        subjectId: null,
        action: input.action,
        detail: JSON.stringify({ file: input.file }),
        requestId: ctx.requestId,
      },
    ],
    ctx.clock.now().toISOString(),
  );
};

export const auditInclusionProof = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { index: number; size: number };
}) => {
  if (!can(ctx.principal, 'audit.read') && !can(ctx.principal, 'audit.trail'))
    throw forbidden(`role ${ctx.principal.role} may not read the audit log`);
  const tree = ctx.store.auditTree;
  const { size: max } = await currentHead(tree);
  checkSize('tree_size', input.size, max);
  if (!Number.isSafeInteger(input.index) || input.index < 0 || input.index >= input.size)
    throw invalidInput(`leaf_index must be a whole number below tree_size ${input.size}`, [
      { field: 'index', message: `0..${input.size - 1}` },
    ]);
  await requireLeavesReadable(ctx, input.index, input.index + 1);
  const [leaf] = await tree.leafHashes(input.index, input.index + 1);
  if (!leaf) throw notFound(`leaf ${input.index} is missing from the log (run credence audit verify)`);
  const { path, root } = await storedInclusionProof(tree, input.index, input.size);
  return { leafIndex: input.index, treeSize: input.size, leafHash: leaf, rootHash: root, auditPath: path };
};

/** The proof that the tree of `first` leaves is a prefix of the tree of `second`. */
export const auditConsistencyProof = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { first: number; second: number };
}) => {
  requirePermission(ctx.principal, 'audit.head');
  const tree = ctx.store.auditTree;
  const { size: max } = await currentHead(tree);
  checkSize('second', input.second, max);
  checkSize('first', input.first, input.second, 'second');
  return {
    first: input.first,
    second: input.second,
    proof: await storedConsistencyProof(tree, input.first, input.second),
  };
};

/** The JSON of an inclusion proof, as the API and the CLI print it (hashes in lowercase hex). */
export const inclusionJson = (r: Awaited<ReturnType<typeof auditInclusionProof>>) => ({
  leaf_index: r.leafIndex,
  tree_size: r.treeSize,
  leaf_hash: r.leafHash.toString('hex'),
  root_hash: r.rootHash.toString('hex'),
  audit_path: r.auditPath.map((h) => h.toString('hex')),
});

export const consistencyJson = (r: Awaited<ReturnType<typeof auditConsistencyProof>>) => ({
  first: r.first,
  second: r.second,
  proof: r.proof.map((h) => h.toString('hex')),
});

/**
 * Cuts signed heads in the background while the platform serves: every `intervalMs`, and a last one
 * when stopped (see background.ts).
 */
export const startHeadCutting = (
  opts: Omit<HeadCuttingOptions, 'cut'> & { ctx: () => Ctx; deps: AuditDeps },
): HeadCutting =>
  startBackgroundCutting({ ...opts, cut: () => cutAuditHead({ ctx: opts.ctx(), deps: opts.deps }) });
