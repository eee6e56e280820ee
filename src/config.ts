/**
 * Configuration, parsed once at start-up (CONVENTIONS.md §6) from the environment and passed in.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from './context.ts';
import { invalidInput } from './shared/errors.ts';
import type { StoreConfig } from './store/index.ts';

const schema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  // A hot standby of DATABASE_URL that serves the reads that may lag (checks' loads and change
  // feed, subject files, public lookups) while it is at most REPLICA_MAX_LAG_MS behind.
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
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
  // The zone whose calendar days the platform counts in ("today", future-dated records, clocks).
  TIME_ZONE: z
    .string()
    .default(DEFAULT_TIME_ZONE)
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai or UTC'),
  // Who acts when an operator runs the command line: recorded in every audit entry it causes.
  OPERATOR_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_", "@" or "-"')
    .default('cli'),
  // HTTPS: both files (PEM) or neither.
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  // A bearer token that may read GET /metrics (operators may always).
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  // Requests per minute per credential, and per address for anonymous callers (0: no limit).
  RATE_LIMIT_PER_CREDENTIAL: z.coerce.number().int().min(0).default(600_000),
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(600),
  // The reverse proxies whose X-Forwarded-For names the caller: addresses or CIDR ranges, comma-separated.
  TRUST_PROXY: z
    .string()
    .regex(/^[0-9A-Fa-f:./]+(,\s*[0-9A-Fa-f:./]+)*$/, 'must be addresses or CIDR ranges, comma-separated')
    .optional(),
});

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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
  /** IANA zone whose calendar days the platform counts in (default Asia/Shanghai). */
  timeZone: string;
  /** The command line's actor: `operator:<name>` in the audit log. */
  operatorName: string;
  /** HTTPS certificate and key files, when the API serves HTTPS itself. */
  tls?: { certFile: string; keyFile: string };
  /** A token for GET /metrics besides operators' own. */
  metricsToken?: string;
  /** Requests per minute per credential and per anonymous address; 0 means no limit. */
  rateLimit: { perCredential: number; perAddress: number };
  /** Reverse proxies trusted to name the caller in X-Forwarded-For (none by default). */
  trustProxy?: string[];
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
  const problems: { field: string; message: string }[] = [];
  if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
    const missing = c.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE';
    problems.push({ field: missing, message: 'HTTPS needs both TLS_CERT_FILE and TLS_KEY_FILE' });
  }
  if (c.NOTIFY_WEBHOOK_URL) {
    // Notifications carry personal data: in clear only to a gateway on this machine, and always signed.
    const url = new URL(c.NOTIFY_WEBHOOK_URL);
    if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
      problems.push({
        field: 'NOTIFY_WEBHOOK_URL',
        message: 'must be https:// unless the gateway is on loopback',
      });
    }
    if (!c.NOTIFY_WEBHOOK_SECRET) {
      problems.push({
        field: 'NOTIFY_WEBHOOK_SECRET',
        message: 'required with NOTIFY_WEBHOOK_URL: every delivery is signed',
      });
    }
  }
  if (c.DATABASE_REPLICA_URL && !c.DATABASE_URL) {
    problems.push({
      field: 'DATABASE_REPLICA_URL',
      message: 'a replica serves reads for a PostgreSQL primary: set DATABASE_URL too',
    });
  }
  if (problems.length > 0) throw invalidInput('invalid configuration in the environment', problems);
  const dataDir = resolve(c.DATA_DIR);
  return {
    dataDir,
    store: c.DATABASE_URL
      ? {
          backend: 'postgres',
          url: c.DATABASE_URL,
          ...(c.DATABASE_REPLICA_URL
            ? { replica: { url: c.DATABASE_REPLICA_URL, maxLagMs: c.REPLICA_MAX_LAG_MS } }
            : {}),
        }
      : { backend: 'sqlite', file: resolve(dataDir, 'credence.db') },
    port: c.PORT,
    host: c.HOST,
    logLevel: c.LOG_LEVEL,
    audit: { name: c.AUDIT_LOG_NAME, headIntervalMs: c.AUDIT_HEAD_INTERVAL_MS },
    timeZone: c.TIME_ZONE,
    operatorName: c.OPERATOR_NAME,
    ...(c.TLS_CERT_FILE && c.TLS_KEY_FILE
      ? { tls: { certFile: c.TLS_CERT_FILE, keyFile: c.TLS_KEY_FILE } }
      : {}),
    ...(c.METRICS_TOKEN ? { metricsToken: c.METRICS_TOKEN } : {}),
    rateLimit: { perCredential: c.RATE_LIMIT_PER_CREDENTIAL, perAddress: c.RATE_LIMIT_PER_ADDRESS },
    ...(c.TRUST_PROXY ? { trustProxy: c.TRUST_PROXY.split(',').map((a) => a.trim()) } : {}),
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
