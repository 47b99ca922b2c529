import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '@/server/config';

let cached: string | undefined;

/**
 * The key that signs session cookies. BETTER_AUTH_SECRET when set; required in production against a
 * real Authlete. In demo and development a random one is made once and kept in the data folder
 * (mode 0600) so sessions survive restarts; under Vitest a fresh one per process.
 */
export function getAuthSecret(): string {
  if (cached) return cached;
  if (config.authSecret) return (cached = config.authSecret);
  if (config.production && !config.demo) {
    throw new Error(
      'Invalid configuration: BETTER_AUTH_SECRET must be set in production (a random string of at least 32 characters: openssl rand -base64 32).',
    );
  }
  if (process.env.VITEST) return (cached = crypto.randomBytes(32).toString('base64url'));
  const file = path.join(config.dataDir, 'auth-secret');
  try {
    const stored = fs.readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return (cached = stored);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const generated = crypto.randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
    return (cached = generated);
  } catch (error) {
    // Another process wrote it first: use theirs so both sign the same cookies.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (cached = fs.readFileSync(file, 'utf8').trim());
  }
}
