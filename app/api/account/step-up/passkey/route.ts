import { startPasskeyStepUp } from '@/server/auth/passkeys';
import { getDb } from '@/server/db';
import { HttpError } from '@/server/http/errors';
import { json, route } from '@/server/http/route';

/**
 * A WebAuthn challenge for stepping up with a passkey, naming only the person's own passkeys; the
 * browser's answer goes to POST /api/account/step-up. A read like Better Auth's own options
 * endpoints: it changes nothing but this session's outstanding challenge.
 */
export const GET = route({
  path: '/api/account/step-up/passkey',
  permission: 'account:self',
  // One's own account: open to people with a grant for some clients only.
  clientScoped: true,
  handler: async ({ actor, appOrigin }) => {
    if (actor.method !== 'password')
      throw new HttpError(400, 'validation_failed', 'Passkeys are for password accounts.');
    const options = await startPasskeyStepUp(await getDb(), actor, appOrigin);
    if (!options) throw new HttpError(404, 'not_found', 'You have no passkey: add one under Account security first.');
    return json(options);
  },
});
