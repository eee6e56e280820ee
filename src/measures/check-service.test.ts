/**
 * Checks answered from memory: they agree with the lists engine's own evaluation of what the store
 * holds, for every subject and measure, and they see changes another process commits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord, performedRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import { generateDemo, loadDemo } from '../demo/index.ts';
import { entryOf, evaluateMeasure, recomputeAllLists } from '../lists/index.ts';
import type { Platform } from '../platform/index.ts';
import { type Grade, rescoreAllSubjects } from '../scoring/index.ts';
import { checkMeasure, checkService } from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const TODAY = '2026-03-01';

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('checks answered from memory', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let another: () => Promise<Platform>;
    const identifiers: string[] = [];
    const options = { persons: 300, organizations: 60, seed: 7, end: TODAY };

    beforeAll(async () => {
      ({ platform: p, cleanup, another } = await b.open({ clock: fixedClock(`${TODAY}T09:00:00Z`) }));
      const ctx = p.ctx(operator, 'set up');
      await loadDemo({ ctx, input: { options, catalogue: p.catalogue } });
      await rescoreAllSubjects({ ctx, deps: { policy: p.scoringPolicy, catalogue: p.catalogue }, input: {} });
      await recomputeAllLists({
        ctx,
        deps: {
          lists: p.lists,
          catalogue: p.catalogue,
          scoringPolicy: p.scoringPolicy,
          calendar: p.calendar,
        },
        input: {},
      });
      for (const item of generateDemo(options, p.catalogue)) {
        if (item.kind !== 'subject') continue;
        identifiers.push(item.subject.kind === 'person' ? item.subject.id_number : item.subject.uscc);
      }
    }, 120_000);
    afterAll(async () => cleanup?.());

    /** A rail desk's check of one subject, as the API would make it. */
    const rail: Principal = { id: 'operator:rail-desk', role: 'operator' };
    const check = (subject: string) =>
      checkMeasure({
        ctx: p.ctx(rail, 'ticket sale'),
        measures: p.measures,
        lists: p.lists,
        input: { measure: 'restrict.high_speed_rail', subjects: [subject] },
      }).then((a) => a[0]!);

    it('answers every measure for every subject exactly as the lists engine evaluates the stored entries and grades', async () => {
      const ctx = p.ctx(operator, 'compare');
      const subjects = await p.store.listSubjectsByIdentifiers(identifiers);
      expect(subjects.length).toBe(identifiers.length);
      const entries = await p.store.listListEntries();
      const bySubject = new Map<number, ReturnType<typeof entryOf>[]>();
      for (const e of entries)
        bySubject.set(e.subjectId, [...(bySubject.get(e.subjectId) ?? []), entryOf(e)]);
      const orgs = await p.store.listSubjectsForScoring();
      let applying = 0;
      for (const measure of p.measures.measures) {
        const answers = await checkMeasure({
          ctx,
          measures: p.measures,
          lists: p.lists,
          input: { measure: measure.code, subjects: identifiers },
        });
        for (const [i, s] of subjects
          .sort((x, y) => identifiers.indexOf(x.identifier) - identifiers.indexOf(y.identifier))
          .entries()) {
          const grade = (await p.store.listScores(s.id))[0]?.grade as Grade | undefined;
          const expected = evaluateMeasure({
            measure,
            entries: bySubject.get(s.id) ?? [],
            ...(grade ? { score: { grade } } : {}),
            subjectKind: s.kind,
            asOf: TODAY,
            represented: orgs
              .filter((o) => o.legalRepId === s.id)
              .map((o) => ({ role: 'legal_representative' as const, entries: bySubject.get(o.id) ?? [] })),
          });
          const { check_id, subject, ...got } = answers[i]!;
          expect(subject).toBe(s.identifier);
          expect(got).toEqual(expected);
          if (got.applies) applying++;
        }
      }
      // The population is realistic: some measures apply to someone, most answers are no.
      expect(applying).toBeGreaterThan(0);
      expect(applying).toBeLessThan(identifiers.length * p.measures.measures.length * 0.5);
    }, 120_000);

    it('sees a performance record and a new subject that another process stored, at the next check', async () => {
      const DEFAULTER = '360426199101010071';
      const NEWCOMER = '440524188001010014';
      const other = await another();
      try {
        const ingest = await courtFeed(other, 'court-x');
        await ingest([defaulterRecord('x1', DEFAULTER)]);
        expect(await check(DEFAULTER)).toMatchObject({ applies: true, list: 'black.court_defaulters' });
        expect(await check(NEWCOMER)).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
        const held = checkService(p.store, p.measures, p.lists).size;
        await ingest([
          performedRecord('x1-done', DEFAULTER),
          {
            source_record_id: 'x2',
            type: 'court.contract_lawsuit_lost',
            subject: { kind: 'person', id_number: NEWCOMER, name: '李娜' },
            occurred_at: '2026-01-10',
            decided_at: '2026-01-20',
            amount: 3000,
            evidence: '(2026)粤0524民初12号',
          },
        ]);
        // Answered from memory (nothing reloaded wholesale), yet current.
        expect(checkService(p.store, p.measures, p.lists).size).toBeGreaterThanOrEqual(held);
        expect(await check(DEFAULTER)).toMatchObject({
          applies: false,
          list: null,
          reason_code: 'NOT_APPLICABLE',
        });
        expect(await check(NEWCOMER)).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
      } finally {
        await other.close();
      }
    }, 60_000);

    // Group commit: the checks that arrive while a turn's commit is in flight wait for it and go
    // together in the next turn; each is answered only once its own turn is committed.
    it('logs the checks that arrive while a commit is in flight together in the next commit, each answered after it', async () => {
      const store = p.store;
      const turn = store.checkTurn;
      let inFlight: () => void = () => {};
      const started = new Promise<void>((r) => {
        inFlight = r;
      });
      let release: () => void = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      let turns = 0;
      store.checkTurn = async (...args) => {
        // The first turn's commit is held until every later check has arrived.
        if (turns++ === 0) {
          inFlight();
          await held;
        }
        return turn.apply(store, args);
      };
      try {
        const before = await store.countAudit();
        const first = check(identifiers[0]!);
        await started;
        const later: Promise<Awaited<ReturnType<typeof check>>>[] = [];
        for (let i = 1; i <= 30; i++) {
          // Each from its own turn of the event loop, as requests arrive.
          await new Promise<void>((r) => setImmediate(r));
          later.push(check(identifiers[i]!));
        }
        let answered = 0;
        for (const l of later) void l.then(() => answered++);
        await new Promise<void>((r) => setImmediate(r));
        expect(answered).toBe(0);
        release();
        const answers = [await first, ...(await Promise.all(later))];
        // Two commits: the first check's, then the thirty that gathered behind it.
        expect(turns).toBe(2);
        expect(await store.countAudit()).toBe(before + 2);
        for (const [i, a] of answers.entries()) {
          const [subject] = await store.listSubjectsByIdentifiers([identifiers[i]!]);
          const logged = (await store.listAuditForSubject(subject!.id, 50))
            .filter((e) => e.action === 'measure.check')
            .map((e) => JSON.parse(e.detail!) as { check_id: string });
          expect(logged.map((d) => d.check_id)).toContain(a.check_id);
        }
      } finally {
        store.checkTurn = turn;
      }
    }, 60_000);

    // A turn's transaction reads the feed before it logs its answers: a change committed after the
    // turn's catch-up, just before that transaction, is still seen.
    it('answers from a change another process commits between the catch-up and the logged answer', async () => {
      const store = p.store;
      const DEFAULTER = '360426199102020036';
      const other = await another();
      const turn = store.checkTurn;
      try {
        const ingest = await courtFeed(other, 'court-y');
        await ingest([defaulterRecord('y1', DEFAULTER)]);
        expect(await check(DEFAULTER)).toMatchObject({ applies: true, list: 'black.court_defaulters' });
        let tries = 0;
        store.checkTurn = async (...args) => {
          // The other process performs the judgment after this turn caught up, before it logs.
          if (tries++ === 0) await ingest([performedRecord('y1-done', DEFAULTER)]);
          return turn.apply(store, args);
        };
        const answer = await check(DEFAULTER);
        expect(answer).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
        // Its first transaction found the change and wrote nothing; the second answered.
        expect(tries).toBe(2);
        // The answer given is the answer logged.
        const [subject] = await store.listSubjectsByIdentifiers([DEFAULTER]);
        const logged = (await store.listAuditForSubject(subject!.id, 50))
          .filter((e) => e.action === 'measure.check')
          .map((e) => JSON.parse(e.detail!));
        expect(logged.find((d) => d.check_id === answer.check_id)).toMatchObject({
          applies: false,
          reason_code: 'NOT_APPLICABLE',
        });
        // A steady stream of changes does not hold checks back: the third try answers anyway.
        tries = 0;
        store.checkTurn = async (...args) => {
          await ingest([defaulterRecord(`z${++tries}`, '440524198503030049', '王芳')]);
          return turn.apply(store, args);
        };
        expect(await check(DEFAULTER)).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
        expect(tries).toBe(3);
      } finally {
        store.checkTurn = turn;
        await other.close();
      }
    }, 60_000);
  });
}
