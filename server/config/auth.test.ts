import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';

describe('loadConfig: staff sign-in settings', () => {
  it('has safe defaults and no SSO', () => {
    expect(loadConfig({}).auth).toEqual({
      sessionIdleMinutes: 120,
      sessionMaxHours: 24,
      signInRateLimitPerMinute: 10,
      oidc: undefined,
    });
  });

  it('reads an OIDC provider with role rules', () => {
    const { oidc } = loadConfig({
      OIDC_ISSUER: 'https://login.example.com/',
      OIDC_CLIENT_ID: 'desk',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_DISPLAY_NAME: 'Okta',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: 'desk-admins=admin, helpdesk = support',
      OIDC_ADMIN_EMAILS: 'Ana@Example.com, bo@example.com',
      OIDC_DEFAULT_ROLE: 'viewer',
    }).auth;
    expect(oidc).toEqual({
      issuer: 'https://login.example.com',
      clientId: 'desk',
      clientSecret: 'secret',
      displayName: 'Okta',
      scopes: ['openid', 'email', 'profile'],
      roleClaim: 'groups',
      roleMap: { 'desk-admins': 'admin', helpdesk: 'support' },
      clientMap: {},
      adminEmails: ['ana@example.com', 'bo@example.com'],
      supportEmails: [],
      viewerEmails: [],
      defaultRole: 'viewer',
    });
  });

  it.each([
    [{ OIDC_ISSUER: 'https://login.example.com' }, /OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too/],
    [{ OIDC_CLIENT_ID: 'desk' }, /OIDC_ISSUER must be set too/],
    [{ OIDC_ISSUER: 'not a url' }, /OIDC_ISSUER must be the provider's issuer URL/],
    [{ OIDC_ROLE_MAP: 'admins:admin' }, /OIDC_ROLE_MAP must be a comma-separated list of claim-value=role pairs/],
    [{ OIDC_ROLE_MAP: 'admins=root' }, /OIDC_ROLE_MAP must be/],
    [{ OIDC_DEFAULT_ROLE: 'owner' }, /OIDC_DEFAULT_ROLE must be none, viewer, support, lead or admin/],
    [{ SESSION_IDLE_MINUTES: '0' }, /SESSION_IDLE_MINUTES must be at least 1 minute/],
    [{ SESSION_MAX_HOURS: 'a day' }, /SESSION_MAX_HOURS must be a whole number of hours/],
    [{ SIGN_IN_RATE_LIMIT_PER_MINUTE: '2.5' }, /SIGN_IN_RATE_LIMIT_PER_MINUTE must be a whole number of attempts/],
  ])('names the variable in one line: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
