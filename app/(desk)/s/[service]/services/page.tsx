import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';
import { ServicesPage } from '@/components/overview/services-page';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('services.title') };
}

export default function Page() {
  return (
    <RouteMessages namespaces={['services']}>
      <ServicesPage />
    </RouteMessages>
  );
}
