/**
 * Signed tree heads for the audit log, in the C2SP `tlog-checkpoint` / `signed-note` format
 * (../shared/REFERENCE.md, "Anchors for the capabilities after the core loop", Signed tree heads),
 * so that tools from the Go and Rust transparency-log ecosystems can check Credence's heads.
 *
 * A signed note is the note text, a blank line, then one signature line per signer:
 *
 *   credence.example/audit                         ← origin (the log's name, = the key name)
 *   1234                                           ← tree size, decimal, no leading zeros
 *   3q2+7w...=                                     ← root hash, standard base64 of 32 bytes
 *   timestamp 2025-01-02T03:04:05.678Z             ← extension line (optional, see below)
 *                                                  ← blank line
 *   — credence.example/audit AbCd...==             ← em dash U+2014, space, key name, space,
 *                                                     base64(key ID ‖ Ed25519 signature)
 *
 * - The Ed25519 signature is over the UTF-8 bytes of the note text: every line above the blank line,
 *   each with its newline (the final newline included, the blank line excluded).
 * - Key ID = SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte raw public key)[:4]; 0x01 is the signed-note
 *   algorithm byte for Ed25519.
 * - Verifier key ("vkey"), the one string README publishes:
 *   `<key name>+<hex key ID, 8 digits>+<base64(0x01 ‖ 32-byte public key)>`.
 *
 * Timestamps: the checkpoint format itself signs only origin, size and root. Credence adds the time
 * the head was cut as an extension line `timestamp <ISO 8601, UTC, milliseconds>` after the root, so
 * the timestamp IS signed. C2SP allows extension lines there; verifiers that do not know it ignore it.
 * A head without that line (signed with no timestamp) still parses and verifies; its JSON timestamp is
 * then carried alongside, unsigned.
 *
 * Self-contained: node:crypto and node:fs only; nothing here knows the Merkle tree or the store.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir } from '../shared/ensure-dir.ts';
import { CredenceError, conflict } from '../shared/errors.ts';

/** signed-note algorithm byte for Ed25519. */
export const ED25519_ALGORITHM = 0x01;
/** The file, inside the data folder, that holds the log's private key (PKCS#8 PEM, mode 0600). */
export const LOG_KEY_FILE = 'audit-log-key.pem';
/** The extension line that carries (and so signs) the time a head was cut. */
export const TIMESTAMP_EXTENSION = 'timestamp';

const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQ{SEQ{OID 1.3.101.112}, BIT STRING}. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** Same bound as golang.org/x/mod/sumdb/note: a note with more signature lines is refused. */
const MAX_SIGNATURES = 100;
const ROOT_HASH_BYTES = 32;
const MAX_UINT64 = 18446744073709551615n;

export type CheckpointFailure =
  | 'malformed'
  | 'invalid_key'
  | 'unknown_key'
  | 'key_id_mismatch'
  | 'bad_signature'
  | 'origin_mismatch'
  | 'head_mismatch';

/** Why a checkpoint, note or key was refused; `reason` is machine-readable, the message names it. */
export class CheckpointError extends CredenceError {
  readonly reason: CheckpointFailure;
  constructor(reason: CheckpointFailure, message: string) {
    super('invalid_input', message);
    this.name = 'CheckpointError';
    this.reason = reason;
  }
}

const fail = (reason: CheckpointFailure, message: string): never => {
  throw new CheckpointError(reason, message);
};

// ---------------------------------------------------------------------------------------------
// Keys

/** A log's signing key: `name` is the signed-note key name and the checkpoint origin. */
export interface LogKey {
  name: string;
  privateKey: KeyObject;
  /** 32-byte raw Ed25519 public key. */
  publicKey: Buffer;
  /** 4-byte signed-note key ID. */
  keyId: Buffer;
}

/** A fresh Ed25519 key: the private key as PKCS#8 PEM and the 32-byte raw public key. */
export function generateLogKey(): { privateKeyPem: string; publicKey: Buffer } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: rawPublicKey(privateKey),
  };
}

/** Load an Ed25519 private key from PEM; refuses any other key type. */
export function loadLogKey(pem: string): { privateKey: KeyObject; publicKey: Buffer } {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (e) {
    return fail('invalid_key', `log key: not a readable private key PEM (${(e as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    fail('invalid_key', `log key: expected an Ed25519 key, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  }
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

/** A named LogKey from a private key (PEM or KeyObject). */
export function logKeyFrom(name: string, privateKey: string | KeyObject): LogKey {
  assertKeyName(name);
  const loaded =
    typeof privateKey === 'string'
      ? loadLogKey(privateKey)
      : privateKey.type === 'private' && privateKey.asymmetricKeyType === 'ed25519'
        ? { privateKey, publicKey: rawPublicKey(privateKey) }
        : fail('invalid_key', 'log key: expected an Ed25519 private key');
  return { name, ...loaded, keyId: computeKeyId(name, loaded.publicKey) };
}

/** The 32 raw bytes of an Ed25519 public key (given the public or the private KeyObject). */
export function rawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ed25519') fail('invalid_key', 'expected an Ed25519 key');
  const der = pub.export({ type: 'spki', format: 'der' });
  if (der.length !== SPKI_ED25519_PREFIX.length + 32 || !der.subarray(0, 12).equals(SPKI_ED25519_PREFIX)) {
    fail('invalid_key', 'unexpected Ed25519 SubjectPublicKeyInfo encoding');
  }
  return Buffer.from(der.subarray(SPKI_ED25519_PREFIX.length));
}

/** A public KeyObject from 32 raw Ed25519 bytes. */
export function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) fail('invalid_key', `an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** signed-note key ID: SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]. */
export function computeKeyId(name: string, publicKey: Buffer): Buffer {
  if (publicKey.length !== 32)
    fail('invalid_key', `an Ed25519 public key is 32 bytes, got ${publicKey.length}`);
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, ED25519_ALGORITHM]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/**
 * The log key of a store: loaded from `dir/audit-log-key.pem`, or created there when the store's log
 * has no signed head yet. A store whose heads another key signed, without that key beside it (a
 * database copied without its key, a mistyped data folder pointing at a copy), is refused: a new key
 * would sign heads no verifier of the old ones accepts, and the log could never verify again.
 * `latestCheckpoint` gives the store's latest signed head, read only when the key file is missing.
 */
export async function logKeyForStore(
  dir: string,
  name: string,
  latestCheckpoint: () => Promise<string | null | undefined>,
): Promise<LogKey> {
  if (readIfExists(join(dir, LOG_KEY_FILE)) === undefined) {
    const signed = await latestCheckpoint();
    if (signed) {
      let keyId = 'unknown';
      try {
        keyId = parseSignedNote(signed).signatures[0]?.keyId.toString('hex') ?? keyId;
      } catch {
        // Named as unknown: the refusal stands either way.
      }
      throw conflict(
        `${join(dir, LOG_KEY_FILE)} is missing, but this store's audit log is signed by key ID ${keyId}: ` +
          'put that key back (a backup keeps it beside the copy, as <copy>.key) before running any command; ' +
          'a new key would sign heads that no verifier of the earlier ones accepts',
      );
    }
  }
  return ensureLogKey(dir, name);
}

/**
 * The log key kept in `dir/audit-log-key.pem`: created (mode 0600) at the first call, loaded at every
 * later one. Creation is atomic and never overwrites: the PEM is written to a private temporary file
 * and hard-linked into place, so two concurrent first calls end up with the same key and a crash
 * never leaves a half-written key behind.
 */
export function ensureLogKey(dir: string, name: string): LogKey {
  assertKeyName(name);
  const file = join(dir, LOG_KEY_FILE);
  const existing = readIfExists(file);
  if (existing !== undefined) return logKeyFrom(name, existing);

  ensureDir(dir);
  const { privateKeyPem } = generateLogKey();
  const tmp = join(dir, `.${LOG_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, privateKeyPem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another process created it first: use theirs.
  } finally {
    unlinkSync(tmp);
  }
  return logKeyFrom(name, readFileSync(file, 'utf8'));
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** signed-note key names: non-empty, no Unicode white space, no '+'. */
function assertKeyName(name: string): void {
  if (typeof name !== 'string' || name === '' || /[\s+]/u.test(name) || hasControl(name)) {
    fail('invalid_key', `invalid key name ${JSON.stringify(name)}: must be non-empty, without spaces or '+'`);
  }
}

// ---------------------------------------------------------------------------------------------
// Verifier keys (vkey)

/** `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`: the one string to publish. */
export function verifierKey(key: { name: string; publicKey: Buffer }): string {
  assertKeyName(key.name);
  const id = computeKeyId(key.name, key.publicKey);
  const material = Buffer.concat([Buffer.from([ED25519_ALGORITHM]), key.publicKey]).toString('base64');
  return `${key.name}+${id.toString('hex')}+${material}`;
}

/** Parse and check a vkey string (the key ID must match the name and key it names). */
export function parseVerifierKey(vkey: string): { name: string; keyId: Buffer; publicKey: Buffer } {
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) fail('invalid_key', 'verifier key: expected <name>+<key id>+<base64 key>');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const material = vkey.slice(second + 1);
  assertKeyName(name);
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) fail('invalid_key', 'verifier key: key ID is not 8 hex digits');
  const bytes = decodeBase64(material, 'verifier key material', 'invalid_key');
  if (bytes[0] !== ED25519_ALGORITHM) {
    fail(
      'invalid_key',
      `verifier key: unsupported algorithm 0x${(bytes[0] ?? 0).toString(16).padStart(2, '0')}`,
    );
  }
  if (bytes.length !== 33)
    fail('invalid_key', `verifier key: Ed25519 key is 32 bytes, got ${bytes.length - 1}`);
  const publicKey = Buffer.from(bytes.subarray(1));
  const keyId = Buffer.from(idHex, 'hex');
  if (!computeKeyId(name, publicKey).equals(keyId)) {
    fail('key_id_mismatch', `verifier key: key ID ${idHex} does not match the name and public key`);
  }
  return { name, keyId, publicKey };
}

// ---------------------------------------------------------------------------------------------
// Signed notes

export interface NoteSignature {
  keyName: string;
  /** 4 bytes. */
  keyId: Buffer;
  /** The signature bytes after the key ID (64 for Ed25519; other algorithms may differ). */
  signature: Buffer;
}

/** Sign a note text (must end in a newline) with one key: `text ‖ "\n" ‖ "— name base64(id ‖ sig)\n"`. */
export function signNote(key: LogKey, text: string): { note: string; signature: Buffer } {
  assertNoteText(text);
  const signature = sign(null, Buffer.from(text, 'utf8'), key.privateKey);
  const blob = Buffer.concat([key.keyId, signature]).toString('base64');
  return { note: `${text}\n${SIGNATURE_PREFIX}${key.name} ${blob}\n`, signature };
}

/** Split a signed note into its text and signature lines (no signature is checked here). */
export function parseSignedNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (typeof note !== 'string') return fail('malformed', 'signed note: not a string');
  // As golang.org/x/mod/sumdb/note: the text ends at the last blank line.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return fail('malformed', 'signed note: missing the blank line between text and signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  assertNoteText(text);
  if (block === '') fail('malformed', 'signed note: no signature lines');
  if (!block.endsWith('\n'))
    fail('malformed', 'signed note: the last signature line does not end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) fail('malformed', `signed note: more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line, i): NoteSignature => {
    const where = `signed note: signature line ${i + 1}`;
    if (!line.startsWith(SIGNATURE_PREFIX)) fail('malformed', `${where} does not start with "— "`);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    if (space < 0) fail('malformed', `${where} has no space between key name and signature`);
    const keyName = rest.slice(0, space);
    const b64 = rest.slice(space + 1);
    if (keyName === '' || /[\s+]/u.test(keyName) || hasControl(keyName)) {
      fail('malformed', `${where}: invalid key name ${JSON.stringify(keyName)}`);
    }
    const bytes = decodeBase64(b64, `${where} signature`, 'malformed');
    if (bytes.length < 5) fail('malformed', `${where}: signature too short for key ID and signature`);
    return { keyName, keyId: Buffer.from(bytes.subarray(0, 4)), signature: Buffer.from(bytes.subarray(4)) };
  });
  return { text, signatures };
}

/**
 * The signed notes a file holds one after another (as `>>` appends saved heads), blank lines
 * between them skipped: each is its text, the blank line and the signature lines that follow. A
 * text that is no note at all is returned whole, for the verifier to refuse with its reason.
 */
export function splitSignedNotes(file: string): string[] {
  const lines = file.split('\n');
  const notes: string[] = [];
  let i = 0;
  for (;;) {
    while (i < lines.length && lines[i] === '') i++;
    if (i >= lines.length) break;
    const start = i;
    while (i < lines.length && lines[i] !== '') i++;
    i++;
    while (lines[i]?.startsWith(SIGNATURE_PREFIX)) i++;
    const note = lines.slice(start, i).join('\n');
    // Its last line ended in a newline unless it was the file's last, unterminated line.
    notes.push(i < lines.length ? `${note}\n` : note);
  }
  return notes.length > 0 ? notes : [file];
}

/**
 * Check the Ed25519 signature by (keyName, publicKey) on a signed note and return its text. Other
 * signers' lines are ignored, as signed-note verifiers do.
 */
export function openNote(note: string, keyName: string, publicKey: Buffer): string {
  assertKeyName(keyName);
  const id = computeKeyId(keyName, publicKey);
  const { text, signatures } = parseSignedNote(note);
  const named = signatures.filter((s) => s.keyName === keyName);
  if (named.length === 0) {
    const signers = [...new Set(signatures.map((s) => s.keyName))].join(', ');
    fail('unknown_key', `not signed by key "${keyName}" (signed by: ${signers})`);
  }
  const mine = named.filter((s) => s.keyId.equals(id));
  if (mine.length === 0) {
    const seen = named.map((s) => s.keyId.toString('hex')).join(', ');
    fail(
      'key_id_mismatch',
      `signature by "${keyName}" has key ID ${seen}, but the given public key has key ID ${id.toString('hex')}`,
    );
  }
  if (mine.length > 1)
    fail('malformed', `more than one signature by key "${keyName}" (${id.toString('hex')})`);
  const { signature } = mine[0]!;
  if (signature.length !== 64) {
    fail(
      'bad_signature',
      `signature by "${keyName}" is ${signature.length} bytes, an Ed25519 signature is 64`,
    );
  }
  if (!verify(null, Buffer.from(text, 'utf8'), publicKeyFromRaw(publicKey), signature)) {
    fail('bad_signature', `signature by "${keyName}" does not verify over the note text`);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
  /** The `timestamp` extension line's value (ISO 8601 UTC), when present; it is signed. */
  timestamp?: string;
  /** All extension lines after the root hash, in order (the timestamp line included). */
  extensions: string[];
}

export interface ParsedCheckpoint extends Checkpoint {
  /** The signed text (everything above the blank line, final newline included). */
  text: string;
  signatures: NoteSignature[];
}

/**
 * The checkpoint note text: `origin\nsize\nbase64(root)\n`, then one line per extension. These are
 * exactly the bytes the signature covers.
 */
export function checkpointText(
  origin: string,
  treeSize: number | bigint,
  rootHash: Buffer,
  extensions: readonly string[] = [],
): string {
  if (typeof origin !== 'string' || origin === '' || origin.includes('\n') || hasControl(origin)) {
    fail('malformed', `checkpoint origin ${JSON.stringify(origin)}: must be one non-empty line`);
  }
  const size =
    typeof treeSize === 'bigint' ? treeSize : Number.isSafeInteger(treeSize) ? BigInt(treeSize) : -1n;
  if (size < 0n || size > MAX_UINT64)
    fail('malformed', `checkpoint tree size ${String(treeSize)}: not a uint64`);
  if (!Buffer.isBuffer(rootHash) || rootHash.length !== ROOT_HASH_BYTES) {
    fail('malformed', `checkpoint root hash must be ${ROOT_HASH_BYTES} bytes`);
  }
  for (const line of extensions) {
    if (line === '' || line.includes('\n') || hasControl(line)) {
      fail('malformed', `checkpoint extension line ${JSON.stringify(line)}: must be one non-empty line`);
    }
  }
  const head = `${origin}\n${size.toString(10)}\n${rootHash.toString('base64')}\n`;
  return head + extensions.map((l) => `${l}\n`).join('');
}

/** The extension line carrying a timestamp (ISO 8601 UTC with milliseconds, as Date#toISOString). */
export function timestampExtension(timestamp: string | Date): string {
  return `${TIMESTAMP_EXTENSION} ${canonicalTimestamp(timestamp)}`;
}

/**
 * Sign a tree head. The origin is the key name. With `timestamp`, the line `timestamp <ISO>` is
 * added after the root, so the time is signed along with size and root.
 * Returns the whole signed note, the raw 64-byte signature, and the signed text.
 */
export function signCheckpoint(
  key: LogKey,
  treeSize: number | bigint,
  rootHash: Buffer,
  options: { timestamp?: string | Date } = {},
): { note: string; signature: Buffer; text: string } {
  const extensions = options.timestamp === undefined ? [] : [timestampExtension(options.timestamp)];
  const text = checkpointText(key.name, treeSize, rootHash, extensions);
  const { note, signature } = signNote(key, text);
  return { note, signature, text };
}

/** Parse a signed checkpoint (no signature is checked; use verifyCheckpoint for that). */
export function parseCheckpoint(note: string): ParsedCheckpoint {
  const { text, signatures } = parseSignedNote(note);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) {
    fail(
      'malformed',
      `checkpoint: expected origin, tree size and root hash lines, got ${lines.length} line(s)`,
    );
  }
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') fail('malformed', 'checkpoint: empty origin line');
  if (!/^[0-9]+$/.test(sizeLine))
    fail('malformed', `checkpoint: tree size ${JSON.stringify(sizeLine)} is not decimal`);
  if (sizeLine.length > 1 && sizeLine.startsWith('0')) {
    fail('malformed', `checkpoint: tree size ${JSON.stringify(sizeLine)} has leading zeros`);
  }
  const size = BigInt(sizeLine);
  if (size > MAX_UINT64) fail('malformed', `checkpoint: tree size ${sizeLine} exceeds uint64`);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) {
    fail(
      'malformed',
      `checkpoint: tree size ${sizeLine} exceeds what this implementation handles (2^53 - 1)`,
    );
  }
  const rootHash = decodeBase64(rootLine, 'checkpoint: root hash', 'malformed');
  if (rootHash.length !== ROOT_HASH_BYTES) {
    fail('malformed', `checkpoint: root hash is ${rootHash.length} bytes, expected ${ROOT_HASH_BYTES}`);
  }
  let timestamp: string | undefined;
  for (const line of extensions) {
    if (line === '') fail('malformed', 'checkpoint: empty extension line');
    if (line.startsWith(`${TIMESTAMP_EXTENSION} `)) {
      if (timestamp !== undefined) fail('malformed', 'checkpoint: more than one timestamp line');
      const value = line.slice(TIMESTAMP_EXTENSION.length + 1);
      if (!isCanonicalTimestamp(value))
        fail('malformed', `checkpoint: timestamp ${JSON.stringify(value)} is not ISO 8601 UTC`);
      timestamp = value;
    }
  }
  return {
    origin,
    treeSize: Number(size),
    rootHash,
    ...(timestamp === undefined ? {} : { timestamp }),
    extensions,
    text,
    signatures,
  };
}

/**
 * Verify a signed checkpoint against one key: by its name and 32-byte public key, or by a vkey
 * string alone. Throws a CheckpointError whose `reason` says why (malformed, unknown_key,
 * key_id_mismatch, bad_signature, origin_mismatch). With `options.origin`, the origin line must match
 * it (C2SP: verifiers check the origin they expect).
 */
export function verifyCheckpoint(
  note: string,
  keyNameOrVerifierKey: string,
  publicKey?: Buffer,
  options: { origin?: string } = {},
): Checkpoint {
  let keyName = keyNameOrVerifierKey;
  let key = publicKey;
  if (key === undefined) ({ name: keyName, publicKey: key } = parseVerifierKey(keyNameOrVerifierKey));
  // Parse first: a malformed note is reported as malformed, whoever signed it.
  const parsed = parseCheckpoint(note);
  openNote(note, keyName, key);
  if (options.origin !== undefined && parsed.origin !== options.origin) {
    fail('origin_mismatch', `checkpoint origin "${parsed.origin}" is not the expected "${options.origin}"`);
  }
  const { origin, treeSize, rootHash, timestamp, extensions } = parsed;
  return { origin, treeSize, rootHash, ...(timestamp === undefined ? {} : { timestamp }), extensions };
}

// ---------------------------------------------------------------------------------------------
// JSON head for GET /v1/audit/head

export interface HeadJson {
  tree_size: number;
  /** Lowercase hex, 64 digits. */
  root_hash: string;
  /** ISO 8601 UTC. */
  timestamp: string;
  /** Lowercase hex of the raw 64-byte Ed25519 signature over the checkpoint text. */
  signature: string;
  /** Lowercase hex of the 32-byte raw Ed25519 public key. */
  public_key: string;
  /** The whole signed note (C2SP tlog-checkpoint), for checkpoint-aware tools. */
  checkpoint: string;
}

/**
 * The JSON form of a signed head. What `signature` signs: the UTF-8 bytes of the checkpoint text —
 * `origin\ntree_size\nbase64(root)\n` plus, when the head was signed with a timestamp, the line
 * `timestamp <ISO>\n` — i.e. every line of `checkpoint` above the blank line. So with Credence's
 * heads (always cut with the timestamp line) the timestamp is signed; a note without that line
 * carries `timestamp` alongside, unsigned. The inputs must agree with the note (size, root, timestamp
 * if signed) and the note must carry a valid signature by `publicKey`; otherwise this throws.
 */
export function headJson(head: {
  treeSize: number | bigint;
  rootHash: Buffer;
  timestamp: string | Date;
  note: string;
  publicKey: Buffer;
}): HeadJson {
  const parsed = parseCheckpoint(head.note);
  const timestamp = canonicalTimestamp(head.timestamp);
  if (BigInt(parsed.treeSize) !== BigInt(head.treeSize)) {
    fail('head_mismatch', `head: tree size ${head.treeSize} but the checkpoint says ${parsed.treeSize}`);
  }
  if (!parsed.rootHash.equals(head.rootHash))
    fail('head_mismatch', 'head: root hash differs from the checkpoint');
  if (parsed.timestamp !== undefined && parsed.timestamp !== timestamp) {
    fail('head_mismatch', `head: timestamp ${timestamp} but the checkpoint signs ${parsed.timestamp}`);
  }
  const mine = parsed.signatures.find((s) => s.keyId.equals(computeKeyId(s.keyName, head.publicKey)));
  if (mine === undefined)
    return fail('unknown_key', 'head: the checkpoint carries no signature by this public key');
  openNote(head.note, mine.keyName, head.publicKey);
  return {
    tree_size: parsed.treeSize,
    root_hash: parsed.rootHash.toString('hex'),
    timestamp,
    signature: mine.signature.toString('hex'),
    public_key: head.publicKey.toString('hex'),
    checkpoint: head.note,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Note text: non-empty, valid UTF-8, ends in a newline, no control characters other than newline. */
function assertNoteText(text: string): void {
  if (typeof text !== 'string' || text === '') fail('malformed', 'signed note: empty text');
  if (!text.endsWith('\n')) fail('malformed', 'signed note: text does not end in a newline');
  if (hasControl(text.replaceAll('\n', '')))
    fail('malformed', 'signed note: text contains control characters');
  if (/\p{Cs}/u.test(text)) fail('malformed', 'signed note: text is not valid UTF-8 (lone surrogate)');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
function hasControl(s: string): boolean {
  return CONTROL.test(s);
}

/** Strict standard base64 (with padding, canonical): Buffer.from(…, 'base64') alone accepts anything. */
function decodeBase64(s: string, what: string, reason: CheckpointFailure): Buffer {
  if (s === '' || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) {
    return fail(reason, `${what}: bad base64`);
  }
  const bytes = Buffer.from(s, 'base64');
  if (bytes.toString('base64') !== s) fail(reason, `${what}: bad base64 (non-canonical)`);
  return bytes;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
function isCanonicalTimestamp(s: string): boolean {
  if (!ISO_UTC.test(s)) return false;
  const t = Date.parse(s);
  return Number.isFinite(t) && new Date(t).toISOString() === s;
}

function canonicalTimestamp(timestamp: string | Date): string {
  if (timestamp instanceof Date) {
    if (Number.isNaN(timestamp.getTime())) fail('malformed', 'timestamp: invalid date');
    return timestamp.toISOString();
  }
  if (!isCanonicalTimestamp(timestamp)) {
    fail(
      'malformed',
      `timestamp ${JSON.stringify(timestamp)}: expected ISO 8601 UTC like 2025-01-02T03:04:05.678Z`,
    );
  }
  return timestamp;
}
