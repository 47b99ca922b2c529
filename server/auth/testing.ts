import type { Role } from '@/lib/roles';
import { getDb } from '@/server/db';
import { getAuth } from './auth';
import { createUser } from './users';

export const TEST_PASSWORD = 'a long enough test password';
let sequence = 0;

/**
 * Tests only: creates a password account with `role` and signs it in through Better Auth's real
 * HTTP handler, returning the `Cookie` header a browser would send back.
 */
export async function signedInAs(role: Role, email = `${role}-${process.pid}-${++sequence}@desk.test`): Promise<{ cookie: string; email: string }> {
  await createUser(await getDb(), { email, name: `Test ${role}`, role, password: TEST_PASSWORD });
  const auth = await getAuth();
  const response = await auth.handler(
    new Request('http://127.0.0.1:3000/api/auth/sign-in/email', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'http://127.0.0.1:3000',
        'user-agent': 'vitest',
        // A fresh address per sign-in keeps the per-address rate limit out of unrelated tests.
        'x-forwarded-for': `198.51.100.${(sequence % 250) + 1}`,
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
