import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';
import { OverviewPage } from '@/components/overview/overview-page';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('overview.title') };
}

// Every role reads tokens, so, like the token list, the page needs no permission gate.
export default function Page() {
  return (
    <RouteMessages namespaces={['overview', 'services']}>
      <OverviewPage />
    </RouteMessages>
  );
}
