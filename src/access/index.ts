/** Access capability: credentials, tokens, roles and what each role may do. */
export { hashCredential, newCredential } from './credentials.ts';
export {
  can,
  ENTAILED,
  hasPermission,
  PERMISSIONS,
  type Permission,
  parseScope,
  requirePermission,
  type ScopedPrincipal,
} from './permissions.ts';
export { PURPOSE_MAX, statedPurposeText } from './purpose.ts';
export {
  authenticate,
  authenticateSeen,
  CREDENTIAL_TTL_MS,
  type CredentialHolder,
  confirmHolders,
  DEFAULT_TOKEN_DAYS,
  forgetCredentials,
  type IssueTokenInput,
  issueToken,
  keepTokenAlive,
  keptCredential,
  knownPrincipal,
  listTokens,
  MAX_TOKEN_DAYS,
  refuseWithdrawnSource,
  renewToken,
  revokeToken,
  staleHolders,
  tokenView,
} from './tokens.ts';
