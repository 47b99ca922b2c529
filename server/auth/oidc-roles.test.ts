import { describe, expect, it } from 'vitest';
import type { OidcConfig } from '@/server/config/load';
import { oidcRoleFor, oidcScopeFor } from './oidc-roles';

const base: OidcConfig = {
  issuer: 'https://idp.test',
  clientId: 'desk',
  clientSecret: 'secret',
  displayName: 'SSO',
  scopes: ['openid'],
  roleClaim: 'groups',
  roleMap: { 'desk-admins': 'admin', helpdesk: 'support' },
  clientMap: {},
  adminEmails: ['boss@corp.test'],
  supportEmails: [],
  viewerEmails: ['intern@corp.test'],
  defaultRole: null,
};

describe('oidcRoleFor', () => {
  it('maps claim values through OIDC_ROLE_MAP, and values that are role names', () => {
    expect(oidcRoleFor({ groups: ['helpdesk'] }, 'a@corp.test', base)).toBe('support');
    expect(oidcRoleFor({ groups: 'viewer' }, 'a@corp.test', base)).toBe('viewer');
    expect(oidcRoleFor({ groups: 'sales desk-admins' }, 'a@corp.test', base)).toBe('admin');
  });

  it('takes the strongest role any rule gives', () => {
    expect(oidcRoleFor({ groups: ['helpdesk', 'desk-admins'] }, 'a@corp.test', base)).toBe('admin');
    expect(oidcRoleFor({ groups: ['helpdesk'] }, 'Boss@Corp.test', base)).toBe('admin');
    expect(oidcRoleFor({ groups: ['helpdesk'] }, 'intern@corp.test', base)).toBe('support');
  });

  it('reads nested claims such as Keycloak realm_access.roles', () => {
    expect(
      oidcRoleFor({ realm_access: { roles: ['offline', 'helpdesk'] } }, undefined, {
        ...base,
        roleClaim: 'realm_access.roles',
      }),
    ).toBe('support');
  });

  it('refuses by default when nothing matches, or gives OIDC_DEFAULT_ROLE', () => {
    expect(oidcRoleFor({ groups: ['sales'] }, 'a@corp.test', base)).toBeNull();
    expect(oidcRoleFor({}, undefined, { ...base, defaultRole: 'viewer' })).toBe('viewer');
    expect(oidcRoleFor({ groups: [42, null] }, 'a@corp.test', base)).toBeNull();
  });
});

describe('oidcScopeFor', () => {
  const mapped: OidcConfig = {
    ...base,
    clientMap: {
      'helpdesk-retail': ['26888344961664', '3221225473'],
      'helpdesk-mobile': ['1734526871'],
      'desk-admins': '*',
    },
  };

  it('gives the union of the client sets of the person’s mapped claim values', () => {
    expect(oidcScopeFor({ groups: ['helpdesk', 'helpdesk-retail', 'helpdesk-mobile'] }, mapped)).toEqual({
      kind: 'clients',
      clientIds: ['26888344961664', '3221225473', '1734526871'],
    });
  });

  it('gives all clients for a value mapped to *, for no mapped value, and without a map', () => {
    expect(oidcScopeFor({ groups: ['helpdesk-retail', 'desk-admins'] }, mapped)).toEqual({ kind: 'all' });
    expect(oidcScopeFor({ groups: ['helpdesk'] }, mapped)).toEqual({ kind: 'all' });
    expect(oidcScopeFor({ groups: ['helpdesk-retail'] }, base)).toEqual({ kind: 'all' });
  });
});
