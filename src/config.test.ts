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
