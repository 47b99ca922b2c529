import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';

const production = {
  AUTHLETE_BASE_URL: 'https://us.authlete.com',
  AUTHLETE_SERVICE_ID: '1',
  AUTHLETE_SERVICE_ACCESS_TOKEN: 'a-service-access-token',
};

describe('loadConfig: second factor and step-up', () => {
  it('requires admins to enrol by default, and nobody in the demo', () => {
    expect(loadConfig(production).security.mfaRequiredRoles).toEqual(['admin']);
    expect(loadConfig({}).security.mfaRequiredRoles).toEqual([]);
  });

  it('reads MFA_REQUIRED_ROLES as a list of roles or none', () => {
    expect(loadConfig({ ...production, MFA_REQUIRED_ROLES: 'admin, support' }).security.mfaRequiredRoles).toEqual([
      'admin',
      'support',
    ]);
    expect(loadConfig({ ...production, MFA_REQUIRED_ROLES: 'none' }).security.mfaRequiredRoles).toEqual([]);
    expect(loadConfig({ MFA_REQUIRED_ROLES: 'admin' }).security.mfaRequiredRoles).toEqual(['admin']);
    expect(() => loadConfig({ MFA_REQUIRED_ROLES: 'root' })).toThrow(ConfigError);
  });

  it('has a five-minute step-up window by default, within bounds', () => {
    expect(loadConfig({}).security.stepUpWindowSeconds).toBe(300);
    expect(loadConfig({ STEP_UP_WINDOW_SECONDS: '60' }).security.stepUpWindowSeconds).toBe(60);
    expect(() => loadConfig({ STEP_UP_WINDOW_SECONDS: '5' })).toThrow(/STEP_UP_WINDOW_SECONDS must be at least 30/);
  });
});
