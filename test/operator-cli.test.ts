/**
 * What an operator sees when the command line is given something it cannot use — a data folder
 * that holds no store, a backup target that is a folder, a bad roster, an empty file, malformed
 * JSON, a port in use, an output folder that exists — on the real binary: the exit code README
 * gives and a message that says what to do, never exit 70 and a stack trace, and nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { makeResidentId, makeUscc } from '../src/identity/index.ts';
import { BIN, cliFolder } from './cli-run.ts';
import { freshTestDatabase } from './pg-server.ts';
import { suiteTitle, testBackends } from './platforms.ts';

const NO_STORE =
  /no store at (\S+): run `credence init` \(or `credence start` to create one with the demo population\), or check DATA_DIR/;

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('a data folder without a store', backend), () => {
    const cli = cliFolder('no-store-cli', backend);

    it.runIf(backend.name === 'sqlite')(
      'is refused by every command that works on a store, creating nothing; init creates it',
      () => {
        const typo = join(cli.dir, 'typo');
        for (const args of [
          ['subjects', 'show', '11010519491231002X'],
          ['lists', 'show', '11010519491231002X'],
          ['score'],
          ['serve', '--port', '0'],
          ['backup', join(cli.dir, 'copy.backup')],
        ]) {
          const r = cli.run(args, { DATA_DIR: typo });
          expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
          expect(r.err).toMatch(NO_STORE);
          expect(r.err).toContain(`no store at ${typo}:`);
          expect(existsSync(typo), args.join(' ')).toBe(false);
        }
        expect(existsSync(join(cli.dir, 'copy.backup.key'))).toBe(false);
        // A folder that exists but holds no store is no store either: it stays as it was.
        mkdirSync(typo);
        const r = cli.run(['score'], { DATA_DIR: typo });
        expect(r.code).toBe(2);
        expect(r.err).toMatch(NO_STORE);
        expect(readdirSync(typo)).toEqual([]);
        // `credence init` makes it; the same command then works.
        expect(cli.run(['init'], { DATA_DIR: typo }).code).toBe(0);
        expect(cli.run(['score'], { DATA_DIR: typo }).code).toBe(0);
      },
    );

    it.runIf(backend.name === 'postgres')(
      'on PostgreSQL, an empty database is no store: refused, and left empty; init creates it',
      async () => {
        const url = await freshTestDatabase();
        const env = { DATABASE_URL: url, DATA_DIR: join(cli.dir, 'pg-data') };
        const r = cli.run(['score'], env);
        expect(r.code, r.err).toBe(2);
        expect(r.err).toMatch(
          /no store in the database postgres:\/\/\S+ \(it has no Credence tables\): run `credence init`.*or check DATABASE_URL/,
        );
        // Neither the password nor the user of DATABASE_URL is printed.
        const password = new URL(url).password;
        if (password) expect(r.err).not.toContain(password);
        expect(existsSync(env.DATA_DIR)).toBe(false);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const t = await client.query(
            `select count(*)::int as n from pg_tables where schemaname = 'public'`,
          );
          expect(t.rows[0].n).toBe(0);
        } finally {
          await client.end();
        }
        expect(cli.run(['init'], env).code).toBe(0);
        expect(cli.run(['score'], env).code).toBe(0);
      },
    );

    it.runIf(backend.name === 'postgres')(
      'on PostgreSQL, a database that does not exist is one line naming it (exit 2), never a stack trace',
      async () => {
        const url = new URL(await freshTestDatabase());
        url.pathname = '/nosuchdb';
        const env = { DATABASE_URL: url.toString(), DATA_DIR: join(cli.dir, 'pg-nosuchdb') };
        for (const args of [['start', '--port', '0'], ['score']]) {
          const r = cli.run(args, env);
          expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
          expect(r.err.trim()).toBe(
            'error: cannot use the database: database "nosuchdb" does not exist (check DATABASE_URL)',
          );
        }
      },
    );
  });
}

describe('operator mistakes on the command line (SQLite)', () => {
  const cli = cliFolder('operator-cli');
  const run = cli.run;
  const file = (name: string, text: string) => {
    const f = join(cli.dir, name);
    writeFileSync(f, text);
    return f;
  };
  let busy: Server | undefined;
  afterAll(() => busy?.close());

  it('sets up a store', () => {
    expect(run(['init']).code).toBe(0);
    expect(run(['sources', 'add', 'samr', '--kind', 'market_regulator']).code).toBe(0);
    expect(run(['sources', 'add', 'court-op', '--kind', 'court']).code).toBe(0);
  });

  it('a folder named where a file is read is refused by name (exit 2), never EISDIR with a stack', () => {
    const folder = join(cli.dir, 'a-folder');
    mkdirSync(folder);
    for (const args of [
      ['policy', 'check', folder],
      ['policy', 'check', '--catalogue', folder],
      ['subjects', 'import', folder],
      ['interactions', 'issue', '--source', 'court-op', '--file', folder],
      ['inspections', 'verify', '1', '--inputs', folder],
      ['audit', 'verify', '--checkpoint', folder],
      ['restore', folder],
    ]) {
      const r = run(args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err, args.join(' ')).toBe(
        `error (invalid_input): ${folder} is not a regular file (it is a folder)\n`,
      );
    }
  });

  it('a folder that cannot be made (under /proc) is one line, exit 2: never a process spinning forever', () => {
    // Not cli.run: a hang is what this looks for, so it is given far less than two minutes.
    const runBriefly = (args: string[], env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        env: cli.env(env),
        encoding: 'utf8',
        timeout: 20_000,
      });
      return {
        code: r.status,
        err: r.stderr,
        timedOut: (r.error as NodeJS.ErrnoException)?.code === 'ETIMEDOUT',
      };
    };
    for (const [args, env] of [
      [['backup', '/proc/nope/x'], {}],
      [['init'], { DATA_DIR: '/proc/nope/d' }],
      [['demo', '--persons', '5', '--organizations', '1', '--quiet', '--out', '/proc/nope/out'], {}],
    ] as const) {
      const r = runBriefly([...args], { ...env });
      expect(r.timedOut, args.join(' ')).toBe(false);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err).toBe('error: /proc/nope: cannot create this folder (no such file or directory)\n');
    }
    expect(existsSync(join(cli.dir, 'x.key'))).toBe(false);
  }, 120_000);

  it('a token id is plain decimal digits in the safe range: 0x1, 1e0 or 20 digits act on no token', () => {
    const issued = run(['tokens', 'issue', '--role', 'auditor', '--label', 'desk', '--json']);
    expect(issued.code, issued.err).toBe(0);
    const { id } = JSON.parse(issued.out) as { id: number };
    for (const [verb, raw] of [
      ['revoke', `0x${id.toString(16)}`],
      ['revoke', `${id}e0`],
      ['revoke', '99999999999999999999'],
      ['renew', `${id}.0`],
    ]) {
      const r = run(['tokens', verb!, raw!]);
      expect(r.code, `${verb} ${raw}: ${r.err}`).toBe(2);
      expect(r.err).toBe(
        `error (invalid_input): the token id must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, in decimal digits (see \`credence tokens list\`), got "${raw}"\n`,
      );
    }
    const listed = JSON.parse(run(['tokens', 'list', '--json']).out) as {
      id: number;
      revoked_at: string | null;
    }[];
    expect(listed.find((t) => t.id === id)?.revoked_at).toBeNull();
    // Options parsed as numbers take the same digits only.
    const hex = run(['objections', 'list', '--limit', '0x10']);
    expect(hex.code).toBe(2);
    expect(hex.err).toContain('--limit must be a whole number from 1 to');
    const requeue = run(['outbox', 'requeue', '0x1']);
    expect(requeue.code).toBe(2);
    expect(requeue.err).toContain('an outbox row id is a whole number from 1');
  });

  it('tokens issue keeps an identifier upper case and refuses a ref its role cannot take (exit 2, one sentence)', () => {
    let withX = '';
    for (let order = 1; !withX.endsWith('X'); order++) withX = makeResidentId('150124', '1983-10-27', order);
    const lower = run([
      'tokens',
      'issue',
      '--role',
      'subject',
      '--label',
      'citizen',
      '--ref',
      withX.toLowerCase(),
      '--json',
    ]);
    expect(lower.code, lower.err).toBe(0);
    expect(JSON.parse(lower.out).principal).toBe(`subject:${withX}`);
    const shop = makeUscc('9', '1', '110105', '30000009');
    for (const [args, message] of [
      [
        ['--role', 'rater', '--ref', shop],
        `a rater token names a person by resident identity number, and ${shop} is an organization's or public body's code: only persons rate`,
      ],
      [
        ['--role', 'inspector', '--ref', 'nobody-here'],
        "no inspector with the code nobody-here is on a regulator's roster (`credence inspections roster` puts one there)",
      ],
      [
        ['--role', 'auditor', '--ref', 'x'],
        'an auditor token stands for no one: give it no ref (its label names the holder)',
      ],
      [
        ['--role', 'operator', '--ref', 'x'],
        'an operator token stands for no one: give it no ref (its label names the holder)',
      ],
    ] as const) {
      const r = run(['tokens', 'issue', '--label', 'l', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      // The sentence, then the field it is about; no stack.
      const [first, second, ...rest] = r.err.split('\n');
      expect(first).toBe(`error (invalid_input): ${message}`);
      expect(second).toMatch(/^ {2}ref: /);
      expect(rest).toEqual(['']);
    }
  });

  it('backup into a folder, or under a file, writes nothing: no key copy is left behind', () => {
    const folder = join(cli.dir, 'backups');
    mkdirSync(folder);
    for (const args of [[], ['--force']]) {
      const r = run(['backup', folder, ...args]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(/backups is a directory: name a file for the backup/);
      expect(r.err).not.toMatch(/at \S+ \(/); // no stack trace
      expect(existsSync(`${folder}.key`)).toBe(false);
    }
    const notAFolder = file('plain.txt', 'x');
    const under = run(['backup', join(notAFolder, 'credence.backup')]);
    expect(under.code, under.err).toBe(2);
    expect(under.err).toMatch(/plain\.txt\/credence\.backup: a part of this path is not a folder/);
    expect(readdirSync(cli.dir).filter((f) => f.endsWith('.key'))).toEqual([]);
    // And the right target still works.
    expect(run(['backup', join(folder, 'credence.backup')]).code).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(['credence.backup', 'credence.backup.key']);
  });

  it('the roster refuses bad codes, names and conflicts by field, and says when it updates', () => {
    const bell = run(['inspections', 'roster', 'a\u0007b', '--regulator', 'samr']);
    expect(bell.code).toBe(2);
    // Refused by the command line's text rules before the roster is opened, the character escaped.
    expect(bell.err).toContain('invalid argument 1 ("a\\u0007b"): contains a control character (U+0007)');
    expect(bell.err).not.toContain('\u0007');
    const long = run(['inspections', 'roster', 'x'.repeat(200), '--regulator', 'samr']);
    expect(long.code).toBe(2);
    expect(long.err).toMatch(/code: "x+…" is not an inspector code/);
    const bad = run(['inspections', 'roster', 'i1', '--regulator', 'samr', '--conflicts', 'a b,;;']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/conflicts\[0\]: "a b" is not a USCC/);
    expect(bad.err).toMatch(/conflicts\[1\]: ";;" is not a USCC/);
    const uscc = makeUscc('9', '1', '110105', '30000001');
    const added = run(['inspections', 'roster', 'i1', '--regulator', 'samr']);
    expect(added.out).toBe('i1 added to the roster of samr (0 declared conflicts)\n');
    const updated = run(['inspections', 'roster', 'i1', '--regulator', 'samr', '--conflicts', uscc]);
    expect(updated.code).toBe(0);
    expect(updated.out).toBe('i1 updated on the roster of samr: 0 declared conflicts → 1\n');
    // Naming it again without --conflicts keeps what it declared; --conflicts '' clears them.
    const renamed = run(['inspections', 'roster', 'i1', '--regulator', 'samr', '--name', '王芳']);
    expect(renamed.out).toMatch(/^i1 updated on the roster of samr: /);
    expect(renamed.out).not.toMatch(/declared conflicts/);
    const again = run(['inspections', 'roster', 'i1', '--regulator', 'samr']);
    expect(again.out).toBe('i1 already on the roster of samr as given (1 declared conflict)\n');
    const cleared = run(['inspections', 'roster', 'i1', '--regulator', 'samr', '--conflicts', '']);
    expect(cleared.out).toBe('i1 updated on the roster of samr: 1 declared conflict → 0\n');
  });

  it('a roster upload with one code on two lines and different data is refused whole, naming both lines', () => {
    const uscc = makeUscc('9', '1', '110105', '30000002');
    const upload = file(
      'roster.ndjson',
      [
        JSON.stringify({ code: 'u1', name: '张伟' }),
        JSON.stringify({ code: 'u2', conflicts: [uscc] }),
        JSON.stringify({ code: 'u1', name: '王芳' }),
        '',
        JSON.stringify({ code: ' ', name: 'x' }),
      ].join('\n'),
    );
    const r = run(['inspections', 'roster', '--file', upload, '--regulator', 'samr']);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/nothing was put on the roster of samr/);
    expect(r.err).toMatch(
      /line 3: code: inspector u1 is also on line 1, with another name or other conflicts/,
    );
    expect(r.err).toMatch(/line 5: code: " " is not an inspector code/);
    // Nothing of it was stored: the good lines alone are all new.
    const good = file(
      'roster-good.ndjson',
      `${JSON.stringify({ code: 'u1', name: '张伟' })}\n${JSON.stringify({ code: 'u2', conflicts: [uscc] })}\n`,
    );
    const ok = run(['inspections', 'roster', '--file', good, '--regulator', 'samr']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toBe('roster of samr: added 2, updated 0, unchanged 0\n');
  });

  it('ingest of a file without records says so', () => {
    const header = file(
      'header.csv',
      'source_record_id,type,subject.kind,subject.id_number,subject.name,occurred_at\n',
    );
    const h = run(['ingest', header, '--source', 'court-op', '--quiet']);
    expect(h.code).toBe(0);
    expect(h.err).toContain(`no records in ${header} (only a header)`);
    for (const name of ['empty.csv', 'empty.ndjson']) {
      const empty = file(name, '');
      const r = run(['ingest', empty, '--source', 'court-op', '--quiet']);
      expect(r.code).toBe(0);
      expect(r.err).toContain(`no records in ${empty} (the file is empty)`);
    }
  });

  it('inspections verify --inputs with malformed JSON names the file and where', () => {
    const broken = file('inputs.json', '{\n  "seed": "ab",\n}\n');
    const r = run(['inspections', 'verify', '1', '--inputs', broken]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /error \(invalid_input\): \S+inputs\.json is not valid JSON: .* \(line 3, column 1\)/,
    );
    const shape = file('shape.json', '{"seed": 1}');
    const s = run(['inspections', 'verify', '1', '--inputs', shape]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/shape\.json: not a draw's inputs/);
    expect(s.err).toMatch(/seed: .*expected string/);
  });

  it('serve on a port in use says which and exits 6', async () => {
    busy = createServer();
    const port = await new Promise<number>((resolve) =>
      busy!.listen(0, '127.0.0.1', () => resolve((busy!.address() as { port: number }).port)),
    );
    const r = run(['serve', '--port', String(port)]);
    expect(r.code, r.err).toBe(6);
    expect(r.err).toContain(`error: port ${port} on 127.0.0.1 is in use (set PORT, or --port)`);
  });

  it('demo --out onto something that exists is a conflict unless --force', () => {
    const existing = file('demo-out', 'not a folder');
    const args = ['demo', '--persons', '5', '--organizations', '1', '--quiet', '--out', existing];
    const r = run(args);
    expect(r.code).toBe(4);
    expect(r.err).toContain(`${existing} exists; remove it or choose another (or add --force to replace it)`);
    const forced = run([...args, '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(readdirSync(existing)).toContain('subjects.ndjson');
    // A folder holding an earlier demo is a conflict too.
    expect(run(args).code).toBe(4);
  });
});
