import type { SessionResponse } from '@/lib/schemas/session';
import { getActor } from '@/server/auth';
import { config } from '@/server/config';
import { withRequestId } from '@/server/core/request-id';

/** Who is signed in (read from the database on every call) and whether this is the demo. */
export const GET = withRequestId(async (request) => {
  const actor = await getActor(request.headers);
  const headers = { 'Cache-Control': 'no-store' };
  if (!actor) {
    return Response.json(
      { error: { code: 'unauthenticated', message: 'Sign in to continue; your session has ended or is missing.' } },
      { status: 401, headers },
    );
  }
  // The person only: which session row and when it was last verified stay on the server.
  const { id, email, name, role, method } = actor;
  return Response.json({ actor: { id, email, name, role, method }, demo: config.demo } satisfies SessionResponse, {
    headers,
  });
});
