'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { can, type Permission, type Role } from '@/lib/roles';
import { cx } from '@/components/ui/cx';

interface NavItem {
  href: string;
  label: string;
  /** Shown only to roles holding this permission. */
  permission: Permission;
  /** Paths under this prefix mark the item current. */
  match: (pathname: string) => boolean;
}

const items: NavItem[] = [
  {
    href: '/tokens',
    label: 'Tokens',
    permission: 'tokens:read',
    match: (p) => p.startsWith('/tokens') || p.startsWith('/subjects'),
  },
  { href: '/batches/new', label: 'Bulk issue', permission: 'batches:write', match: (p) => p === '/batches/new' },
  { href: '/batches', label: 'Jobs', permission: 'batches:write', match: (p) => p.startsWith('/batches') && p !== '/batches/new' },
  { href: '/audit', label: 'Audit', permission: 'audit:read', match: (p) => p.startsWith('/audit') },
];

export function Nav({ role }: { role: Role }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {items
        .filter((item) => can(role, item.permission))
        .map((item) => {
          const current = item.match(pathname);
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={current ? 'page' : undefined}
              className={cx(
                'rounded-md px-2.5 py-1.5 text-sm font-medium',
                current
                  ? 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-white'
                  : 'text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-white',
              )}
            >
              {item.label}
            </Link>
          );
        })}
    </nav>
  );
}
