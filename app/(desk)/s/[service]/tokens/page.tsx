import type { Metadata } from 'next';
import { Suspense } from 'react';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';

import { TokensPage } from '@/components/tokens/tokens-page';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('tokens.list.title') };
}

export default function Page() {
  // useSearchParams() inside needs a Suspense boundary.
  return (
    <RouteMessages namespaces={['tokens', 'export']}>
      <Suspense>
        <TokensPage />
      </Suspense>
    </RouteMessages>
  );
}
