import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';

import { actorWithPermission } from '@/server/auth/page-gate';
import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { NotAllowed } from '@/components/shell/not-allowed';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('tokens.create.title') };
}

export default async function Page() {
  if (!(await actorWithPermission('tokens:write'))) return <NotAllowed what="createTokens" />;
  const t = await getTranslations();
  return (
    <RouteMessages namespaces={['tokens']}>
      <div className="space-y-4">
        <Breadcrumb parent={{ href: '/tokens', label: t('tokens.list.title') }} current={t('tokens.create.crumb')} />
        <h1 className="text-xl font-semibold">{t('tokens.create.title')}</h1>
        <CreateTokenForm />
      </div>
    </RouteMessages>
  );
}
