/**
 * The HTTP shapes of a subject's evidence, which objections and repair applications share (both
 * checked against policies/due-process.yaml `objections.evidence`): files sent in base64, files
 * described in answers, and a file sent back for download.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { inputObject } from './input.ts';
import { documentHeaders } from './security-headers.ts';

/** Evidence as a subject sends it: text, files or both (each route describes its own). */
export const evidenceInputSchema = inputObject({
  text: z.string().nullish(),
  attachments: z
    .array(
      inputObject({
        name: z.string(),
        media_type: z.string(),
        content_base64: z.string().describe('the file, base64 (RFC 4648)'),
      }),
    )
    .nullish(),
});

/** Evidence as kept: its text and the description of each file (read one at a time). */
export const evidenceSchema = z.object({
  text: z.string().nullable(),
  attachments: z.array(
    z.object({ name: z.string(), media_type: z.string(), bytes: z.number().int(), sha256: z.string() }),
  ),
});

/** One file of evidence as a download, with its media type and name. */
export const sendAttachment = (
  reply: FastifyReply,
  file: { name: string; mediaType: string; content: Uint8Array },
) =>
  documentHeaders(reply)
    .header('content-type', file.mediaType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    // A subject's upload is never run or rendered as something else by the reader's browser.
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(Buffer.from(file.content));
