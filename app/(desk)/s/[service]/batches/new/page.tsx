import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';

import { actorWithPermission } from '@/server/auth/page-gate';
import { NotAllowed } from '@/components/shell/not-allowed';
import { UploadPage } from '@/components/batch/upload-page';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('shell.nav.bulkIssue') };
}

export default async function Page() {
  if (!(await actorWithPermission('batches:write'))) return <NotAllowed what="bulkIssue" />;
  const t = await getTranslations();
  return (
    <RouteMessages namespaces={['batches', 'csvFile']}>
      <div className="max-w-5xl space-y-4">
        <Breadcrumb parent={{ href: '/batches', label: t('shell.nav.jobs') }} current={t('shell.nav.bulkIssue')} />
        <h1 className="text-xl font-semibold">{t('batches.upload.title')}</h1>
        <UploadPage />
      </div>
    </RouteMessages>
  );
}
