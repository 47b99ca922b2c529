import { listPasskeys } from '@/server/auth/passkeys';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';

/** The signed-in person's passkeys (added through Better Auth's passkey endpoints). */
export const GET = route({
  path: '/api/account/passkeys',
  permission: 'account:self',
  // One's own account: open to people with a grant for some clients only.
  clientScoped: true,
  handler: async ({ actor }) => json({ passkeys: await listPasskeys(await getDb(), actor.id) }),
});
