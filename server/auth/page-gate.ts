import 'server-only';
import { headers } from 'next/headers';
import { can, type Permission } from '@/lib/roles';
import { getActor, type Actor } from '@/server/auth';

/**
 * The signed-in actor of this page request when their role has `permission`, else null: pages for
 * some roles only show NotAllowed on null (the desk layout has already sent signed-out people away).
 */
export async function actorWithPermission(permission: Permission): Promise<Actor | null> {
  const actor = await getActor(await headers());
  return actor && can(actor.role, permission) ? actor : null;
}
