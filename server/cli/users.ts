/**
 * Staff account administration from the command line (there is no public sign-up):
 *
 *   npm run users -- create --email a@b.c --name "A" --role admin [--password-stdin]
 *   npm run users -- set-role --email a@b.c --role support
 *   npm run users -- disable --email a@b.c        (ends the account's sessions at once)
 *   npm run users -- enable --email a@b.c
 *   npm run users -- set-password --email a@b.c [--password-stdin]
 *   npm run users -- list
 *
 * Uses the same database as the app (DATABASE_URL, or the embedded one in DATA_DIR/app, which
 * only one process may open: stop the dashboard first, or use PostgreSQL).
 * Runs with `--conditions=react-server` so server-only modules load outside Next.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { roleSchema } from '@/lib/roles';
import { recordAudit } from '@/server/audit';
import { createUser, listUsers, setDisabled, setPassword, setRole, UserError } from '@/server/auth/users';
import { closeDb, getDb } from '@/server/db';
import { readPassword } from './password';

const usage = `Usage:
  users create --email <email> --name <name> --role viewer|support|admin [--password-stdin]
  users set-role --email <email> --role viewer|support|admin
  users disable --email <email>
  users enable --email <email>
  users set-password --email <email> [--password-stdin]
  users list`;

class UsageError extends Error {}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`--${flag} is required.`);
  return value;
}

function role(value: string | undefined) {
  const parsed = roleSchema.safeParse(required(value, 'role'));
  if (!parsed.success) throw new UsageError('--role must be viewer, support or admin.');
  return parsed.data;
}

const viaCli = { via: 'cli', osUser: os.userInfo().username };

export async function runUsersCommand(argv: string[], output: (line: string) => void = console.log): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const db = await getDb();
  switch (command) {
    case 'create': {
      const email = required(values.email, 'email');
      const name = required(values.name, 'name');
      const newRole = role(values.role);
      const password = await readPassword({ fromStdin: values['password-stdin'] ?? false, confirm: true });
      const user = await createUser(db, { email, name, role: newRole, password });
      await recordAudit({
        action: 'user.create',
        outcome: 'success',
        details: { ...viaCli, user: user.email, role: user.role },
      });
      output(`Created ${user.email} (${user.role}).`);
      return;
    }
    case 'set-role': {
      const { before, after } = await setRole(db, required(values.email, 'email'), role(values.role));
      await recordAudit({
        action: 'user.role_change',
        outcome: 'success',
        before: { role: before.role },
        after: { role: after.role },
        details: { ...viaCli, user: after.email },
      });
      output(`${after.email}: ${before.role} → ${after.role} (applies to the next request).`);
      return;
    }
    case 'disable':
    case 'enable': {
      const user = await setDisabled(db, required(values.email, 'email'), command === 'disable');
      await recordAudit({
        action: command === 'disable' ? 'user.disable' : 'user.enable',
        outcome: 'success',
        details: { ...viaCli, user: user.email },
      });
      output(command === 'disable' ? `Disabled ${user.email} and ended its sessions.` : `Enabled ${user.email}.`);
      return;
    }
    case 'set-password': {
      const email = required(values.email, 'email');
      const password = await readPassword({ fromStdin: values['password-stdin'] ?? false, confirm: true });
      await setPassword(db, email, password);
      output(`Password changed for ${email}; its sessions were ended.`);
      return;
    }
    case 'list': {
      for (const user of await listUsers(db)) {
        output(`${user.email}\t${user.role}${user.disabled ? '\tdisabled' : ''}\t${user.name}`);
      }
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : 'Name a command.');
  }
}

/** Runs a CLI entry point: one readable line on failure, never a stack trace for expected errors. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    await runUsersCommand(argv);
    process.exitCode = 0;
  } catch (error) {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${usage}`);
    else if (error instanceof UserError) console.error(error.message);
    else if (error && typeof error === 'object' && 'issues' in error) {
      console.error((error as { issues: Array<{ message: string }> }).issues.map((issue) => issue.message).join('\n'));
    } else console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  } finally {
    await closeDb();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runCli(process.argv.slice(2));
