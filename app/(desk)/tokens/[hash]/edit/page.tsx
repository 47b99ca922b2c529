import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isTokenHash } from '@/lib/hash';
import { actorWithPermission } from '@/server/auth/page-gate';
import { NotAllowed } from '@/components/shell/not-allowed';
import { EditTokenPage } from '@/components/tokens/edit-token-form';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export const metadata: Metadata = { title: 'Edit token' };

type Props = {
  params: Promise<{ hash: string }>;
  searchParams: Promise<{ subject?: string | string[]; clientId?: string | string[] }>;
};

const one = (value: string | string[] | undefined) => (typeof value === 'string' && value ? value : undefined);

export default async function Page({ params, searchParams }: Props) {
  if (!(await actorWithPermission('tokens:write'))) return <NotAllowed what="edit tokens" />;
  const { hash } = await params;
  if (!isTokenHash(hash)) notFound();
  const search = await searchParams;
  return (
    <div className="space-y-4">
      <Breadcrumb parent={{ href: '/tokens', label: 'Tokens' }} current="Edit" />
      <h1 className="text-xl font-semibold">Edit token</h1>
      {/* subject and clientId only narrow the server's search (Authlete cannot fetch by hash). */}
      <EditTokenPage hash={hash} hint={{ subject: one(search.subject), clientId: one(search.clientId) }} />
    </div>
  );
}
