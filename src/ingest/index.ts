/** Ingestion capability: the record contract, file readers and the ingestion verb. */
export { DEFAULT_BATCH, getSourceForIngest, type IngestInput, type IngestProgress, ingestRecords, type LineOutcome } from './ingest.ts';
export { type RawLine, readCsv, readNdjson } from './readers.ts';
export { checkLine, type LineProblem, type RecordLine, recordLineSchema } from './record-line.ts';
