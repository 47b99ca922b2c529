import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { jobIdSchema } from '@/lib/schemas/batch-job';
import { actorWithPermission } from '@/server/auth/page-gate';
import { NotAllowed } from '@/components/shell/not-allowed';
import { JobPage } from '@/components/batch/job-page';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export const metadata: Metadata = { title: 'Bulk-issuing job' };

export default async function Page({ params }: { params: Promise<{ jobId: string }> }) {
  if (!(await actorWithPermission('batches:read'))) return <NotAllowed what="seeJobs" />;
  const { jobId } = await params;
  if (!jobIdSchema.safeParse(jobId).success) notFound();
  return (
    <div className="max-w-6xl space-y-4">
      <Breadcrumb parent={{ href: '/batches', label: 'Jobs' }} current="Job" />
      <JobPage jobId={jobId} />
    </div>
  );
}
