import type { Role } from '@/lib/roles';
import { getDb } from '@/server/db';
import { handleAuthRequest } from '@/server/http/auth-routes';
import { createUser } from '@/server/auth/users';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';

export const TEST_PASSWORD = 'a long enough test password';
let sequence = 0;

/**
 * Tests only: creates a password account with `role` and signs it in through the app's /api/auth
 * handler, returning the `Cookie` header a browser would send back.
 */
export async function signedInAs(
  role: Role,
  email = `${role}-${process.pid}-${++sequence}@desk.test`,
): Promise<{ cookie: string; email: string }> {
  await createUser(await getDb(), { email, name: `Test ${role}`, role, password: TEST_PASSWORD });
  const response = await handleAuthRequest(
    new Request('http://127.0.0.1:3000/api/auth/sign-in/email', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'http://127.0.0.1:3000',
        'user-agent': 'vitest',
        // A fresh address per sign-in (as the HTTP server records it) keeps the per-address rate
        // limit out of unrelated tests.
        [PEER_ADDRESS_HEADER]: `198.51.100.${(sequence % 250) + 1}`,
      },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    }),
  );
  if (!response.ok) throw new Error(`Test sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return { cookie, email };
}
