import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';
import { ApprovalsPage } from '@/components/approvals/approvals-page';
import { config } from '@/server/config';
import { actorWithPermission } from '@/server/auth/page-gate';
import { NotAllowed } from '@/components/shell/not-allowed';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('approvals.title') };
}

export default async function Page() {
  if (!(await actorWithPermission('approvals:request'))) return <NotAllowed what="seeApprovals" />;
  return (
    <RouteMessages namespaces={['approvals']}>
      <ApprovalsPage policy={config.security.approvals} />
    </RouteMessages>
  );
}
