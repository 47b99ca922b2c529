import 'server-only';
import { ConfigError, loadConfig } from '@/server/config/load';
import { logEvent } from '@/server/http/log';

/**
 * Runs once when the Next.js server starts (instrumentation.ts): checks the configuration and
 * applies database migrations before the first request, so a bad setting stops the server at once
 * with one line naming it, instead of failing the first person who signs in.
 */
export async function startServer(): Promise<void> {
  try {
    loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { config } = await import('@/server/config');
  const { getDatabaseHandle } = await import('@/server/db');
  const database = await getDatabaseHandle();
  logEvent('info', 'token desk started', {
    authlete: config.demo ? `demo: local Authlete emulator at ${config.authlete.baseUrl}` : config.authlete.baseUrl,
    serviceId: config.authlete.serviceId,
    database: database.kind,
  });
}
