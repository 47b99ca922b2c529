import { handleAuthRequest } from '@/server/http/auth-routes';
import { withRequestId } from '@/server/core/request-id';

/** Better Auth's endpoints Token Desk offers (password and OIDC sign-in, OIDC callback, sign-out); the rest answer 404. */
const handle = withRequestId(handleAuthRequest);

export const GET = handle;
export const POST = handle;
