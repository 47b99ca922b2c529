'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useApprovals } from '@/components/data/approvals';
import { useCurrentService } from '@/components/data/service';
import { cx } from '@/components/ui/cx';
import { useDisclosure } from './disclosure';
import { servicePath } from '@/lib/service-paths';

export interface NavItem {
  href: string;
  label: string;
  /** Other path prefixes that belong to this section (the subject view belongs to Tokens). */
  alsoCurrentFor?: readonly string[];
  /** A count shown next to the label: the approvals waiting for this person's decision. */
  badge?: 'approvals';
}

/** How many four-eyes requests wait for this person's decision, next to the Approvals link. */
function PendingApprovals() {
  const t = useTranslations();
  const approvals = useApprovals();
  const pending = approvals.data?.pending ?? 0;
  if (pending === 0) return null;
  return (
    <>
      <span aria-hidden="true" className="ml-1.5 rounded-full bg-amber-500 px-1.5 text-xs font-semibold text-zinc-950">
        {pending}
      </span>
      <span className="sr-only"> ({t('shell.nav.pendingApprovals', { count: pending })})</span>
    </>
  );
}

function isUnder(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** The longest matching prefix wins, so "/batches/new" marks Bulk issue and not Jobs. */
function currentHref(pathname: string, items: readonly NavItem[]): string | undefined {
  let best: { href: string; length: number } | undefined;
  for (const item of items) {
    for (const prefix of [item.href, ...(item.alsoCurrentFor ?? [])]) {
      if (isUnder(pathname, prefix) && (!best || prefix.length > best.length))
        best = { href: item.href, length: prefix.length };
    }
  }
  return best?.href;
}

const linkClass = (current: boolean) =>
  cx(
    'block rounded-md px-2.5 py-1.5 text-sm font-medium',
    current
      ? 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-white'
      : 'text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-white',
  );

/**
 * The items are already filtered by role on the server. Below the md breakpoint the links fold
 * behind a menu button (a disclosure: Escape or choosing a link closes it), so the header fits a phone.
 */
export function Nav({ items: paths }: { items: readonly NavItem[] }) {
  const t = useTranslations();
  const service = useCurrentService();
  // Every section is the current service's (no service: a page outside /s/…, nothing to link to).
  const inService = (path: string) => (service ? servicePath(service.slug, path as `/${string}`) : path);
  const items = service
    ? paths.map((item) => ({
        ...item,
        href: inService(item.href),
        alsoCurrentFor: item.alsoCurrentFor?.map(inService),
      }))
    : [];
  const current = currentHref(usePathname(), items);
  const { open, close, onKeyDown, buttonProps } = useDisclosure('main-nav-links');
  return (
    <nav aria-label={t('shell.nav.label')} onKeyDown={onKeyDown}>
      <button
        {...buttonProps}
        className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 md:hidden dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
          {open ? (
            <path d="M4.3 4.3a1 1 0 011.4 0L10 8.6l4.3-4.3a1 1 0 111.4 1.4L11.4 10l4.3 4.3a1 1 0 01-1.4 1.4L10 11.4l-4.3 4.3a1 1 0 01-1.4-1.4L8.6 10 4.3 5.7a1 1 0 010-1.4z" />
          ) : (
            <path d="M3 5a1 1 0 011-1h12a1 1 0 110 2H4a1 1 0 01-1-1zm0 5a1 1 0 011-1h12a1 1 0 110 2H4a1 1 0 01-1-1zm1 4a1 1 0 100 2h12a1 1 0 100-2H4z" />
          )}
        </svg>
        {t('shell.nav.menu')}
      </button>
      <ul
        id="main-nav-links"
        className={cx(
          open
            ? 'absolute inset-x-0 top-full z-40 flex flex-col gap-1 border-b border-zinc-200 bg-white p-2 shadow-md dark:border-zinc-800 dark:bg-zinc-950'
            : 'hidden',
          'md:static md:flex md:flex-row md:items-center md:gap-1 md:border-0 md:p-0 md:shadow-none',
        )}
      >
        {items.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={item.href === current ? 'page' : undefined}
              onClick={close}
              className={linkClass(item.href === current)}
            >
              {item.label}
              {item.badge === 'approvals' && <PendingApprovals />}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
