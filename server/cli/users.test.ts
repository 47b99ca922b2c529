import { afterAll, describe, expect, it, vi } from 'vitest';
import { auditListQuerySchema } from '@/lib/schemas/audit';
import { listAudit } from '@/server/audit';
import { signedInAs } from '@/server/testing/sign-in';
import { getActor } from '@/server/auth';
import { findUser } from '@/server/auth/users';
import { closeDb, getDb } from '@/server/db';
import { runUsersCommand } from './users';

vi.mock('./password', () => ({ readPassword: async () => 'typed on the terminal' }));
afterAll(closeDb);

async function run(...argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  await runUsersCommand(argv, (line) => lines.push(line));
  return lines;
}

describe('users CLI', () => {
  it('creates an account that can then be listed, and audits it', async () => {
    expect(await run('create', '--email', 'New.Person@Desk.test', '--name', 'New Person', '--role', 'support')).toEqual(
      ['Created new.person@desk.test (support).'],
    );
    expect(await findUser(await getDb(), 'new.person@desk.test')).toMatchObject({ role: 'support', disabled: false });
    expect((await run('list')).some((line) => line.startsWith('new.person@desk.test\tsupport'))).toBe(true);
    const audit = await listAudit(auditListQuerySchema.parse({ action: 'user.create' }));
    expect(audit.entries[0]?.details).toMatchObject({ via: 'cli', user: 'new.person@desk.test', role: 'support' });
  });

  it('refuses a duplicate account and unknown roles or commands', async () => {
    await run('create', '--email', 'dup@desk.test', '--name', 'Dup', '--role', 'viewer');
    await expect(run('create', '--email', 'dup@desk.test', '--name', 'Dup', '--role', 'viewer')).rejects.toThrow(
      /already exists/,
    );
    await expect(run('set-role', '--email', 'dup@desk.test', '--role', 'root')).rejects.toThrow(
      /viewer, support or admin/,
    );
    await expect(run('set-role', '--email', 'nobody@desk.test', '--role', 'admin')).rejects.toThrow(/No account/);
    await expect(run('promote')).rejects.toThrow(/Unknown command/);
  });

  it('changes a role and disables an account, both effective on the next request', async () => {
    const { cookie, email } = await signedInAs('viewer');
    await run('set-role', '--email', email, '--role', 'admin');
    expect((await getActor(new Headers({ cookie })))?.role).toBe('admin');
    await run('disable', '--email', email);
    expect(await getActor(new Headers({ cookie }))).toBeNull();
    await run('enable', '--email', email);
    // Disabling ended the session for good; enabling lets the person sign in again.
    expect(await getActor(new Headers({ cookie }))).toBeNull();
    expect((await findUser(await getDb(), email))?.disabled).toBe(false);
    const actions = (await listAudit(auditListQuerySchema.parse({}))).entries.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['user.role_change', 'user.disable', 'user.enable']));
  });
});
