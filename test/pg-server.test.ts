import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshTestDatabase,
  type PostgresServer,
  type PostgresStandby,
  standbyDatabase,
  startPostgres,
  startStandby,
  testPostgresSkipReason,
} from './pg-server.ts';

const skipReason = testPostgresSkipReason();

describe.skipIf(skipReason)(`shared PostgreSQL test server${skipReason ? ` (${skipReason})` : ''}`, () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: await freshTestDatabase() });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  it('is PostgreSQL 15 or newer', async () => {
    const { rows } = await client.query<{ version: string; num: string }>(
      "select version() as version, current_setting('server_version_num') as num",
    );
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    expect(Number(rows[0]?.num)).toBeGreaterThanOrEqual(150_000);
  });

  it('stores and returns a row, UTF-8 intact', async () => {
    await client.query('create table subject (id serial primary key, name text not null)');
    await client.query('insert into subject (name) values ($1)', ['荣成市 信用办']);
    const { rows } = await client.query<{ id: number; name: string }>('select id, name from subject');
    expect(rows).toEqual([{ id: 1, name: '荣成市 信用办' }]);
  });

  it('gives each caller a separate, empty database', async () => {
    await client.query('create table marker (id int)');
    const other = new pg.Client({ connectionString: await freshTestDatabase() });
    await other.connect();
    try {
      const mine = await client.query<{ db: string }>('select current_database() as db');
      const theirs = await other.query<{ db: string }>('select current_database() as db');
      expect(theirs.rows[0]?.db).not.toBe(mine.rows[0]?.db);
      const tables = await other.query("select 1 from pg_tables where schemaname = 'public'");
      expect(tables.rowCount).toBe(0);
    } finally {
      await other.end();
    }
  });
});

describe.skipIf(skipReason)(
  `a hot standby of a throwaway server${skipReason ? ` (${skipReason})` : ''}`,
  () => {
    let primary: PostgresServer;
    let standby: PostgresStandby;

    beforeAll(async () => {
      primary = await startPostgres();
      standby = await startStandby(primary.url);
    }, 120_000);
    afterAll(async () => {
      await standby?.stop();
      await primary?.stop();
    });

    it('shows what the primary committed, and refuses writes', async () => {
      const url = await primary.createDatabase('replicated');
      const writer = new pg.Client({ connectionString: url });
      await writer.connect();
      const reader = new pg.Client({ connectionString: await standbyDatabase(standby, 'replicated') });
      try {
        await writer.query('create table t (v text)');
        await writer.query("insert into t values ('荣成')");
        await reader.connect();
        let rows: { v: string }[] = [];
        for (let i = 0; i < 300 && rows.length === 0; i++) {
          rows = await reader.query<{ v: string }>('select v from t').then(
            (r) => r.rows,
            () => [],
          );
          if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
        }
        expect(rows).toEqual([{ v: '荣成' }]);
        await expect(reader.query("insert into t values ('x')")).rejects.toThrow(/read-only transaction/);
      } finally {
        await writer.end();
        await reader.end().catch(() => {});
      }
    });
  },
);
