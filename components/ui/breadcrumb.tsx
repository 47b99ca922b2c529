import { useTranslations } from 'next-intl';
import { ServiceLink } from '@/components/shell/service-link';

/** "Parent / Current" above a page title: a link back to the list the page belongs to (in the page's service). */
export function Breadcrumb({ parent, current }: { parent: { href: `/${string}`; label: string }; current: string }) {
  const t = useTranslations();
  return (
    <nav aria-label={t('common.breadcrumb')} className="text-sm text-zinc-500 dark:text-zinc-400">
      <ServiceLink href={parent.href} className="hover:underline">
        {parent.label}
      </ServiceLink>{' '}
      / {current}
    </nav>
  );
}
