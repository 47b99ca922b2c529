import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { can } from '@/lib/roles';
import { jobIdSchema } from '@/lib/schemas/batch-job';
import { getActor } from '@/server/auth';
import { NotAllowed } from '@/components/shell/not-allowed';
import { JobPage } from '@/components/batch/job-page';

export const metadata: Metadata = { title: 'Bulk-issuing job' };

export default async function Page({ params }: { params: Promise<{ jobId: string }> }) {
  const actor = await getActor(await headers());
  if (!actor || !can(actor.role, 'batches:read')) return <NotAllowed what="see bulk-issuing jobs" />;
  const { jobId } = await params;
  if (!jobIdSchema.safeParse(jobId).success) notFound();
  return (
    <div className="max-w-6xl space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href="/batches" className="hover:underline">
          Jobs
        </Link>{' '}
        / Job
      </nav>
      <JobPage jobId={jobId} />
    </div>
  );
}
