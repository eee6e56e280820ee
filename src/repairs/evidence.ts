/**
 * What a subject sends with a repair application: its public credit commitment and proof of
 * performance, checked against the due-process policy's evidence limits (policies/due-process.yaml
 * `objections.evidence`, the same limits as an objection's): every refusal names the field and the limit.
 */
import { createHash } from 'node:crypto';
import type { DueProcessPolicy } from '../due-process/index.ts';
import { invalidInput } from '../shared/errors.ts';
import type { NewRepairAttachment } from '../store/index.ts';

export interface EvidenceInput {
  text?: string | null | undefined;
  attachments?: { name: string; media_type: string; content_base64: string }[] | null | undefined;
}

/** A commitment, an operator's reasons or message: written, not empty, not a book. */
export const MAX_TEXT_CHARS = 2000;
const MAX_NAME_CHARS = 200;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const LIMITS = 'policies/due-process.yaml objections.evidence';

/** Trimmed text, or a refusal naming the field and the limit. */
export const writtenText = (value: unknown, field: string, what: string): string => {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '')
    throw invalidInput(`${what} must be written: ${field} is empty`, [{ field, message: 'empty' }]);
  if (text.length > MAX_TEXT_CHARS)
    throw invalidInput(`${field} is ${text.length} characters; at most ${MAX_TEXT_CHARS}`, [
      { field, message: `at most ${MAX_TEXT_CHARS} characters` },
    ]);
  return text;
};

/** Proof of performance: text, files, or both — but something. */
export const checkProof = (
  evidence: EvidenceInput | null | undefined,
  limits: DueProcessPolicy['objections']['evidence'],
): { text: string | null; attachments: NewRepairAttachment[] } => {
  const text = evidence?.text?.trim() || null;
  const files = evidence?.attachments ?? [];
  if (!text && files.length === 0)
    throw invalidInput('proof of performance is required: give evidence.text, evidence.attachments or both', [
      { field: 'evidence', message: 'empty' },
    ]);
  if (text && text.length > limits.maxTextChars)
    throw invalidInput(
      `evidence.text is ${text.length} characters; the limit is ${limits.maxTextChars} (${LIMITS}.max_text_chars)`,
      [{ field: 'evidence.text', message: `at most ${limits.maxTextChars} characters` }],
    );
  if (files.length > limits.maxAttachments)
    throw invalidInput(
      `${files.length} attachments; the limit is ${limits.maxAttachments} (${LIMITS}.max_attachments)`,
      [{ field: 'evidence.attachments', message: `at most ${limits.maxAttachments}` }],
    );
  const attachments = files.map((f, i): NewRepairAttachment => {
    const at = `evidence.attachments.${i}`;
    const name = f.name?.trim() ?? '';
    if (name === '' || name.length > MAX_NAME_CHARS)
      throw invalidInput(`${at}.name must be 1 to ${MAX_NAME_CHARS} characters`, [
        { field: `${at}.name`, message: name === '' ? 'empty' : `at most ${MAX_NAME_CHARS} characters` },
      ]);
    if (!limits.mediaTypes.includes(f.media_type))
      throw invalidInput(
        `${at} (${name}) is ${f.media_type}; accepted: ${limits.mediaTypes.join(', ')} (${LIMITS}.media_types)`,
        [{ field: `${at}.media_type`, message: `expected one of ${limits.mediaTypes.join(', ')}` }],
      );
    const b64 = (f.content_base64 ?? '').replace(/\s+/g, '');
    if (b64 === '' || b64.length % 4 !== 0 || !BASE64_RE.test(b64))
      throw invalidInput(`${at}.content_base64 (${name}) is not base64`, [
        { field: `${at}.content_base64`, message: 'expected base64' },
      ]);
    const content = new Uint8Array(Buffer.from(b64, 'base64'));
    if (content.length > limits.maxAttachmentBytes)
      throw invalidInput(
        `${at} (${name}) is ${content.length} bytes; the limit is ${limits.maxAttachmentBytes} (${LIMITS}.max_attachment_bytes)`,
        [{ field: `${at}.content_base64`, message: `at most ${limits.maxAttachmentBytes} bytes` }],
      );
    return {
      name,
      mediaType: f.media_type,
      bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
    };
  });
  return { text, attachments };
};

/** The largest request body an application can need: every file at its limit, base64, and the text. */
export const repairBodyLimit = (limits: DueProcessPolicy['objections']['evidence']): number =>
  Math.ceil((limits.maxAttachments * limits.maxAttachmentBytes * 4) / 3) +
  4 * (limits.maxTextChars + MAX_TEXT_CHARS) +
  64 * 1024;
