'use client';

import { usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useCan } from './actor-context';
import { ServiceLink } from './service-link';

const links = [
  { href: '/staff', label: 'shell.nav.staff' },
  { href: '/services', label: 'shell.admin.services' },
  { href: '/webhooks', label: 'shell.nav.webhooks' },
] as const;

/**
 * The administration pages of a service, linked from each other: the header has no room for all of
 * them beside an admin's other pages (Staff is there; Services and Webhooks are reached from here).
 */
export function AdminLinks() {
  const t = useTranslations();
  const pathname = usePathname();
  const allowed = {
    '/staff': useCan('staff:manage'),
    '/services': useCan('services:manage'),
    '/webhooks': useCan('webhooks:manage'),
  };
  const shown = links.filter((link) => allowed[link.href]);
  if (shown.length < 2) return null;
  return (
    <nav aria-label={t('shell.admin.label')} className="flex flex-wrap gap-1 text-sm">
      {shown.map((link) => {
        const current = pathname.endsWith(link.href);
        return (
          <ServiceLink
            key={link.href}
            href={link.href}
            aria-current={current ? 'page' : undefined}
            className={
              current
                ? 'rounded-md bg-zinc-200 px-2 py-1 font-medium dark:bg-zinc-800'
                : 'rounded-md px-2 py-1 text-indigo-700 hover:bg-zinc-100 dark:text-indigo-300 dark:hover:bg-zinc-900'
            }
          >
            {t(link.label)}
          </ServiceLink>
        );
      })}
    </nav>
  );
}
