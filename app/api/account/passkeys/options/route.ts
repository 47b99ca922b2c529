import { getAuth } from '@/server/auth';
import { HttpError } from '@/server/http/errors';
import { route } from '@/server/http/route';

/**
 * Starts adding a passkey: Better Auth's registration options (and its challenge cookie) for the
 * signed-in person, behind a step-up so the browser's step-up dialog can answer first. The
 * credential itself is verified and stored by POST /api/auth/passkey/verify-registration.
 */
export const GET = route({
  path: '/api/account/passkeys/options',
  permission: 'account:self',
  // One's own account: open to people with a grant for some clients only.
  clientScoped: true,
  stepUp: true,
  // A person held at enrolment may add a passkey as their second factor.
  beforeEnrolment: true,
  handler: async ({ actor, headers }) => {
    if (actor.method !== 'password')
      throw new HttpError(400, 'validation_failed', 'Passkeys are for password accounts.');
    const auth = await getAuth();
    const response = await auth.api.generatePasskeyRegistrationOptions({ headers, asResponse: true });
    const answer = new Response(response.body, response);
    answer.headers.set('cache-control', 'no-store');
    return answer;
  },
});
