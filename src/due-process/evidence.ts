/**
 * What a subject sends with an objection or a repair application, and the written text of every
 * step (a reason, a commitment, an operator's reasons or message): checked against the due-process
 * policy's evidence limits (policies/due-process.yaml `objections.evidence`, which repair
 * applications share). Every refusal names the field and the limit.
 */
import { createHash } from 'node:crypto';
import { invalidInput } from '../shared/errors.ts';
import type { DueProcessPolicy } from './policy.ts';

export type EvidenceLimits = DueProcessPolicy['objections']['evidence'];

/** Evidence as sent: text, files in base64, or both. */
export interface EvidenceInput {
  text?: string | null | undefined;
  attachments?: { name: string; media_type: string; content_base64: string }[] | null | undefined;
}

/** A file of checked evidence, decoded, as the store keeps it. */
export interface EvidenceFile {
  name: string;
  mediaType: string;
  bytes: number;
  /** Hex SHA-256 of the content. */
  sha256: string;
  content: Uint8Array;
}

/** A reason, a commitment, an operator's reasons or message: written, not empty, not a book. */
export const MAX_WRITTEN_CHARS = 2000;
const MAX_NAME_CHARS = 200;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const CONTROL_RE = /[\p{Cc}\u2028\u2029]/u;
const LIMITS = 'policies/due-process.yaml objections.evidence';

/** Trimmed text, or a refusal naming the field and the limit. */
export const writtenText = (value: unknown, field: string, what: string): string => {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '')
    throw invalidInput(`${what} must be written: ${field} is empty`, [{ field, message: 'empty' }]);
  if (text.length > MAX_WRITTEN_CHARS)
    throw invalidInput(
      `${field} is ${text.length} characters; at most ${MAX_WRITTEN_CHARS} (put longer material in evidence)`,
      [{ field, message: `at most ${MAX_WRITTEN_CHARS} characters` }],
    );
  return text;
};

/** The evidence's text (null when none) and its files decoded, or a refusal naming the limit. */
export const checkEvidence = (
  evidence: EvidenceInput | null | undefined,
  limits: EvidenceLimits,
): { text: string | null; attachments: EvidenceFile[] } => {
  const text = evidence?.text?.trim() || null;
  if (text && text.length > limits.maxTextChars)
    throw invalidInput(
      `evidence.text is ${text.length} characters; the limit is ${limits.maxTextChars} (${LIMITS}.max_text_chars)`,
      [{ field: 'evidence.text', message: `at most ${limits.maxTextChars} characters` }],
    );
  const files = evidence?.attachments ?? [];
  if (files.length > limits.maxAttachments)
    throw invalidInput(
      `${files.length} attachments; the limit is ${limits.maxAttachments} (${LIMITS}.max_attachments)`,
      [{ field: 'evidence.attachments', message: `at most ${limits.maxAttachments}` }],
    );
  const attachments = files.map((f, i): EvidenceFile => {
    const at = `evidence.attachments.${i}`;
    const name = f.name?.trim() ?? '';
    if (name === '' || name.length > MAX_NAME_CHARS)
      throw invalidInput(`${at}.name must be 1 to ${MAX_NAME_CHARS} characters`, [
        { field: `${at}.name`, message: name === '' ? 'empty' : `at most ${MAX_NAME_CHARS} characters` },
      ]);
    // A file's name goes into a download's Content-Disposition and onto reviewers' screens: a line
    // break or another control character in it could split a header or forge a line.
    if (CONTROL_RE.test(name))
      throw invalidInput(
        `${at}.name holds a line break or another control character: name the file without one`,
        [{ field: `${at}.name`, message: 'no control characters (CR, LF, tab…)' }],
      );
    if (!limits.mediaTypes.includes(f.media_type))
      throw invalidInput(
        `${at} (${name}) is ${f.media_type}; accepted: ${limits.mediaTypes.join(', ')} (${LIMITS}.media_types)`,
        [{ field: `${at}.media_type`, message: `expected one of ${limits.mediaTypes.join(', ')}` }],
      );
    const b64 = f.content_base64?.replace(/\s+/g, '') ?? '';
    // Refuse an oversized file before decoding it.
    if (Math.floor((b64.length * 3) / 4) - 2 > limits.maxAttachmentBytes)
      throw invalidInput(
        `${at} (${name}) is over the limit of ${limits.maxAttachmentBytes} bytes a file (${LIMITS}.max_attachment_bytes)`,
        [{ field: `${at}.content_base64`, message: `at most ${limits.maxAttachmentBytes} bytes decoded` }],
      );
    if (b64 === '' || b64.length % 4 !== 0 || !BASE64_RE.test(b64))
      throw invalidInput(`${at} (${name}): content_base64 is not base64 (RFC 4648) content`, [
        { field: `${at}.content_base64`, message: b64 === '' ? 'empty' : 'not base64' },
      ]);
    const content = Buffer.from(b64, 'base64');
    if (content.length > limits.maxAttachmentBytes)
      throw invalidInput(
        `${at} (${name}) is ${content.length} bytes; the limit is ${limits.maxAttachmentBytes} a file (${LIMITS}.max_attachment_bytes)`,
        [{ field: `${at}.content_base64`, message: `at most ${limits.maxAttachmentBytes} bytes decoded` }],
      );
    return {
      name,
      mediaType: f.media_type,
      bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content: new Uint8Array(content),
    };
  });
  return { text, attachments };
};

/**
 * The largest request body a subject's application may need under these limits: every file at its
 * limit in base64, the evidence text and one written text, JSON-escaped at worst.
 */
export const evidenceBodyLimit = (limits: EvidenceLimits): number =>
  limits.maxAttachments * (Math.ceil(limits.maxAttachmentBytes / 3) * 4 + 4096) +
  limits.maxTextChars * 6 +
  MAX_WRITTEN_CHARS * 6 +
  64 * 1024;
