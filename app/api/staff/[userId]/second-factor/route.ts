import { z } from 'zod';
import { resetSecondFactor } from '@/server/auth/second-factor-reset';
import { HttpError } from '@/server/http/errors';
import { noContent, route } from '@/server/http/route';

const paramsSchema = z.strictObject({ userId: z.uuid('a staff account id') });

/**
 * Resets another person's second factor (they lost their authenticator): it and their sessions are
 * removed, and they enrol again at their next sign-in. Never one's own: another admin does it.
 */
export const DELETE = route({
  path: '/api/staff/[userId]/second-factor',
  permission: 'staff:mfa_reset',
  audit: 'auth.mfa_reset',
  stepUp: true,
  params: paramsSchema,
  handler: async ({ actor, params, audit }) => {
    audit.details = { userId: params.userId };
    if (params.userId === actor.id)
      throw new HttpError(403, 'forbidden', 'You cannot reset your own second factor; ask another admin.');
    const user = await resetSecondFactor(params.userId);
    if (!user) throw new HttpError(404, 'not_found', 'There is no such staff account.');
    audit.details = { ...audit.details, email: user.email };
    return noContent();
  },
});
