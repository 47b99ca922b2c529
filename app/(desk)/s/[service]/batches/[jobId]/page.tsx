import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';

import { jobIdSchema } from '@/lib/schemas/issue-job';
import { actorWithPermission } from '@/server/auth/page-gate';
import { NotAllowed } from '@/components/shell/not-allowed';
import { JobPage } from '@/components/batch/job-page';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('batches.job.title') };
}

export default async function Page({ params }: { params: Promise<{ jobId: string }> }) {
  if (!(await actorWithPermission('batches:read'))) return <NotAllowed what="seeJobs" />;
  const { jobId } = await params;
  if (!jobIdSchema.safeParse(jobId).success) notFound();
  const t = await getTranslations();
  return (
    <RouteMessages namespaces={['batches', 'csvFile', 'tokens']}>
      <div className="max-w-6xl space-y-4">
        <Breadcrumb parent={{ href: '/batches', label: t('shell.nav.jobs') }} current={t('batches.job.crumb')} />
        <JobPage jobId={jobId} />
      </div>
    </RouteMessages>
  );
}
