/**
 * A crash: the real server is killed (SIGKILL, nothing runs after it) while record batches and
 * checks are in flight, then started again on the same store. Whatever it acknowledged must have
 * survived: every record of a batch answered 200 is stored, every check answered is in the check
 * log, and the audit log verifies. On SQLite (a data folder) and PostgreSQL (a fresh database).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.ts';
import { makeResidentId } from '../src/identity/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import { BIN } from './cli-run.ts';
import { freshTestDatabase } from './pg-server.ts';
import { suiteTitle, testBackends } from './platforms.ts';
import { rawDb } from './raw-db.ts';

const MEASURE = 'restrict.high_speed_rail';
const PURPOSE = 'ticket_sale';

const startServer = async (env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> => {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d) => {
      out += String(d);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
  // Keep reading its output, so a chatty server never blocks on a full pipe.
  child.stdout!.resume();
  return { child, url };
};

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once('exit', () => r()));

for (const b of testBackends()) {
  describe.skipIf(b.skip)(suiteTitle('a crash of the server', b), () => {
    it('keeps every acknowledged record and every answered check, and the audit log verifies', async () => {
      const home = mkdtempSync(join(tmpdir(), 'credence-crash-'));
      const databaseUrl = b.name === 'postgres' ? await freshTestDatabase() : '';
      const env = {
        ...process.env,
        DATA_DIR: join(home, 'data'),
        DATABASE_URL: databaseUrl,
        AUDIT_HEAD_INTERVAL_MS: '200',
        RATE_LIMIT_PER_CREDENTIAL: '0',
        RATE_LIMIT_PER_ADDRESS: '0',
        LOG_LEVEL: 'warn',
      };
      const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
      const servers: ChildProcess[] = [];
      try {
        expect(cli(['init']).status).toBe(0);
        const issued = cli(['tokens', 'issue', '--role', 'operator', '--label', 'crash test', '--json']);
        expect(issued.status, issued.stderr).toBe(0);
        const operator = JSON.parse(issued.stdout).token as string;

        const first = await startServer(env);
        servers.push(first.child);
        const post = async (url: string, path: string, token: string, body: unknown) =>
          fetch(`${url}${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        const court = await post(first.url, '/v1/sources', operator, { code: 'crash-court', kind: 'court' });
        const courtBody = await court.text();
        expect(court.status, courtBody).toBe(201);
        const source = (JSON.parse(courtBody) as { credential: string }).credential;
        const rp = await post(first.url, '/v1/relying-parties', operator, {
          code: 'crash-railway',
          kind: 'railway',
          purposes: [PURPOSE],
        });
        const rpBody = await rp.text();
        expect(rp.status, rpBody).toBe(201);
        const railway = (JSON.parse(rpBody) as { token: string }).token;

        // Writers and checkers run together until the server dies under them.
        const acknowledged: string[] = [];
        const answered: string[] = [];
        const named: string[] = [makeResidentId('110105', '1980-01-01', 1)];
        let dead = false;
        let batch = 0;
        // Requests sent and not answered yet: the kill must catch some of them.
        let inFlight = 0;
        const tracked = async <T>(p: Promise<T>): Promise<T> => {
          inFlight++;
          try {
            return await p;
          } finally {
            inFlight--;
          }
        };
        const writer = async () => {
          while (!dead) {
            const n = batch++;
            const records = Array.from({ length: 10 }, (_, i) => {
              const k = n * 10 + i;
              const id = makeResidentId('110105', '1980-01-01', 1 + (k % 999));
              return {
                source_record_id: `crash-${k}`,
                type: 'court.judgment_defaulter',
                subject: { kind: 'person', id_number: id, name: '王五' },
                occurred_at: '2025-05-01',
                decided_at: '2025-06-01',
                amount: 5000 + k,
                evidence: `(2025)京0105执${1000 + k}号`,
              };
            });
            try {
              const { res, body } = await tracked(
                post(first.url, '/v1/records', source, { records }).then(async (res) => ({
                  res,
                  body: (await res.json()) as { results: { line: number; status: string }[] },
                })),
              );
              if (res.status !== 200) continue;
              for (const r of body.results)
                if (r.status === 'stored' || r.status === 'duplicate') {
                  acknowledged.push(records[r.line - 1]!.source_record_id);
                  named.push(records[r.line - 1]!.subject.id_number);
                }
            } catch {
              dead = true;
            }
          }
        };
        const checker = async (batchOf: number) => {
          while (!dead) {
            const subjects = Array.from(
              { length: batchOf },
              (_, i) => named[(answered.length + i) % named.length]!,
            );
            try {
              if (batchOf === 1) {
                const { res, body } = await tracked(
                  fetch(`${first.url}/v1/checks?subject=${subjects[0]}&measure=${MEASURE}`, {
                    headers: { authorization: `Bearer ${railway}`, 'x-purpose': PURPOSE },
                  }).then(async (res) => ({ res, body: (await res.json()) as { check_id: string } })),
                );
                if (res.status === 200) answered.push(body.check_id);
              } else {
                const { res, body } = await tracked(
                  post(first.url, '/v1/checks', railway, {
                    measure: MEASURE,
                    purpose: PURPOSE,
                    subjects,
                  }).then(async (res) => ({
                    res,
                    body: (await res.json()) as { results: { check_id: string }[] },
                  })),
                );
                if (res.status === 200) for (const r of body.results) answered.push(r.check_id);
              }
            } catch {
              dead = true;
            }
          }
        };
        const traffic = Promise.all([writer(), writer(), writer(), checker(1), checker(1), checker(20)]);
        // Kill it once it has acknowledged some of each, with more in flight.
        for (let t = 0; t < 600 && (acknowledged.length < 100 || answered.length < 100); t++)
          await new Promise((r) => setTimeout(r, 50));
        expect(acknowledged.length).toBeGreaterThanOrEqual(100);
        const cut = inFlight;
        first.child.kill('SIGKILL');
        await exited(first.child);
        dead = true;
        await traffic;
        expect(cut).toBeGreaterThan(0);

        // Started again on the same store, it serves; the command line verifies the log beside it.
        const second = await startServer(env);
        servers.push(second.child);
        const health = await fetch(`${second.url}/v1/checks?subject=${named[0]}&measure=${MEASURE}`, {
          headers: { authorization: `Bearer ${railway}`, 'x-purpose': PURPOSE },
        });
        expect(health.status).toBe(200);
        const verified = cli(['audit', 'verify']);
        expect(verified.status, verified.stderr).toBe(0);
        expect(verified.stdout).toMatch(/audit log intact/);

        const platform = await openPlatform(parseConfig(env));
        try {
          const db = rawDb(platform);
          const stored = new Set(
            (
              await db
                .selectFrom('records')
                .innerJoin('sources', 'sources.id', 'records.source_id')
                .where('sources.code', '=', 'crash-court')
                .select('records.source_record_id')
                .execute()
            ).map((r) => r.source_record_id),
          );
          expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
          const logged = new Set<string>();
          for (const g of await db.selectFrom('check_groups').select('checks').execute()) {
            const checks = (typeof g.checks === 'string' ? JSON.parse(g.checks) : g.checks) as unknown[][];
            for (const c of checks) logged.add(String(c[0]));
          }
          expect(answered.length).toBeGreaterThan(0);
          expect(answered.filter((id) => !logged.has(id))).toEqual([]);
        } finally {
          await platform.close();
        }
      } finally {
        for (const s of servers) {
          s.kill('SIGKILL');
          await exited(s);
        }
        rmSync(home, { recursive: true, force: true });
      }
    }, 90_000);
  });
}
