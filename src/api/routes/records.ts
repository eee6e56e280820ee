/**
 * A source's batch of records. The body is a JSON array, `{ "records": [...] }` or NDJSON text;
 * each record is checked on its own, so a bad one never loses the good ones.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ingestRecords,
  type LineOutcome,
  type Lines,
  readNdjson,
  recordLineSchema,
} from '../../ingest/index.ts';
import type { Platform } from '../../platform/index.ts';
import { invalidInput } from '../../shared/errors.ts';
import { errorResponses } from '../errors.ts';
import { inputObject } from '../input.ts';

export const MAX_BATCH = 10_000;
export const NDJSON = 'application/x-ndjson';

// Records are validated one by one by the ingestion verb, not here, so a bad record is reported
// on its line instead of failing the request; the contract is shown in the docs all the same.
const { $schema: _, ...contract } = z.toJSONSchema(recordLineSchema, { io: 'input', unrepresentable: 'any' });
const recordItem = z.unknown().meta({ id: 'RecordLine', ...contract });

const body = z.union([z.array(recordItem), inputObject({ records: z.array(recordItem) }), z.string()], {
  error: `expected a JSON array of records, {"records": [...]}, or NDJSON text sent as ${NDJSON}`,
});

const resultSchema = z.object({
  line: z.number().int().describe('1-based position in the batch (NDJSON: the line)'),
  status: z.enum(['stored', 'duplicate', 'corrected', 'withdrawn', 'rejected']),
  record_id: z.number().int().optional(),
  field: z.string().optional(),
  reason: z.string().optional(),
});
const batchResult = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  corrected: z.number().int().describe('records sent before, replaced by a line with "action": "correct"'),
  withdrawn: z.number().int().describe('records sent before, withdrawn by a line with "action": "withdraw"'),
  rejected: z.number().int(),
  results: z.array(resultSchema),
});

const tooMany = (n: number) =>
  invalidInput(
    `a batch holds at most ${MAX_BATCH.toLocaleString('en')} records; this one has ${n}: split it and send each part`,
    [{ field: 'records', message: `${n} records` }],
  );

/** Numbered lines from any of the three body forms; refuses an oversized batch before anything is stored. */
const toLines = (b: z.infer<typeof body>): Lines => {
  if (typeof b === 'string') {
    const n = b.split('\n').filter((l) => l.trim() !== '').length;
    if (n > MAX_BATCH) throw tooMany(n);
    return readNdjson(Readable.from([b]));
  }
  const items = Array.isArray(b) ? b : b.records;
  if (items.length > MAX_BATCH) throw tooMany(items.length);
  return items.map((value, i) => ({ line: i + 1, value }));
};

const toResult = (o: LineOutcome): z.infer<typeof resultSchema> =>
  o.status === 'duplicate'
    ? { line: o.line, status: o.status }
    : o.status === 'rejected'
      ? { line: o.line, status: o.status, field: o.field, reason: o.reason }
      : { line: o.line, status: o.status, record_id: o.recordId };

export const recordRoutes: FastifyPluginAsyncZod<{ platform: Platform }> = async (app, { platform }) => {
  app.post(
    '/records',
    {
      // Room for a full batch of 10,000 records with generous notes and evidence references.
      bodyLimit: 32 * 1024 * 1024,
      // Text is checked record by record (the record contract), so a bad line never fails the batch.
      config: { textPerItem: true },
      schema: {
        summary: `Submit a batch of up to ${MAX_BATCH} records`,
        description:
          'The source is the one the credential belongs to; an operator names it with `?source=CODE`. ' +
          'Each record is stored, recognised as a duplicate (same source_record_id and content) or rejected with its field and reason. ' +
          'A line with `"action": "correct"` and the full new content replaces a record sent before (by its source_record_id; ' +
          'the earlier version is kept), and `{"action": "withdraw", "source_record_id", "reason"}` withdraws one; the subject is told. ' +
          'A record sent again with other content and no action is refused, naming the fields that differ. ' +
          'A withdrawn source (`credence sources revoke`) submits nothing until it has a new credential: 409.',
        tags: ['records'],
        consumes: ['application/json', NDJSON],
        querystring: z.object({ source: z.string().min(1).max(64).optional() }),
        body,
        response: { 200: batchResult, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const p = request.principal;
      const source = request.query.source ?? p.ref;
      // An anonymous caller never gets here: the route is not public (refused before parsing).
      if (!source)
        throw invalidInput('name the source: ?source=CODE', [
          { field: 'querystring.source', message: 'required' },
        ]);
      const lines = toLines(request.body);
      const results: z.infer<typeof resultSchema>[] = [];
      const ctx = request.ctx('submit records');
      const progress = await ingestRecords({
        ctx,
        // One transaction per request: if the write fails, nothing of this batch is stored.
        input: {
          source: source ?? '',
          lines,
          catalogue: platform.catalogue,
          batchSize: MAX_BATCH,
          onLine: (o) => results.push(toResult(o)),
          // The subjects the batch touched are rescored and relisted at once, before the answer.
          afterBatch: async (subjectIds) => {
            await platform.refreshSubjects(ctx, subjectIds);
          },
        },
      });
      return {
        accepted: progress.accepted,
        duplicates: progress.duplicates,
        corrected: progress.corrected,
        withdrawn: progress.withdrawn,
        rejected: progress.rejected,
        results,
      };
    },
  );
};
