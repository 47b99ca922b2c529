import { accountSecurityOf } from '@/server/auth/security-status';
import { json, route } from '@/server/http/route';

/** The signed-in person's second factor and step-up state (open before enrolment: it leads there). */
export const GET = route({
  path: '/api/account/security',
  permission: 'account:self',
  beforeEnrolment: true,
  handler: async ({ actor }) => json(accountSecurityOf(actor)),
});
