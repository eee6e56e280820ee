/**
 * Checking, in the browser, that an entry of the citizen's access log is in the platform's signed
 * audit log (product rule 9), trusting nothing the server says about the result:
 *  1. the leaf hash is SHA-256(0x00 ‖ the entry's bytes) (RFC 6962 §2.1);
 *  2. the audit path leads from that leaf hash to a root (RFC 9162 §2.1.3.2);
 *  3. that root is the signed head's root_hash, for the same tree size;
 *  4. the head's checkpoint text says the same size and root, and its Ed25519 signature verifies
 *     with the log's published public key.
 * Pure functions over WebCrypto (`crypto.subtle`), so they run in the browser and in Node 20.
 */

/** What the API answers, as far as the check needs it. */
export interface SignedHead {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  signature: string;
  public_key: string;
  checkpoint: string;
}
export interface InclusionProof {
  leaf_index: number;
  tree_size: number;
  audit_path: string[];
}
export interface PublishedKey {
  name: string;
  public_key: string;
}

export const hexToBytes = (hex: string): Uint8Array<ArrayBuffer> => {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`not hex: ${hex.slice(0, 16)}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
};

export const bytesToHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export const base64ToBytes = (b64: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};

const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export const sha256 = async (...parts: Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ entry bytes). */
export const leafHash = (entry: Uint8Array) => sha256(LEAF, entry);

const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(NODE, left, right);

/**
 * The root an audit path leads to from leaf `index` of a tree of `size` leaves (RFC 9162
 * §2.1.3.2), or undefined when the path cannot be one for that leaf and size (wrong length).
 * Halving is done with arithmetic, not bit operators, so sizes beyond 2³¹ work.
 */
export const rootFromInclusionProof = async (
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
): Promise<Uint8Array | undefined> => {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size)
    return undefined;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  const half = (x: number) => Math.floor(x / 2);
  for (const p of path) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
};

export const equalBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The signed part of a C2SP checkpoint note: every line above the blank line, each with its newline. */
export const checkpointText = (checkpoint: string): string => {
  const end = checkpoint.indexOf('\n\n');
  if (end < 0) throw new Error('checkpoint has no blank line before its signatures');
  return checkpoint.slice(0, end + 1);
};

/** The checkpoint body's lines: origin, tree size, root (base64) and the `timestamp` extension line. */
export const parseCheckpoint = (text: string) => {
  const [origin = '', size = '', root = '', ...rest] = text.replace(/\n$/, '').split('\n');
  const stamp = rest.find((l) => l.startsWith('timestamp '));
  return {
    origin,
    treeSize: /^\d+$/.test(size) ? Number(size) : Number.NaN,
    rootHash: (() => {
      try {
        return bytesToHex(base64ToBytes(root));
      } catch {
        return '';
      }
    })(),
    timestamp: stamp?.slice('timestamp '.length) ?? null,
  };
};

/** Ed25519 over the UTF-8 text with a raw 32-byte public key (hex), by WebCrypto. */
export const verifyEd25519 = async (publicKeyHex: string, signatureHex: string, text: string) => {
  const key = await crypto.subtle.importKey('raw', hexToBytes(publicKeyHex), { name: 'Ed25519' }, false, [
    'verify',
  ]);
  return crypto.subtle.verify(
    { name: 'Ed25519' },
    key,
    hexToBytes(signatureHex),
    new TextEncoder().encode(text),
  );
};

/** The signature step's detail when the browser has no Ed25519 in WebCrypto. */
export const UNSUPPORTED = 'unsupported';

/** One step of the check, with the figures it compared. */
export interface Step {
  name: 'leaf_hash' | 'audit_path' | 'root' | 'checkpoint' | 'signature';
  ok: boolean;
  /** The figure computed here, or the one compared against. */
  detail: string;
}

export interface Verification {
  ok: boolean;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  computedRoot: string | null;
  headRoot: string;
  timestamp: string;
  steps: Step[];
  /** The entry's fields: [at, actor, role, purpose, subject_id, action, detail, request_id]. */
  entry: unknown[] | null;
}

/**
 * Checks that `entryBase64` (the leaf's canonical bytes, as GET /v1/audit/entries gives them) is
 * leaf `leafIndex` of the tree the signed `head` commits to, and that the head is signed by the
 * published key. Every step runs even when an earlier one fails, so the page can show which.
 */
export const verifyInclusion = async (input: {
  leafIndex: number;
  entryBase64: string;
  proof: InclusionProof;
  head: SignedHead;
  key: PublishedKey;
}): Promise<Verification> => {
  const { leafIndex, proof, head, key } = input;
  const bytes = base64ToBytes(input.entryBase64);
  const leaf = await leafHash(bytes);
  let entry: unknown[] | null = null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (Array.isArray(parsed)) entry = parsed;
  } catch {
    entry = null;
  }
  const steps: Step[] = [];
  steps.push({ name: 'leaf_hash', ok: bytes.length > 0, detail: bytesToHex(leaf) });

  const root =
    proof.tree_size === head.tree_size && proof.leaf_index === leafIndex
      ? await rootFromInclusionProof(leafIndex, head.tree_size, leaf, proof.audit_path.map(hexToBytes))
      : undefined;
  steps.push({
    name: 'audit_path',
    ok: root !== undefined,
    detail: `${proof.audit_path.length}`,
  });
  const computedRoot = root ? bytesToHex(root) : null;
  steps.push({
    name: 'root',
    ok: computedRoot !== null && computedRoot === head.root_hash.toLowerCase(),
    detail: computedRoot ?? '—',
  });

  let text = '';
  let checkpointOk = false;
  try {
    text = checkpointText(head.checkpoint);
    const c = parseCheckpoint(text);
    checkpointOk =
      c.origin === key.name &&
      c.treeSize === head.tree_size &&
      c.rootHash === head.root_hash.toLowerCase() &&
      c.timestamp === head.timestamp;
  } catch {
    checkpointOk = false;
  }
  steps.push({ name: 'checkpoint', ok: checkpointOk, detail: key.name });

  let signed = false;
  let unsupported = false;
  try {
    signed =
      head.public_key.toLowerCase() === key.public_key.toLowerCase() &&
      text !== '' &&
      (await verifyEd25519(key.public_key, head.signature, text));
  } catch (e) {
    // A browser without Ed25519 in WebCrypto cannot check the signature: say so, not "forged".
    unsupported = (e as { name?: string }).name === 'NotSupportedError';
    signed = false;
  }
  steps.push({ name: 'signature', ok: signed, detail: unsupported ? UNSUPPORTED : key.public_key });

  return {
    ok: steps.every((s) => s.ok),
    leafIndex,
    treeSize: head.tree_size,
    leafHash: bytesToHex(leaf),
    computedRoot,
    headRoot: head.root_hash,
    timestamp: head.timestamp,
    steps,
    entry,
  };
};
