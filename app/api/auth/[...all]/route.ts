import { getAuth } from '@/server/auth';

/** Better Auth's endpoints: password and OIDC sign-in, OIDC callback, sign-out. */
async function handle(request: Request): Promise<Response> {
  const auth = await getAuth();
  return auth.handler(request);
}

export const GET = handle;
export const POST = handle;
