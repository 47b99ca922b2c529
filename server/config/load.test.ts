import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';

describe('loadConfig', () => {
  it('runs against the demo emulator when no AUTHLETE_* variable is set', () => {
    const config = loadConfig({});
    expect(config.demo).toBe(true);
    expect(config.authlete.services.map((service) => [service.slug, service.environment, service.apiVersion])).toEqual([
      ['production', 'production', 3],
      ['staging', 'staging', 3],
      ['legacy', 'development', 2],
    ]);
    expect(config.authlete.services.every((service) => service.baseUrl === 'http://127.0.0.1:4010')).toBe(true);
    expect(config.authlete.timeoutMs).toBe(5000);
    expect(config.databaseUrl).toBeUndefined();
  });

  it('uses a real cluster when all three AUTHLETE_* variables are set', () => {
    const config = loadConfig({
      AUTHLETE_BASE_URL: 'https://us.authlete.com/',
      AUTHLETE_SERVICE_ID: '21653835348762',
      AUTHLETE_SERVICE_ACCESS_TOKEN: 'V5a40R6dWvw2gMkCOBFdZcM95q4HC0Z',
    });
    expect(config.demo).toBe(false);
    expect(config.authlete.services).toEqual([
      {
        slug: 'default',
        name: 'Authlete',
        environment: 'production',
        apiVersion: 3,
        baseUrl: 'https://us.authlete.com',
        serviceId: '21653835348762',
        accessToken: 'V5a40R6dWvw2gMkCOBFdZcM95q4HC0Z',
      },
    ]);
  });

  it('reads ENCRYPTION_KEY (32 bytes, base64) and its previous one, and refuses anything else', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const previous = Buffer.alloc(32, 9).toString('base64');
    expect(loadConfig({}).encryption).toBeUndefined();
    expect(loadConfig({ ENCRYPTION_KEY: key, ENCRYPTION_KEY_PREVIOUS: previous }).encryption).toEqual({
      current: key,
      previous,
    });
    expect(() => loadConfig({ ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      'ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32)',
    );
    expect(() => loadConfig({ ENCRYPTION_KEY_PREVIOUS: previous })).toThrow('ENCRYPTION_KEY must be set too');
  });

  it('names the variables missing from a partial AUTHLETE_* set', () => {
    expect(() => loadConfig({ AUTHLETE_BASE_URL: 'https://us.authlete.com' })).toThrow(
      /AUTHLETE_SERVICE_ID, AUTHLETE_SERVICE_ACCESS_TOKEN must be set too/,
    );
  });

  it.each([
    ['AUTHLETE_BASE_URL', 'ftp://x', /AUTHLETE_BASE_URL must be an http\(s\) URL/],
    ['AUTHLETE_SERVICE_ID', 'abc', /AUTHLETE_SERVICE_ID must be the numeric service id/],
    ['AUTHLETE_TIMEOUT_MS', 'soon', /AUTHLETE_TIMEOUT_MS must be a whole number/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a postgres:\/\/ connection URL/],
    ['DATABASE_POOL_SIZE', '0', /DATABASE_POOL_SIZE must be at least 1 connection/],
    ['DATABASE_POOL_SIZE', 'few', /DATABASE_POOL_SIZE must be a whole number of connections/],
  ])('rejects a malformed %s with one line naming it', (name, value, message) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain('\n');
  });

  it('leaves the pool size to server/db unless DATABASE_POOL_SIZE is set', () => {
    expect(loadConfig({}).databasePoolSize).toBeUndefined();
    expect(loadConfig({ DATABASE_POOL_SIZE: '12' }).databasePoolSize).toBe(12);
  });

  it('refuses to start on Vercel without DATABASE_URL', () => {
    expect(() => loadConfig({ VERCEL: '1' })).toThrow(/DATABASE_URL must be set on Vercel/);
  });

  it('refuses demo mode on Vercel, where no emulator runs and demo accounts would be seeded', () => {
    const database = { VERCEL: '1', DATABASE_URL: 'postgres://u:p@db.example.com/desk' };
    expect(() => loadConfig(database)).toThrow(
      /AUTHLETE_SERVICES \(or AUTHLETE_SERVICES_FILE, or AUTHLETE_BASE_URL, AUTHLETE_SERVICE_ID and AUTHLETE_SERVICE_ACCESS_TOKEN\) must be set on Vercel/,
    );
    const real = {
      ...database,
      AUTHLETE_BASE_URL: 'https://us.authlete.com',
      AUTHLETE_SERVICE_ID: '123',
      AUTHLETE_SERVICE_ACCESS_TOKEN: 'x'.repeat(32),
    };
    expect(loadConfig(real)).toMatchObject({ demo: false, vercel: true });
  });
});
