import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { servicePath } from '@/lib/service-paths';
import { getActor } from '@/server/auth';
import { defaultService } from '@/server/services';

/** The bare address: straight to the default service's token list when signed in, to sign-in otherwise. */
export default async function HomePage() {
  const actor = await getActor(await headers());
  redirect(actor ? servicePath(defaultService().slug, '/tokens') : '/sign-in');
}
