import { createHash, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  type CheckpointFailure,
  checkpointText,
  computeKeyId,
  ensureLogKey,
  generateLogKey,
  headJson,
  LOG_KEY_FILE,
  loadLogKey,
  logKeyFrom,
  openNote,
  parseCheckpoint,
  parseSignedNote,
  parseVerifierKey,
  rawPublicKey,
  signCheckpoint,
  signNote,
  splitSignedNotes,
  verifierKey,
  verifyCheckpoint,
} from './checkpoint.ts';

const ORIGIN = 'credence.example/audit';
/** Root hash 0x00 0x01 … 0x1f. */
const ROOT = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const ROOT_B64 = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const TS = '2025-01-02T03:04:05.678Z';

const newKey = (name = ORIGIN) => logKeyFrom(name, generateLogKey().privateKeyPem);

/** Run f, expect a CheckpointError with this reason, return its message. */
function reasonOf(f: () => unknown, reason: CheckpointFailure): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    expect((e as CheckpointError).reason).toBe(reason);
    return (e as Error).message;
  }
  throw new Error(`expected a CheckpointError (${reason}), nothing was thrown`);
}

// --- Written from the format alone (C2SP signed-note / tlog-checkpoint), not from the module ----
/** SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]. */
const keyIdByHand = (name: string, pub: Buffer) =>
  createHash('sha256')
    .update(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0x0a]), Buffer.from([0x01]), pub]))
    .digest()
    .subarray(0, 4);
/** RFC 8410 SubjectPublicKeyInfo for a raw Ed25519 key. */
const spkiDerFromRaw = (raw: Buffer) => Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
/** RFC 8410 PKCS#8 for a raw 32-byte Ed25519 seed. */
const pkcs8DerFromSeed = (seed: Buffer) =>
  Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);

/** An outsider's verifier: split the note, find the line for (name, key), check Ed25519 over the text. */
function outsiderVerify(note: string, name: string, raw: Buffer): boolean {
  const at = note.lastIndexOf('\n\n');
  const text = note.slice(0, at + 1);
  const lines = note
    .slice(at + 2)
    .split('\n')
    .filter(Boolean);
  const line = lines.find((l) => l.startsWith(`\u2014 ${name} `));
  if (line === undefined) return false;
  const blob = Buffer.from(line.slice(`\u2014 ${name} `.length), 'base64');
  if (!blob.subarray(0, 4).equals(keyIdByHand(name, raw))) return false;
  const pub = createPublicKey({ key: spkiDerFromRaw(raw), format: 'der', type: 'spki' });
  return verify(null, Buffer.from(text, 'utf8'), pub, blob.subarray(4));
}

describe('checkpoint text', () => {
  it('is exactly origin, size, base64 root, each with a newline (golden)', () => {
    expect(checkpointText(ORIGIN, 5, ROOT)).toBe(`credence.example/audit\n5\n${ROOT_B64}\n`);
    expect(ROOT.toString('base64')).toBe(ROOT_B64);
    expect(checkpointText(ORIGIN, 0n, ROOT)).toBe(`credence.example/audit\n0\n${ROOT_B64}\n`);
    expect(checkpointText(ORIGIN, 10_000_000, ROOT, [`timestamp ${TS}`])).toBe(
      `credence.example/audit\n10000000\n${ROOT_B64}\ntimestamp 2025-01-02T03:04:05.678Z\n`,
    );
  });

  it('refuses bad inputs', () => {
    reasonOf(() => checkpointText(ORIGIN, -1, ROOT), 'malformed');
    reasonOf(() => checkpointText(ORIGIN, 1.5, ROOT), 'malformed');
    reasonOf(() => checkpointText(ORIGIN, 1, ROOT.subarray(1)), 'malformed');
    reasonOf(() => checkpointText('a\nb', 1, ROOT), 'malformed');
    reasonOf(() => checkpointText('', 1, ROOT), 'malformed');
    reasonOf(() => checkpointText(ORIGIN, 1, ROOT, ['']), 'malformed');
  });

  it('the signed note is the text, a blank line and one em-dash signature line (golden layout)', () => {
    const key = newKey();
    const { note, signature, text } = signCheckpoint(key, 5, ROOT);
    expect(text).toBe(`credence.example/audit\n5\n${ROOT_B64}\n`);
    const blob = Buffer.concat([keyIdByHand(ORIGIN, key.publicKey), signature]).toString('base64');
    expect(note).toBe(`${text}\n\u2014 credence.example/audit ${blob}\n`);
    expect(signature).toHaveLength(64);
  });
});

describe('sign → parse → verify', () => {
  it('round-trips without a timestamp', () => {
    const key = newKey();
    const { note } = signCheckpoint(key, 1234, ROOT);
    const parsed = parseCheckpoint(note);
    expect(parsed.origin).toBe(ORIGIN);
    expect(parsed.treeSize).toBe(1234);
    expect(parsed.rootHash.equals(ROOT)).toBe(true);
    expect(parsed.timestamp).toBeUndefined();
    expect(parsed.extensions).toEqual([]);
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]!.keyName).toBe(ORIGIN);
    expect(parsed.signatures[0]!.keyId.equals(key.keyId)).toBe(true);
    const v = verifyCheckpoint(note, ORIGIN, key.publicKey);
    expect(v).toEqual({ origin: ORIGIN, treeSize: 1234, rootHash: ROOT, extensions: [] });
  });

  it('signs the timestamp as an extension line, and parse/verify return it', () => {
    const key = newKey();
    const { note, text } = signCheckpoint(key, 7, ROOT, { timestamp: new Date(TS) });
    expect(text).toBe(`credence.example/audit\n7\n${ROOT_B64}\ntimestamp ${TS}\n`);
    expect(parseCheckpoint(note).timestamp).toBe(TS);
    const v = verifyCheckpoint(note, ORIGIN, key.publicKey);
    expect(v.timestamp).toBe(TS);
    expect(v.extensions).toEqual([`timestamp ${TS}`]);
    // The timestamp is signed: changing it breaks the signature.
    const moved = note.replace(TS, '2025-01-02T03:04:05.679Z');
    expect(reasonOf(() => verifyCheckpoint(moved, ORIGIN, key.publicKey), 'bad_signature')).toMatch(
      /does not verify/,
    );
  });

  it('keeps unknown extension lines (signed, passed through)', () => {
    const key = newKey();
    const text = checkpointText(ORIGIN, 3, ROOT, ['other extension', `timestamp ${TS}`]);
    const { note } = signNote(key, text);
    const v = verifyCheckpoint(note, ORIGIN, key.publicKey);
    expect(v.extensions).toEqual(['other extension', `timestamp ${TS}`]);
    expect(v.timestamp).toBe(TS);
  });

  it('verifies with the vkey string alone and checks the expected origin', () => {
    const key = newKey();
    const { note } = signCheckpoint(key, 9, ROOT);
    expect(verifyCheckpoint(note, verifierKey(key)).treeSize).toBe(9);
    expect(verifyCheckpoint(note, ORIGIN, key.publicKey, { origin: ORIGIN }).treeSize).toBe(9);
    reasonOf(
      () => verifyCheckpoint(note, ORIGIN, key.publicKey, { origin: 'other.example/log' }),
      'origin_mismatch',
    );
  });

  it('an outsider verifies the signature from the format alone', () => {
    const key = newKey();
    const { note, text, signature } = signCheckpoint(key, 42, ROOT, { timestamp: TS });
    expect(outsiderVerify(note, ORIGIN, key.publicKey)).toBe(true);
    const pub = createPublicKey({ key: spkiDerFromRaw(key.publicKey), format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(text, 'utf8'), pub, signature)).toBe(true);
    expect(outsiderVerify(note.replace('\n42\n', '\n43\n'), ORIGIN, key.publicKey)).toBe(false);
  });
});

describe('tampering and wrong keys fail with a reason', () => {
  const key = newKey();
  const { note } = signCheckpoint(key, 1000, ROOT, { timestamp: TS });

  it('a flipped bit in the root', () => {
    const root = Buffer.from(ROOT);
    root[31]! ^= 0x01;
    const tampered = note.replace(ROOT_B64, root.toString('base64'));
    expect(tampered).not.toBe(note);
    expect(parseCheckpoint(tampered).rootHash.equals(root)).toBe(true);
    reasonOf(() => verifyCheckpoint(tampered, ORIGIN, key.publicKey), 'bad_signature');
  });

  it('a flipped bit in the size', () => {
    // '1000' → '1001': '0' (0x30) with its low bit flipped is '1' (0x31).
    const tampered = note.replace('\n1000\n', '\n1001\n');
    expect(parseCheckpoint(tampered).treeSize).toBe(1001);
    reasonOf(() => verifyCheckpoint(tampered, ORIGIN, key.publicKey), 'bad_signature');
  });

  it('a flipped bit in the signature', () => {
    const line = note.slice(note.lastIndexOf('\n\n') + 2, -1);
    const blob = Buffer.from(line.split(' ')[2]!, 'base64');
    blob[4 + 10]! ^= 0x80; // inside the signature, after the 4-byte key ID
    const tampered = note.replace(line, `\u2014 ${ORIGIN} ${blob.toString('base64')}`);
    expect(reasonOf(() => verifyCheckpoint(tampered, ORIGIN, key.publicKey), 'bad_signature')).toMatch(
      /does not verify/,
    );
  });

  it('a flipped bit in the key ID', () => {
    const line = note.slice(note.lastIndexOf('\n\n') + 2, -1);
    const blob = Buffer.from(line.split(' ')[2]!, 'base64');
    blob[0]! ^= 0x01;
    const tampered = note.replace(line, `\u2014 ${ORIGIN} ${blob.toString('base64')}`);
    reasonOf(() => verifyCheckpoint(tampered, ORIGIN, key.publicKey), 'key_id_mismatch');
  });

  it('a wrong key with the same name: key ID mismatch', () => {
    const other = newKey();
    expect(reasonOf(() => verifyCheckpoint(note, ORIGIN, other.publicKey), 'key_id_mismatch')).toMatch(
      /key ID/,
    );
    expect(outsiderVerify(note, ORIGIN, other.publicKey)).toBe(false);
  });

  it('a key of another name: unknown key', () => {
    expect(reasonOf(() => verifyCheckpoint(note, 'someone.else/log', key.publicKey), 'unknown_key')).toMatch(
      /not signed by key "someone\.else\/log"/,
    );
  });

  it('a signature truncated to a wrong length', () => {
    const line = note.slice(note.lastIndexOf('\n\n') + 2, -1);
    const blob = Buffer.from(line.split(' ')[2]!, 'base64').subarray(0, 40);
    const tampered = note.replace(line, `\u2014 ${ORIGIN} ${blob.toString('base64')}`);
    reasonOf(() => verifyCheckpoint(tampered, ORIGIN, key.publicKey), 'bad_signature');
  });
});

describe('malformed notes are refused with a clear message', () => {
  const key = newKey();
  const { note } = signCheckpoint(key, 12, ROOT);
  const sigLine = note.slice(note.lastIndexOf('\n\n') + 1);

  const cases: Array<[string, string, RegExp]> = [
    ['missing blank line', note.replace('\n\n', '\n'), /missing the blank line/],
    ['no signature lines', `${checkpointText(ORIGIN, 12, ROOT)}\n`, /no signature lines/],
    ['no final newline', note.slice(0, -1), /does not end in a newline/],
    ['signature line without em dash', note.replace('\u2014 ', '- '), /does not start with "— "/],
    ['bad base64 signature', note.replace(/ (\S+)\n$/, ' not*base64\n'), /bad base64/],
    ['size not decimal', note.replace('\n12\n', '\n0x0c\n'), /not decimal/],
    ['negative size', note.replace('\n12\n', '\n-12\n'), /not decimal/],
    ['size with leading zeros', note.replace('\n12\n', '\n012\n'), /leading zeros/],
    ['size beyond 2^53', note.replace('\n12\n', '\n18446744073709551615\n'), /2\^53/],
    ['size beyond uint64', note.replace('\n12\n', '\n18446744073709551616\n'), /exceeds uint64/],
    [
      'bad base64 root',
      note.replace(ROOT_B64, 'AAEC!wQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='),
      /root hash: bad base64/,
    ],
    ['root without padding', note.replace(ROOT_B64, ROOT_B64.slice(0, -1)), /root hash: bad base64/],
    [
      'root not 32 bytes',
      note.replace(ROOT_B64, Buffer.alloc(31).toString('base64')),
      /root hash is 31 bytes/,
    ],
    ['too few lines', `${ORIGIN}\n12\n${sigLine}`, /got 2 line/],
    ['bad timestamp', note.replace(`${ROOT_B64}\n`, `${ROOT_B64}\ntimestamp yesterday\n`), /not ISO 8601/],
    ['control character', note.replace(ORIGIN, 'credence\texample'), /control characters/],
  ];
  for (const [what, bad, message] of cases) {
    it(what, () => {
      expect(reasonOf(() => parseCheckpoint(bad), 'malformed')).toMatch(message);
      reasonOf(() => verifyCheckpoint(bad, ORIGIN, key.publicKey), 'malformed');
    });
  }

  it('a size of 0 is fine (no leading-zero false alarm)', () => {
    expect(parseCheckpoint(signCheckpoint(key, 0, ROOT).note).treeSize).toBe(0);
  });
});

describe('a file of notes', () => {
  const key = newKey();
  const a = signCheckpoint(key, 12, ROOT, { timestamp: TS }).note;
  const b = signCheckpoint(key, 13, ROOT).note;

  it('gives each note appended to it, whatever blank lines lie between and after them', () => {
    expect(splitSignedNotes(a)).toEqual([a]);
    expect(splitSignedNotes(`${a}\n\n`)).toEqual([a]);
    expect(splitSignedNotes(`${a}\n${b}\n`)).toEqual([a, b]);
    expect(splitSignedNotes(`\n${a}${b}`)).toEqual([a, b]);
    for (const note of splitSignedNotes(`${a}\n${b}`)) verifyCheckpoint(note, ORIGIN, key.publicKey);
  });

  it('leaves what is no note for the verifier to refuse', () => {
    expect(splitSignedNotes('')).toEqual(['']);
    expect(splitSignedNotes(a.slice(0, -1))).toEqual([a.slice(0, -1)]);
    const [first, second] = splitSignedNotes(`${a}\nnot a note\n`);
    expect(first).toBe(a);
    reasonOf(() => verifyCheckpoint(second!, ORIGIN, key.publicKey), 'malformed');
  });
});

describe('keys', () => {
  it('the key ID is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], by hand', () => {
    const key = newKey();
    const byHand = keyIdByHand(ORIGIN, key.publicKey);
    expect(key.keyId.equals(byHand)).toBe(true);
    expect(computeKeyId(ORIGIN, key.publicKey).equals(byHand)).toBe(true);
    expect(key.keyId).toHaveLength(4);
  });

  it('rawPublicKey is the last 32 bytes of the SPKI DER, from the private or public KeyObject', () => {
    const { privateKeyPem, publicKey } = generateLogKey();
    expect(publicKey).toHaveLength(32);
    const { privateKey, publicKey: loaded } = loadLogKey(privateKeyPem);
    expect(loaded.equals(publicKey)).toBe(true);
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    expect(spki.equals(spkiDerFromRaw(publicKey))).toBe(true);
    expect(rawPublicKey(createPublicKey(privateKey)).equals(publicKey)).toBe(true);
  });

  it('loadLogKey refuses garbage and non-Ed25519 keys', () => {
    reasonOf(() => loadLogKey('not a pem'), 'invalid_key');
    const p256 = createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
        x: 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4',
        y: '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM',
      },
      format: 'jwk',
    });
    const pem = p256.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(reasonOf(() => loadLogKey(pem), 'invalid_key')).toMatch(/Ed25519/);
  });

  it('key names must not contain spaces or +', () => {
    const { privateKeyPem } = generateLogKey();
    reasonOf(() => logKeyFrom('a b', privateKeyPem), 'invalid_key');
    reasonOf(() => logKeyFrom('a+b', privateKeyPem), 'invalid_key');
    reasonOf(() => logKeyFrom('', privateKeyPem), 'invalid_key');
  });

  describe('ensureLogKey', () => {
    const dirs: string[] = [];
    afterEach(() => {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });

    it('creates dir/audit-log-key.pem with mode 0600 once, then loads the same key', () => {
      const base = mkdtempSync(join(tmpdir(), 'credence-checkpoint-'));
      dirs.push(base);
      const dir = join(base, 'data');
      const first = ensureLogKey(dir, 'credence.local/audit');
      const file = join(dir, LOG_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const pem = readFileSync(file, 'utf8');
      expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(first.name).toBe('credence.local/audit');
      expect(first.publicKey).toHaveLength(32);
      expect(first.keyId.equals(keyIdByHand('credence.local/audit', first.publicKey))).toBe(true);

      const again = ensureLogKey(dir, 'credence.local/audit');
      expect(again.publicKey.equals(first.publicKey)).toBe(true);
      expect(again.keyId.equals(first.keyId)).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(pem); // not rewritten
      // No temporary files are left behind.
      expect(readdirSync(dir)).toEqual([LOG_KEY_FILE]);

      // A head signed with the first handle verifies with the second's public key.
      const { note } = signCheckpoint(first, 1, ROOT);
      expect(verifyCheckpoint(note, again.name, again.publicKey).treeSize).toBe(1);
    });
  });
});

describe('verifier keys (vkey)', () => {
  it('round-trips and has the documented shape', () => {
    const key = newKey();
    const vkey = verifierKey(key);
    const material = Buffer.concat([Buffer.from([0x01]), key.publicKey]).toString('base64');
    expect(vkey).toBe(`${ORIGIN}+${keyIdByHand(ORIGIN, key.publicKey).toString('hex')}+${material}`);
    const parsed = parseVerifierKey(vkey);
    expect(parsed.name).toBe(ORIGIN);
    expect(parsed.publicKey.equals(key.publicKey)).toBe(true);
    expect(parsed.keyId.equals(key.keyId)).toBe(true);
  });

  it('refuses a wrong key ID, a wrong algorithm and broken strings', () => {
    const key = newKey();
    const vkey = verifierKey(key);
    const [name, id, material] = [ORIGIN, key.keyId.toString('hex'), vkey.slice(ORIGIN.length + 10)];
    const wrongId = ((Number.parseInt(id, 16) ^ 1) >>> 0).toString(16).padStart(8, '0');
    reasonOf(() => parseVerifierKey(`${name}+${wrongId}+${material}`), 'key_id_mismatch');
    const alg4 = Buffer.concat([Buffer.from([0x04]), key.publicKey]).toString('base64');
    expect(reasonOf(() => parseVerifierKey(`${name}+${id}+${alg4}`), 'invalid_key')).toMatch(
      /algorithm 0x04/,
    );
    reasonOf(() => parseVerifierKey(`${name}+${id}`), 'invalid_key');
    reasonOf(() => parseVerifierKey(`${name}+xyz+${material}`), 'invalid_key');
    reasonOf(() => parseVerifierKey(`${name}+${id}+${material.slice(0, -4)}`), 'invalid_key');
  });
});

describe('interoperability: the golang.org/x/mod/sumdb/note example', () => {
  // From the package documentation of golang.org/x/mod/sumdb/note (Ed25519 is deterministic, so
  // signing the same text with the same key must give the same bytes).
  const skey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const vkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const text =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
  const goNote =
    text +
    '\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

  it('parses the Go vkey and verifies the Go note', () => {
    const { name, publicKey, keyId } = parseVerifierKey(vkey);
    expect(name).toBe('PeterNeumann');
    expect(keyId.toString('hex')).toBe('c74f20a3');
    expect(openNote(goNote, name, publicKey)).toBe(text);
    expect(parseSignedNote(goNote).signatures[0]!.keyId.toString('hex')).toBe('c74f20a3');
    reasonOf(
      () => openNote(goNote.replace('cryptography', 'cryptographY'), name, publicKey),
      'bad_signature',
    );
  });

  it('signs the same bytes as Go from the same private key', () => {
    const seed = Buffer.from(skey.split('+').slice(4).join('+'), 'base64');
    expect(seed[0]).toBe(0x01);
    const privateKey = createPrivateKey({
      key: pkcs8DerFromSeed(seed.subarray(1)),
      format: 'der',
      type: 'pkcs8',
    });
    const key = logKeyFrom('PeterNeumann', privateKey);
    expect(verifierKey(key)).toBe(vkey);
    expect(signNote(key, text).note).toBe(goNote);
  });
});

describe('headJson', () => {
  const key = newKey();
  const { note, signature } = signCheckpoint(key, 77, ROOT, { timestamp: TS });

  it('gives lowercase hex fields, the raw signature and the note', () => {
    const head = headJson({ treeSize: 77, rootHash: ROOT, timestamp: TS, note, publicKey: key.publicKey });
    expect(head).toEqual({
      tree_size: 77,
      root_hash: ROOT.toString('hex'),
      timestamp: TS,
      signature: signature.toString('hex'),
      public_key: key.publicKey.toString('hex'),
      checkpoint: note,
    });
    expect(head.root_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(head.signature).toMatch(/^[0-9a-f]{128}$/);
    expect(head.public_key).toMatch(/^[0-9a-f]{64}$/);
    // An outsider checks the JSON: the signature covers the checkpoint text, timestamp line included.
    const textByHand = `${ORIGIN}\n77\n${Buffer.from(head.root_hash, 'hex').toString('base64')}\ntimestamp ${head.timestamp}\n`;
    const pub = createPublicKey({
      key: spkiDerFromRaw(Buffer.from(head.public_key, 'hex')),
      format: 'der',
      type: 'spki',
    });
    expect(verify(null, Buffer.from(textByHand, 'utf8'), pub, Buffer.from(head.signature, 'hex'))).toBe(true);
  });

  it('refuses inputs that disagree with the note, or a key that did not sign it', () => {
    const base = { treeSize: 77, rootHash: ROOT, timestamp: TS, note, publicKey: key.publicKey };
    reasonOf(() => headJson({ ...base, treeSize: 78 }), 'head_mismatch');
    reasonOf(() => headJson({ ...base, rootHash: Buffer.alloc(32) }), 'head_mismatch');
    reasonOf(() => headJson({ ...base, timestamp: '2025-01-02T03:04:06.000Z' }), 'head_mismatch');
    reasonOf(() => headJson({ ...base, publicKey: newKey().publicKey }), 'unknown_key');
  });
});
