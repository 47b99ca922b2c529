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
  /** Staff administration: people, their roles and client scopes, their sessions. */
  | 'staff:manage'
  /** Webhook endpoints of a service: who is told of token changes, with which secret. */
  | 'webhooks:manage'
  /** Revoke every token and forget every consent of one person (support desk). */
  | 'subjects:offboard'
  /** One's own language and time zone, saved on one's account. */
  | 'account:preferences';

const grants: Record<Role, readonly Permission[]> = {
  viewer: ['tokens:read', 'batches:read', 'account:preferences'],
  support: ['tokens:read', 'batches:read', 'tokens:revoke', 'subjects:offboard', 'account:preferences'],
  /** A support lead: support, plus incident response. */
  lead: [
    'tokens:read',
    'batches:read',
    'tokens:revoke',
    'subjects:offboard',
    'incidents:revoke',
    'account:preferences',
  ],
  admin: [
    'tokens:read',
    'batches:read',
    'tokens:revoke',
    'subjects:offboard',
    'tokens:write',
    'batches:write',
    'audit:read',
    'incidents:revoke',
    'staff:manage',
    'webhooks:manage',
    'account:preferences',
  ],
};

export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}
