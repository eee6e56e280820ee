/** The writing thread's side of the checking worker: an async stream of checked chunks. */
import { Worker } from 'node:worker_threads';
import { type CatalogueData, catalogueData } from '../catalogue/index.ts';
import { CredenceError, ERROR_CODES, type ErrorCode } from '../shared/errors.ts';
import { type PackedChunk, unpackChunk } from './chunk-codec.ts';
import type { CheckEnv, CheckedLine } from './record-line.ts';

export interface WorkerEnv {
  file: string;
  format: 'ndjson' | 'csv';
  catalogue: CatalogueData;
  sourceCode: string;
  sourceKind: string;
  sourceTypes: string[];
  today: string;
}

export type WorkerMessage =
  | { type: 'chunk'; lines: PackedChunk; bytes: number }
  | { type: 'done' }
  | { type: 'error'; message: string; code?: string; path?: string };

const rebuild = (m: Extract<WorkerMessage, { type: 'error' }>): Error => {
  if (m.code && (ERROR_CODES as readonly string[]).includes(m.code))
    return new CredenceError(m.code as ErrorCode, m.message);
  return Object.assign(new Error(m.message), { code: m.code, path: m.path });
};

export async function* checkInWorker(
  file: string,
  format: 'ndjson' | 'csv',
  env: CheckEnv,
  onBytes?: (n: number) => void,
): AsyncGenerator<CheckedLine[]> {
  const workerData: WorkerEnv = {
    file,
    format,
    catalogue: catalogueData(env.catalogue),
    sourceCode: env.sourceCode,
    sourceKind: env.sourceKind,
    sourceTypes: [...env.sourceTypes],
    today: env.today,
  };
  const worker = new Worker(new URL('./check-worker.js', import.meta.url), { workerData });
  const queue: WorkerMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    poke();
  });
  worker.on('error', (e) => {
    failure = e;
    poke();
  });
  worker.on('exit', () => {
    exited = true;
    poke();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure && !exited) await new Promise<void>((r) => (wake = r));
      const m = queue.shift();
      if (m?.type === 'chunk') {
        onBytes?.(m.bytes);
        worker.postMessage('more'); // let it check the next chunk while this one is written
        yield unpackChunk(m.lines);
      } else if (m?.type === 'done') return;
      else if (m?.type === 'error') throw rebuild(m);
      else if (failure) throw failure;
      else throw new Error('the checking worker stopped unexpectedly');
    }
  } finally {
    await worker.terminate();
  }
}
