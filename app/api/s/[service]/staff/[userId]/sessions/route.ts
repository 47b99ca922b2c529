import { staffParamsSchema } from '@/lib/schemas/staff';
import { endSessions } from '@/server/auth/staff';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';

/** Ends every session of a person: they must sign in again. */
export const DELETE = route({
  path: '/api/s/[service]/staff/[userId]/sessions',
  permission: 'staff:manage',
  audit: 'user.sessions_end',
  stepUp: true,
  params: staffParamsSchema,
  handler: async ({ params, audit, service }) => {
    audit.details = { userId: params.userId };
    const count = await endSessions(await getDb(), service.slug, params.userId);
    audit.count = count;
    return json({ count });
  },
});
