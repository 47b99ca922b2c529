import type { Metadata } from 'next';
import { actorWithPermission } from '@/server/auth/page-gate';
import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { NotAllowed } from '@/components/shell/not-allowed';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export const metadata: Metadata = { title: 'New token' };

export default async function Page() {
  if (!(await actorWithPermission('tokens:write'))) return <NotAllowed what="create tokens" />;
  return (
    <div className="space-y-4">
      <Breadcrumb parent={{ href: '/tokens', label: 'Tokens' }} current="New" />
      <h1 className="text-xl font-semibold">New token</h1>
      <CreateTokenForm />
    </div>
  );
}
