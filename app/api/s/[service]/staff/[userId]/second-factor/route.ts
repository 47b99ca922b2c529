import { staffParamsSchema } from '@/lib/schemas/staff';
import { resetSecondFactor } from '@/server/auth/staff';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';

/**
 * Resets another person's second factor (they lost their authenticator): it and their sessions are
 * removed, and they enrol again at their next sign-in.
 */
export const DELETE = route({
  path: '/api/s/[service]/staff/[userId]/second-factor',
  permission: 'staff:manage',
  audit: 'auth.mfa_reset',
  stepUp: true,
  params: staffParamsSchema,
  handler: async ({ actor, params, audit, service }) => {
    audit.details = { userId: params.userId };
    const member = await resetSecondFactor(await getDb(), actor.id, service.slug, params.userId);
    audit.details.user = member.email;
    return json({ member });
  },
});
