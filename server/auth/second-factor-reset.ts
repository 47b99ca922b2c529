import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/server/db';
import { authSession, authTwoFactor, authUser } from '@/server/db/schema';

/**
 * Removes a person's second factor (a lost phone): their TOTP secret and recovery codes go, and
 * their sessions end, so they sign in with their password and enrol again (MFA_REQUIRED_ROLES makes
 * them). Returns their email, or null when there is no such person.
 */
export async function resetSecondFactor(userId: string): Promise<{ email: string } | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [user] = await tx
      .update(authUser)
      .set({ twoFactorEnabled: false, updatedAt: new Date() })
      .where(eq(authUser.id, userId))
      .returning({ email: authUser.email });
    if (!user) return null;
    await tx.delete(authTwoFactor).where(eq(authTwoFactor.userId, userId));
    await tx.delete(authSession).where(eq(authSession.userId, userId));
    return user;
  });
}
