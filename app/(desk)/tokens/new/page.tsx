import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { can } from '@/lib/roles';
import { getActor } from '@/server/auth';
import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { NotAllowed } from '@/components/shell/not-allowed';

export const metadata: Metadata = { title: 'New token' };

export default async function Page() {
  const actor = await getActor(await headers());
  if (!actor || !can(actor.role, 'tokens:write')) return <NotAllowed what="create tokens" />;
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href="/tokens" className="hover:underline">
          Tokens
        </Link>{' '}
        / New
      </nav>
      <h1 className="text-xl font-semibold">New token</h1>
      <CreateTokenForm />
    </div>
  );
}
