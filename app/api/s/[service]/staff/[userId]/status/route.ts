import { staffParamsSchema, staffStatusInputSchema } from '@/lib/schemas/staff';
import { changeDisabled } from '@/server/auth/staff';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';

/** Disables an account (its sessions end at once) or enables it again. */
export const POST = route({
  path: '/api/s/[service]/staff/[userId]/status',
  permission: 'staff:manage',
  audit: 'user.disable',
  stepUp: true,
  params: staffParamsSchema,
  body: staffStatusInputSchema,
  handler: async ({ actor, params, body, audit, service }) => {
    audit.action = body.disabled ? 'user.disable' : 'user.enable';
    audit.details = { userId: params.userId };
    const member = await changeDisabled(await getDb(), actor.id, service.slug, params.userId, body.disabled);
    audit.details.user = member.email;
    return json({ member });
  },
});
