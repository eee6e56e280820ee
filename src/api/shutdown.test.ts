/**
 * Graceful shutdown of the real binary: SIGTERM while a record batch is in flight; the batch is
 * answered and stored, readiness turned 503 meanwhile, and the process exits 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { openPlatform } from '../platform/index.ts';
import { personRecord } from './test-app.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PERSON = '360426199101010071';
const LINES = 2000;

const post = (url: string, token: string, body: string) =>
  new Promise<{ status: number; body: string }>((ok, fail) => {
    const req = request(
      `${url}/v1/records`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let b = '';
        res.on('data', (d) => {
          b += String(d);
        });
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: b }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });

describe('graceful shutdown', () => {
  let dataDir = '';
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers and keeps the record batch in flight at SIGTERM, then exits 0', {
    timeout: 180_000,
  }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credence-shutdown-'));
    const proc = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'credence.js'),
        'start',
        '--port',
        '0',
        '--quiet',
        '--persons',
        '200',
        '--organizations',
        '20',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    let output = '';
    const waitFor = (re: RegExp, what: string) =>
      new Promise<RegExpExecArray>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ${what} in 150 s:\n${output}`)), 150_000);
        const look = () => {
          const m = re.exec(output);
          if (m) {
            clearTimeout(timer);
            ok(m);
          }
        };
        proc.stdout!.on('data', (d) => {
          output += String(d);
          look();
        });
        proc.stderr!.on('data', (d) => {
          output += String(d);
        });
        look();
      });
    const exited = new Promise<number | null>((ok) => proc.once('exit', (code) => ok(code)));
    const url = (await waitFor(/Credence is running at (http:\/\/\S+)/, 'server'))[1]!;
    const creds: { role: string; token: string }[] = JSON.parse(
      await readFile(join(dataDir, 'demo-credentials.json'), 'utf8'),
    );
    const source = creds.find((c) => c.role === 'source')!.token;

    const body = JSON.stringify(
      Array.from({ length: LINES }, (_, i) => personRecord(PERSON, { source_record_id: `shutdown-${i}` })),
    );
    const answered = post(url, source, body);
    // The server has the request (its log says so): now ask it to stop.
    await waitFor(/"route":"\/v1\/records"[^\n]*"msg":"incoming request"/, 'incoming batch');
    proc.kill('SIGTERM');
    const res = await answered;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ accepted: LINES, rejected: 0 });
    expect(await exited).toBe(0);
    expect(output).toContain('stopped');

    // Everything acknowledged is in the store.
    const platform = await openPlatform(parseConfig({ DATA_DIR: dataDir }));
    try {
      const src = await platform.store.findSourceByCode('demo-court');
      const kept = await platform.store.findRecordsBySourceKeys(
        src!.id,
        Array.from({ length: LINES }, (_, i) => `shutdown-${i}`),
      );
      expect(kept.length).toBe(LINES);
    } finally {
      await platform.close();
    }
  });
});
