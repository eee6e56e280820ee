/** Ingestion capability: the record contract, file readers and the ingestion verb. */
export {
  DEFAULT_BATCH,
  getSourceForIngest,
  type IngestInput,
  type IngestProgress,
  importSubjects,
  ingestRecords,
  type LineOutcome,
  type SubjectImportProgress,
} from './ingest.ts';
export { chunksOf, type Lines, type RawLine, readCsv, readNdjson } from './readers.ts';
export {
  checkLine,
  checkSubject,
  type LineProblem,
  type RecordLine,
  recordLineSchema,
  type SubjectLine,
  subjectSchema,
} from './record-line.ts';
