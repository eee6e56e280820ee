/**
 * The composition root: opens the store, loads the policies in force and records their versions.
 * The CLI and the HTTP API both start from here; capabilities never open anything themselves.
 */
import { readFile } from 'node:fs/promises';
import { type Catalogue, DEFAULT_CATALOGUE_PATH, parseCatalogue } from '../catalogue/index.ts';
import type { Config } from '../config.ts';
import { type Clock, type Ctx, makeCtx, type Principal, systemClock } from '../context.ts';
import { DEFAULT_SCORING_POLICY_PATH, parseScoringPolicy, type ScoringPolicy } from '../scoring/index.ts';
import { openStore, type Store } from '../store/index.ts';

export interface Platform {
  config: Config;
  store: Store;
  catalogue: Catalogue;
  scoringPolicy: ScoringPolicy;
  clock: Clock;
  /** A context for a principal acting with a purpose. */
  ctx(principal: Principal, purpose: string, requestId?: string): Ctx;
  close(): Promise<void>;
}

export interface OpenOptions {
  clock?: Clock;
  catalogueFile?: string;
  scoringPolicyFile?: string;
}

export const openPlatform = async (config: Config, opts: OpenOptions = {}): Promise<Platform> => {
  const clock = opts.clock ?? systemClock;
  const file = opts.catalogueFile ?? DEFAULT_CATALOGUE_PATH;
  const text = await readFile(file, 'utf8');
  const catalogue = parseCatalogue(text, file);
  const policyFile = opts.scoringPolicyFile ?? DEFAULT_SCORING_POLICY_PATH;
  const policyText = await readFile(policyFile, 'utf8');
  const scoringPolicy = parseScoringPolicy(policyText, catalogue, policyFile);
  const store = await openStore(config.store);
  try {
    await store.savePolicy(
      { version: catalogue.version, kind: 'catalogue', label: catalogue.label, content: text },
      clock.now().toISOString(),
    );
    await store.savePolicy(
      { version: scoringPolicy.version, kind: 'scoring', label: scoringPolicy.label, content: policyText },
      clock.now().toISOString(),
    );
    await store.setMeta('catalogue_version', catalogue.version);
    await store.setMeta('scoring_policy_version', scoringPolicy.version);
  } catch (e) {
    await store.close();
    throw e;
  }
  return {
    config,
    store,
    catalogue,
    scoringPolicy,
    clock,
    ctx: (principal, purpose, requestId) =>
      makeCtx(store, principal, purpose, { clock, ...(requestId ? { requestId } : {}) }),
    close: () => store.close(),
  };
};

/** The operator acting from the command line on this machine. */
export const cliOperator = (): Principal => ({
  id: `operator:cli@${process.env.USER ?? 'local'}`,
  role: 'operator',
});
