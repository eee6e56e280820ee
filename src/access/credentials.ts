import { createHash, randomBytes } from 'node:crypto';

/** A fresh secret: shown once to its holder, stored only as its SHA-256. */
export const newCredential = (prefix: string): string =>
  `cr_${prefix}_${randomBytes(24).toString('base64url')}`;

export const hashCredential = (credential: string): string =>
  createHash('sha256').update(credential).digest('hex');
