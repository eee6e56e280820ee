/** The demo generator's options and output shapes (re-exported by index.ts). */
import type { SourceKind } from '../catalogue/index.ts';

export interface DemoOptions {
  persons: number;
  /** Organizations and public bodies together; about 15 % are public bodies. */
  organizations: number;
  seed: number;
  /** YYYY-MM-DD: the last day records may fall on ("today"). */
  end: string;
  /** Length of the record window in years (default 5). */
  years?: number;
}

export interface DemoSource {
  /** e.g. `demo-court` */
  code: string;
  kind: SourceKind;
  name: string;
  legalBasis: string;
}

/** A subject exactly as the record contract writes it. */
export type SubjectJson =
  | { kind: 'person'; id_number: string; name: string; licences?: { kind: string; number: string }[] }
  | {
      kind: 'organization' | 'public_body';
      uscc: string;
      name: string;
      legal_representative?: { id_number: string; name: string };
    };

/** A record exactly as the record contract writes it. */
export interface RecordJson {
  source_record_id: string;
  type: string;
  subject: SubjectJson;
  occurred_at: string;
  decided_at?: string;
  disclosed_at?: string;
  amount?: number;
  evidence?: string;
  note?: string;
}

export type DemoItem =
  | { kind: 'subject'; subject: SubjectJson }
  | { kind: 'record' /** DemoSource.code */; source: string; record: RecordJson };
