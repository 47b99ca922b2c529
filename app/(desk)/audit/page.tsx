import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Suspense } from 'react';
import { can } from '@/lib/roles';
import { getActor } from '@/server/auth';
import { AuditPage } from '@/components/audit/audit-page';
import { NotAllowed } from '@/components/shell/not-allowed';

export const metadata: Metadata = { title: 'Audit log' };

export default async function Page() {
  const actor = await getActor(await headers());
  if (!actor || !can(actor.role, 'audit:read')) return <NotAllowed what="read the audit log" />;
  return (
    <Suspense>
      <AuditPage />
    </Suspense>
  );
}
