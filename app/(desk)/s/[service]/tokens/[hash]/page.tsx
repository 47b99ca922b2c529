import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { RouteMessages } from '@/components/shell/route-messages';
import { isTokenHash } from '@/lib/hash';
import { TokenDetail } from '@/components/tokens/token-detail';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations())('tokens.detail.pageTitle') };
}

type Props = {
  params: Promise<{ hash: string }>;
  searchParams: Promise<{ subject?: string | string[]; clientId?: string | string[] }>;
};

const one = (value: string | string[] | undefined) => (typeof value === 'string' && value ? value : undefined);

export default async function Page({ params, searchParams }: Props) {
  const { hash } = await params;
  if (!isTokenHash(hash)) notFound();
  const search = await searchParams;
  const t = await getTranslations();
  return (
    <RouteMessages namespaces={['tokens', 'subjects', 'audit']}>
      <div className="space-y-4">
        <Breadcrumb parent={{ href: '/tokens', label: t('tokens.list.title') }} current={t('tokens.detail.crumb')} />
        {/* subject and clientId only narrow the server's search (Authlete cannot fetch by hash). */}
        <TokenDetail hash={hash} hint={{ subject: one(search.subject), clientId: one(search.clientId) }} />
      </div>
    </RouteMessages>
  );
}
