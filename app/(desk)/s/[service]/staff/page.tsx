import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { NotAllowed } from '@/components/shell/not-allowed';
import { RouteMessages } from '@/components/shell/route-messages';
import { StaffPage } from '@/components/staff/staff-page';
import { can } from '@/lib/roles';
import { getActor } from '@/server/auth';
import { findService, refreshServices } from '@/server/services';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('staff.title') };
}

export default async function Page({ params }: { params: Promise<{ service: string }> }) {
  const { service } = await params;
  await refreshServices();
  if (!findService(service)) notFound();
  const actor = await getActor(await headers());
  if (!actor || !can(actor.role, 'staff:manage')) return <NotAllowed what="manageStaff" />;
  return (
    <RouteMessages namespaces={['staff']}>
      <StaffPage />
    </RouteMessages>
  );
}
