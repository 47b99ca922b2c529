/**
 * Vitest global setup: names this run so its scratch databases (server/db/test-database.ts) can be
 * told apart, and drops any a test file left behind (a file that never closed its database).
 */
import { randomBytes } from 'node:crypto';
import { dropDatabases, scratchDatabases } from './test-database';

export default function setup(): () => Promise<void> {
  const runId = randomBytes(4).toString('hex');
  // Forked test workers inherit the environment.
  process.env.TOKEN_DESK_TEST_RUN = runId;
  return async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (adminUrl) await dropDatabases(adminUrl, await scratchDatabases(adminUrl, runId));
  };
}
