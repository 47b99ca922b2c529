import { hashPassword } from 'better-auth/crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { roleSchema, type Role } from '@/lib/roles';
import { defaultService } from '@/server/services';
import type { Database } from '@/server/db';
import { authAccount, authSession, authUser, staffGrant } from '@/server/db/schema';
import { demoAccounts } from './demo-accounts';

/**
 * Staff account administration: the CLI, the demo seed and tests use these. There is no
 * self-service sign-up; a person gets an account only through here (or OIDC with a mapped role).
 */

export const MIN_PASSWORD_LENGTH = 12;

export const newUserSchema = z.object({
  email: z.email('Email must be an email address.').transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1, 'Name cannot be empty.').max(200, 'Name is at most 200 characters.'),
  role: roleSchema,
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(128, 'Password is at most 128 characters.'),
});
export type NewUser = z.input<typeof newUserSchema>;

export class UserError extends Error {
  override name = 'UserError';
}

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
}

function toStaffUser(row: typeof authUser.$inferSelect): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: roleSchema.catch('viewer').parse(row.role),
    disabled: row.disabled,
  };
}

/**
 * Creates a password account (Better Auth's credential account, scrypt-hashed). `demo` marks an
 * account of the demo seed, which only ever works in demo mode (server/auth/demo-mode.ts).
 */
export async function createUser(
  db: Database,
  input: NewUser,
  { demo = false }: { demo?: boolean } = {},
): Promise<StaffUser> {
  const user = newUserSchema.parse(input);
  const id = crypto.randomUUID();
  const passwordHash = await hashPassword(user.password);
  try {
    await db.transaction(async (tx) => {
      await tx
        .insert(authUser)
        .values({ id, email: user.email, name: user.name, role: user.role, emailVerified: true, demo });
      await tx.insert(authAccount).values({
        id: crypto.randomUUID(),
        accountId: id,
        providerId: 'credential',
        userId: id,
        password: passwordHash,
      });
    });
  } catch (error) {
    if (await findUser(db, user.email)) throw new UserError(`An account for ${user.email} already exists.`);
    throw error;
  }
  return { id, email: user.email, name: user.name, role: user.role, disabled: false };
}

export async function findUser(db: Database, email: string): Promise<StaffUser | null> {
  const [row] = await db.select().from(authUser).where(eq(authUser.email, email.trim().toLowerCase()));
  return row ? toStaffUser(row) : null;
}

export async function listUsers(db: Database): Promise<StaffUser[]> {
  const rows = await db.select().from(authUser).orderBy(authUser.email);
  return rows.map(toStaffUser);
}

async function requireUser(db: Database, email: string): Promise<StaffUser> {
  const user = await findUser(db, email);
  if (!user) throw new UserError(`No account for ${email}.`);
  return user;
}

/** Changes a role; the person's next request already runs with it (sessions read the user row). */
export async function setRole(
  db: Database,
  email: string,
  role: Role,
): Promise<{ before: StaffUser; after: StaffUser }> {
  const before = await requireUser(db, email);
  await db.transaction(async (tx) => {
    await tx
      .update(authUser)
      .set({ role: roleSchema.parse(role), updatedAt: new Date() })
      .where(eq(authUser.id, before.id));
    // The role in every service (the client scope of each grant stays).
    await tx.update(staffGrant).set({ role, updatedAt: new Date() }).where(eq(staffGrant.userId, before.id));
  });
  return { before, after: { ...before, role } };
}

/** Disables (or re-enables) an account. Disabling also ends every session it has. */
export async function setDisabled(db: Database, email: string, disabled: boolean): Promise<StaffUser> {
  const user = await requireUser(db, email);
  await db.transaction(async (tx) => {
    await tx.update(authUser).set({ disabled, updatedAt: new Date() }).where(eq(authUser.id, user.id));
    if (disabled) await tx.delete(authSession).where(eq(authSession.userId, user.id));
  });
  return { ...user, disabled };
}

/** Replaces a password account's password and ends its sessions. */
export async function setPassword(db: Database, email: string, password: string): Promise<void> {
  const user = await requireUser(db, email);
  const parsed = newUserSchema.shape.password.parse(password);
  const passwordHash = await hashPassword(parsed);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(authAccount)
      .set({ password: passwordHash, updatedAt: new Date() })
      .where(and(eq(authAccount.userId, user.id), eq(authAccount.providerId, 'credential')))
      .returning({ id: authAccount.id });
    if (updated.length === 0) {
      await tx.insert(authAccount).values({
        id: crypto.randomUUID(),
        accountId: user.id,
        providerId: 'credential',
        userId: user.id,
        password: passwordHash,
      });
    }
    await tx.delete(authSession).where(eq(authSession.userId, user.id));
  });
}

/**
 * Creates the demo accounts that are missing, marked as demo accounts; existing ones (and their
 * changes) are left alone. Only reconcileDemoAccounts calls this, in demo mode.
 */
export async function ensureDemoAccounts(db: Database): Promise<void> {
  for (const account of demoAccounts()) {
    if (await findUser(db, account.email)) continue;
    try {
      const user = await createUser(db, account, { demo: true });
      if (account.clients) {
        await db.insert(staffGrant).values({
          userId: user.id,
          service: defaultService().slug,
          role: account.role,
          clientIds: account.clients.map((client) => client.clientId),
        });
      }
    } catch (error) {
      // Another process seeded it between our check and insert.
      if (!(error instanceof UserError)) throw error;
    }
  }
}
