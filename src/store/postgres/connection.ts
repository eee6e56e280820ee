/**
 * How a `DATABASE_URL` (or `DATABASE_REPLICA_URL`) becomes the `pg` driver's connection options, with libpq's meaning of
 * `sslmode` and its companions (`sslrootcert`, `sslcert`, `sslkey`).
 *
 * The `pg` driver (v8, pg-connection-string 2) treats `prefer`, `require` and `verify-ca` as
 * `verify-full`: a server with a certificate of its own making is refused under `require`, where
 * libpq encrypts without verifying. So the SSL parameters are taken out of the URL here and turned
 * into TLS options with libpq's meaning:
 * - `disable`, `allow`, none given: no encryption (`allow` never asks for it);
 * - `prefer`, `require`: encrypted, the certificate not verified, unless a root certificate is
 *   given, when it is verified against it as `verify-ca` would (libpq does the same); unlike libpq,
 *   `prefer` does not fall back to an unencrypted connection when the server offers none;
 * - `verify-ca`: encrypted, the certificate signed by the root certificate, host name not checked;
 * - `verify-full`: encrypted, the certificate signed by the root certificate and naming the host.
 * The root certificate is `sslrootcert`, else PGSSLROOTCERT, else ~/.postgresql/root.crt when it
 * exists; `sslrootcert=system` trusts the system's authorities and then needs `verify-full`.
 * PGSSLMODE applies when the URL names no mode, as in libpq.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import { invalidInput } from '../../shared/errors.ts';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** The libpq parameters read here and kept from the driver. */
const SSL_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey'] as const;

const readPem = (setting: string, what: string, file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw invalidInput(`${setting}: cannot read ${what} ${file}: ${(e as Error).message}`);
  }
};

/** The `pg` client options for this URL (for a pool or a single client); `setting` names it in errors. */
export const connectionConfig = (
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  setting = 'DATABASE_URL',
): pg.ClientConfig => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL (a libpq key=value string or a socket path): leave it to the driver as before.
    return { connectionString: url };
  }
  const param = (name: string) => parsed.searchParams.get(name) ?? undefined;
  const mode = param('sslmode') ?? env['PGSSLMODE'] ?? 'disable';
  if (!(SSL_MODES as readonly string[]).includes(mode)) {
    throw invalidInput(`${setting}: sslmode=${mode} is not one of ${SSL_MODES.join(', ')}`);
  }
  const rootCert = param('sslrootcert') ?? env['PGSSLROOTCERT'];
  const clientCert = param('sslcert');
  const clientKey = param('sslkey');
  for (const name of SSL_PARAMS) parsed.searchParams.delete(name);
  const connectionString = parsed.toString();

  if (mode === 'disable' || mode === 'allow') return { connectionString, ssl: false };

  const ssl: ConnectionOptions = {};
  if (clientCert) ssl.cert = readPem(setting, 'the client certificate (sslcert)', clientCert);
  if (clientKey) ssl.key = readPem(setting, 'the client key (sslkey)', clientKey);

  if (rootCert === 'system') {
    // libpq 16: the system's authorities verify anyone's certificate, so the host name must be.
    if (mode !== 'verify-full') {
      throw invalidInput(`${setting}: sslrootcert=system needs sslmode=verify-full, not ${mode}`);
    }
    return { connectionString, ssl };
  }
  const defaultRoot = join(env['HOME'] ?? homedir(), '.postgresql', 'root.crt');
  const rootFile = rootCert ?? (existsSync(defaultRoot) ? defaultRoot : undefined);
  if (rootFile) ssl.ca = readPem(setting, 'the root certificate (sslrootcert)', rootFile);

  if (mode === 'verify-full') {
    if (!rootFile) {
      throw invalidInput(
        `${setting}: sslmode=verify-full needs a root certificate: set sslrootcert=<file> (or sslrootcert=system)`,
      );
    }
    return { connectionString, ssl };
  }
  if (mode === 'verify-ca' && !rootFile) {
    throw invalidInput(`${setting}: sslmode=verify-ca needs a root certificate: set sslrootcert=<file>`);
  }
  if (rootFile) {
    // verify-ca, or require/prefer with a root certificate: the chain is checked, the name is not.
    ssl.checkServerIdentity = () => undefined;
  } else {
    ssl.rejectUnauthorized = false;
  }
  return { connectionString, ssl };
};
