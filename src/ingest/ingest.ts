/**
 * The ingestion verb: numbered lines from one source → validated records → batches written
 * atomically. Good lines are stored even when others in the batch are bad; a batch is committed
 * whole before it is counted, so whatever was reported as stored survives a crash, and a re-run
 * completes the work (records already stored come back as duplicates).
 */

import { createReadStream } from 'node:fs';
import { can, refuseWithdrawnSource, requirePermission } from '../access/index.ts';
import { BINDING_AUTHORITIES, type Catalogue, type SourceKind } from '../catalogue/index.ts';
import { type Ctx, dateIn, todayOf } from '../context.ts';
import { forbidden, notFound } from '../shared/errors.ts';
import type { BindingRights, RecordWrite, SourceRow, SubjectRef } from '../store/index.ts';
import { checkInWorker } from './check-worker-client.ts';
import { chunksOf, type Lines, readCsv, readNdjson } from './readers.ts';
import { type CheckEnv, type CheckedLine, checkedLine, checkSubject, type Revision } from './record-line.ts';
import { applyRevisions, changedDuplicates, type RevisionOutcome } from './revise.ts';

export type LineOutcome =
  | { line: number; status: 'stored'; recordId: number; subjectId: number }
  | { line: number; status: 'duplicate' }
  | { line: number; status: 'corrected' | 'withdrawn'; recordId: number; subjectId: number }
  | { line: number; status: 'rejected'; field: string; reason: string };

export interface IngestProgress {
  lines: number;
  accepted: number;
  duplicates: number;
  /** Records sent before that the source corrected (`"action": "correct"`). */
  corrected: number;
  /** Records sent before that the source withdrew (`"action": "withdraw"`). */
  withdrawn: number;
  rejected: number;
}

export interface IngestInput {
  source: string;
  lines: Lines;
  catalogue: Catalogue;
  /** Records per transaction. */
  batchSize?: number;
  /** Called with every line's outcome, in line order, once its batch is committed (or on rejection). */
  onLine?: (o: LineOutcome) => void;
  /** Called after each committed batch. */
  onBatch?: (p: IngestProgress) => void;
  /**
   * Called after each committed batch with the subjects it stored records for, before the next
   * batch starts (e.g. to rescore them).
   */
  afterBatch?: (subjectIds: number[]) => Promise<void>;
}

export const DEFAULT_BATCH = 10_000;

/** The source the acting principal may submit for, or a precise refusal (unknown, another's, withdrawn). */
export const getSourceForIngest = async (ctx: Ctx, code: string): Promise<SourceRow> => {
  const p = ctx.principal;
  requirePermission(p, 'records.submit');
  if (!can(p, 'records.submit_any') && p.ref !== code)
    throw forbidden(`a source may only submit its own records (you are ${p.ref})`);
  const source = await ctx.store.findSourceByCode(code);
  if (!source)
    throw notFound(
      `unknown source "${code}": register it first with \`credence sources add ${code} --kind KIND\``,
    );
  // Refused before a line is read: nothing of the batch or file is written.
  refuseWithdrawnSource(ctx, source, 'it submits no records');
  return source;
};

/** Checks lines against the contract, a chunk at a time. */
export async function* checkLines(lines: Lines, env: CheckEnv): AsyncGenerator<CheckedLine[]> {
  for await (const chunk of chunksOf(lines)) {
    const out: CheckedLine[] = new Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) out[i] = checkedLine(chunk[i]!, env);
    yield out;
  }
}

/** What checking needs to know about the source and the day. */
export const checkEnvFor = (ctx: Ctx, source: SourceRow, catalogue: Catalogue): CheckEnv => ({
  catalogue,
  sourceCode: source.code,
  sourceKind: source.kind as SourceKind,
  sourceTypes: new Set(source.types),
  today: todayOf(ctx.clock),
});

type WriteOptions = Pick<IngestInput, 'batchSize' | 'onLine' | 'onBatch' | 'afterBatch'>;

/** Writes checked lines in atomic batches, counting each line once its batch is committed. */
const writeChecked = async (
  ctx: Ctx,
  source: SourceRow,
  catalogue: Catalogue,
  chunks: AsyncIterable<CheckedLine[]>,
  opts: WriteOptions,
): Promise<IngestProgress> => {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const progress: IngestProgress = {
    lines: 0,
    accepted: 0,
    duplicates: 0,
    corrected: 0,
    withdrawn: 0,
    rejected: 0,
  };
  const typeName = (code: string) => catalogue.get(code)?.name ?? code;
  const audit = {
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    requestId: ctx.requestId,
  };

  // Who represents an organization is set only by a registration authority (or the registry import).
  const rights: BindingRights = {
    mayBind: BINDING_AUTHORITIES.includes(source.kind as SourceKind),
    whoMay: `a registration authority (a ${BINDING_AUTHORITIES.join(' or ')} source) or the operator's registry import (credence subjects import)`,
  };
  // Lines of the current batch in order; `writes` holds the records among them.
  let pending: CheckedLine[] = [];
  let writes: RecordWrite[] = [];
  let revisions: Revision[] = [];

  let batches = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    // A source withdrawn while its file is read submits nothing more: the batches before stand.
    if (batches++ > 0 && (writes.length > 0 || revisions.length > 0)) {
      const current = await ctx.store.findSourceByCode(source.code);
      if (current)
        refuseWithdrawnSource(
          ctx,
          current,
          `it submits no records (the lines before line ${pending[0]!.line} were written before that and stand; line ${pending[0]!.line} and those after it were not)`,
        );
    }
    const now = ctx.clock.now();
    // Bindings change on the platform's calendar day of the write, not the UTC one.
    const results = writes.length
      ? await ctx.store.writeRecordBatch(
          source.id,
          writes,
          now.toISOString(),
          audit,
          rights,
          dateIn(ctx.clock, now),
        )
      : [];
    // A record sent again with other content is not a duplicate: the source is told to correct it.
    const dupes: number[] = [];
    for (let i = 0; i < results.length; i++) if (results[i]!.status === 'duplicate') dupes.push(i);
    // The subjects of unchanged duplicates are refreshed again (see `changedDuplicates`).
    const resent = new Map<number, number>();
    if (dupes.length > 0) {
      const { changed, same } = await changedDuplicates(
        ctx,
        source,
        dupes.map((i) => writes[i]!),
      );
      for (const [j, problem] of changed) results[dupes[j]!] = { status: 'rejected', ...problem };
      for (const [j, subjectId] of same) resent.set(dupes[j]!, subjectId);
    }
    // Corrections and withdrawals after the batch's new records, so a line may revise one sent above.
    let revised: RevisionOutcome[] = [];
    if (revisions.length > 0) {
      requirePermission(ctx.principal, 'records.revise');
      revised = await applyRevisions(ctx, source, revisions, typeName);
    }
    let v = 0;
    let k = 0;
    // Only gathered for `afterBatch`: a set per batch is not free at this rate.
    const touched = opts.afterBatch ? new Set<number>() : undefined;
    const onLine = opts.onLine;
    for (const p of pending) {
      progress.lines++;
      if ('problem' in p) {
        progress.rejected++;
        onLine?.({ line: p.line, status: 'rejected', field: p.problem.field, reason: p.problem.reason });
        continue;
      }
      if ('revise' in p) {
        const o = revised[v++]!;
        if (o.status === 'duplicate') {
          progress.duplicates++;
          if (o.subjectId !== undefined) touched?.add(o.subjectId);
          onLine?.({ line: p.line, status: 'duplicate' });
        } else if (o.status === 'rejected') {
          progress.rejected++;
          onLine?.({ line: p.line, status: 'rejected', field: o.field, reason: o.reason });
        } else {
          progress[o.status]++;
          touched?.add(o.subjectId);
          onLine?.({ line: p.line, status: o.status, recordId: o.recordId, subjectId: o.subjectId });
        }
        continue;
      }
      const at = k;
      const r = results[k++]!;
      if (r.status === 'stored') {
        progress.accepted++;
        touched?.add(r.subjectId);
        onLine?.({ line: p.line, status: 'stored', recordId: r.recordId, subjectId: r.subjectId });
      } else if (r.status === 'duplicate') {
        progress.duplicates++;
        const again = resent.get(at);
        if (again !== undefined) touched?.add(again);
        onLine?.({ line: p.line, status: 'duplicate' });
      } else {
        progress.rejected++;
        onLine?.({ line: p.line, status: 'rejected', field: r.field, reason: r.reason });
      }
    }
    pending = [];
    writes = [];
    revisions = [];
    if (touched && touched.size > 0) await opts.afterBatch?.([...touched]);
    opts.onBatch?.({ ...progress });
  };

  for await (const chunk of chunks) {
    for (const c of chunk) {
      pending.push(c);
      if ('write' in c) writes.push(c.write);
      else if ('revise' in c) revisions.push(c.revise);
      if (writes.length >= batchSize || pending.length >= batchSize * 4) await flush();
    }
  }
  await flush();
  return progress;
};

export const ingestRecords = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: IngestInput;
}): Promise<IngestProgress> => {
  const source = await getSourceForIngest(ctx, input.source);
  const env = checkEnvFor(ctx, source, input.catalogue);
  return writeChecked(ctx, source, input.catalogue, checkLines(input.lines, env), input);
};

export interface IngestFileInput extends Omit<IngestInput, 'lines'> {
  file: string;
  format: 'ndjson' | 'csv';
  /** Check lines on a second thread while this one writes (default true). */
  parallel?: boolean;
  /** Bytes of the file read so far, for progress. */
  onBytes?: (n: number) => void;
}

/**
 * Ingests a file. Reading, parsing and checking run on a worker thread while this thread writes
 * batches, so the two halves of the work overlap on two cores; the outcome is the same as
 * `ingestRecords` over the same lines.
 */
export const ingestFile = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: IngestFileInput;
}): Promise<IngestProgress> => {
  const source = await getSourceForIngest(ctx, input.source);
  const env = checkEnvFor(ctx, source, input.catalogue);
  const chunks =
    input.parallel === false
      ? checkLines(
          input.format === 'csv'
            ? readCsv(createReadStream(input.file), input.onBytes)
            : readNdjson(createReadStream(input.file, { highWaterMark: 1 << 20 }), input.onBytes),
          env,
        )
      : checkInWorker(input.file, input.format, env, input.onBytes);
  return writeChecked(ctx, source, input.catalogue, chunks, input);
};

export interface SubjectImportProgress {
  lines: number;
  created: number;
  existing: number;
  rejected: number;
}

/**
 * Registers subjects known from a registry (population or business registry) before any record
 * names them, so the platform knows every subject it serves. Same line handling as records.
 */
export const importSubjects = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: {
    lines: Lines;
    batchSize?: number;
    onRejection?: (r: { line: number; field: string; reason: string }) => void;
    onBatch?: (p: SubjectImportProgress) => void;
  };
}): Promise<SubjectImportProgress> => {
  requirePermission(ctx.principal, 'subjects.register');
  const batchSize = input.batchSize ?? DEFAULT_BATCH;
  const progress: SubjectImportProgress = { lines: 0, created: 0, existing: 0, rejected: 0 };
  const audit = {
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    requestId: ctx.requestId,
  };
  let refs: SubjectRef[] = [];
  let lineNos: number[] = [];
  const reject = (line: number, field: string, reason: string) => {
    progress.rejected++;
    progress.lines++;
    input.onRejection?.({ line, field, reason });
  };
  const flush = async () => {
    if (refs.length > 0) {
      const now = ctx.clock.now();
      const out = await ctx.store.registerSubjects(refs, now.toISOString(), audit, dateIn(ctx.clock, now));
      out.forEach((o, i) => {
        if (o.status === 'rejected') reject(lineNos[i]!, o.field, o.reason);
        else {
          progress[o.status]++;
          progress.lines++;
        }
      });
    }
    refs = [];
    lineNos = [];
    input.onBatch?.({ ...progress });
  };
  for await (const chunk of chunksOf(input.lines)) {
    for (const raw of chunk) {
      if (raw.problem) reject(raw.line, raw.problem.field, raw.problem.reason);
      else {
        const s = checkSubject(raw.value);
        if ('reason' in s) reject(raw.line, s.field, s.reason);
        else {
          refs.push(s);
          lineNos.push(raw.line);
        }
      }
      if (refs.length >= batchSize) await flush();
    }
  }
  await flush();
  return progress;
};
