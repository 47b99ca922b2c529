import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { can } from '@/lib/roles';
import { getActor } from '@/server/auth';
import { NotAllowed } from '@/components/shell/not-allowed';
import { JobsList } from '@/components/batch/jobs-list';
import { buttonClass } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Bulk-issuing jobs' };

export default async function Page() {
  const actor = await getActor(await headers());
  if (!actor || !can(actor.role, 'batches:read')) return <NotAllowed what="seeJobs" />;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-semibold">Bulk-issuing jobs</h1>
        {can(actor.role, 'batches:write') && (
          <Link href="/batches/new" className={buttonClass('primary')}>
            Bulk issue
          </Link>
        )}
      </div>
      <JobsList />
    </div>
  );
}
