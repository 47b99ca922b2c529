import 'server-only';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { and, eq, sql } from 'drizzle-orm';
import type { Role } from '@/lib/roles';
import { getDb } from '@/server/db';
import { authAccount, authSession } from '@/server/db/schema';
import { getAuth } from './auth';
import { verifyPasskeyStepUp } from './passkeys';

/**
 * Whether a proof of identity made at `verifiedAt` still lets a dangerous action through at `now`
 * (STEP_UP_WINDOW_SECONDS). A proof from the future (clock skew between instances) counts as fresh
 * only up to the window.
 */
export function stepUpFresh(verifiedAt: Date, now: Date, windowSeconds: number): boolean {
  const age = now.getTime() - verifiedAt.getTime();
  return age <= windowSeconds * 1000 && age >= -windowSeconds * 1000;
}

/**
 * Whether this person must enrol a second factor before anything else (MFA_REQUIRED_ROLES). Only
 * password accounts enrol here: a single sign-on account's second factor is its provider's.
 */
export function mustEnrol(
  person: { role: Role; method: 'password' | 'oidc'; twoFactorEnabled: boolean; hasPasskey: boolean },
  requiredRoles: readonly Role[],
): boolean {
  return (
    person.method === 'password' &&
    !person.twoFactorEnabled &&
    !person.hasPasskey &&
    requiredRoles.includes(person.role)
  );
}

/** Wrong step-up proofs in a row after which the session ends (a guessed code must not get far). */
export const STEP_UP_MAX_FAILURES = 5;

/**
 * What a person gives to step up: a code from their authenticator, a recovery code, an assertion
 * from one of their passkeys (answering the challenge from startPasskeyStepUp), or their password.
 */
export type StepUpProof =
  { code: string } | { recoveryCode: string } | { password: string } | { passkey: AuthenticationResponseJSON };

/**
 * Checks the proof against the person's factor through Better Auth (a TOTP code or a recovery code
 * when a second factor is enrolled, an assertion from one of their own passkeys, else the password
 * where they have neither) and, when it holds, opens the step-up window
 * on this session. Returns whether it held. A single sign-on session cannot step up here: its person
 * signs in again at the provider (a fresh sign-in opens the window).
 */
export async function stepUp(
  person: {
    id: string;
    sessionId: string;
    twoFactorEnabled: boolean;
    hasPasskey: boolean;
    method: 'password' | 'oidc';
  },
  proof: StepUpProof,
  headers: Headers,
  appOrigin: string,
): Promise<'verified' | 'wrong' | 'signed_out' | 'not_possible'> {
  if (person.method !== 'password') return 'not_possible';
  const auth = await getAuth();
  let verified = false;
  if ('passkey' in proof) {
    if (!person.hasPasskey) return 'not_possible';
    verified = await verifyPasskeyStepUp(await getDb(), person, proof.passkey, appOrigin);
  } else if (person.twoFactorEnabled) {
    if ('password' in proof) return 'not_possible';
    try {
      if ('code' in proof) await auth.api.verifyTOTP({ body: { code: proof.code }, headers });
      else await auth.api.verifyBackupCode({ body: { code: proof.recoveryCode }, headers });
      verified = true;
    } catch {
      verified = false;
    }
  } else {
    // A passkey as the only second factor: the password alone does not step up.
    if (!('password' in proof) || person.hasPasskey) return 'not_possible';
    const db = await getDb();
    const [account] = await db
      .select({ password: authAccount.password })
      .from(authAccount)
      .where(and(eq(authAccount.userId, person.id), eq(authAccount.providerId, 'credential')));
    if (account?.password) {
      const context = await auth.$context;
      verified = await context.password.verify({ hash: account.password, password: proof.password });
    }
  }
  const db = await getDb();
  if (!verified) {
    const [row] = await db
      .update(authSession)
      .set({ stepUpFailures: sql`${authSession.stepUpFailures} + 1` })
      .where(eq(authSession.id, person.sessionId))
      .returning({ failures: authSession.stepUpFailures });
    if (!row || row.failures >= STEP_UP_MAX_FAILURES) {
      await db.delete(authSession).where(eq(authSession.id, person.sessionId));
      return 'signed_out';
    }
    return 'wrong';
  }
  await db
    .update(authSession)
    .set({ verifiedAt: new Date(), stepUpFailures: 0 })
    .where(eq(authSession.id, person.sessionId));
  return 'verified';
}
