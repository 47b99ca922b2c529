import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { can } from '@/lib/roles';
import { getActor } from '@/server/auth';
import { NotAllowed } from '@/components/shell/not-allowed';
import { UploadPage } from '@/components/batch/upload-page';

export const metadata: Metadata = { title: 'Bulk issue' };

export default async function Page() {
  const actor = await getActor(await headers());
  if (!actor || !can(actor.role, 'batches:write')) return <NotAllowed what="issue tokens in bulk" />;
  return (
    <div className="max-w-5xl space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href="/batches" className="hover:underline">
          Jobs
        </Link>{' '}
        / Bulk issue
      </nav>
      <h1 className="text-xl font-semibold">Bulk issue tokens from CSV</h1>
      <UploadPage />
    </div>
  );
}
