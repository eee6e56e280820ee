/**
 * The checking half of file ingestion, on a worker thread: read the file, parse each line and
 * check it against the contract; send chunks of checked lines to the writing thread, never more
 * than a few ahead of it (so memory stays bounded whatever the file size).
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { restoreCatalogue, type SourceKind } from '../catalogue/index.ts';
import { isCredenceError } from '../shared/errors.ts';
import type { WorkerEnv, WorkerMessage } from './check-worker-client.ts';
import { packChunk } from './chunk-codec.ts';
import { readCsv, readNdjson } from './readers.ts';
import { type CheckedLine, checkedLine } from './record-line.ts';

const AHEAD = 4;
const port = parentPort!;
const data = workerData as WorkerEnv;
let credits = AHEAD;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  wake?.();
});
const send = (m: WorkerMessage) => port.postMessage(m);

try {
  // The writing thread's own catalogue: not read again, so both threads check against the same one.
  const catalogue = restoreCatalogue(data.catalogue);
  const env = {
    catalogue,
    sourceCode: data.sourceCode,
    sourceKind: data.sourceKind as SourceKind,
    sourceTypes: new Set(data.sourceTypes),
    today: data.today,
  };
  let bytes = 0;
  const onBytes = (n: number) => {
    bytes += n;
  };
  const lines =
    data.format === 'csv'
      ? readCsv(createReadStream(data.file), onBytes)
      : readNdjson(createReadStream(data.file, { highWaterMark: 1 << 20 }), onBytes);
  for await (const chunk of lines) {
    const out: CheckedLine[] = new Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) out[i] = checkedLine(chunk[i]!, env);
    while (credits === 0) await new Promise<void>((r) => (wake = r));
    credits--;
    send({ type: 'chunk', lines: packChunk(out), bytes });
    bytes = 0;
  }
  send({ type: 'done' });
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  send({ type: 'error', message: err.message, code: isCredenceError(e) ? e.code : err.code, path: err.path });
}
