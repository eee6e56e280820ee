/**
 * Holds a refresh between its read of the records and its write: `hold()` arms the next read of
 * `listRecordsForScoring`; `atRead` resolves once that read returned, and the refresh goes on only
 * after `release()` (meanwhile the test writes and refreshes the same subject again).
 */
import type { Platform } from '../src/platform/index.ts';

export const refreshGate = (p: Platform) => {
  const store = p.store as unknown as { listRecordsForScoring: (ids: number[]) => Promise<unknown[]> };
  const read = store.listRecordsForScoring.bind(store);
  let armed: { reached: () => void; release: Promise<void> } | undefined;
  store.listRecordsForScoring = async (ids) => {
    const rows = await read(ids);
    const a = armed;
    if (a) {
      armed = undefined;
      a.reached();
      await a.release;
    }
    return rows;
  };
  return () => {
    let reached!: () => void;
    let release!: () => void;
    const atRead = new Promise<void>((ok) => {
      reached = ok;
    });
    const released = new Promise<void>((ok) => {
      release = ok;
    });
    armed = { reached, release: released };
    return { atRead, release };
  };
};
