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
  /** Revoke every token and forget every consent of one person (support desk). */
  | 'subjects:offboard';

const grants: Record<Role, readonly Permission[]> = {
  viewer: ['tokens:read', 'batches:read'],
  support: ['tokens:read', 'batches:read', 'tokens:revoke', 'subjects:offboard'],
  admin: [
    'tokens:read',
    'batches:read',
    'tokens:revoke',
    'subjects:offboard',
    'tokens:write',
    'batches:write',
    'audit:read',
  ],
};

export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}
