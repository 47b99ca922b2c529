import { passkeyParamsSchema } from '@/lib/schemas/security';
import { removePasskey } from '@/server/auth/passkeys';
import { getDb } from '@/server/db';
import { HttpError } from '@/server/http/errors';
import { noContent, route } from '@/server/http/route';

/** Removes one of the person's own passkeys: a dangerous change (it may be their second factor). */
export const DELETE = route({
  path: '/api/account/passkeys/[id]',
  permission: 'account:self',
  // One's own account: open to people with a grant for some clients only.
  clientScoped: true,
  audit: 'auth.passkey_remove',
  stepUp: true,
  params: passkeyParamsSchema,
  handler: async ({ actor, params, audit }) => {
    audit.details = { passkeyId: params.id };
    const removed = await removePasskey(await getDb(), actor.id, params.id);
    if (!removed) throw new HttpError(404, 'not_found', 'You have no passkey with this id.');
    audit.details.name = removed.name;
    return noContent();
  },
});
