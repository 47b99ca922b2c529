import { stepUpRequestSchema } from '@/lib/schemas/security';
import { stepUp } from '@/server/auth/step-up';
import { accountSecurityOf } from '@/server/auth/security-status';
import { HttpError } from '@/server/http/errors';
import { json, route } from '@/server/http/route';

/** What to give instead, when the proof sent is not one this person can step up with. */
function notPossibleHint(actor: { method: 'password' | 'oidc'; twoFactorEnabled: boolean; hasPasskey: boolean }) {
  if (actor.method === 'oidc') return 'Sign in again with single sign-on to confirm it is you.';
  if (actor.twoFactorEnabled)
    return actor.hasPasskey
      ? 'Use your passkey or enter a code from your authenticator app (or a recovery code), not your password.'
      : 'Enter a code from your authenticator app (or a recovery code), not your password.';
  if (actor.hasPasskey) return 'Use your passkey to confirm it is you.';
  return 'Enter your password: you have no second factor to give a code from.';
}

/**
 * Proves it is the person again (a code from their authenticator or a recovery code when a second
 * factor is enrolled, an assertion from one of their passkeys, else their password), opening the
 * step-up window on this session. Five wrong proofs in a row end the session.
 */
export const POST = route({
  path: '/api/account/step-up',
  permission: 'account:self',
  // One's own account (or one's own requests): open to people with a grant for some clients only.
  clientScoped: true,
  audit: 'auth.step_up',
  body: stepUpRequestSchema,
  handler: async ({ actor, body, audit, headers, appOrigin }) => {
    const proof =
      'code' in body ? 'totp' : 'recoveryCode' in body ? 'recovery_code' : 'passkey' in body ? 'passkey' : 'password';
    audit.details = { proof };
    if ('passkey' in body) audit.details.credentialId = body.passkey.id;
    const outcome = await stepUp(actor, body, headers, appOrigin);
    if (outcome === 'not_possible') throw new HttpError(400, 'validation_failed', notPossibleHint(actor));
    if (outcome === 'signed_out')
      throw new HttpError(401, 'unauthenticated', 'Too many wrong attempts: you have been signed out. Sign in again.');
    if (outcome === 'wrong') throw new HttpError(403, 'step_up_failed', 'That code, passkey or password is not right.');
    return json(accountSecurityOf({ ...actor, verifiedAt: new Date() }));
  },
});
