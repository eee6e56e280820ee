/**
 * `credence audit …` on the real binary: verify exits 0 with the tree size and root when the log is
 * intact and 1 naming the leaf index of a changed entry; head, key and proofs print what the API
 * gives, and they verify independently; a head kept outside catches a log cut short with its heads.
 * `credence serve` cuts signed heads while it serves and a last one when it stops.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cutAuditHead } from '../src/audit/index.ts';
import { sequenceEntries } from '../src/audit/tree.ts';
import { openPlatform } from '../src/platform/index.ts';
import type { Database } from '../src/store/schema.ts';
import { BIN, cliFolder } from './cli-run.ts';
import { suiteTitle, testBackends } from './platforms.ts';
import { rawDb } from './raw-db.ts';
import { rfcLeafHash, rfcVerifyConsistency, rfcVerifyInclusion } from './rfc6962.ts';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('credence audit (the binary)', backend), () => {
    const cli = cliFolder('audit-cli', backend);
    const run = cli.run;
    /** Changes rows under the store, as whoever holds the database could. */
    const tamper = async (change: (db: Kysely<Database>) => Promise<unknown>) => {
      const p = await openPlatform(cli.config());
      try {
        await change(rawDb(p));
      } finally {
        await p.close();
      }
    };

    describe('credence audit verify', () => {
      it('says what it does', () => {
        const r = run(['audit', 'verify', '--help']);
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/Usage: credence audit verify/);
        expect(run(['--help']).out).toMatch(/audit/);
      });

      it('exits 0 with the size and root of an intact log, and 1 naming the leaf of a changed entry', async () => {
        expect(run(['init']).code).toBe(0);
        const p = await openPlatform(cli.config());
        let head: { size: number; root: Buffer };
        try {
          await p.store.appendAudit(
            Array.from({ length: 20 }, (_, i) => ({
              actor: 'auditor:cli',
              role: 'auditor',
              purpose: 'inspection',
              subjectId: null,
              action: 'subjects.read',
              detail: `{"n":${i}}`,
              requestId: null,
            })),
            '2026-03-01T09:00:00.000Z',
          );
          const h = await cutAuditHead({
            ctx: p.ctx({ id: 'operator:cli', role: 'operator' }, 'cut a head'),
            deps: p.audit,
          });
          head = { size: h!.tree_size, root: Buffer.from(h!.root_hash, 'hex') };
        } finally {
          await p.close();
        }
        const root = head.root.toString('hex');
        const ok = run(['audit', 'verify']);
        expect(ok.code, ok.err).toBe(0);
        expect(ok.out).toBe(`audit log intact: ${head.size} entries, root ${root}, 1 signed head checked\n`);
        expect(JSON.parse(run(['audit', 'verify', '--json']).out)).toEqual({
          ok: true,
          tree_size: head.size,
          root_hash: root,
          heads: 1,
        });

        await tamper((db) =>
          db
            .updateTable('audit_log')
            .set({ detail: '{"n":"changed"}' })
            .where('leaf_index', '=', head.size - 4)
            .execute(),
        );
        const broken = run(['audit', 'verify']);
        expect(broken.code).toBe(1);
        expect(broken.err).toMatch(new RegExp(`^audit log broken at leaf ${head.size - 4}: `));
        expect(JSON.parse(run(['audit', 'verify', '--json']).out)).toMatchObject({
          ok: false,
          leaf_index: head.size - 4,
        });
        // Put back, the log is intact again.
        await tamper((db) =>
          db
            .updateTable('audit_log')
            .set({ detail: `{"n":${head.size - 4}}` })
            .where('leaf_index', '=', head.size - 4)
            .execute(),
        );
        expect(run(['audit', 'verify']).code).toBe(0);
      });

      it('prints the signed head, the key and proofs as the API does, and they verify independently', () => {
        const head = JSON.parse(run(['audit', 'head']).out);
        expect(head).toMatchObject({
          tree_size: expect.any(Number),
          root_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
        const key = JSON.parse(run(['audit', 'key']).out);
        expect(key.public_key).toBe(head.public_key);
        // README's recipe: Ed25519 over the checkpoint's lines above its blank line, with the raw key.
        const text = head.checkpoint.slice(0, head.checkpoint.indexOf('\n\n') + 1);
        const spki = Buffer.concat([
          Buffer.from('302a300506032b6570032100', 'hex'),
          Buffer.from(key.public_key, 'hex'),
        ]);
        const pub = createPublicKey({ key: spki, format: 'der', type: 'spki' });
        expect(verify(null, Buffer.from(text), pub, Buffer.from(head.signature, 'hex'))).toBe(true);

        const n = head.tree_size as number;
        const entry = JSON.parse(run(['audit', 'entries', '--start', '2', '--end', '3']).out);
        const proof = JSON.parse(
          run(['audit', 'proof', 'inclusion', '--index', '2', '--tree-size', String(n)]).out,
        );
        expect(proof.leaf_hash).toBe(rfcLeafHash(Buffer.from(entry.entries[0], 'base64')).toString('hex'));
        const hex = (h: string) => Buffer.from(h, 'hex');
        expect(
          rfcVerifyInclusion(hex(proof.leaf_hash), 2, n, proof.audit_path.map(hex), hex(head.root_hash)),
        ).toBe(true);
        // A new head: the old one is a prefix of it.
        const next = JSON.parse(run(['audit', 'head', '--cut']).out);
        expect(next.tree_size).toBeGreaterThan(n);
        const c = JSON.parse(
          run(['audit', 'proof', 'consistency', '--first', String(n), '--second', String(next.tree_size)])
            .out,
        );
        expect(
          rfcVerifyConsistency(n, next.tree_size, c.proof.map(hex), hex(head.root_hash), hex(next.root_hash)),
        ).toBe(true);
        const bad = run([
          'audit',
          'proof',
          'inclusion',
          '--index',
          '2',
          '--tree-size',
          String(next.tree_size + 100),
        ]);
        expect(bad.code).toBe(2);
        expect(bad.err).toMatch(/tree_size must be a whole number from 0 to/);
        expect(run(['audit', 'proof', '--help']).out).toMatch(/inclusion[\s\S]*consistency/);
      });

      it('fails against a head kept outside when the log is cut short with its heads', async () => {
        const earlier = JSON.parse(run(['audit', 'head', '--cut']).out);
        // A read of the entries is itself audited: the log grows past the earlier head.
        expect(run(['audit', 'entries', '--start', '0', '--end', '1']).code).toBe(0);
        const head = JSON.parse(run(['audit', 'head', '--cut']).out);
        expect(head.tree_size).toBeGreaterThan(earlier.tree_size);
        const kept = join(cli.dir, 'kept.checkpoint');
        // Saved as `jq -r .checkpoint` saves it: with one more newline than the signed note has.
        writeFileSync(kept, `${head.checkpoint}\n`);
        // Heads appended to one file (`jq -r .checkpoint >> heads.checkpoint`) are each checked.
        const history = join(cli.dir, 'history.checkpoint');
        writeFileSync(history, `${earlier.checkpoint}\n${head.checkpoint}\n`);
        const both = run(['audit', 'verify', '--checkpoint', history]);
        expect(both.code, both.err).toBe(0);
        await tamper(async (db) => {
          // Whoever holds the database removes the last entry, every head and the record of the tree's size,
          // and forgets the signer's memory too (only the database and that file are touched).
          await db
            .deleteFrom('audit_log')
            .where('leaf_index', '=', head.tree_size - 1)
            .execute();
          await db.deleteFrom('audit_heads').execute();
          await db.deleteFrom('meta').where('key', '=', 'audit_frontier').execute();
          await db.updateTable('audit_log').set({ leaf_index: null }).execute();
          await db.deleteFrom('audit_tiles').execute();
        });
        rmSync(join(cli.dir, 'data', 'audit-log-last-head.checkpoint'));
        // …and rebuilds the tree over what is left, so that the database alone looks intact.
        const p = await openPlatform(cli.config());
        try {
          await sequenceEntries(p.store.auditTree, 100_000);
        } finally {
          await p.close();
        }
        expect(run(['audit', 'verify']).code).toBe(0);
        const r = run(['audit', 'verify', '--checkpoint', kept]);
        expect(r.code, r.err).toBe(1);
        expect(r.err).toMatch(
          new RegExp(`audit log broken at leaf ${head.tree_size - 1}: leaf ${head.tree_size - 1} is missing`),
        );
        const forged = join(cli.dir, 'forged.checkpoint');
        writeFileSync(forged, head.checkpoint.replace(`\n${head.tree_size}\n`, `\n${head.tree_size + 1}\n`));
        const refused = run(['audit', 'verify', '--checkpoint', forged]);
        expect(refused.code).toBe(2);
        // The refusal names the file, and the head in it when the file holds several.
        expect(refused.err).toMatch(
          new RegExp(`^error \\(invalid_input\\): ${forged} is not a head signed by this log: `),
        );
        const withForged = join(cli.dir, 'with-forged.checkpoint');
        writeFileSync(withForged, `${readFileSync(history, 'utf8')}${readFileSync(forged, 'utf8')}\n`);
        const third = run(['audit', 'verify', '--checkpoint', kept, withForged]);
        expect(third.code).toBe(2);
        expect(third.err).toContain(`checkpoint 3 of 3 in ${withForged} is not a head signed by this log: `);
      });

      it('refuses to run on a store whose log is signed, without its key, and makes no new key', () => {
        const keyFile = join(cli.dir, 'data', 'audit-log-key.pem');
        const key = readFileSync(keyFile);
        rmSync(keyFile);
        try {
          const r = run(['sources', 'list']);
          expect(r.code, r.err).toBe(4);
          expect(r.err).toMatch(
            /audit-log-key\.pem is missing, but this store's audit log is signed by key ID [0-9a-f]{8}/,
          );
          expect(existsSync(keyFile)).toBe(false);
        } finally {
          writeFileSync(keyFile, key, { mode: 0o600 });
        }
        expect(run(['sources', 'list']).code).toBe(0);
      });
    });

    describe('credence serve', () => {
      const served = cliFolder('audit-serve', backend);
      it('cuts a signed head every few seconds while serving and a last one when it stops', async () => {
        const envOf = served.env({ AUDIT_HEAD_INTERVAL_MS: '200' });
        let stopServer: (() => void) | undefined;
        const cli = (args: string[]) =>
          spawnSync(process.execPath, [BIN, ...args], { env: envOf, encoding: 'utf8' });
        try {
          expect(cli(['init']).status).toBe(0);
          const token = JSON.parse(
            cli(['tokens', 'issue', '--role', 'auditor', '--label', 'a', '--json']).stdout,
          ).token;
          const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: envOf });
          stopServer = () => child.kill('SIGKILL');
          let out = '';
          const url = await new Promise<string>((resolve, reject) => {
            child.stdout.on('data', (d) => {
              out += String(d);
              const m = /running at (http:\/\/\S+)/.exec(out);
              if (m) resolve(m[1]!);
            });
            child.once('exit', () => reject(new Error(`serve exited: ${out}`)));
          });
          expect(out).toMatch(/Audit log heads are signed by credence\.local\/audit\+[0-9a-f]{8}\+/);
          const get = async (path: string) =>
            (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
          const first = await get('/v1/audit/head');
          // Reading entries is audited: a head covering that read follows within moments.
          await get(`/v1/audit/entries?start=0&end=1`);
          let later = first;
          for (let t = 0; t < 50 && later.tree_size <= first.tree_size; t++) {
            await new Promise((r) => setTimeout(r, 100));
            later = await get('/v1/audit/head');
          }
          expect(later.tree_size).toBeGreaterThan(first.tree_size);
          // One more audited read, then stop at once: the last head covers it.
          await get(`/v1/audit/entries?start=0&end=1`);
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
          const last = JSON.parse(cli(['audit', 'head']).stdout);
          expect(last.tree_size).toBeGreaterThan(later.tree_size);
          const n = String(last.tree_size);
          const entry = JSON.parse(
            cli(['audit', 'entries', '--start', String(last.tree_size - 1), '--end', n]).stdout,
          );
          expect(JSON.parse(Buffer.from(entry.entries[0], 'base64').toString())).toContain(
            'audit.entries.read',
          );
          expect(cli(['audit', 'verify']).status).toBe(0);
        } finally {
          stopServer?.();
        }
      }, 60_000);
    });
  });
}
