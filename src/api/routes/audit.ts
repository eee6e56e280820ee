/**
 * HTTP face of the verifiable audit log: the signed tree head, the log's public key, the canonical
 * entries and inclusion and consistency proofs (RFC 6962; hashes and keys in lowercase hex).
 * Auditors and operators read the whole log; a subject reads the head, consistency proofs and the
 * entries and inclusion proofs of its own trail (the leaf indices its own file lists).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  auditConsistencyProof,
  auditEntries,
  auditInclusionProof,
  auditLogKey,
  consistencyJson,
  inclusionJson,
  latestAuditHead,
  MAX_ENTRIES_PER_READ,
} from '../../audit/index.ts';
import type { Platform } from '../../platform/index.ts';
import { errorResponses } from '../errors.ts';
import { intQuery } from '../input.ts';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const leaf = intQuery({ min: 0 });

/** An audit entry's leaf, as the own file and the subject file show it. */
export const leafIndexSchema = z
  .number()
  .int()
  .nullable()
  .describe(
    'its leaf index in the audit log’s Merkle tree, to ask its inclusion proof by; null: not yet in the tree',
  );

const headSchema = z.object({
  tree_size: z.number().int(),
  root_hash: hex(32).describe('RFC 6962 root of the first tree_size leaves'),
  timestamp: z.string().describe('when the head was cut (ISO 8601 UTC); signed'),
  signature: hex(64).describe(
    'Ed25519 over the checkpoint text: "<origin>\\n<tree_size>\\n<base64 root>\\ntimestamp <timestamp>\\n"',
  ),
  public_key: hex(32).describe("the log's raw Ed25519 public key"),
  checkpoint: z.string().describe('the same head as a C2SP signed checkpoint note'),
});

export const auditRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  const deps = platform.audit;

  app.get(
    '/audit/head',
    {
      schema: {
        summary: 'The latest signed tree head of the audit log',
        description:
          'Cut every few seconds while entries arrive. Verify `signature` with `public_key` (Ed25519) over the ' +
          'checkpoint text, which is every line of `checkpoint` above its blank line. Auditors, operators and subjects.',
        tags: ['audit'],
        response: { 200: headSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => latestAuditHead({ ctx: request.ctx('read the signed tree head'), deps }),
  );

  app.get(
    '/audit/key',
    {
      schema: {
        summary: "The audit log's public key",
        tags: ['audit'],
        response: {
          200: z.object({
            name: z.string().describe('the log name: the origin line of its checkpoints'),
            public_key: hex(32),
            key_id: hex(4).describe('signed-note key ID: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]'),
            verifier_key: z
              .string()
              .describe('C2SP verifier key: <name>+<key id>+<base64(0x01 ‖ public key)>'),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => auditLogKey({ ctx: request.ctx("read the audit log's public key"), deps }),
  );

  app.get(
    '/audit/entries',
    {
      schema: {
        summary: 'The canonical bytes of leaves [start, end), in leaf order',
        description:
          `Each entry is base64 of the canonical bytes; its leaf hash is SHA-256(0x00 ‖ bytes). At most ` +
          `${MAX_ENTRIES_PER_READ} per read; a subject reads leaves of its own trail only. Audited.`,
        tags: ['audit'],
        querystring: z.object({ start: leaf, end: leaf }),
        response: {
          200: z.object({ start: z.number().int(), end: z.number().int(), entries: z.array(z.string()) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => auditEntries({ ctx: request.ctx('read audit log entries'), input: request.query }),
  );

  app.get(
    '/audit/proof/inclusion',
    {
      schema: {
        summary: 'The audit path of a leaf in the tree of tree_size leaves (RFC 6962 §2.1.1)',
        tags: ['audit'],
        querystring: z.object({ index: leaf, tree_size: leaf }),
        response: {
          200: z.object({
            leaf_index: z.number().int(),
            tree_size: z.number().int(),
            leaf_hash: hex(32),
            root_hash: hex(32).describe('the root the path leads to: compare it with a signed head'),
            audit_path: z.array(hex(32)),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) =>
      inclusionJson(
        await auditInclusionProof({
          ctx: request.ctx('prove an audit entry is in the log'),
          input: { index: request.query.index, size: request.query.tree_size },
        }),
      ),
  );

  app.get(
    '/audit/proof/consistency',
    {
      schema: {
        summary:
          'The proof that the tree of `first` leaves is a prefix of the tree of `second` (RFC 6962 §2.1.2)',
        tags: ['audit'],
        querystring: z.object({ first: leaf, second: leaf }),
        response: {
          200: z.object({ first: z.number().int(), second: z.number().int(), proof: z.array(hex(32)) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) =>
      consistencyJson(
        await auditConsistencyProof({
          ctx: request.ctx('prove the audit log only grew'),
          input: request.query,
        }),
      ),
  );
};
