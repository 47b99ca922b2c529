import { z } from 'zod';

/** Staff roles, weakest first. */
export const roleSchema = z.enum(['viewer', 'support', 'lead', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** What a signed-in person may do; every route handler names exactly one. */
export type Permission =
  | 'tokens:read'
  | 'tokens:revoke'
  | 'tokens:write'
  | 'batches:read'
  | 'batches:write'
  | 'audit:read'
  /** Incident response: revoke by query (a job over many tokens) and lock or unlock a client. */
  | 'incidents:revoke'
  /** Staff administration: people, their roles and client scopes, sessions and second factors. */
  | 'staff:manage'
  /** Webhook endpoints of a service: who is told of token changes, with which secret. */
  | 'webhooks:manage'
  /** Authlete services stored in the app (with ENCRYPTION_KEY): add, edit, disable, delete, discover. */
  | 'services:manage'
  /** Revoke every token and forget every consent of one person (support desk). */
  | 'subjects:offboard'
  /** One's own account: language, time zone, second factor, step-up, one's own approval requests. */
  | 'account:self'
  /** Ask for a four-eyes approval (offboarding, incidents, bulk issue) and follow one's requests. */
  | 'approvals:request'
  /** See pending four-eyes requests and approve or reject other people's. */
  | 'approvals:decide';

// Each role is the one below it plus its own permissions: viewer ⊂ support ⊂ lead ⊂ admin.
const viewer: readonly Permission[] = ['tokens:read', 'batches:read', 'account:self'];
const support: readonly Permission[] = [...viewer, 'tokens:revoke', 'subjects:offboard', 'approvals:request'];
/** A support lead: support, plus incident response. */
const lead: readonly Permission[] = [...support, 'incidents:revoke'];
const admin: readonly Permission[] = [
  ...lead,
  'tokens:write',
  'batches:write',
  'audit:read',
  'staff:manage',
  'webhooks:manage',
  'services:manage',
  'approvals:decide',
];
const grants: Record<Role, readonly Permission[]> = { viewer, support, lead, admin };

export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}
