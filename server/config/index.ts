import 'server-only';
import { loadConfig, type Config } from './load';

export type { Config, SecurityConfig } from './load';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The checked server configuration: read from the environment once per process, at start-up,
 * and frozen. Exported as a live binding so tests can swap the whole of it (`useTestConfig` in
 * server/testing/config.ts) instead of setting variables and re-importing modules.
 */
export let config: Readonly<Config> = deepFreeze(loadConfig(process.env));

/** Tests only, through server/testing/config.ts: replaces the configuration read at start-up. */
export function replaceConfigForTests(next: Config): void {
  if (!process.env.VITEST) throw new Error('The configuration is read once at start-up; only tests replace it.');
  config = deepFreeze(next);
}
