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
  /** One's own language and time zone, saved on one's account. */
  | 'account:preferences';

const grants: Record<Role, readonly Permission[]> = {
  viewer: ['tokens:read', 'batches:read', 'account:preferences'],
  support: ['tokens:read', 'batches:read', 'tokens:revoke', 'account:preferences'],
  admin: [
    'tokens:read',
    'batches:read',
    'tokens:revoke',
    'tokens:write',
    'batches:write',
    'audit:read',
    'account:preferences',
  ],
};

export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}
