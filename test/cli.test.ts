/**
 * The command-line contract scripts and operators rely on, exercised on the real binary.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config.ts';
import { makeResidentId } from '../src/identity/index.ts';
import { BIN, cliFolder } from './cli-run.ts';
import { freshTestDatabase } from './pg-server.ts';
import { suiteTitle, testBackends } from './platforms.ts';

const records = (n: number, from = 0) =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return JSON.stringify({
      source_record_id: `cli-${i}`,
      type: 'court.contract_lawsuit_lost',
      subject: {
        kind: 'person',
        id_number: makeResidentId('510104', `19${60 + (i % 40)}-03-0${1 + (i % 9)}`, 1 + (i % 900)),
        name: '陈静',
      },
      occurred_at: '2025-01-10',
      amount: 1000 + i,
    });
  });

/** How many records the store holds, read under the binary while it runs. */
const recordCount = async (config: Config): Promise<number> => {
  if (config.store.backend === 'postgres') {
    const client = new pg.Client({ connectionString: config.store.url });
    await client.connect();
    try {
      return (await client.query('select count(*)::int as n from records')).rows[0].n;
    } finally {
      await client.end();
    }
  }
  const db = new Database(config.store.file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from records').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('credence command line', backend), () => {
    const cli = cliFolder('cli', backend);
    const run = cli.run;
    // Help touches no store: once, on the first backend, is enough (it spawns some thirty processes).
    it.runIf(backend.name === 'sqlite')(
      'lists its commands, and every command has --help',
      async () => {
        const help = run(['--help']);
        expect(help.code).toBe(0);
        const commands = [
          'init',
          'catalogue',
          'sources',
          'subjects',
          'ingest',
          'demo',
          'tokens',
          'objections',
          'repairs',
          'audit',
          'serve',
          'start',
        ];
        for (const c of commands) expect(help.out).toContain(c);
        const all = [
          ...commands,
          'sources add',
          'sources list',
          'subjects import',
          'subjects show',
          'subjects report',
          'objections list',
          'objections decide',
          'repairs list',
          'repairs feedback',
          'repairs decide',
          'tokens issue',
          'audit verify',
          'audit head',
          'audit proof inclusion',
          'audit proof consistency',
        ];
        // Four at a time: each is a fresh process.
        const helps: { c: string; code: number | null; out: string }[] = [];
        for (let i = 0; i < all.length; i += 4)
          helps.push(
            ...(await Promise.all(
              all.slice(i, i + 4).map(
                (c) =>
                  new Promise<{ c: string; code: number | null; out: string }>((resolve) => {
                    const child = spawn(process.execPath, [BIN, ...c.split(' '), '--help'], {
                      env: cli.env(),
                    });
                    let out = '';
                    child.stdout.on('data', (d) => {
                      out += String(d);
                    });
                    child.once('close', (code) => resolve({ c, code, out }));
                  }),
              ),
            )),
          );
        for (const r of helps) {
          expect(r.code, r.c).toBe(0);
          expect(r.out, r.c).toMatch(/Usage: credence /);
        }
      },
      240_000,
    );

    it('init creates the database with the default policies and no demo data', () => {
      const r = run(['init']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/catalogue 2026\.1: \d+ record types/);
      // On PostgreSQL the data folder keeps only the audit log's key, no database file.
      if (backend.name === 'sqlite') expect(readdirSync(cli.dataDir)).toContain('credence.db');
      else expect(readdirSync(cli.dataDir)).not.toContain('credence.db');
      const cat = JSON.parse(run(['catalogue', '--json']).out);
      expect(cat.items.length).toBeGreaterThanOrEqual(40);
      expect(run(['subjects', 'show', '360426199101010071']).code).toBe(2);
    });

    it('registers a source once, printing its credential once', () => {
      const r = run(['sources', 'add', 'court-cli', '--kind', 'court']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/credential \(shown once, keep it safe\): cr_src_/);
      const again = run(['sources', 'add', 'court-cli', '--kind', 'court']);
      expect(again.code).toBe(4);
      expect(again.err).toMatch(/already exists/);
      const wrong = run([
        'sources',
        'add',
        'tax-cli',
        '--kind',
        'tax',
        '--types',
        'court.judgment_defaulter',
      ]);
      expect(wrong.code).toBe(2);
      expect(wrong.err).toMatch(/may not submit court.judgment_defaulter/);
    });

    it('ingest reports each rejected line, ends with one summary line, and exits 0, 1 or 2', () => {
      const file = join(cli.dir, 'mixed.ndjson');
      const good = records(3);
      writeFileSync(
        file,
        [good[0], '{not json', good[1], JSON.stringify({ type: 'tax.arrears' }), good[2]].join('\n'),
      );
      const r = run(['ingest', file, '--source', 'court-cli', '--quiet']);
      expect(r.code).toBe(1);
      const lines = r.out.trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(/^line 2: \(line\): malformed JSON/),
        expect.stringMatching(/^line 4: source_record_id: required field is missing$/),
        'accepted 3, duplicates 0, rejected 2',
      ]);
      const again = run(['ingest', file, '--source', 'court-cli', '--quiet']);
      expect(again.out.trim().split('\n').at(-1)).toBe('accepted 0, duplicates 3, rejected 2');
      // Sent again, the stored lines' subjects were scored since: nothing to refresh again.
      expect(again.err).toMatch(/nothing new|already stored|^$/);

      const clean = join(cli.dir, 'clean.ndjson');
      writeFileSync(clean, `${records(2, 100).join('\n')}\n`);
      expect(run(['ingest', clean, '--source', 'court-cli', '--quiet'])).toMatchObject({
        code: 0,
        out: 'accepted 2, duplicates 0, rejected 0\n',
      });
      const rerun = run(['ingest', clean, '--source', 'court-cli', '--quiet']);
      expect(rerun).toMatchObject({ code: 0, out: 'accepted 0, duplicates 2, rejected 0\n' });
      expect(rerun.err).toMatch(/nothing new: all 2 records were already stored/);

      expect(run(['ingest', join(cli.dir, 'missing.ndjson'), '--source', 'court-cli']).code).toBe(2);
      const unknown = run(['ingest', clean, '--source', 'nobody']);
      expect(unknown.code).toBe(2);
      expect(unknown.err).toMatch(/unknown source "nobody"/);
      expect(run(['ingest', clean]).code).toBe(2);
    });

    it('accepts CSV with the same column names', () => {
      const file = join(cli.dir, 'records.csv');
      writeFileSync(
        file,
        'source_record_id,type,subject.kind,subject.id_number,subject.name,occurred_at,amount\n' +
          'csv-1,court.contract_lawsuit_lost,person,11010519491231002X,李娜,2024-05-06,300\n',
      );
      expect(run(['ingest', file, '--source', 'court-cli', '--quiet'])).toMatchObject({
        code: 0,
        out: 'accepted 1, duplicates 0, rejected 0\n',
      });
      const show = run(['subjects', 'show', '11010519491231002X', '--purpose', 'cli test']);
      expect(show.out).toMatch(/李娜 — person 11010519491231002X/);
      expect(show.out).toMatch(/court\.contract_lawsuit_lost/);
    });

    it('a killed ingestion loses nothing it stored and a re-run completes the work', async () => {
      const n = 60_000;
      const file = join(cli.dir, 'big.ndjson');
      writeFileSync(file, `${records(n, 10_000).join('\n')}\n`);
      const count = () => recordCount(cli.config());
      const before = await count();
      const child: ChildProcess = spawn(
        process.execPath,
        [BIN, 'ingest', file, '--source', 'court-cli', '--batch-size', '1000', '--quiet'],
        {
          env: cli.env(),
          stdio: 'ignore',
        },
      );
      const exited = new Promise((r) => child.once('exit', r));
      // Kill it mid-way, once some batches are committed.
      for (let t = 0; t < 600 && (await count()) - before < 5_000; t++)
        await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGKILL');
      await exited;
      const stored = (await count()) - before;
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(n);
      expect(stored % 1000).toBe(0); // whole batches only: nothing half-applied
      const r = run(['ingest', file, '--source', 'court-cli', '--quiet']);
      expect(r.out).toBe(`accepted ${n - stored}, duplicates ${stored}, rejected 0\n`);
      expect((await count()) - before).toBe(n);
    });

    it('scores everyone, reports one subject as JSON, and checks policy files', () => {
      const score = run(['score', '--quiet']);
      expect(score.code).toBe(0);
      expect(score.out).toMatch(/^scored \d+ subjects from \d+ records as of \d{4}-\d{2}-\d{2}/);
      // Nothing was written meanwhile: no subject left to a newer score.
      expect(score.out).toMatch(/\nskipped: 0\n$/);
      // A person from the clean file above: court.contract_lawsuit_lost on 2025-01-10, −50 for two years.
      const who = makeResidentId('510104', '1980-03-02', 101);
      const r = run(['report', who, '--json']);
      expect(r.code).toBe(0);
      const body = JSON.parse(r.out);
      expect(Object.keys(body)).toEqual(
        expect.arrayContaining([
          'subject',
          'score',
          'grade',
          'domains',
          'key_factors',
          'policy_version',
          'as_of',
        ]),
      );
      expect(body.key_factors[0]).toEqual({
        record_id: expect.any(Number),
        type: 'court.contract_lawsuit_lost',
        date: '2025-01-10',
        points: -50,
        text: expect.any(String),
      });
      expect(body.history[0]).toMatchObject({ score: body.score, grade: body.grade });
      expect(body.score).toBe(950);
      expect(run(['report', who]).out).toMatch(/key factors:\n {2}1\. /);
      expect(run(['report', who, '--as-of', '2999-01-01']).code).toBe(2);
      // The CSV record of 2024-05-06 has expired: it no longer counts.
      expect(JSON.parse(run(['report', '11010519491231002X', '--json']).out)).toMatchObject({
        score: 1000,
        key_factors: [],
      });

      expect(run(['policy', 'check']).code).toBe(0);
      const bad = join(cli.dir, 'bad-policy.yaml');
      writeFileSync(bad, 'base: lots\ngrades: { AAA: 1050 }\n');
      const checked = run(['policy', 'check', bad]);
      expect(checked.code).toBe(2);
      expect(checked.err).toMatch(/base/);
    }, 180_000);

    it('registers a relying party and answers its checks as the API does; checks proportionality by profile', () => {
      expect(run(['relying-parties', 'add', 'air-cli', '--kind', 'airline']).code).not.toBe(0);
      const rp = run(['relying-parties', 'add', 'air-cli', '--kind', 'airline', '--purposes', 'ticket_sale']);
      expect(rp.code).toBe(0);
      expect(rp.out).toMatch(/purposes ticket_sale; 100000 checks a day/);
      expect(rp.out).toMatch(/token \(shown once, keep it safe\): cr_relying_party_/);
      const set = run(['relying-parties', 'purposes', 'air-cli', '--set', 'ticket_sale,boarding', '--json']);
      expect(JSON.parse(set.out)).toMatchObject({
        code: 'air-cli',
        purposes: ['boarding', 'ticket_sale'],
        daily_quota: 100000,
      });
      expect(JSON.parse(run(['relying-parties', 'list', '--json']).out)).toContainEqual(
        expect.objectContaining({
          code: 'air-cli',
          legal_basis: expect.any(String),
          purposes: ['boarding', 'ticket_sale'],
        }),
      );
      const who = makeResidentId('510104', '1975-07-07', 33);
      const file = join(cli.dir, 'defaulter.ndjson');
      writeFileSync(
        file,
        `${JSON.stringify({
          source_record_id: 'def-1',
          type: 'court.judgment_defaulter',
          subject: { kind: 'person', id_number: who, name: '刘洋' },
          occurred_at: '2025-05-01',
          decided_at: '2025-06-01',
          amount: 30000,
          evidence: '(2025)川0104执55号',
        })}\n`,
      );
      expect(run(['ingest', file, '--source', 'court-cli', '--quiet']).code).toBe(0);
      const yes = run(['check', who, '--measure', 'restrict.air_travel', '--json']);
      expect(yes.code).toBe(0);
      const body = JSON.parse(yes.out);
      expect(Object.keys(body).sort()).toEqual([
        'applies',
        'basis',
        'case_reference',
        'check_id',
        'from',
        'list',
        'measure',
        'reason_code',
        'until',
      ]);
      expect(body).toMatchObject({
        applies: true,
        list: 'black.court_defaulters',
        reason_code: 'LISTED_COURT_DEFAULTER',
        case_reference: '(2025)川0104执55号',
        basis: {
          legal_basis: expect.stringContaining('SPC'),
          lists_policy_version: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      });
      const no = JSON.parse(
        run(['check', '11010519491231002X', '--measure', 'restrict.air_travel', '--json']).out,
      );
      expect(no).toMatchObject({ applies: false, list: null });
      expect(run(['check', who, '--measure', 'restrict.nothing']).code).toBe(2);
      // A malformed identifier is named as typed, not as an item of a batch the operator never sent.
      const malformed = run(['check', '12345', '--measure', 'restrict.air_travel']);
      expect(malformed.code).toBe(2);
      expect(malformed.err).toContain(
        'error (invalid_input): "12345" is not a valid resident ID number or Unified Social Credit Code\n',
      );
      expect(malformed.err).not.toContain('subjects[');
      expect(run(['lists', 'show', who]).out).toMatch(/black\.court_defaulters\tactive/);

      // A purpose is kept for good and shown to the subject: held to the same rules as x-purpose.
      const purposes = () =>
        (
          JSON.parse(run(['subjects', 'show', who, '--json', '--purpose', 'read the purposes']).out) as {
            access_log: { checks: { groups: { purposes: string[] }[] } };
          }
        ).access_log.checks.groups.flatMap((g) => g.purposes);
      const asked = (purpose: string) =>
        run(['check', who, '--measure', 'restrict.air_travel', '--purpose', purpose]);
      const religion = asked('宗教信仰调查');
      expect(religion.code).toBe(5);
      expect(religion.err).toContain('--purpose names a protected category (religion_or_belief: "宗教")');
      expect(asked('ok\u202Eevil')).toMatchObject({
        code: 2,
        err: expect.stringContaining('invalid --purpose'),
      });
      expect(asked('line1\nline2').code).toBe(2);
      expect(asked('   ').err).toContain('--purpose must not be empty');
      expect(asked('x'.repeat(201)).err).toContain('--purpose must be at most 200 characters');
      expect(asked(' boarding check ').code).toBe(0);
      const kept = purposes();
      expect(kept).toContain('boarding check');
      expect(kept.filter((x) => /宗教|\u202E|\n|^\s*$|^x+$/.test(x))).toEqual([]);
      // Written reasons may span lines, never hold a bidirectional override.
      const decided = run([
        'objections',
        'decide',
        '1',
        '--outcome',
        'record_confirmed',
        '--reasons',
        'a\u202Eb',
      ]);
      expect(decided).toMatchObject({ code: 2, err: expect.stringContaining('invalid --reasons') });

      expect(run(['policy', 'check']).out).toMatch(/proportionality under profile cn: passed/);
      const eu = run(['policy', 'check', '--profile', 'eu']);
      expect(eu.code).toBe(5);
      expect(eu.err).toMatch(/forbidden under profile eu/);
    }, 180_000);

    it('demo --out writes files a real source would send, which ingest as they are', async () => {
      const out = join(cli.dir, 'demo-files');
      const r = run([
        'demo',
        '--persons',
        '300',
        '--organizations',
        '40',
        '--seed',
        '7',
        '--out',
        out,
        '--quiet',
      ]);
      expect(r.code).toBe(0);
      const files = readdirSync(out);
      expect(files).toContain('subjects.ndjson');
      expect(files).toContain('sources.json');
      expect(files).toContain('demo-court.ndjson');
      // Into a store of their own.
      const env = {
        DATA_DIR: join(cli.dir, 'demo-data'),
        DATABASE_URL: backend.name === 'postgres' ? await freshTestDatabase() : '',
      };
      expect(run(['init'], env).code).toBe(0);
      expect(run(['subjects', 'import', join(out, 'subjects.ndjson'), '--quiet'], env).out).toMatch(
        /^created 340, existing 0, rejected 0/,
      );
      expect(run(['sources', 'add', 'demo-court', '--kind', 'court'], env).code).toBe(0);
      expect(
        run(['ingest', join(out, 'demo-court.ndjson'), '--source', 'demo-court', '--quiet'], env).code,
      ).toBe(0);
    });
  });
}
