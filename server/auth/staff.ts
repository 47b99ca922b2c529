import 'server-only';
import { randomBytes } from 'node:crypto';
import { count, eq, gt, max } from 'drizzle-orm';
import { roleSchema, type Role } from '@/lib/roles';
import type { ClientScope, StaffCreateInput, StaffGrantInput, StaffMember } from '@/lib/schemas/staff';
import type { Database } from '@/server/db';
import { authAccount, authPasskey, authSession, authTwoFactor, authUser, staffGrant } from '@/server/db/schema';
import { isAllClients, scopeColumn, scopeFromColumn } from './scope';
import { createUser, UserError } from './users';

/**
 * Staff administration as the Staff page does it, in the running app's own database (so it works
 * on embedded PGlite while the dashboard runs, unlike the CLI). Rules, checked here for every
 * caller: nobody changes their own role, scope or account (so nobody raises their own role), and
 * the last enabled admin with all clients of a service cannot be demoted, narrowed or disabled.
 */

export type StaffErrorCode = 'self_change' | 'last_admin' | 'not_found' | 'conflict';

export class StaffError extends Error {
  override name = 'StaffError';
  constructor(
    readonly code: StaffErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Everyone with an account, with their grant in `service`, last sign-in and live sessions. */
export async function listStaff(db: Database, service: string): Promise<StaffMember[]> {
  const now = new Date();
  const [users, grants, sessions, accounts, passkeys] = await Promise.all([
    db.select().from(authUser).orderBy(authUser.email),
    db.select().from(staffGrant).where(eq(staffGrant.service, service)),
    db
      .select({ userId: authSession.userId, live: count(), lastSignInAt: max(authSession.createdAt) })
      .from(authSession)
      .where(gt(authSession.expiresAt, now))
      .groupBy(authSession.userId),
    db.select({ userId: authAccount.userId, providerId: authAccount.providerId }).from(authAccount),
    db.select({ userId: authPasskey.userId, count: count() }).from(authPasskey).groupBy(authPasskey.userId),
  ]);
  return users.map((user) => {
    const grant = grants.find((row) => row.userId === user.id);
    const live = sessions.find((row) => row.userId === user.id);
    const methods = new Set(
      accounts
        .filter((account) => account.userId === user.id)
        .map((account) => (account.providerId === 'credential' ? 'password' : 'oidc') as 'password' | 'oidc'),
    );
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: roleSchema.catch('viewer').parse(grant?.role ?? user.role),
      scope: scopeFromColumn(grant?.clientIds ?? null),
      disabled: user.disabled,
      demo: user.demo,
      lastSignInAt: live?.lastSignInAt ? new Date(live.lastSignInAt).getTime() : null,
      activeSessions: Number(live?.live ?? 0),
      methods: [...methods].sort(),
      secondFactor: user.twoFactorEnabled,
      passkeys: Number(passkeys.find((row) => row.userId === user.id)?.count ?? 0),
    } satisfies StaffMember;
  });
}

async function requireMember(db: Database, service: string, userId: string): Promise<StaffMember> {
  const member = (await listStaff(db, service)).find((person) => person.id === userId);
  if (!member) throw new StaffError('not_found', 'There is no staff account with this id.');
  return member;
}

function isFullAdmin(member: { role: Role; scope: ClientScope; disabled: boolean }): boolean {
  return member.role === 'admin' && isAllClients(member.scope) && !member.disabled;
}

/** Refuses a change that would leave `service` with no enabled all-clients admin. */
async function keepAnAdmin(db: Database, service: string, changing: StaffMember): Promise<void> {
  if (!isFullAdmin(changing)) return;
  const others = (await listStaff(db, service)).filter((member) => member.id !== changing.id && isFullAdmin(member));
  if (others.length === 0)
    throw new StaffError(
      'last_admin',
      `${changing.email} is the last admin with all clients; make someone else an admin of all clients first.`,
    );
}

function refuseSelf(actorId: string, userId: string): void {
  if (actorId === userId)
    throw new StaffError('self_change', 'You cannot change your own role, scope or account; ask another admin.');
}

/**
 * Writes the grant, and the same role on the account: pages and the session read the account's
 * role, which with one service is the grant's (several services: the role of the last grant).
 */
async function writeGrant(db: Database, userId: string, service: string, grant: StaffGrantInput): Promise<void> {
  const values = { role: grant.role, clientIds: scopeColumn(grant.scope), updatedAt: new Date() };
  await db.transaction(async (tx) => {
    await tx
      .insert(staffGrant)
      .values({ userId, service, ...values })
      .onConflictDoUpdate({ target: [staffGrant.userId, staffGrant.service], set: values });
    await tx.update(authUser).set({ role: grant.role, updatedAt: new Date() }).where(eq(authUser.id, userId));
  });
}

/** A one-time initial password: 24 random bytes, base64url (32 characters). */
function initialPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A new password account with a grant in `service`; its initial password is returned to be shown
 * once (never stored in clear, never logged or audited). The person changes nothing themselves:
 * an admin can replace the password with the CLI's set-password.
 */
export async function createStaff(
  db: Database,
  service: string,
  input: StaffCreateInput,
): Promise<{ member: StaffMember; initialPassword: string }> {
  const password = initialPassword();
  let user;
  try {
    user = await createUser(db, { email: input.email, name: input.name, role: input.role, password });
  } catch (error) {
    if (error instanceof UserError) throw new StaffError('conflict', error.message);
    throw error;
  }
  await writeGrant(db, user.id, service, input);
  return { member: await requireMember(db, service, user.id), initialPassword: password };
}

/** Changes a person's role and client scope in `service`; applies to their next request. */
export async function changeGrant(
  db: Database,
  actorId: string,
  service: string,
  userId: string,
  grant: StaffGrantInput,
): Promise<{ before: StaffMember; after: StaffMember }> {
  refuseSelf(actorId, userId);
  const before = await requireMember(db, service, userId);
  if (!isFullAdmin({ ...grant, disabled: before.disabled })) await keepAnAdmin(db, service, before);
  await writeGrant(db, userId, service, grant);
  return { before, after: await requireMember(db, service, userId) };
}

/** Disables (ending every session) or re-enables an account. */
export async function changeDisabled(
  db: Database,
  actorId: string,
  service: string,
  userId: string,
  disabled: boolean,
): Promise<StaffMember> {
  refuseSelf(actorId, userId);
  const before = await requireMember(db, service, userId);
  if (disabled) await keepAnAdmin(db, service, before);
  await db.transaction(async (tx) => {
    await tx.update(authUser).set({ disabled, updatedAt: new Date() }).where(eq(authUser.id, userId));
    if (disabled) await tx.delete(authSession).where(eq(authSession.userId, userId));
  });
  return requireMember(db, service, userId);
}

/** Ends every session of a person (they sign in again); answers how many ended. */
export async function endSessions(db: Database, service: string, userId: string): Promise<number> {
  await requireMember(db, service, userId);
  const ended = await db.delete(authSession).where(eq(authSession.userId, userId)).returning({ id: authSession.id });
  return ended.length;
}

/**
 * Removes another person's second factor (a lost phone or key): their TOTP secret, recovery codes
 * and passkeys go and their sessions end, so they sign in with their password and enrol again (MFA_REQUIRED_ROLES makes
 * them). Never one's own: another admin does it.
 */
export async function resetSecondFactor(
  db: Database,
  actorId: string,
  service: string,
  userId: string,
): Promise<StaffMember> {
  refuseSelf(actorId, userId);
  await requireMember(db, service, userId);
  await db.transaction(async (tx) => {
    await tx.update(authUser).set({ twoFactorEnabled: false, updatedAt: new Date() }).where(eq(authUser.id, userId));
    await tx.delete(authTwoFactor).where(eq(authTwoFactor.userId, userId));
    await tx.delete(authPasskey).where(eq(authPasskey.userId, userId));
    await tx.delete(authSession).where(eq(authSession.userId, userId));
  });
  return requireMember(db, service, userId);
}
