import { hash, randomBytes } from 'node:crypto';

/** A fresh secret: shown once to its holder, stored only as its SHA-256. */
export const newCredential = (prefix: string): string =>
  `cr_${prefix}_${randomBytes(24).toString('base64url')}`;

/** Worked out on every authenticated request: `crypto.hash`, the one-shot form, costs a quarter of a `createHash` chain. */
export const hashCredential = (credential: string): string => hash('sha256', credential, 'hex');
