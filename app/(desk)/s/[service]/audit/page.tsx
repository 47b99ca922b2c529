import type { Metadata } from 'next';
import { Suspense } from 'react';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';

import { actorWithPermission } from '@/server/auth/page-gate';
import { AuditPage } from '@/components/audit/audit-page';
import { NotAllowed } from '@/components/shell/not-allowed';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('audit.title') };
}

export default async function Page() {
  if (!(await actorWithPermission('audit:read'))) return <NotAllowed what="readAudit" />;
  return (
    <RouteMessages namespaces={['audit', 'tokens', 'export']}>
      <Suspense>
        <AuditPage />
      </Suspense>
    </RouteMessages>
  );
}
