import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';
import { isCredenceError } from './shared/errors.ts';

describe('configuration from the environment', () => {
  it('defaults to SQLite in ./data on 127.0.0.1:8080', () => {
    const c = parseConfig({});
    expect(c.store.backend).toBe('sqlite');
    expect(c.port).toBe(8080);
    expect(c.host).toBe('127.0.0.1');
  });

  it('refuses bad values as invalid input naming each setting, not with a crash', () => {
    let caught: unknown;
    try {
      parseConfig({ PORT: 'abc', NOTIFY_WEBHOOK_URL: 'ftp://gateway.example', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      caught = e;
    }
    expect(isCredenceError(caught) && caught.code).toBe('invalid_input');
    const fields = isCredenceError(caught) ? caught.issues.map((i) => i.field).sort() : [];
    expect(fields).toEqual(['DATABASE_URL', 'NOTIFY_WEBHOOK_URL', 'PORT']);
  });
});

describe('configuration for production', () => {
  it('counts days in Asia/Shanghai by default and refuses an unknown zone', () => {
    expect(parseConfig({}).timeZone).toBe('Asia/Shanghai');
    expect(parseConfig({ TIME_ZONE: 'UTC' }).timeZone).toBe('UTC');
    expect(() => parseConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrow(/invalid configuration/);
  });

  it('names the command-line operator from OPERATOR_NAME, not from the machine', () => {
    expect(parseConfig({ USER: 'root' }).operatorName).toBe('cli');
    expect(parseConfig({ OPERATOR_NAME: 'wang.li' }).operatorName).toBe('wang.li');
    expect(() => parseConfig({ OPERATOR_NAME: 'a b' })).toThrow(/invalid configuration/);
  });

  it('needs both HTTPS files or neither', () => {
    expect(parseConfig({ TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem' }).tls).toEqual({
      certFile: 'c.pem',
      keyFile: 'k.pem',
    });
    expect(() => parseConfig({ TLS_CERT_FILE: 'c.pem' })).toThrow(/invalid configuration/);
  });

  it('delivers notifications only signed, and in clear only to a gateway on loopback', () => {
    const secret = 'a-secret-of-sixteen+';
    expect(
      parseConfig({ NOTIFY_WEBHOOK_URL: 'https://gw.example/n', NOTIFY_WEBHOOK_SECRET: secret }).notify,
    ).toBeDefined();
    expect(
      parseConfig({ NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/n', NOTIFY_WEBHOOK_SECRET: secret }).notify,
    ).toBeDefined();
    const fields = (env: Record<string, string>) => {
      try {
        parseConfig(env);
        return [];
      } catch (e) {
        return isCredenceError(e) ? e.issues.map((i) => i.field) : ['?'];
      }
    };
    expect(fields({ NOTIFY_WEBHOOK_URL: 'http://gw.example/n', NOTIFY_WEBHOOK_SECRET: secret })).toEqual([
      'NOTIFY_WEBHOOK_URL',
    ]);
    expect(fields({ NOTIFY_WEBHOOK_URL: 'https://gw.example/n' })).toEqual(['NOTIFY_WEBHOOK_SECRET']);
  });
});

describe('reverse proxies', () => {
  it('trusts only the proxies named', () => {
    expect(parseConfig({}).trustProxy).toBeUndefined();
    expect(parseConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' }).trustProxy).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
    ]);
    expect(() => parseConfig({ TRUST_PROXY: 'true' })).toThrow(/invalid configuration/);
  });
});

describe('configuration of a read replica', () => {
  it('reads from DATABASE_REPLICA_URL within REPLICA_MAX_LAG_MS (5 s by default), writes to DATABASE_URL', () => {
    const c = parseConfig({
      DATABASE_URL: 'postgres://credence@db-primary/credence',
      DATABASE_REPLICA_URL: 'postgres://credence@db-standby/credence',
    });
    expect(c.store).toEqual({
      backend: 'postgres',
      url: 'postgres://credence@db-primary/credence',
      replica: { url: 'postgres://credence@db-standby/credence', maxLagMs: 5000 },
    });
    const bounded = parseConfig({
      DATABASE_URL: 'postgres://credence@db-primary/credence',
      DATABASE_REPLICA_URL: 'postgres://credence@db-standby/credence',
      REPLICA_MAX_LAG_MS: '1500',
    });
    expect(bounded.store).toMatchObject({ replica: { maxLagMs: 1500 } });
    expect(parseConfig({ DATABASE_URL: 'postgres://credence@db-primary/credence' }).store).not.toHaveProperty(
      'replica',
    );
  });

  it('refuses a replica without a PostgreSQL primary, or a bound that is not a number of milliseconds', () => {
    const fieldsOf = (env: Record<string, string>) => {
      try {
        parseConfig(env);
      } catch (e) {
        return isCredenceError(e) ? e.issues.map((i) => `${i.field}: ${i.message}`) : [];
      }
      return [];
    };
    expect(fieldsOf({ DATABASE_REPLICA_URL: 'postgres://credence@db-standby/credence' })).toEqual([
      'DATABASE_REPLICA_URL: a replica serves reads for a PostgreSQL primary: set DATABASE_URL too',
    ]);
    expect(fieldsOf({ DATABASE_URL: 'postgres://p/c', DATABASE_REPLICA_URL: 'mysql://standby/c' })).toEqual([
      'DATABASE_REPLICA_URL: must be a postgres:// or postgresql:// URL',
    ]);
    expect(
      fieldsOf({
        DATABASE_URL: 'postgres://p/c',
        DATABASE_REPLICA_URL: 'postgres://s/c',
        REPLICA_MAX_LAG_MS: 'soon',
      }),
    ).toHaveLength(1);
  });
});
