import type { Role } from '@/lib/roles';
import { getAuth } from '@/server/auth';
import { createUser } from '@/server/auth/users';
import { getDb } from '@/server/db';

const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Creates a local account with `role` (server/auth/users) and signs it in through Better Auth's
 * real password sign-in, returning the `Cookie` header value a browser would send. Tests only.
 */
export async function sessionCookieFor(
  role: Role,
  email = `${role}-${crypto.randomUUID().slice(0, 8)}@desk.test`,
): Promise<string> {
  await createUser(await getDb(), { email, name: `Test ${role}`, role, password: TEST_PASSWORD });
  const auth = await getAuth();
  const response = await auth.api.signInEmail({
    body: { email, password: TEST_PASSWORD },
    headers: new Headers({ 'user-agent': 'vitest', 'x-forwarded-for': '127.0.0.1' }),
    asResponse: true,
  });
  if (!response.ok) throw new Error(`Test sign-in failed: ${response.status} ${await response.text()}`);
  // Name=value pairs only, as a browser sends them back.
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}
