/**
 * Loading a demo population into the platform through the same verbs real sources use:
 * registered demo sources, the subject registry import, then each source's records, then (given
 * the ratings verbs' dependencies) the citizen ratings of ratings.ts, then (given the inspection
 * verbs' dependencies) the market regulator's roster, plan and outcomes of inspections.ts.
 */
import { createWriteStream, lstatSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalogue } from '../catalogue/index.ts';
import type { Ctx } from '../context.ts';
import { importSubjects, ingestRecords, type RawLine } from '../ingest/index.ts';
import type { SweepDeps } from '../ratings/index.ts';
import { ensureDir } from '../shared/ensure-dir.ts';
import { conflict } from '../shared/errors.ts';
import { registerSource } from '../sources/index.ts';
import type { InspectionDeps } from '../supervision/index.ts';
import { countDemoItems, type DemoOptions, demoSources, generateDemo } from './generate.ts';
import { type DemoInspectionsResult, loadDemoInspections } from './inspections.ts';
import { type DemoRatingsResult, loadDemoRatings } from './ratings.ts';

export interface DemoLoadProgress {
  items: number;
  total: number;
  subjects: number;
  records: number;
  duplicates: number;
  rejected: number;
  /** Citizen ratings submitted so far (they follow the records). */
  ratings: number;
  /** Subjects rescored and relisted so far after their records went in (given `refresh`). */
  refreshed: number;
}

export interface DemoLoadResult extends DemoLoadProgress {
  /** Credentials of demo sources registered by this run (sources that already existed keep theirs). */
  credentials: Record<string, string>;
  /** A person with at least one negative record, to show a subject's own view. */
  samplePerson?: string;
  rejections: { source: string; line: number; field: string; reason: string }[];
  /** The demo's citizen ratings, when the ratings verbs' dependencies were given. */
  ratingsLoad?: DemoRatingsResult;
  /** The demo's inspections, when the inspection verbs' dependencies were given. */
  inspectionsLoad?: DemoInspectionsResult;
}

const BATCH = 5000;
/** Subjects refreshed in one call, as the demo's inspections refresh theirs. */
const REFRESH_BATCH = 2000;
/**
 * Touched subjects kept before they are refreshed: enough that a subject with records from
 * several sources is usually refreshed once, few enough that a very large demo holds little.
 */
const REFRESH_WINDOW = 100_000;

export const loadDemo = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: {
    options: DemoOptions;
    catalogue: Catalogue;
    /** The ratings verbs' dependencies: with them, the demo's ratings follow the records. */
    ratings?: SweepDeps;
    /** The inspection verbs' dependencies: with them, a drawn plan and some outcomes follow. */
    inspections?: InspectionDeps;
    /**
     * Rescores and relists subjects (the platform's `refreshSubjects`, as `credence ingest` calls
     * it after each batch): with it, every subject the demo stored records for is refreshed once
     * they are in, before the ratings and inspections, whether or not the store was scored before
     * (a server rescores everyone only under a new policy version, so nothing else would).
     */
    refresh?: (subjectIds: number[]) => Promise<unknown>;
    onProgress?: (p: DemoLoadProgress) => void;
  };
}): Promise<DemoLoadResult> => {
  const { options, catalogue } = input;
  const result: DemoLoadResult = {
    items: 0,
    // Exact, so the progress ends at 100 % (an estimate overshot on small populations).
    total: countDemoItems(options, catalogue),
    subjects: 0,
    records: 0,
    duplicates: 0,
    rejected: 0,
    ratings: 0,
    refreshed: 0,
    credentials: {},
    rejections: [],
  };
  for (const s of demoSources()) {
    if (await ctx.store.findSourceByCode(s.code)) continue;
    const { credential } = await registerSource({
      ctx,
      catalogue,
      input: { code: s.code, kind: s.kind, name: s.name, legalBasis: s.legalBasis },
    });
    result.credentials[s.code] = credential;
  }

  let subjects: RawLine[] = [];
  const records = new Map<string, RawLine[]>();
  const report = () => input.onProgress?.({ ...result });
  // The subjects whose records went in and are not refreshed yet.
  const touched = new Set<number>();
  const refreshTouched = async (minimum: number) => {
    if (!input.refresh || touched.size === 0 || touched.size < minimum) return;
    const ids = [...touched];
    touched.clear();
    for (let i = 0; i < ids.length; i += REFRESH_BATCH) {
      const batch = ids.slice(i, i + REFRESH_BATCH);
      await input.refresh(batch);
      result.refreshed += batch.length;
      report();
    }
  };

  const flushSubjects = async () => {
    if (subjects.length === 0) return;
    const lines = subjects;
    subjects = [];
    const r = await importSubjects({
      ctx,
      input: {
        lines,
        batchSize: BATCH,
        onRejection: (x) => result.rejections.push({ source: 'registry', ...x }),
      },
    });
    result.subjects += r.created + r.existing;
    result.rejected += r.rejected;
    report();
  };
  const flushRecords = async (source: string) => {
    const lines = records.get(source);
    if (!lines?.length) return;
    records.set(source, []);
    const r = await ingestRecords({
      ctx,
      input: {
        source,
        lines,
        catalogue,
        batchSize: BATCH,
        ...(input.refresh
          ? {
              afterBatch: async (ids: number[]) => {
                for (const id of ids) touched.add(id);
              },
            }
          : {}),
        onLine: (o) => {
          if (o.status === 'rejected')
            result.rejections.push({ source, line: o.line, field: o.field, reason: o.reason });
        },
      },
    });
    result.records += r.accepted;
    result.duplicates += r.duplicates;
    result.rejected += r.rejected;
    report();
    await refreshTouched(REFRESH_WINDOW);
  };

  for (const item of generateDemo(options, catalogue)) {
    result.items++;
    if (item.kind === 'subject') {
      subjects.push({ line: result.items, value: item.subject });
      if (subjects.length >= BATCH) await flushSubjects();
      continue;
    }
    if (subjects.length) await flushSubjects();
    if (
      !result.samplePerson &&
      item.record.subject.kind === 'person' &&
      catalogue.get(item.record.type)?.polarity === 'negative'
    ) {
      result.samplePerson = item.record.subject.id_number;
    }
    const list = records.get(item.source) ?? [];
    list.push({ line: result.items, value: item.record });
    records.set(item.source, list);
    if (list.length >= BATCH) await flushRecords(item.source);
  }
  await flushSubjects();
  for (const source of records.keys()) await flushRecords(source);
  // Every record is in: what is left is refreshed now, so scores, list entries, notifications and
  // transition days are there before anything reads them (and before the inspections class the
  // organizations by them).
  await refreshTouched(0);
  if (input.ratings) {
    result.ratingsLoad = await loadDemoRatings({
      ctx,
      input: {
        options,
        onProgress: (n) => {
          result.ratings = n;
          report();
        },
      },
      deps: input.ratings,
    });
    result.ratings = result.ratingsLoad.ratings;
  }
  if (input.inspections)
    result.inspectionsLoad = await loadDemoInspections({ ctx, input: { options }, deps: input.inspections });
  return result;
};

/**
 * Writes the demo population as files a real source would send: `subjects.ndjson` (registry
 * lines for `credence subjects import`) and one `<source>.ndjson` per demo source (for
 * `credence ingest FILE --source CODE`), plus `sources.json` naming each source's kind.
 */
/** Every file `writeDemoFiles` may write, whatever the options: the only ones `replace` removes. */
const demoFileNames = (): string[] => [
  'subjects.ndjson',
  'sources.json',
  ...demoSources().map((s) => `${s.code}.ndjson`),
];

/**
 * Where the demo's files may go: a folder not there yet, or an empty one. Anything else (a file,
 * a folder holding something) is a `conflict` unless `replace` is set, checked before anything is
 * written or opened, so a refusal leaves everything as it was.
 */
export const checkDemoOut = (dir: string, replace = false): void => {
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (!st || replace) return;
  if (st.isDirectory() && readdirSync(dir).length === 0) return;
  throw conflict(
    `${dir} exists${st.isDirectory() ? ' and is not empty' : ''}; remove it or choose another (or add --force to replace it)`,
  );
};

/**
 * Writes the demo population as the files real sources would send. With `replace`, a file at
 * `dir` is replaced by the folder, and the demo's own files in it are removed first, so none of an
 * earlier, larger demo is left beside the new ones (other files are left alone).
 */
export const writeDemoFiles = async (
  dir: string,
  options: DemoOptions,
  catalogue: Catalogue,
  onProgress?: (items: number, total: number) => void,
  { replace = false }: { replace?: boolean } = {},
): Promise<{ files: string[]; items: number }> => {
  checkDemoOut(dir, replace);
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) await rm(dir, { force: true });
  else if (st) for (const name of demoFileNames()) await rm(join(dir, name), { force: true });
  ensureDir(dir);
  const open = new Map<string, ReturnType<typeof createWriteStream>>();
  const out = (name: string) => {
    let s = open.get(name);
    if (!s) {
      s = createWriteStream(join(dir, name));
      open.set(name, s);
    }
    return s;
  };
  const write = async (name: string, line: string) => {
    const s = out(name);
    if (!s.write(line)) await new Promise<void>((r) => s.once('drain', () => r()));
  };
  const total = countDemoItems(options, catalogue);
  let items = 0;
  for (const item of generateDemo(options, catalogue)) {
    items++;
    if (item.kind === 'subject') await write('subjects.ndjson', `${JSON.stringify(item.subject)}\n`);
    else await write(`${item.source}.ndjson`, `${JSON.stringify(item.record)}\n`);
    if (items % 10_000 === 0) onProgress?.(items, total);
  }
  const sources = demoSources().map((s) => ({
    code: s.code,
    kind: s.kind,
    name: s.name,
    legal_basis: s.legalBasis,
  }));
  await write('sources.json', `${JSON.stringify(sources, null, 2)}\n`);
  await Promise.all([...open.values()].map((s) => new Promise<void>((r) => s.end(() => r()))));
  return { files: [...open.keys()].sort(), items };
};
