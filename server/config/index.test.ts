/** The configuration is read once and frozen; tests swap it through useTestConfig, not the environment. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestConfig } from '@/server/testing/config';
import { config, replaceConfigForTests } from './index';

afterEach(() => vi.unstubAllEnvs());

describe('config', () => {
  it('is frozen, nested objects included', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.authlete)).toBe(true);
    expect(() => {
      (config.rateLimit as { mutationsPerMinute: number }).mutationsPerMinute = 1;
    }).toThrow(TypeError);
  });

  it('ignores environment changes after start-up', () => {
    const before = config.appUrl;
    vi.stubEnv('APP_URL', 'https://changed.example');
    expect(config.appUrl).toBe(before);
  });

  it('is replaced for a test by useTestConfig, checked like start-up, and put back by its result', () => {
    const before = config;
    const restore = useTestConfig({ APP_URL: 'https://desk.example', MUTATION_RATE_LIMIT_PER_MINUTE: '7' });
    expect(config.appUrl).toBe('https://desk.example');
    expect(config.rateLimit.mutationsPerMinute).toBe(7);
    expect(Object.isFrozen(config)).toBe(true);
    restore();
    expect(config).toBe(before);
    expect(() => useTestConfig({ MUTATION_RATE_LIMIT_PER_MINUTE: 'many' })).toThrow(/MUTATION_RATE_LIMIT_PER_MINUTE/);
  });

  it('cannot be replaced outside tests', () => {
    vi.stubEnv('VITEST', '');
    expect(() => replaceConfigForTests(config)).toThrow(/only tests/);
  });
});
