import { DEMO_EMULATOR_HOST, DEMO_SERVICE_ACCESS_TOKEN, DEMO_SERVICE_ID } from './demo';
import { environmentSchema, missingAuthleteVariables } from './schema';

export interface Config {
  /** True when no AUTHLETE_* variable is set and the app talks to the local emulator. */
  demo: boolean;
  authlete: { baseUrl: string; serviceId: string; serviceAccessToken: string; timeoutMs: number };
  databaseUrl: string | undefined;
  dataDir: string;
  authSecret: string | undefined;
  appUrl: string | undefined;
  production: boolean;
  vercel: boolean;
}

/** Thrown with one line that names the variable and what it expects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(source: Record<string, string | undefined>): Config {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${variable} must be ${issue?.message ?? 'valid'}.`);
  }
  const env = parsed.data;
  const missing = missingAuthleteVariables(env);
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration: ${missing.join(', ')} must be set too (set all three AUTHLETE_* variables, or none for the demo emulator).`,
    );
  }
  const demo = env.AUTHLETE_BASE_URL === undefined;
  const production = env.NODE_ENV === 'production';
  if (env.VERCEL && !env.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL must be set on Vercel (its disk is ephemeral; use Neon or Vercel Postgres).',
    );
  }
  return {
    demo,
    authlete: {
      baseUrl: (env.AUTHLETE_BASE_URL ?? `http://${DEMO_EMULATOR_HOST}:${env.EMULATOR_PORT}`).replace(/\/+$/, ''),
      serviceId: env.AUTHLETE_SERVICE_ID ?? DEMO_SERVICE_ID,
      serviceAccessToken: env.AUTHLETE_SERVICE_ACCESS_TOKEN ?? DEMO_SERVICE_ACCESS_TOKEN,
      timeoutMs: env.AUTHLETE_TIMEOUT_MS,
    },
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    authSecret: env.BETTER_AUTH_SECRET,
    appUrl: env.APP_URL,
    production,
    vercel: Boolean(env.VERCEL),
  };
}
