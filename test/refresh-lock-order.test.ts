/**
 * On PostgreSQL a refresh's guarded write takes its subjects' rows before the checks' generation
 * row, in the order the batch writer and a binding decision take them (an organization's row, then
 * that row). A batch binding a new representative while the organization is refreshed: both
 * finish, neither is chosen as a deadlock's victim (the opposite order deadlocked, and the
 * refresh, lost, left the organization's file stale).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type Principal } from '../src/context.ts';
import { makeResidentId, makeUscc } from '../src/identity/index.ts';
import { ingestRecords } from '../src/ingest/index.ts';
import type { Platform } from '../src/platform/index.ts';
import { registerSource } from '../src/sources/index.ts';
import { testBackends } from './platforms.ts';

const clerk: Principal = { id: 'operator:feeds', role: 'operator' };
const WANG = makeResidentId('360426', '1975-03-03', 31);
const NEWREP = makeResidentId('360426', '1977-03-03', 33);
const ACME = makeUscc('9', '1', '110105', '41000001');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const b = testBackends().find((x) => x.name === 'postgres')!;
describe.skipIf(Boolean(b.skip))('a refresh beside a batch binding a representative, on postgres', () => {
  let p: Platform;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ platform: p, cleanup } = await b.open({ clock: fixedClock('2026-03-01T10:00:00Z') }));
    const ctx = p.ctx(clerk, 'set up');
    await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'samr', kind: 'market_regulator' } });
    await ingestRecords({
      ctx: p.ctx(clerk, 'samr'),
      input: {
        source: 'samr',
        catalogue: p.catalogue,
        lines: [
          {
            line: 1,
            value: {
              source_record_id: 'w-1',
              type: 'market.administrative_warning',
              subject: {
                kind: 'organization',
                uscc: ACME,
                name: '公司1',
                legal_representative: { id_number: WANG, name: '王磊' },
              },
              occurred_at: '2026-01-02',
            },
          },
        ],
        afterBatch: async (ids) => {
          await p.refreshSubjects(p.ctx(clerk, 'refresh'), ids);
        },
      },
    });
  });
  afterAll(() => cleanup());

  it('takes the rows in one order: both finish, no deadlock', async () => {
    const url = (p.config.store as { url: string }).url;
    const helper = new pg.Client({ connectionString: url });
    const watcher = new pg.Client({ connectionString: url });
    await helper.connect();
    await watcher.connect();
    const acme = (await p.store.findSubjectByIdentifier(ACME))!;
    // Another transaction holds the new representative's identifier uncommitted: the batch waits
    // on it right after locking the organization's row.
    await helper.query('begin');
    await helper.query(
      `insert into subjects (kind, identifier, name, created_at) values ('person', $1, 'x', 'now')`,
      [NEWREP],
    );
    const waiting = async () =>
      Number(
        (
          await watcher.query(
            `select count(*) n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
          )
        ).rows[0].n,
      );
    const batch = ingestRecords({
      ctx: p.ctx(clerk, 'samr'),
      input: {
        source: 'samr',
        catalogue: p.catalogue,
        lines: [
          {
            line: 1,
            value: {
              source_record_id: 'w-2',
              type: 'market.administrative_warning',
              subject: {
                kind: 'organization',
                uscc: ACME,
                name: '公司1',
                legal_representative: { id_number: NEWREP, name: '李娜' },
              },
              occurred_at: '2026-02-02',
            },
          },
        ],
      },
    }).then(
      (r) => ({ ok: r }),
      (e) => ({ err: String(e) }),
    );
    while ((await waiting()) < 1) await sleep(20);
    const refresh = p.refreshSubjects(p.ctx(clerk, 'refresh'), [acme.id]).then(
      (r) => ({ ok: r }),
      (e) => ({ err: String(e) }),
    );
    while ((await waiting()) < 2) await sleep(20);
    await helper.query('rollback');
    const [rb, rr] = await Promise.all([batch, refresh]);
    await helper.end();
    await watcher.end();
    expect(rb).toHaveProperty('ok');
    expect(rr).toHaveProperty('ok');
  });
});
