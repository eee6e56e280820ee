/**
 * A read replica that cannot serve (store/postgres/replica.ts): the reads that may lag go to the
 * primary and the store says why. (Reads from a real hot standby, its lag and its bound are tested
 * end to end in src/api/replica.test.ts; a standby of another cluster in src/api/replica-identity.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freshTestDatabase, testPostgresSkipReason } from '../../../test/pg-server.ts';
import { openPostgresStore, type PostgresStore } from './index.ts';
import { lsnValue } from './replica.ts';

const skip = testPostgresSkipReason();
const AT = '2026-03-01T09:00:00.000Z';
const AUDIT = { actor: 'operator:test', role: 'operator' as const, purpose: 'test', requestId: null };

const eventually = async <T>(probe: () => T | undefined): Promise<T> => {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('not within 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('WAL positions', () => {
  it('order as PostgreSQL orders them, past 32 bits', () => {
    expect(lsnValue('0/16B3748')).toBe(0x16b3748n);
    expect(lsnValue('1/0') > lsnValue('0/FFFFFFFF')).toBe(true);
    expect(lsnValue('A/1')).toBe((10n << 32n) + 1n);
  });
});

describe.skipIf(Boolean(skip))(`a replica that cannot serve${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: PostgresStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  const withSubject = async (replicaUrl: (primary: string) => string) => {
    const url = await freshTestDatabase();
    store = openPostgresStore(url, { replica: { url: replicaUrl(url), maxLagMs: 500 } });
    await store.migrate();
    await store.registerSubjects(
      [{ kind: 'person', identifier: '11010519491231002X', name: 'Zhang San' }],
      AT,
      AUDIT,
    );
    return store;
  };

  it('is not used when it is not a standby (the primary itself), and says so', async () => {
    const s = await withSubject((primary) => primary);
    const status = await eventually(() => {
      const r = s.replicaStatus();
      return r?.reason?.includes('not a hot standby') ? r : undefined;
    });
    expect(status).toMatchObject({
      inUse: false,
      maxLagMs: 500,
      lagSeconds: undefined,
      refused: 'not_a_standby',
    });
    expect((await s.replica.findSubjectByIdentifier('11010519491231002X'))?.name).toBe('Zhang San');
  });

  it('is not used when nobody answers there; the primary answers the reads', async () => {
    const s = await withSubject(() => 'postgres://postgres@127.0.0.1:1/credence');
    await eventually(() => (s.replicaStatus()?.reason?.includes('does not answer') ? true : undefined));
    expect(s.replicaStatus()?.inUse).toBe(false);
    const [row] = await s.replica.listCheckSubjects({ identifiers: ['11010519491231002X'] });
    expect(row).toMatchObject({ identifier: '11010519491231002X', kind: 'person' });
    expect(
      await s.replica.lookup.countEntriesInForce({
        listCodes: ['black.court_defaulters'],
        withPersons: [],
        today: '2026-03-01',
      }),
    ).toBeInstanceOf(Map);
  });

  it('is not there at all without DATABASE_REPLICA_URL: the store reads as before', async () => {
    store = openPostgresStore(await freshTestDatabase());
    expect(store.replicaStatus()).toBeUndefined();
    expect(store.replica).toBe(store);
  });
});
