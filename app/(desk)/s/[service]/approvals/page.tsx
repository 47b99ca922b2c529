import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';
import { ApprovalsPage } from '@/components/approvals/approvals-page';
import { config } from '@/server/config';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('approvals.title') };
}

export default function Page() {
  return (
    <RouteMessages namespaces={['approvals']}>
      <ApprovalsPage policy={config.security.approvals} />
    </RouteMessages>
  );
}
