import { staffCreateInputSchema } from '@/lib/schemas/staff';
import { createStaff, listStaff } from '@/server/auth/staff';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';

/** Everyone with an account: role and client scope in this service, last sign-in, live sessions. */
export const GET = route({
  path: '/api/s/[service]/staff',
  permission: 'staff:manage',
  handler: async ({ service }) => json({ staff: await listStaff(await getDb(), service.slug) }),
});

/** A new password account with a grant here; the initial password is in this answer only. */
export const POST = route({
  path: '/api/s/[service]/staff',
  permission: 'staff:manage',
  audit: 'user.create',
  stepUp: true,
  body: staffCreateInputSchema,
  handler: async ({ body, audit, service }) => {
    audit.details = { user: body.email.toLowerCase(), service: service.slug, role: body.role, scope: body.scope };
    const created = await createStaff(await getDb(), service.slug, body);
    audit.details.userId = created.member.id;
    return json(created, 201);
  },
});
