/** Table shapes as Kysely sees them. Dates are ISO-8601 text in both backends (sortable, portable). */
import type { ColumnType, Generated } from 'kysely';

export interface Database {
  meta: { key: string; value: string };
  policies: { version: string; kind: string; label: string; content: string; loaded_at: string };
  policy_periods: { kind: string; from_at: string; version: string };
  subjects: {
    id: Generated<number>;
    kind: string;
    identifier: string;
    name: string;
    birth_date: string | null;
    sex: string | null;
    legal_rep_id: number | null;
    created_at: string;
    /** The audited action that created the subject (null for subjects created before it was kept). */
    context_id: number | null;
  };
  licences: { subject_id: number; kind: string; number: string };
  subject_bindings: {
    id: Generated<number>;
    organization_id: number;
    person_id: number;
    role: string;
    valid_from: string | null;
    valid_until: string | null;
    source_id: number | null;
    context_id: number | null;
    recorded_at: string;
    /** When a decision on an objection removed it (kept, never deleted; no read in force sees it; migration 0024). */
    withdrawn_at: Generated<string | null>;
    withdrawn_reason: Generated<string | null>;
    /** The open objection to it, if any (migration 0024). */
    disputed_by: Generated<number | null>;
    /** 1 while it does not bind, its objection pending (the due-process policy at filing). */
    suspended: Generated<number>;
  };
  /**
   * A binding's earlier states, each with the instant it stopped being the one on file (migration
   * 0026): what a read of bindings as known at a past instant uses instead of the current row.
   */
  binding_versions: {
    id: Generated<number>;
    binding_id: number;
    /** The binding's organization: with `binding_id`, the key of `subject_bindings` on PostgreSQL. */
    organization_id: number;
    valid_from: string | null;
    valid_until: string | null;
    suspended: number;
    disputed_by: number | null;
    withdrawn_at: string | null;
    withdrawn_reason: string | null;
    replaced_at: string;
  };
  sources: {
    id: Generated<number>;
    code: string;
    kind: string;
    name: string;
    legal_basis: string;
    credential_hash: string;
    created_at: string;
    revoked_at: Generated<string | null>;
    /** The organization or public body the source is (migration 0027); null: none declared. */
    organization_id: Generated<number | null>;
    /** Services it declares a day (migration 0027); null: the ratings policy's default. */
    daily_service_volume: Generated<number | null>;
  };
  /** A source's roster (migration 0027): who serves under it, from a day until a day no longer. */
  source_staff: {
    id: Generated<number>;
    source_id: number;
    subject_id: number;
    licence_kind: string | null;
    licence_number: string | null;
    position: string | null;
    valid_from: string;
    valid_until: string | null;
    recorded_at: string;
    ended_at: string | null;
  };
  source_types: { source_id: number; type_code: string };
  records: {
    id: Generated<number>;
    source_id: number;
    source_record_id: string;
    type: string;
    subject_id: number;
    occurred_at: string;
    decided_at: string | null;
    disclosed_at: string | null;
    recorded_at: string;
    amount: number | null;
    evidence: string | null;
    note: string | null;
    status: string;
    context_id: number;
    /** How many versions the record has had (1: never revised; migration 0014). */
    version: Generated<number>;
    /** When the current version was written; null: never revised. */
    revised_at: string | null;
  };
  /** Earlier versions of records, each with the instants it was the one known (migration 0014). */
  record_versions: {
    id: Generated<number>;
    record_id: number;
    /** The record's subject: the partition key on PostgreSQL (migration 0023). */
    subject_id: number;
    version: number;
    type: string;
    occurred_at: string;
    decided_at: string | null;
    disclosed_at: string | null;
    amount: number | null;
    evidence: string | null;
    note: string | null;
    status: string;
    known_from: string;
    known_until: string;
    /** What replaced it: correct, withdraw, dispute, … (a `RevisionKind`). */
    change: string;
    reason: string | null;
    context_id: number | null;
  };
  /** A subject's objections to records, with their clocks (migration 0014). */
  objections: {
    id: Generated<number>;
    /** The record objected to; null for an objection to a binding (migration 0024). */
    record_id: number | null;
    /** The binding objected to, and its organization (migration 0024); null for a record's. */
    binding_id: Generated<number | null>;
    binding_organization_id: Generated<number | null>;
    subject_id: number;
    reason: string;
    /** JSON: the evidence (text and attachments). */
    evidence: string | null;
    status: string;
    /** 1 when the record keeps counting while the objection is pending (policy at filing). */
    counts_while_pending: number;
    filed_at: string;
    due_day: string;
    source_notice_due: string;
    source_notified_at: string | null;
    outcome: string | null;
    reasons: string | null;
    decided_at: string | null;
    decided_by: string | null;
    appeal_reason: string | null;
    appealed_at: string | null;
    appeal_due: string | null;
    appeal_outcome: string | null;
    appeal_reasons: string | null;
    appeal_decided_at: string | null;
    appeal_decided_by: string | null;
  };
  /** Files attached to an objection as evidence (migration 0014). */
  objection_attachments: {
    id: Generated<number>;
    objection_id: number;
    name: string;
    media_type: string;
    bytes: number;
    /** Hex SHA-256 of the content. */
    sha256: string;
    content: Uint8Array;
  };
  /** A subject's credit repair applications, with their clocks (migration 0014). */
  repairs: {
    id: Generated<number>;
    record_id: number;
    subject_id: number;
    commitment: string;
    /** Proof of performance, its text ('' when only files were attached: repair_attachments). */
    evidence: string;
    status: string;
    applied_at: string;
    feedback_due: string;
    feedback: string | null;
    feedback_at: string | null;
    feedback_by: string | null;
    decision_due: string | null;
    outcome: string | null;
    reasons: string | null;
    decided_at: string | null;
    decided_by: string | null;
    display_stop_due: string | null;
  };
  /** Files attached to a repair application as proof of performance (migration 0014). */
  repair_attachments: {
    id: Generated<number>;
    repair_id: number;
    name: string;
    media_type: string;
    bytes: number;
    /** Hex SHA-256 of the content. */
    sha256: string;
    content: Uint8Array;
  };
  api_tokens: {
    id: Generated<number>;
    token_hash: string;
    role: string;
    principal: string;
    ref: string | null;
    label: string;
    scope: string;
    created_at: string;
    revoked_at: string | null;
    /** Set for every row (migration 0020 filled those issued before it). */
    expires_at: string;
  };
  audit_contexts: {
    id: Generated<number>;
    at: string;
    actor: string;
    role: string;
    purpose: string;
    request_id: string | null;
  };
  audit_log: {
    seq: Generated<number>;
    context_id: number;
    subject_id: number | null;
    action: string;
    detail: string | null;
    leaf_hash: Buffer;
    /** The entry's leaf in the Merkle tree (null: not yet sequenced). */
    leaf_index: ColumnType<number | null, number | null | undefined, number | null>;
  };
  audit_tiles: {
    level: number;
    idx: number;
    hash: Buffer;
  };
  audit_heads: {
    tree_size: number;
    root_hash: Buffer;
    at: string;
    note: string | null;
    /** The signed note (C2SP checkpoint) over size, root and timestamp; null for an unsigned head. */
    checkpoint: ColumnType<string | null, string | null | undefined, string | null>;
  };
  scores: {
    subject_id: number;
    policy_version: string;
    as_of: string;
    score: number;
    grade: string;
    domains: string;
    key_factors: string;
    computed_at: string;
  };
  relying_parties: {
    id: Generated<number>;
    code: string;
    kind: string;
    name: string;
    legal_basis: string;
    /** Checks a day before 429 (migration 0012). */
    daily_quota: number;
    created_at: string;
  };
  relying_party_measures: { relying_party_id: number; measure_code: string };
  /** The purposes a relying party may name in a check (migration 0012). */
  relying_party_purposes: { relying_party_id: number; purpose_code: string };
  /** Subjects whose check answers may have changed; subject_id null: all of them. */
  check_changes: { seq: Generated<number>; subject_id: number | null };
  /** `checks`: JSON text on SQLite, jsonb (read back parsed) on PostgreSQL; see migration 0008. */
  check_groups: {
    audit_seq: number;
    count: number;
    checks: string | CheckGroupRow[];
    subject_ids: string | (number | null)[];
    /** The key its check IDs were made with (migration 0028); null for groups logged before. */
    check_key: ColumnType<string | null, string | null | undefined, string | null>;
  };
  check_chain: {
    audit_seq: number;
    pos: number;
    subject_id: number;
    prev_seq: number | null;
    prev_pos: number | null;
  };
  check_heads: { subject_id: number; audit_seq: number; pos: number };
  list_entries: {
    subject_id: number;
    list_code: string;
    status: string;
    from_date: string;
    until_date: string | null;
    reason_code: string;
    reason_records: string;
    note: string;
    entry: string;
    policy_version: string;
    computed_at: string;
  };
  /** The first day a subject's score, grade or list entries change without a new record (src/maintain). */
  subject_due: { subject_id: number; due_day: string };
  notifications: {
    id: Generated<number>;
    subject_id: number;
    kind: string;
    list_code: string | null;
    effective: string;
    message: string;
    created_at: string;
    read_at: string | null;
  };
  outbox: {
    id: Generated<number>;
    notification_id: number;
    channel: string;
    payload: string;
    created_at: string;
    sent_at: string | null;
    attempts: Generated<number>;
    last_error: string | null;
    next_attempt_at: string | null;
    dead_at: string | null;
    /** Migration 0030: never to be sent, what it announced no longer standing (reason in last_error). */
    superseded_at: string | null;
  };
  /** Verified service interactions (migration 0017): the token is kept only as its SHA-256. */
  interactions: {
    id: Generated<number>;
    token_hash: Uint8Array;
    source_id: number;
    serving_id: number;
    service: string;
    service_date: string;
    issued_at: string;
    expires_at: string;
    redeemed_at: string | null;
  };
  ratings: {
    id: Generated<number>;
    interaction_id: number;
    rated_id: number;
    rater_id: number;
    source_id: number;
    professionalism: number;
    honesty: number;
    comment: string | null;
    comment_status: string;
    /** Comma-separated MinHash band keys of the comment. */
    comment_bands: string | null;
    connected: number;
    submitted_at: string;
    /** 0 open, 1 released, 2 removed (see store/ratings.ts). */
    state: Generated<number>;
    /** The detection reasons (the ratings engine's HOLD_BIT) an operator released it from (0029). */
    released_reasons: Generated<number>;
    held: Generated<number>;
    reply: string | null;
    replied_at: string | null;
  };
  rating_holds: {
    id: Generated<number>;
    reason: string;
    /** What identifies the window, so the same finding is not held twice. */
    hold_key: string;
    rated_id: number | null;
    window_from: string;
    window_to: string;
    detail: string;
    hides: number;
    status: string;
    created_at: string;
    decided_at: string | null;
    decided_by: string | null;
    decision_reason: string | null;
  };
  rating_hold_items: { hold_id: number; rating_id: number };
  /** Regulators' inspectors (migration 0018), each with its declared conflicts (JSON array of USCCs). */
  inspectors: {
    id: Generated<number>;
    code: string;
    regulator: string;
    name: string;
    conflicts: string;
    created_at: string;
  };
  /** A drawn plan with every input of its draw (JSON), so anyone can re-run it. */
  inspection_plans: {
    id: Generated<number>;
    regulator: string;
    period: string;
    policy_version: string;
    seed: string;
    seed_origin: string;
    inputs: string;
    plan: string;
    created_at: string;
    created_by: string;
  };
  inspections: {
    id: Generated<number>;
    plan_id: number;
    subject_id: number;
    target: string;
    class: string;
    /** Comma-separated inspector codes. */
    inspectors: string;
    due_day: string;
    outcome: string | null;
    outcome_at: string | null;
    outcome_by: string | null;
    record_id: number | null;
    published_at: string | null;
    complaint: string | null;
  };
  rater_weights: { rater_id: number; weight: number; agreed: number; computed_at: string };
  /** Requests counted by the API processes per rate-limit key and window (migration 0021). */
  rate_limits: { key: string; window_start: number; hits: number };
}

/** One check in a packed group: check ID, subject id, identifier (unknown subject), measure, applies, reason. */
export type CheckGroupRow = [string, number | null, string | null, string, number, string];
