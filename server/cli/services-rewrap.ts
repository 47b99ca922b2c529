/**
 * Re-wraps the data keys of the services stored in the app under the current ENCRYPTION_KEY
 * (the last step of a key rotation, docs/deploy.md):
 *
 *   ENCRYPTION_KEY=<new> ENCRYPTION_KEY_PREVIOUS=<old> npm run services:rewrap
 *
 * Prints how many services moved to the new key; afterwards ENCRYPTION_KEY_PREVIOUS can be removed.
 * Safe to run again (rows already under the current key are left alone). Uses the same database as
 * the app (DATABASE_URL, or the embedded one in DATA_DIR/app, which only one process may open).
 * Runs with `--conditions=react-server` so server-only modules load outside Next.
 */
import { config } from '@/server/config';
import { envelopeKeyId } from '@/server/core/seal';
import { closeDb, getDb } from '@/server/db';
import { rewrapStoredServices } from '@/server/services/stored';

async function main(): Promise<void> {
  if (!config.encryption) throw new Error('ENCRYPTION_KEY is not set: there is nothing stored to re-wrap.');
  try {
    const moved = await rewrapStoredServices(await getDb(), config.encryption);
    console.log(
      `OK  ${moved} stored service${moved === 1 ? '' : 's'} re-wrapped under key ${envelopeKeyId(config.encryption.current)}.`,
    );
  } finally {
    await closeDb();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
