import 'server-only';
import { ConfigError, loadConfig } from '@/server/config/load';
import { logEvent } from '@/server/core/log';

/**
 * Runs once when the Next.js server starts (instrumentation.ts): checks the configuration, applies
 * database migrations, settles the demo accounts (server/auth/demo-mode.ts) and starts the job
 * workers (server/jobs) before the first request, so a bad setting stops the server at once with one line naming it, instead of failing
 * the first person who signs in.
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
  const { recordPeerAddresses } = await import('@/server/core/peer-address');
  recordPeerAddresses();
  const { config } = await import('@/server/config');
  const { clientIpWarning } = await import('@/server/core/client-ip');
  const unverifiable = clientIpWarning(config.clientIp);
  if (unverifiable && config.production) logEvent('warn', unverifiable);
  const { getDatabaseHandle } = await import('@/server/db');
  const { reconcileDemoAccountsOnce } = await import('@/server/auth/demo-mode');
  const database = await getDatabaseHandle();
  // Before the first request: demo accounts are seeded, or disabled with their sessions ended.
  await reconcileDemoAccountsOnce(database.db, config.demo);
  // On a long-lived host the job workers live in this process; on Vercel the cron route advances jobs.
  if (!config.vercel) {
    const { startJobWorkers, stopJobWorkers } = await import('@/server/jobs');
    await startJobWorkers();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stopJobWorkers());
  }
  logEvent('info', 'token desk started', {
    authlete: config.demo ? 'demo: local Authlete emulator' : 'configured',
    services: config.authlete.services.map(
      (service) =>
        `${service.slug} (${service.environment}, ${service.apiVersion}.x, ${service.baseUrl}, ${service.serviceId})`,
    ),
    database: database.kind,
    jobWorkers: config.vercel ? 'cron' : 'in process',
  });
}
