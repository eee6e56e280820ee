/**
 * `sslmode` in DATABASE_URL means what libpq says it means, on a PostgreSQL serving SSL with a
 * certificate of its own making (for the host name `localhost`): `require` encrypts without
 * verifying, `verify-ca` checks the certificate against the root certificate, `verify-full` also
 * checks the host name; a wrong root certificate or a wrong host name is refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBin, type PostgresServer, startPostgres } from '../../../test/pg-server.ts';
import { isCredenceError } from '../../shared/errors.ts';
import { openStore } from '../index.ts';
import { connectionConfig } from './connection.ts';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = !hasOpenssl
  ? 'openssl is not installed'
  : !findPostgresBin()
    ? 'PostgreSQL binaries not found (install Debian package postgresql)'
    : undefined;

/** A self-signed certificate for `localhost` (and its key), as `openssl req -x509` makes it. */
const selfSigned = (dir: string, name: string) => {
  const [key, cert] = [join(dir, `${name}.key`), join(dir, `${name}.crt`)];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key, cert };
};

describe.skipIf(Boolean(skip))(`sslmode in DATABASE_URL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let server: PostgresServer;
  let right: string;
  let wrong: string;
  /** The server's URL for this host and query string. */
  const at = (host: string, query: string) => {
    const u = new URL(server.url);
    u.hostname = host;
    u.search = query;
    return u.toString();
  };
  /** Whether a session opened with this URL is encrypted, as the server sees it. */
  const encrypted = async (url: string): Promise<boolean> => {
    const client = new pg.Client(connectionConfig(url));
    await client.connect();
    try {
      const r = await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return r.rows[0].ssl as boolean;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credence-ssl-'));
    const served = selfSigned(dir, 'server');
    right = served.cert;
    wrong = selfSigned(dir, 'other').cert;
    server = await startPostgres({
      ssl: { cert: readFileSync(served.cert, 'utf8'), key: readFileSync(served.key, 'utf8') },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('verify-full with the right root certificate connects, encrypted; the store opens on it', async () => {
    const url = at('localhost', `sslmode=verify-full&sslrootcert=${right}`);
    expect(await encrypted(url)).toBe(true);
    const store = await openStore({ backend: 'postgres', url });
    await store.close();
  });

  it('verify-full with a wrong root certificate is refused', async () => {
    await expect(encrypted(at('localhost', `sslmode=verify-full&sslrootcert=${wrong}`))).rejects.toThrow(
      /self.signed certificate/i,
    );
  });

  it('verify-full refuses a host name the certificate does not name; verify-ca does not check it', async () => {
    await expect(encrypted(at('127.0.0.1', `sslmode=verify-full&sslrootcert=${right}`))).rejects.toThrow(
      /does not match certificate/i,
    );
    expect(await encrypted(at('127.0.0.1', `sslmode=verify-ca&sslrootcert=${right}`))).toBe(true);
    await expect(encrypted(at('127.0.0.1', `sslmode=verify-ca&sslrootcert=${wrong}`))).rejects.toThrow(
      /self.signed certificate/i,
    );
  });

  it('require connects encrypted without verifying; with a root certificate it verifies as verify-ca', async () => {
    expect(await encrypted(at('127.0.0.1', 'sslmode=require'))).toBe(true);
    await expect(encrypted(at('127.0.0.1', `sslmode=require&sslrootcert=${wrong}`))).rejects.toThrow(
      /self.signed certificate/i,
    );
  });

  it('disable, or no sslmode, connects unencrypted', async () => {
    expect(await encrypted(at('127.0.0.1', 'sslmode=disable'))).toBe(false);
    expect(await encrypted(at('127.0.0.1', ''))).toBe(false);
  });

  it('a verifying mode without a root certificate, or an unknown mode, is a configuration error', () => {
    const error = (query: string) => {
      try {
        connectionConfig(at('localhost', query), { HOME: dir });
        return undefined;
      } catch (e) {
        return isCredenceError(e) ? e.message : String(e);
      }
    };
    expect(error('sslmode=verify-full')).toMatch(/needs a root certificate/);
    expect(error('sslmode=verify-ca')).toMatch(/needs a root certificate/);
    expect(error('sslmode=strict')).toMatch(/sslmode=strict is not one of/);
    expect(error('sslmode=require&sslrootcert=system')).toMatch(/needs sslmode=verify-full/);
  });
});
