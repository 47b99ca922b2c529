import { staffGrantInputSchema, staffParamsSchema } from '@/lib/schemas/staff';
import { changeGrant } from '@/server/auth/staff';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';

/** Changes a person's role and client scope in this service (never one's own; never the last admin). */
export const PATCH = route({
  path: '/api/s/[service]/staff/[userId]',
  permission: 'staff:manage',
  audit: 'user.role_change',
  stepUp: true,
  params: staffParamsSchema,
  body: staffGrantInputSchema,
  handler: async ({ actor, params, body, audit, service }) => {
    audit.details = { userId: params.userId, service: service.slug };
    const { before, after } = await changeGrant(await getDb(), actor.id, service.slug, params.userId, body);
    audit.details.user = after.email;
    audit.before = { role: before.role, scope: before.scope };
    audit.after = { role: after.role, scope: after.scope };
    return json({ member: after });
  },
});
