import { getAuth } from '@/server/auth';
import { withRequestId } from '@/server/http/request-id';

/** Better Auth's endpoints: password and OIDC sign-in, OIDC callback, sign-out. */
const handle = withRequestId(async (request) => (await getAuth()).handler(request));

export const GET = handle;
export const POST = handle;
