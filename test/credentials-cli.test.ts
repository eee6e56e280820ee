/**
 * Credentials from the command line (the real binary): tokens issued with an expiry and a scope,
 * renewed and revoked; a source's credential rotated and revoked, and a withdrawn source's file refused; each step audited.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../src/access/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import { cliFolder } from './cli-run.ts';
import { suiteTitle, testBackends } from './platforms.ts';
import { rawDb } from './raw-db.ts';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(
    suiteTitle('credence tokens and sources credentials', backend),
    () => {
      const cli = cliFolder('credentials-cli', backend);
      const run = cli.run;

      it('issues, lists, renews and revokes tokens; rotates and revokes a source credential', async () => {
        expect(run(['init']).code).toBe(0);
        const issued = run([
          'tokens',
          'issue',
          '--role',
          'auditor',
          '--label',
          'desk',
          '--days',
          '30',
          '--json',
        ]);
        expect(issued.code, issued.err).toBe(0);
        const t = JSON.parse(issued.out);
        expect(t.principal).toBe(`auditor:desk#${t.id}`);
        expect(Date.parse(t.expires_at) - Date.now()).toBeGreaterThan(29 * 86_400_000);

        const badScope = run([
          'tokens',
          'issue',
          '--role',
          'auditor',
          '--label',
          'x',
          '--scope',
          'tokens.manage',
        ]);
        expect(badScope.code).not.toBe(0);
        expect(badScope.err).toContain('cannot be scoped to tokens.manage');
        const tooLong = run(['tokens', 'issue', '--role', 'auditor', '--label', 'x', '--days', '4000']);
        expect(tooLong.code).not.toBe(0);
        expect(tooLong.err).toContain('--days');

        const renewed = run(['tokens', 'renew', String(t.id), '--days', '200', '--json']);
        expect(renewed.code, renewed.err).toBe(0);
        expect(Date.parse(JSON.parse(renewed.out).expires_at) - Date.now()).toBeGreaterThan(199 * 86_400_000);
        const listed = run(['tokens', 'list']);
        expect(listed.out).toMatch(new RegExp(`^${t.id}\\tauditor\\t.*\\texpires \\d{4}-`, 'm'));

        const added = JSON.parse(run(['sources', 'add', 'court-cli', '--kind', 'court', '--json']).out);
        const rotated = run(['sources', 'rotate', 'court-cli', '--json']);
        expect(rotated.code, rotated.err).toBe(0);
        const fresh = JSON.parse(rotated.out).credential as string;
        expect(fresh).not.toBe(added.credential);
        expect(run(['sources', 'revoke', 'court-cli']).out).toContain('revoked');
        expect(run(['sources', 'list']).out).toMatch(/court-cli\t.*\trevoked /);
        expect(run(['sources', 'rotate', 'nope']).code).not.toBe(0);

        expect(run(['tokens', 'revoke', String(t.id)]).code).toBe(0);
        expect(run(['tokens', 'renew', String(t.id)]).code).not.toBe(0);

        const p = await openPlatform(cli.config());
        try {
          await expect(authenticate(p.store, t.token)).rejects.toThrow(/revoked/);
          await expect(authenticate(p.store, added.credential)).rejects.toThrow(/unknown/);
          await expect(authenticate(p.store, fresh)).rejects.toThrow(/court-cli/);
          // Each step is in the audit log, by the configured operator.
          const actions = (await rawDb(p).selectFrom('audit_log').select('action').execute()).map(
            (r) => r.action,
          );
          for (const a of ['token.issue', 'token.renew', 'token.revoke', 'source.rotate', 'source.revoke'])
            expect(actions).toContain(a);
        } finally {
          await p.close();
        }
      }, 180_000); // some twenty CLI processes one after another, each starting Node

      it("refuses a withdrawn source's file whole, naming the source and the day; nothing is written", async () => {
        expect(run(['sources', 'add', 'court-gone', '--kind', 'court']).code).toBe(0);
        expect(run(['sources', 'revoke', 'court-gone']).code).toBe(0);
        const file = join(cli.dir, 'after-revoke.ndjson');
        writeFileSync(
          file,
          `${JSON.stringify({
            source_record_id: 'after-revoke-1',
            type: 'court.judgment_defaulter',
            subject: { kind: 'person', id_number: '11010519491231002X', name: '李娜' },
            occurred_at: '2025-05-01',
            decided_at: '2025-06-01',
            amount: 50000,
            evidence: '(2025)京0105执1号',
          })}\n`,
        );
        const ingested = run(['ingest', file, '--source', 'court-gone']);
        expect(ingested.code, ingested.out).toBe(4);
        expect(ingested.err).toContain(
          `source court-gone was withdrawn on ${new Date().toISOString().slice(0, 10)}: it submits no records until it is given a new credential (\`credence sources rotate court-gone\`)`,
        );
        expect(ingested.out).not.toMatch(/accepted [1-9]/);
        const p = await openPlatform(cli.config());
        try {
          // Nothing of the refused file was written: no record, no subject.
          expect(await rawDb(p).selectFrom('records').select('id').execute()).toEqual([]);
          expect(await rawDb(p).selectFrom('subjects').select('id').execute()).toEqual([]);
        } finally {
          await p.close();
        }
      });
    },
  );
}
