/**
 * Configuration, parsed once at start-up (CONVENTIONS.md §6) from the environment and passed in.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { invalidInput } from './shared/errors.ts';
import type { StoreConfig } from './store/index.ts';

const schema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // The messaging gateway that tells subjects about their list entries (src/outbox).
  NOTIFY_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  // The audit log's name: the origin line of its signed tree heads and the name of its key.
  AUDIT_LOG_NAME: z
    .string()
    .regex(/^[^\s+]+$/, 'must be one word without spaces or "+", such as credit.example.gov.cn/audit')
    .default('credence.local/audit'),
  // How often, while serving, the entries committed since the last head are put in the tree and a
  // new signed head is cut.
  AUDIT_HEAD_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(2_000),
});

/** Where notifications are delivered; absent when NOTIFY_WEBHOOK_URL is not set. */
export interface NotifyConfig {
  webhookUrl: string;
  /** Signs each delivery (HMAC-SHA256) so the gateway can tell it came from here. */
  secret?: string;
}

export interface Config {
  dataDir: string;
  store: StoreConfig;
  port: number;
  host: string;
  logLevel: string;
  notify?: NotifyConfig;
  audit: {
    /** The log's name (checkpoint origin and key name); its key is DATA_DIR/audit-log-key.pem. */
    name: string;
    headIntervalMs: number;
  };
}

export const parseConfig = (env: Record<string, string | undefined>): Config => {
  const picked = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const r = schema.safeParse(picked);
  if (!r.success) {
    throw invalidInput(
      'invalid configuration in the environment',
      r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    );
  }
  const c = r.data;
  const dataDir = resolve(c.DATA_DIR);
  return {
    dataDir,
    store: c.DATABASE_URL
      ? { backend: 'postgres', url: c.DATABASE_URL }
      : { backend: 'sqlite', file: resolve(dataDir, 'credence.db') },
    port: c.PORT,
    host: c.HOST,
    logLevel: c.LOG_LEVEL,
    audit: { name: c.AUDIT_LOG_NAME, headIntervalMs: c.AUDIT_HEAD_INTERVAL_MS },
    ...(c.NOTIFY_WEBHOOK_URL
      ? {
          notify: {
            webhookUrl: c.NOTIFY_WEBHOOK_URL,
            ...(c.NOTIFY_WEBHOOK_SECRET ? { secret: c.NOTIFY_WEBHOOK_SECRET } : {}),
          },
        }
      : {}),
  };
};
