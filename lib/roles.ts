import { z } from 'zod';

/** Staff roles, weakest first. */
export const roleSchema = z.enum(['viewer', 'support', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** What a signed-in person may do; every route handler names exactly one. */
export type Permission =
  | 'tokens:read'
  | 'tokens:revoke'
  | 'tokens:write'
  | 'batches:read'
  | 'batches:write'
  | 'audit:read'
  /** One's own account: second factor status, step-up. */
  | 'account:self'
  /** See pending four-eyes requests and approve or reject other people's. */
  | 'approvals:decide'
  /** Reset another person's second factor. */
  | 'staff:mfa_reset';

const grants: Record<Role, readonly Permission[]> = {
  viewer: ['tokens:read', 'batches:read', 'account:self'],
  support: ['tokens:read', 'batches:read', 'tokens:revoke', 'account:self'],
  admin: [
    'tokens:read',
    'batches:read',
    'tokens:revoke',
    'tokens:write',
    'batches:write',
    'audit:read',
    'account:self',
    'approvals:decide',
    'staff:mfa_reset',
  ],
};

export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}
