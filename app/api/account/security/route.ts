import { accountSecurityOf } from '@/server/auth/security-status';
import { json, route } from '@/server/http/route';

/** The signed-in person's second factor and step-up state (open before enrolment: it leads there). */
export const GET = route({
  path: '/api/account/security',
  permission: 'account:self',
  // One's own account (or one's own requests): open to people with a grant for some clients only.
  clientScoped: true,
  beforeEnrolment: true,
  handler: async ({ actor }) => json(accountSecurityOf(actor)),
});
