import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';
import { SecurityPage } from '@/components/account/security-page';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('account.title') };
}

export default function Page() {
  return (
    <RouteMessages namespaces={['account']}>
      <SecurityPage />
    </RouteMessages>
  );
}
