import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';
import { serviceSecrets } from './services';

const production = {
  slug: 'prod-eu',
  name: 'Brand EU',
  environment: 'production',
  apiVersion: 3,
  baseUrl: 'https://eu.authlete.com/',
  serviceId: '21653835348762',
  accessToken: 'V5a40R6dWvw2gMkCOBFdZcM95q4HC0Z',
};
const legacy = {
  slug: 'legacy-jp',
  name: 'Brand JP (2.x)',
  environment: 'staging',
  apiVersion: 2,
  baseUrl: 'https://api.authlete.com',
  apiKey: '5593494639',
  apiSecret: 'a-2x-api-secret-of-some-length',
};

/** The one-line message loadConfig throws for these variables. */
function failure(env: Record<string, string>): string {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const message = (caught as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

const folder = mkdtempSync(path.join(os.tmpdir(), 'token-desk-services-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('AUTHLETE_SERVICES', () => {
  it('lists several services, 3.x and 2.x, in order; the first is the default', () => {
    const config = loadConfig({ AUTHLETE_SERVICES: JSON.stringify([production, legacy]) });
    expect(config.demo).toBe(false);
    expect(config.authlete.services).toEqual([
      { ...production, baseUrl: 'https://eu.authlete.com' },
      // A 2.x service's id is its API key.
      { ...legacy, serviceId: '5593494639' },
    ]);
    expect(serviceSecrets(config.authlete.services)).toEqual([production.accessToken, legacy.apiSecret]);
  });

  it('reads the same list from AUTHLETE_SERVICES_FILE', () => {
    const file = path.join(folder, 'services.json');
    writeFileSync(file, JSON.stringify([legacy]));
    expect(loadConfig({ AUTHLETE_SERVICES_FILE: file }).authlete.services.map((s) => s.slug)).toEqual(['legacy-jp']);
    expect(failure({ AUTHLETE_SERVICES_FILE: path.join(folder, 'missing.json') })).toMatch(
      /AUTHLETE_SERVICES_FILE must be a readable file \(ENOENT/,
    );
  });

  it('refuses text that is not JSON, naming the variable', () => {
    expect(failure({ AUTHLETE_SERVICES: '[{slug: prod}' })).toBe(
      'Invalid configuration: AUTHLETE_SERVICES must be JSON (a JSON array of services).',
    );
    const file = path.join(folder, 'broken.json');
    writeFileSync(file, '{');
    expect(failure({ AUTHLETE_SERVICES_FILE: file })).toMatch(/AUTHLETE_SERVICES_FILE must be JSON/);
  });

  it.each([
    ['an object instead of a list', production, /AUTHLETE_SERVICES must be a JSON array of services/],
    ['an empty list', [], /AUTHLETE_SERVICES must be at least one service/],
    [
      'a 3.x service without its access token',
      [{ ...production, accessToken: undefined }],
      /AUTHLETE_SERVICES\[0\] \(prod-eu\)\.accessToken must be the service's access token \(a 3\.x service needs accessToken\)/,
    ],
    [
      'a 2.x service without its API secret',
      [production, { ...legacy, apiSecret: undefined }],
      /AUTHLETE_SERVICES\[1\] \(legacy-jp\)\.apiSecret must be the service API secret \(a 2\.x service needs apiKey and apiSecret\)/,
    ],
    [
      'a 3.x service given 2.x credentials',
      [{ ...production, accessToken: undefined, apiKey: '1', apiSecret: 'x'.repeat(20) }],
      /AUTHLETE_SERVICES\[0\] \(prod-eu\)/,
    ],
    [
      'an unknown API version',
      [{ ...production, apiVersion: 4 }],
      /\[0\] \(prod-eu\)\.apiVersion must be the Authlete API version, 3 or 2/,
    ],
    [
      'an unknown environment',
      [{ ...production, environment: 'prod' }],
      /\.environment must be production, staging or development/,
    ],
    [
      'a slug unfit for a URL',
      [{ ...production, slug: 'Prod EU' }],
      /\[0\]\.slug must be a service id: lowercase letters/,
    ],
    [
      'a base URL with credentials',
      [{ ...production, baseUrl: 'https://u:p@eu.authlete.com' }],
      /\.baseUrl must be an http\(s\) URL without credentials/,
    ],
    [
      'a base URL that is not http(s)',
      [{ ...production, baseUrl: 'ftp://eu.authlete.com' }],
      /\.baseUrl must be an http\(s\) URL/,
    ],
    [
      'the same slug twice',
      [production, { ...production, serviceId: '1' }],
      /AUTHLETE_SERVICES\[1\] \(prod-eu\)\.slug must be unique \(prod-eu is listed twice\)/,
    ],
  ])('refuses %s with one line naming the entry and field', (_, services, message) => {
    expect(failure({ AUTHLETE_SERVICES: JSON.stringify(services) })).toMatch(message);
  });

  it('refuses two ways of configuring services at once', () => {
    expect(
      failure({
        AUTHLETE_SERVICES: JSON.stringify([production]),
        AUTHLETE_BASE_URL: 'https://us.authlete.com',
        AUTHLETE_SERVICE_ID: '1',
        AUTHLETE_SERVICE_ACCESS_TOKEN: 'x'.repeat(32),
      }),
    ).toMatch(/AUTHLETE_SERVICES and AUTHLETE_BASE_URL must not be set together/);
    expect(failure({ AUTHLETE_SERVICES: '[]', AUTHLETE_SERVICES_FILE: '/x.json' })).toMatch(
      /AUTHLETE_SERVICES and AUTHLETE_SERVICES_FILE must not be set together/,
    );
  });
});
