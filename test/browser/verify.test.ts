/**
 * The citizen portal's in-browser audit proof check (web/src/portal/verify.ts), run here on Node's
 * WebCrypto: the audit path against RFC 6962's own definitions for every leaf of trees of 1 to 33
 * leaves, then a real signed head and inclusion proof from a test app for an entry of a subject's
 * access log — verified, and failed when the entry, the path, the head or the key is changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callAs,
  personRecord,
  registerSource,
  startTestApp,
  type TestApp,
  tokenFor,
} from '../../src/api/test-app.ts';
import { AUDIT_SEQUENCER, cutAuditHead } from '../../src/audit/index.ts';
import {
  base64ToBytes,
  bytesToHex,
  checkpointText,
  leafHash,
  parseCheckpoint,
  rootFromInclusionProof,
  type SignedHead,
  verifyInclusion,
} from '../../web/src/portal/verify.ts';
import { rfcLeafHash, rfcRoot } from '../rfc6962.ts';

/** PATH(m, D[n]) from RFC 6962 §2.1.1, over leaf data. */
const rfcPath = (m: number, data: Uint8Array[]): Uint8Array[] => {
  if (data.length <= 1) return [];
  let k = 1;
  while (k * 2 < data.length) k *= 2;
  return m < k
    ? [...rfcPath(m, data.slice(0, k)), rfcRoot(data.slice(k))]
    : [...rfcPath(m - k, data.slice(k)), rfcRoot(data.slice(0, k))];
};

describe('audit path (RFC 9162 §2.1.3.2) against the RFC 6962 definitions', () => {
  it('leads every leaf of trees of 1 to 33 leaves to the tree root; a wrong index or size does not', async () => {
    for (let n = 1; n <= 33; n++) {
      const data = Array.from({ length: n }, (_, i) => new TextEncoder().encode(`leaf ${i} of ${n}`));
      const root = bytesToHex(rfcRoot(data));
      for (let m = 0; m < n; m++) {
        const leaf = await leafHash(data[m]!);
        expect(bytesToHex(leaf)).toBe(bytesToHex(rfcLeafHash(data[m]!)));
        const path = rfcPath(m, data);
        const got = await rootFromInclusionProof(m, n, leaf, path);
        expect(got && bytesToHex(got), `leaf ${m} of ${n}`).toBe(root);
        if (n > 1) {
          const other = await rootFromInclusionProof((m + 1) % n, n, leaf, path);
          expect(other && bytesToHex(other)).not.toBe(root);
        }
      }
      // An index outside the tree, or a path one hash too long, has no root.
      expect(await rootFromInclusionProof(n, n, await leafHash(data[0]!), [])).toBeUndefined();
      expect(
        await rootFromInclusionProof(0, n, await leafHash(data[0]!), [
          ...rfcPath(0, data),
          new Uint8Array(32),
        ]),
      ).toBeUndefined();
    }
  });
});

describe('an access log entry verified against a real signed head', () => {
  const ID = '11010519491231002X';
  let t: TestApp;
  let subject: string;
  let leafIndex: number;
  let head: SignedHead;
  let key: { name: string; public_key: string };
  let proof: { leaf_index: number; tree_size: number; leaf_hash: string; audit_path: string[] };
  let entry: string;
  const get = async (url: string) => {
    const res = await callAs(t, 'GET', url, subject);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await startTestApp();
    const court = await registerSource(t, 'verify-court', 'court');
    const added = await callAs(t, 'POST', '/v1/records', court, [personRecord(ID)]);
    expect(added.statusCode).toBeLessThan(300);
    subject = await tokenFor(t, 'subject', ID);
    await get('/v1/me');
    await cutAuditHead({
      ctx: t.platform.ctx(AUDIT_SEQUENCER, 'sign the audit log head'),
      deps: t.platform.audit,
    });
    const file = await get('/v1/me');
    const shown = (file.access_log.accesses.entries as { leaf_index: number | null; action: string }[]).find(
      (e) => e.leaf_index !== null && e.action === 'records.create',
    );
    leafIndex = shown!.leaf_index!;
    head = await get('/v1/audit/head');
    key = await get('/v1/audit/key');
    proof = await get(`/v1/audit/proof/inclusion?index=${leafIndex}&tree_size=${head.tree_size}`);
    entry = (await get(`/v1/audit/entries?start=${leafIndex}&end=${leafIndex + 1}`)).entries[0];
  });
  afterAll(async () => t?.close());

  it('verifies: leaf hash, audit path, root equal to the head, checkpoint and Ed25519 signature', async () => {
    const v = await verifyInclusion({ leafIndex, entryBase64: entry, proof, head, key });
    expect(v.steps.filter((s) => !s.ok)).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.leafHash).toBe(proof.leaf_hash);
    expect(v.computedRoot).toBe(head.root_hash);
    expect(v.treeSize).toBe(head.tree_size);
    expect(v.entry?.[5]).toBe('records.create');
    const c = parseCheckpoint(checkpointText(head.checkpoint));
    expect(c).toEqual({
      origin: key.name,
      treeSize: head.tree_size,
      rootHash: head.root_hash,
      timestamp: head.timestamp,
    });
  });

  const failing = async (over: Partial<Parameters<typeof verifyInclusion>[0]>) => {
    const v = await verifyInclusion({ leafIndex, entryBase64: entry, proof, head, key, ...over });
    expect(v.ok).toBe(false);
    return v.steps.filter((s) => !s.ok).map((s) => s.name);
  };

  it('fails when the entry is changed, naming the root', async () => {
    const bytes = base64ToBytes(entry);
    const at = bytes.length - 3;
    bytes[at] = bytes[at]! ^ 1;
    const changed = btoa(String.fromCharCode(...bytes));
    expect(await failing({ entryBase64: changed })).toEqual(['root']);
  });

  it('fails when the path, the index or the tree size is changed', async () => {
    if (proof.audit_path.length > 0) {
      const path = [...proof.audit_path];
      path[0] = path[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      expect(await failing({ proof: { ...proof, audit_path: path } })).toEqual(['root']);
    }
    expect(await failing({ leafIndex: leafIndex + 1 })).toContain('audit_path');
    expect(await failing({ proof: { ...proof, tree_size: proof.tree_size - 1 } })).toContain('audit_path');
  });

  it("fails when the head's root, signature, timestamp or key is not the log's", async () => {
    const flip = (hex: string) => hex.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(await failing({ head: { ...head, root_hash: flip(head.root_hash) } })).toEqual([
      'root',
      'checkpoint',
    ]);
    expect(await failing({ head: { ...head, signature: flip(head.signature) } })).toEqual(['signature']);
    expect(await failing({ head: { ...head, timestamp: '2020-01-01T00:00:00.000Z' } })).toEqual([
      'checkpoint',
    ]);
    const otherKey = { ...key, public_key: flip(key.public_key) };
    expect(await failing({ key: otherKey })).toEqual(['signature']);
    expect(await failing({ key: { ...key, name: 'elsewhere/audit' } })).toEqual(['checkpoint']);
  });
});
