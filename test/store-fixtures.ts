/** Store-level fixtures shared by the store suites. */
import type { Store } from '../src/store/index.ts';

/** Registers court source `court-a` (allowed one record type), audited as `source.create`; its id. */
export const insertCourtSource = async (
  store: Store,
  at: string,
  actor: { actor: string; role: string; purpose: string; requestId: string | null },
): Promise<number> => {
  const src = await store.insertSource(
    {
      code: 'court-a',
      kind: 'court',
      name: 'Court A',
      legalBasis: 'SPC 2017',
      types: ['court.contract_lawsuit_lost'],
      credentialHash: 'h1',
    },
    at,
    { ...actor, subjectId: null, action: 'source.create', detail: null },
  );
  return src.id;
};
