import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { NotAllowed } from '@/components/shell/not-allowed';
import { RouteMessages } from '@/components/shell/route-messages';
import { WebhooksPage } from '@/components/webhooks/webhooks-page';
import { can } from '@/lib/roles';
import { getActor } from '@/server/auth';
import { findService } from '@/server/services';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('webhooks.title') };
}

export default async function Page({ params }: { params: Promise<{ service: string }> }) {
  const { service } = await params;
  if (!findService(service)) notFound();
  const actor = await getActor(await headers());
  if (!actor || !can(actor.role, 'webhooks:manage')) return <NotAllowed what="manageWebhooks" />;
  return (
    <RouteMessages namespaces={['webhooks']}>
      <WebhooksPage />
    </RouteMessages>
  );
}
