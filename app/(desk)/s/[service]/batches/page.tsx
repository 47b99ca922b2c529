import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ServiceLink } from '@/components/shell/service-link';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';

import { can } from '@/lib/roles';
import { getActor } from '@/server/auth';
import { NotAllowed } from '@/components/shell/not-allowed';
import { JobsList } from '@/components/batch/jobs-list';
import { OffboardingsList, RevocationsList } from '@/components/batch/other-jobs';
import { ExportsList } from '@/components/export/exports-list';
import { buttonClass } from '@/components/ui/button';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('batches.list.title') };
}

export default async function Page() {
  const actor = await getActor(await headers());
  if (!actor || !can(actor.role, 'batches:read')) return <NotAllowed what="seeJobs" />;
  const t = await getTranslations();
  return (
    <RouteMessages namespaces={['batches', 'export', 'tokens']}>
      <div className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-xl font-semibold">{t('batches.list.title')}</h1>
          {can(actor.role, 'batches:write') && (
            <ServiceLink href="/batches/new" className={buttonClass('primary')}>
              {t('shell.nav.bulkIssue')}
            </ServiceLink>
          )}
        </div>
        <JobsList />
        <RevocationsList />
        <h2 className="pt-2 text-lg font-semibold">{t('batches.other.offboardings')}</h2>
        <OffboardingsList />
        <h2 className="pt-2 text-lg font-semibold">{t('batches.list.exports')}</h2>
        <ExportsList />
      </div>
    </RouteMessages>
  );
}
