import type { Metadata } from 'next';
import { Suspense } from 'react';
import { actorWithPermission } from '@/server/auth/page-gate';
import { AuditPage } from '@/components/audit/audit-page';
import { NotAllowed } from '@/components/shell/not-allowed';

export const metadata: Metadata = { title: 'Audit log' };

export default async function Page() {
  if (!(await actorWithPermission('audit:read'))) return <NotAllowed what="read the audit log" />;
  return (
    <Suspense>
      <AuditPage />
    </Suspense>
  );
}
