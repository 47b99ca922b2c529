import { can } from '@/lib/roles';
import { listApprovals } from '@/server/approvals';
import { json, route } from '@/server/http/route';

/**
 * The service's four-eyes requests, newest first (an admin sees everyone's, anyone else their own)
 * and how many wait for this person's decision (the navigation badge).
 */
export const GET = route({
  path: '/api/s/[service]/approvals',
  permission: 'approvals:request',
  // One's own account (or one's own requests): open to people with a grant for some clients only.
  clientScoped: true,
  handler: async ({ actor, service }) =>
    json(await listApprovals(service.slug, actor, can(actor.role, 'approvals:decide'))),
});
