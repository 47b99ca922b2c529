import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeDb } from '@/server/db';
import { startServer } from './startup';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('startServer', () => {
  it('stops the process with one line naming a malformed variable', async () => {
    vi.stubEnv('AUTHLETE_TIMEOUT_MS', 'soon');
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exited');
    });
    await expect(startServer()).rejects.toThrow('exited');
    expect(exit).toHaveBeenCalledWith(1);
    expect(printed).toHaveBeenCalledExactlyOnceWith('Invalid configuration: AUTHLETE_TIMEOUT_MS must be a whole number of milliseconds.');
  });

  it('migrates the database and says in the log that it runs against the demo emulator', async () => {
    vi.stubEnv('LOG_LEVEL', 'info');
    const logged = vi.spyOn(console, 'info').mockImplementation(() => {});
    await startServer();
    const line = JSON.parse(String(logged.mock.calls.at(-1)?.[0]));
    expect(line).toMatchObject({ msg: 'token desk started', database: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite' });
    expect(line.authlete).toMatch(/^demo: local Authlete emulator at http:\/\/127\.0\.0\.1:\d+$/);
    await closeDb();
  });
});
