import { roleSchema, type Role } from '@/lib/roles';
import { ALL_CLIENTS, type ClientScope } from '@/lib/schemas/staff';
import type { OidcConfig } from '@/server/config/load';

const strength: Record<Role, number> = { viewer: 0, support: 1, lead: 2, admin: 3 };

/**
 * The Token Desk role for a person signing in with OIDC: the strongest role any rule gives them
 * (email lists, then the role claim through OIDC_ROLE_MAP or a value that is itself a role name),
 * else OIDC_DEFAULT_ROLE; null means they may not sign in. Pure, so it is tested on its own.
 */
export function oidcRoleFor(claims: Record<string, unknown>, email: string | undefined, oidc: OidcConfig): Role | null {
  const candidates: Role[] = [];
  const normalisedEmail = email?.trim().toLowerCase();
  if (normalisedEmail) {
    if (oidc.adminEmails.includes(normalisedEmail)) candidates.push('admin');
    if (oidc.supportEmails.includes(normalisedEmail)) candidates.push('support');
    if (oidc.viewerEmails.includes(normalisedEmail)) candidates.push('viewer');
  }
  if (oidc.roleClaim) {
    for (const value of claimValues(claims, oidc.roleClaim)) {
      const mapped = oidc.roleMap[value] ?? roleSchema.safeParse(value).data;
      if (mapped) candidates.push(mapped);
    }
  }
  if (candidates.length === 0) return oidc.defaultRole;
  return candidates.reduce((best, role) => (strength[role] > strength[best] ? role : best));
}

/**
 * The client scope for a person signing in with OIDC: the union of the client sets OIDC_CLIENT_MAP
 * gives their role-claim values; all clients when the map is empty, when a value maps to `*`, or
 * when none of their values is in the map (map every group that should be narrowed). Pure.
 */
export function oidcScopeFor(claims: Record<string, unknown>, oidc: OidcConfig): ClientScope {
  if (!oidc.roleClaim || Object.keys(oidc.clientMap).length === 0) return ALL_CLIENTS;
  const clientIds = new Set<string>();
  let matched = false;
  for (const value of claimValues(claims, oidc.roleClaim)) {
    const mapped = oidc.clientMap[value];
    if (mapped === undefined) continue;
    if (mapped === '*') return ALL_CLIENTS;
    matched = true;
    for (const clientId of mapped) clientIds.add(clientId);
  }
  return matched ? { kind: 'clients', clientIds: [...clientIds] } : ALL_CLIENTS;
}

/** String values of a claim; `a.b` reaches into nested objects (Keycloak's realm_access.roles). */
function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let current: unknown = claims[path];
  if (current === undefined && path.includes('.')) {
    current = path
      .split('.')
      .reduce<unknown>(
        (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
        claims,
      );
  }
  if (typeof current === 'string') return current.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(current)) return current.filter((item): item is string => typeof item === 'string');
  return [];
}
