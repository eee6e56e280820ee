/**
 * Outbox capability: delivers the notifications the lists decide (product rule 8: warning before
 * punishment) to the messaging gateway that tells subjects by SMS, e-mail or app message — signed,
 * idempotent, retried with backoff, audited on the subject's trail. Other capabilities, the CLI
 * and the server import from here only.
 */

export { type OutboxDelivery, type OutboxDeliveryOptions, startOutboxDelivery } from './background.ts';
export {
  type DeliverOutboxDeps,
  type DeliverOutboxInput,
  type DeliverOutboxResult,
  deliverOutbox,
  getOutboxStatus,
  OUTBOX_DEFAULTS,
  OUTBOX_SENDER,
  type OutboxProblem,
  type OutboxStatus,
  requeueOutbox,
  retryDelayMs,
} from './deliver.ts';
export {
  type FetchLike,
  IDEMPOTENCY_HEADER,
  idempotencyKey,
  SIGNATURE_HEADER,
  signBody,
  verifySignature,
  type WebhookBody,
  webhookBody,
} from './webhook.ts';
