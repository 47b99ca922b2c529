import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getActor } from '@/server/auth';

/** The bare address: straight to the token list when signed in, to sign-in otherwise. */
export default async function HomePage() {
  const actor = await getActor(await headers());
  redirect(actor ? '/tokens' : '/sign-in');
}
