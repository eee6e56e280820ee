/** Ingestion capability: the record contract, file readers and the ingestion verb. */
export {
  checkLines,
  DEFAULT_BATCH,
  getSourceForIngest,
  type IngestFileInput,
  type IngestInput,
  type IngestProgress,
  importSubjects,
  ingestFile,
  ingestRecords,
  type LineOutcome,
  type SubjectImportProgress,
} from './ingest.ts';
export { chunksOf, type Lines, type RawLine, readCsv, readNdjson } from './readers.ts';
export {
  type CheckedLine,
  checkLine,
  checkSubject,
  type LineProblem,
  type RecordLine,
  recordLineSchema,
  type SubjectLine,
  subjectSchema,
} from './record-line.ts';
