/** Access capability: credentials, tokens, roles and what each role may do. */
export { hashCredential, newCredential } from './credentials.ts';
export { can, PERMISSIONS, type Permission, requirePermission } from './permissions.ts';
export {
  authenticate,
  type IssueTokenInput,
  issueToken,
  knownPrincipal,
  listTokens,
  revokeToken,
  tokenView,
} from './tokens.ts';
