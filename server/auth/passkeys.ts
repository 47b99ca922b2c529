import 'server-only';
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { and, asc, eq, lt } from 'drizzle-orm';
import type { Passkey } from '@/lib/schemas/security';
import type { Database } from '@/server/db';
import { authPasskey, authVerification } from '@/server/db/schema';

/** How long a step-up challenge can be answered: the browser prompt, with time to touch the key. */
const STEP_UP_CHALLENGE_SECONDS = 300;

/**
 * The WebAuthn relying party: the app's public origin (APP_URL, else the origin the request came
 * to, in development) and its host name as the RP ID. A passkey made here works only on that origin.
 */
function relyingPartyFor(appOrigin: string): { origin: string; rpID: string } {
  return { origin: appOrigin, rpID: new URL(appOrigin).hostname };
}

/** The person's passkeys, oldest first, as the account page lists them. */
export async function listPasskeys(db: Database, userId: string): Promise<Passkey[]> {
  const rows = await db
    .select({ id: authPasskey.id, name: authPasskey.name, createdAt: authPasskey.createdAt })
    .from(authPasskey)
    .where(eq(authPasskey.userId, userId))
    .orderBy(asc(authPasskey.createdAt));
  return rows.map((row) => ({ id: row.id, name: row.name ?? '', createdAt: row.createdAt.toISOString() }));
}

/** Removes one of the person's own passkeys; null when they have none with this id. */
export async function removePasskey(db: Database, userId: string, id: string): Promise<Passkey | null> {
  const [row] = await db
    .delete(authPasskey)
    .where(and(eq(authPasskey.id, id), eq(authPasskey.userId, userId)))
    .returning({ id: authPasskey.id, name: authPasskey.name, createdAt: authPasskey.createdAt });
  return row ? { id: row.id, name: row.name ?? '', createdAt: row.createdAt.toISOString() } : null;
}

const challengeKey = (sessionId: string) => `passkey-step-up:${sessionId}`;

/**
 * A step-up challenge for this session, answerable only by one of the person's own passkeys with
 * user verification. One at a time per session: a new one replaces the last.
 */
export async function startPasskeyStepUp(
  db: Database,
  person: { id: string; sessionId: string },
  appOrigin: string,
): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  const passkeys = await db
    .select({ credentialID: authPasskey.credentialID, transports: authPasskey.transports })
    .from(authPasskey)
    .where(eq(authPasskey.userId, person.id));
  if (passkeys.length === 0) return null;
  const options = await generateAuthenticationOptions({
    rpID: relyingPartyFor(appOrigin).rpID,
    userVerification: 'required',
    timeout: STEP_UP_CHALLENGE_SECONDS * 1000,
    allowCredentials: passkeys.map((passkey) => ({
      id: passkey.credentialID,
      transports: passkey.transports ? (passkey.transports.split(',') as AuthenticatorTransportFuture[]) : undefined,
    })),
  });
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx.delete(authVerification).where(eq(authVerification.identifier, challengeKey(person.sessionId)));
    await tx.delete(authVerification).where(lt(authVerification.expiresAt, now));
    await tx.insert(authVerification).values({
      id: crypto.randomUUID(),
      identifier: challengeKey(person.sessionId),
      value: options.challenge,
      expiresAt: new Date(now.getTime() + STEP_UP_CHALLENGE_SECONDS * 1000),
    });
  });
  return options;
}

/**
 * Whether an assertion proves it is this person: it answers this session's outstanding challenge
 * (used once, whatever the outcome), comes from one of the person's own passkeys (someone else's
 * credential is refused even if the signature is good), on this origin, with user verification.
 */
export async function verifyPasskeyStepUp(
  db: Database,
  person: { id: string; sessionId: string },
  response: AuthenticationResponseJSON,
  appOrigin: string,
): Promise<boolean> {
  const [challenge] = await db
    .delete(authVerification)
    .where(eq(authVerification.identifier, challengeKey(person.sessionId)))
    .returning({ value: authVerification.value, expiresAt: authVerification.expiresAt });
  if (!challenge || challenge.expiresAt.getTime() < Date.now()) return false;
  const [passkey] = await db
    .select()
    .from(authPasskey)
    .where(and(eq(authPasskey.credentialID, response.id), eq(authPasskey.userId, person.id)));
  if (!passkey) return false;
  const { origin, rpID } = relyingPartyFor(appOrigin);
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.value,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialID,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64')),
        counter: passkey.counter,
      },
    });
    if (!verified) return false;
    await db.update(authPasskey).set({ counter: authenticationInfo.newCounter }).where(eq(authPasskey.id, passkey.id));
    return true;
  } catch {
    // A malformed or forged assertion: the same as a wrong one.
    return false;
  }
}
