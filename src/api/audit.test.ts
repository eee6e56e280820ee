/**
 * The audit API on every backend, checked the way an outside auditor would: the head's signature
 * with the published key alone (the recipe README gives), every leaf hash and the root recomputed
 * from the entries the API serves, and inclusion and consistency proofs checked by a verifier
 * written from RFC 6962's definitions (test/rfc6962.ts), itself checked on a tree worked out by hand.
 * A subject reads the head and the proofs of the leaves its own file lists, and nothing else.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rfcLeafHash, rfcRoot, rfcVerifyConsistency, rfcVerifyInclusion } from '../../test/rfc6962.ts';
import { issueToken } from '../access/index.ts';
import { AUDIT_SEQUENCER, cutAuditHead } from '../audit/index.ts';
import { fixedClock } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import type { Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';

const ZHANG = makeResidentId('360426', '1980-05-05', 31);
const WANG = makeResidentId('110105', '1979-01-02', 17);
const hex = (s: string) => Buffer.from(s, 'hex');
const b64 = (s: string) => Buffer.from(s, 'base64');

/** README's recipe: the signed text is every line of the checkpoint above its blank line. */
const signatureVerifies = (head: { checkpoint: string; signature: string; public_key: string }) => {
  const text = head.checkpoint.slice(0, head.checkpoint.indexOf('\n\n') + 1);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), hex(head.public_key)]);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  return verify(null, Buffer.from(text, 'utf8'), key, hex(head.signature));
};

describe('the independent RFC 6962 verifier', () => {
  it('accepts the proofs of a three-leaf tree worked out by hand, and nothing else', () => {
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    const [a, b, c] = ['a', 'b', 'c'].map((s) => sha(Buffer.from([0]), Buffer.from(s))) as [
      Buffer,
      Buffer,
      Buffer,
    ];
    const ab = sha(Buffer.from([1]), a, b);
    const root3 = sha(Buffer.from([1]), ab, c);
    expect(rfcRoot(['a', 'b', 'c'].map((s) => Buffer.from(s)))).toEqual(root3);
    expect(rfcLeafHash(Buffer.from('a'))).toEqual(a);
    expect(rfcVerifyInclusion(a, 0, 3, [b, c], root3)).toBe(true);
    expect(rfcVerifyInclusion(b, 1, 3, [a, c], root3)).toBe(true);
    expect(rfcVerifyInclusion(c, 2, 3, [ab], root3)).toBe(true);
    expect(rfcVerifyInclusion(c, 2, 3, [a, b], root3)).toBe(false);
    expect(rfcVerifyInclusion(a, 1, 3, [b, c], root3)).toBe(false);
    expect(rfcVerifyConsistency(2, 3, [c], ab, root3)).toBe(true);
    expect(rfcVerifyConsistency(1, 3, [b, c], a, root3)).toBe(true);
    expect(rfcVerifyConsistency(1, 3, [c, b], a, root3)).toBe(false);
    expect(rfcVerifyConsistency(2, 3, [c], a, root3)).toBe(false);
  });
});

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('the audit API', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    const tokens: Record<string, string> = {};
    const get = async (token: string | undefined, url: string) => {
      const res = await app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.statusCode, body: res.json() };
    };
    const cut = () => cutAuditHead({ ctx: p.ctx(AUDIT_SEQUENCER, 'cut'), deps: p.audit });

    beforeAll(async () => {
      const o = await backend.open({ clock: fixedClock('2026-03-01T09:00:00Z') });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: false });
      const feed = await courtFeed(p, 'court-audit');
      await feed([defaulterRecord('a-1', ZHANG), defaulterRecord('a-2', WANG, '王芳')]);
      const ctx = p.ctx({ id: 'operator:test', role: 'operator' }, 'test');
      for (const [name, role, ref] of [
        ['auditor', 'auditor'],
        ['zhang', 'subject', ZHANG],
        ['wang', 'subject', WANG],
        ['rail', 'relying_party'],
      ] as const)
        tokens[name] = (
          await issueToken({ ctx, input: { role, label: name, ...(ref ? { ref } : {}) } })
        ).token;
    }, 60_000);
    afterAll(() => cleanup?.());

    it('serves a signed head that verifies with the published key alone', async () => {
      expect((await get(tokens.auditor, '/v1/audit/head')).status).toBe(404);
      await cut();
      const { status, body: head } = await get(tokens.auditor, '/v1/audit/head');
      expect(status).toBe(200);
      expect(head.tree_size).toBe(await p.store.countAudit());
      expect(head.root_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(signatureVerifies(head)).toBe(true);
      // The checkpoint says what the JSON says, and its signature covers size, root and timestamp.
      expect(head.checkpoint).toMatch(
        new RegExp(
          `^${p.auditKey.name}\\n${head.tree_size}\\n${b64url(head.root_hash)}\\ntimestamp ${head.timestamp}\\n\\n— `,
        ),
      );
      expect(
        signatureVerifies({
          ...head,
          checkpoint: head.checkpoint.replace(`\n${head.tree_size}\n`, `\n${head.tree_size + 1}\n`),
        }),
      ).toBe(false);
      const key = (await get(tokens.auditor, '/v1/audit/key')).body;
      expect(key.public_key).toBe(head.public_key);
      expect(key.verifier_key).toMatch(new RegExp(`^${p.auditKey.name}\\+[0-9a-f]{8}\\+`));
      // A subject reads the head; a relying party and the anonymous public do not.
      expect((await get(tokens.zhang, '/v1/audit/head')).body).toEqual(head);
      expect((await get(tokens.rail, '/v1/audit/head')).status).toBe(403);
      expect((await get(undefined, '/v1/audit/head')).status).toBe(401);
    });

    it('serves entries that rebuild every leaf hash and the root, and proofs an RFC 6962 verifier accepts', async () => {
      await cut();
      const first = (await get(tokens.auditor, '/v1/audit/head')).body;
      const n1 = first.tree_size as number;
      const entries = await get(tokens.auditor, `/v1/audit/entries?start=0&end=${n1}`);
      expect(entries.status).toBe(200);
      const data = (entries.body.entries as string[]).map(b64);
      expect(data).toHaveLength(n1);
      expect(rfcRoot(data).toString('hex')).toBe(first.root_hash);
      for (const i of [0, 1, Math.floor(n1 / 2), n1 - 1]) {
        const { body: proof } = await get(
          tokens.auditor,
          `/v1/audit/proof/inclusion?index=${i}&tree_size=${n1}`,
        );
        expect(proof.leaf_hash).toBe(rfcLeafHash(data[i]!).toString('hex'));
        expect(
          rfcVerifyInclusion(hex(proof.leaf_hash), i, n1, proof.audit_path.map(hex), hex(first.root_hash)),
        ).toBe(true);
      }
      // The log grows: the new head is consistent with the old one.
      await get(tokens.zhang, '/v1/me');
      await get(tokens.wang, '/v1/me');
      await cut();
      const second = (await get(tokens.auditor, '/v1/audit/head')).body;
      expect(second.tree_size).toBeGreaterThan(n1);
      expect(signatureVerifies(second)).toBe(true);
      const c = await get(
        tokens.auditor,
        `/v1/audit/proof/consistency?first=${n1}&second=${second.tree_size}`,
      );
      expect(c.status).toBe(200);
      expect(
        rfcVerifyConsistency(
          n1,
          second.tree_size,
          c.body.proof.map(hex),
          hex(first.root_hash),
          hex(second.root_hash),
        ),
      ).toBe(true);
      expect(
        rfcVerifyConsistency(
          n1,
          second.tree_size,
          c.body.proof.map(hex),
          hex(second.root_hash),
          hex(first.root_hash),
        ),
      ).toBe(false);
      // Sizes beyond the tree and reversed ranges are refused with the reason.
      expect(
        (await get(tokens.auditor, `/v1/audit/proof/inclusion?index=0&tree_size=${second.tree_size + 1}`))
          .status,
      ).toBe(400);
      const firstPast = await get(tokens.auditor, `/v1/audit/proof/consistency?first=5&second=4`);
      expect(firstPast.status).toBe(400);
      expect(firstPast.body.error.message).toBe('first must be a whole number from 0 to 4 (second)');
      const startPast = await get(tokens.auditor, `/v1/audit/entries?start=3&end=2`);
      expect(startPast.status).toBe(400);
      expect(startPast.body.error.message).toBe('start must be a whole number from 0 to 2 (end)');
      expect((await get(tokens.auditor, '/v1/audit/entries?start=x&end=2')).status).toBe(400);
    });

    it('shows a subject the leaf index of each access to its file, with an inclusion proof it can check, and only its own', async () => {
      await get(tokens.zhang, '/v1/me');
      await cut();
      const head = (await get(tokens.zhang, '/v1/audit/head')).body;
      const own = (await get(tokens.zhang, '/v1/me')).body.access_log.accesses.entries as {
        leaf_index: number | null;
        action: string;
      }[];
      const indexed = own.filter((e) => e.leaf_index !== null && e.leaf_index < head.tree_size);
      expect(indexed.length).toBeGreaterThanOrEqual(2);
      for (const e of indexed) {
        const proof = await get(
          tokens.zhang,
          `/v1/audit/proof/inclusion?index=${e.leaf_index}&tree_size=${head.tree_size}`,
        );
        expect(proof.status).toBe(200);
        const entry = await get(
          tokens.zhang,
          `/v1/audit/entries?start=${e.leaf_index}&end=${e.leaf_index! + 1}`,
        );
        expect(entry.status).toBe(200);
        const leaf = rfcLeafHash(b64(entry.body.entries[0]));
        expect(JSON.parse(b64(entry.body.entries[0]).toString('utf8'))).toContain(e.action);
        expect(
          rfcVerifyInclusion(
            leaf,
            e.leaf_index!,
            head.tree_size,
            proof.body.audit_path.map(hex),
            hex(head.root_hash),
          ),
        ).toBe(true);
      }
      // Another subject's accesses are not Zhang's to read, and they look like leaves that do not exist.
      const wangs = (await get(tokens.wang, '/v1/me')).body.access_log.accesses.entries as {
        leaf_index: number | null;
      }[];
      const theirs = wangs.find(
        (e) => e.leaf_index !== null && !indexed.some((o) => o.leaf_index === e.leaf_index),
      );
      expect(theirs).toBeDefined();
      const refused = await get(
        tokens.zhang,
        `/v1/audit/proof/inclusion?index=${theirs!.leaf_index}&tree_size=${head.tree_size}`,
      );
      expect(refused.status).toBe(404);
      expect(
        (
          await get(
            tokens.zhang,
            `/v1/audit/entries?start=${theirs!.leaf_index}&end=${theirs!.leaf_index! + 1}`,
          )
        ).status,
      ).toBe(404);
      expect((await get(tokens.zhang, `/v1/audit/entries?start=0&end=${head.tree_size}`)).status).toBe(404);
      // A consistency proof concerns no entry: a subject may ask one.
      expect(
        (await get(tokens.zhang, `/v1/audit/proof/consistency?first=1&second=${head.tree_size}`)).status,
      ).toBe(200);
      expect((await get(tokens.rail, `/v1/audit/proof/inclusion?index=0&tree_size=1`)).status).toBe(403);
    });
  });
}

/** The root in the checkpoint's encoding (standard base64), escaped for a regular expression. */
const b64url = (rootHex: string) =>
  hex(rootHex)
    .toString('base64')
    .replace(/[+/]/g, (c) => `\\${c}`);
