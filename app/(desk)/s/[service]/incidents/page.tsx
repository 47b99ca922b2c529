import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { IncidentsPage } from '@/components/incidents/incidents-page';
import { NotAllowed } from '@/components/shell/not-allowed';
import { RouteMessages } from '@/components/shell/route-messages';
import { can } from '@/lib/roles';
import { getActor } from '@/server/auth';
import { findService, refreshServices } from '@/server/services';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('incidents.title') };
}

export default async function Page({ params }: { params: Promise<{ service: string }> }) {
  const { service } = await params;
  await refreshServices();
  if (!findService(service)) notFound();
  const actor = await getActor(await headers());
  if (!actor || !can(actor.role, 'incidents:revoke')) return <NotAllowed what="seeIncidents" />;
  return (
    <RouteMessages namespaces={['incidents', 'csvFile']}>
      <IncidentsPage service={service} />
    </RouteMessages>
  );
}
