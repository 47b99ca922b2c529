'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cx } from '@/components/ui/cx';

export interface NavItem {
  href: string;
  label: string;
  /** Other path prefixes that belong to this section (the subject view belongs to Tokens). */
  alsoCurrentFor?: readonly string[];
}

function isUnder(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** The longest matching prefix wins, so "/batches/new" marks Bulk issue and not Jobs. */
function currentHref(pathname: string, items: readonly NavItem[]): string | undefined {
  let best: { href: string; length: number } | undefined;
  for (const item of items) {
    for (const prefix of [item.href, ...(item.alsoCurrentFor ?? [])]) {
      if (isUnder(pathname, prefix) && (!best || prefix.length > best.length)) best = { href: item.href, length: prefix.length };
    }
  }
  return best?.href;
}

/** The items are already filtered by role on the server. */
export function Nav({ items }: { items: readonly NavItem[] }) {
  const current = currentHref(usePathname(), items);
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={item.href === current ? 'page' : undefined}
          className={cx(
            'rounded-md px-2.5 py-1.5 text-sm font-medium',
            item.href === current
              ? 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-white'
              : 'text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-white',
          )}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
