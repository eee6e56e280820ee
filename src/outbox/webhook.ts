/**
 * The wire form of one delivery to the messaging gateway: the JSON body, its signature and the
 * POST itself. The gateway turns it into an SMS, e-mail or app message to the subject.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OutboxRow } from '../store/index.ts';

/** What the gateway receives for one notification. */
export interface WebhookBody {
  /** The outbox row; also in the idempotency key, so a retried delivery is recognisable. */
  id: number;
  notification_id: number;
  /** The subject's identifier (resident ID number or Unified Social Credit Code). */
  subject: string;
  kind: string;
  list: string | null;
  /** YYYY-MM-DD: the day of the event the subject is told about. */
  effective: string;
  /** One plain sentence addressed to the subject. */
  message: string;
}

export const SIGNATURE_HEADER = 'x-credence-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, the value of the signature header. */
export const signBody = (body: string, secret: string): string =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/** For a gateway: does this signature header match the body? Constant-time comparison. */
export const verifySignature = (body: string, header: string | undefined, secret: string): boolean => {
  if (!header) return false;
  const want = Buffer.from(signBody(body, secret));
  const got = Buffer.from(header);
  return got.length === want.length && timingSafeEqual(got, want);
};

export const idempotencyKey = (outboxId: number): string => `outbox-${outboxId}`;

/** The body for a row, from the notification as it was queued; throws when the payload is unreadable. */
export const webhookBody = (row: OutboxRow): WebhookBody => {
  const p = JSON.parse(row.payload) as Partial<{
    id: number;
    kind: string;
    listCode: string | null;
    effective: string;
    message: string;
  }>;
  if (typeof p.kind !== 'string' || typeof p.effective !== 'string' || typeof p.message !== 'string') {
    throw new Error('payload lacks kind, effective or message');
  }
  return {
    id: row.id,
    notification_id: row.notificationId,
    subject: row.subjectIdentifier,
    kind: p.kind,
    list: p.listCode ?? null,
    effective: p.effective,
    message: p.message,
  };
};

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** POSTs one body; resolves to null when the gateway took it (2xx), else to the reason it did not. */
export const postToGateway = async (
  body: string,
  outboxId: number,
  opts: { url: string; secret?: string | undefined; fetch: FetchLike; timeoutMs: number },
): Promise<string | null> => {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [IDEMPOTENCY_HEADER]: idempotencyKey(outboxId),
  };
  if (opts.secret) headers[SIGNATURE_HEADER] = signBody(body, opts.secret);
  let res: Response;
  try {
    res = await opts.fetch(opts.url, {
      method: 'POST',
      headers,
      body,
      // A redirect would re-send (or drop) the signed body somewhere not configured: treat it as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (e) {
    return describeNetworkError(e, opts.timeoutMs);
  }
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel().catch(() => {});
    return null;
  }
  const text = await res.text().catch(() => '');
  return clip(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${text ? `: ${text}` : ''}`);
};

const describeNetworkError = (e: unknown, timeoutMs: number): string => {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = err?.cause?.code ?? err?.cause?.message;
  return clip(`${err?.message ?? String(e)}${cause ? ` (${cause})` : ''}`);
};

/** Errors are kept for an operator to read, not as an archive of gateway pages. */
const clip = (s: string): string => (s.length > 500 ? `${s.slice(0, 497)}...` : s);
