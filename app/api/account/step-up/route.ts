import { stepUpRequestSchema } from '@/lib/schemas/security';
import { stepUp } from '@/server/auth/step-up';
import { accountSecurityOf } from '@/server/auth/security-status';
import { HttpError } from '@/server/http/errors';
import { json, route } from '@/server/http/route';

/**
 * Proves it is the person again (a code from their authenticator or a recovery code when a second
 * factor is enrolled, else their password), opening the step-up window on this session. Five wrong
 * proofs in a row end the session.
 */
export const POST = route({
  path: '/api/account/step-up',
  permission: 'account:self',
  // One's own account (or one's own requests): open to people with a grant for some clients only.
  clientScoped: true,
  audit: 'auth.step_up',
  body: stepUpRequestSchema,
  handler: async ({ actor, body, audit, headers }) => {
    const proof = 'code' in body ? 'totp' : 'recoveryCode' in body ? 'recovery_code' : 'password';
    audit.details = { proof };
    const outcome = await stepUp(actor, body, headers);
    if (outcome === 'not_possible') {
      throw new HttpError(
        400,
        'validation_failed',
        actor.method === 'oidc'
          ? 'Sign in again with single sign-on to confirm it is you.'
          : actor.twoFactorEnabled
            ? 'Enter a code from your authenticator app (or a recovery code), not your password.'
            : 'Enter your password: you have no second factor to give a code from.',
      );
    }
    if (outcome === 'signed_out')
      throw new HttpError(401, 'unauthenticated', 'Too many wrong attempts: you have been signed out. Sign in again.');
    if (outcome === 'wrong') throw new HttpError(403, 'step_up_failed', 'That code or password is not right.');
    return json(accountSecurityOf({ ...actor, verifiedAt: new Date() }));
  },
});
