import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TokensPage } from '@/components/tokens/tokens-page';

export const metadata: Metadata = { title: 'Tokens' };

export default function Page() {
  // useSearchParams() inside needs a Suspense boundary.
  return (
    <Suspense>
      <TokensPage />
    </Suspense>
  );
}
