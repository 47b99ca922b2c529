import Link from 'next/link';
import { useTranslations } from 'next-intl';

/** "Parent / Current" above a page title: a link back to the list the page belongs to. */
export function Breadcrumb({ parent, current }: { parent: { href: string; label: string }; current: string }) {
  const t = useTranslations();
  return (
    <nav aria-label={t('common.breadcrumb')} className="text-sm text-zinc-500 dark:text-zinc-400">
      <Link href={parent.href} className="hover:underline">
        {parent.label}
      </Link>{' '}
      / {current}
    </nav>
  );
}
