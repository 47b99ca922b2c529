import Link from 'next/link';
import { buttonClass } from '@/components/ui/button';
import { getTranslations } from 'next-intl/server';
import { can, type Permission } from '@/lib/roles';
import { LocaleSwitcher } from './locale-switcher';
import { Nav, type NavItem } from './nav';
import { ServiceLink } from './service-link';
import { EnvironmentBand, ServiceSwitcher } from './service-switcher';
import { SignOutButton } from './sign-out-button';
import { ThemeToggle } from './theme-toggle';
import type { MessageKey } from '@/lib/i18n/keys';
import type { SessionActor } from './actor-context';

const navItems = [
  { href: '/tokens', label: 'shell.nav.tokens', permission: 'tokens:read', alsoCurrentFor: ['/subjects'] },
  { href: '/overview', label: 'shell.nav.overview', permission: 'tokens:read' },
  { href: '/batches/new', label: 'shell.nav.bulkIssue', permission: 'batches:write' },
  { href: '/batches', label: 'shell.nav.jobs', permission: 'batches:read' },
  { href: '/incidents', label: 'shell.nav.incidents', permission: 'incidents:revoke' },
  { href: '/audit', label: 'shell.nav.audit', permission: 'audit:read' },
  { href: '/approvals', label: 'shell.nav.approvals', permission: 'approvals:request', badge: 'approvals' },
  { href: '/staff', label: 'shell.nav.staff', permission: 'staff:manage' },
] as const satisfies ReadonlyArray<Omit<NavItem, 'label'> & { label: MessageKey; permission: Permission }>;

const roleLabels = {
  viewer: 'shell.role.viewer',
  support: 'shell.role.support',
  lead: 'shell.role.lead',
  admin: 'shell.role.admin',
} as const;

/** Top bar of every signed-in page (a server component: only its small controls ship JS). */
export async function Header({ actor, demo }: { actor: SessionActor; demo: boolean }) {
  const t = await getTranslations();
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
      {demo && (
        <p className="bg-amber-100 px-4 py-1 text-center text-xs font-medium text-amber-950 dark:bg-amber-900/60 dark:text-amber-50">
          {t('shell.demoBanner')}
        </p>
      )}
      <EnvironmentBand />
      <div className="relative mx-auto flex min-h-12 max-w-screen-2xl flex-wrap items-center gap-2 px-3 py-1 sm:flex-nowrap sm:gap-4 sm:px-4 sm:py-0">
        <ServiceLink href="/tokens" className="flex shrink-0 items-center gap-2 text-sm font-semibold tracking-tight">
          <svg
            aria-hidden="true"
            viewBox="0 0 20 20"
            className="size-5 text-indigo-600 dark:text-indigo-400"
            fill="currentColor"
          >
            <path d="M12.5 2a5.5 5.5 0 00-5.3 7L2.3 13.9a1 1 0 00-.3.7V17a1 1 0 001 1h2.5a1 1 0 001-1v-1h1a1 1 0 001-1v-1h1a1 1 0 00.7-.3l.9-.9A5.5 5.5 0 1012.5 2zm1.5 5a1.5 1.5 0 110-3 1.5 1.5 0 010 3z" />
          </svg>
          {/* Named for screen readers on a phone, where the header has no room for the words (a longer translation of Sign out). */}
          <span className="sr-only sm:not-sr-only">Token Desk</span>
        </ServiceLink>
        <ServiceSwitcher />
        <Nav
          items={navItems
            .filter((item) => can(actor.role, item.permission))
            .map(({ href, label, ...item }) => ({
              href,
              label: t(label),
              alsoCurrentFor: 'alsoCurrentFor' in item ? item.alsoCurrentFor : undefined,
              badge: 'badge' in item ? item.badge : undefined,
            }))}
        />
        <div className="ml-auto flex min-w-0 items-center gap-1 text-sm sm:gap-2">
          <span className="hidden min-w-0 text-right leading-tight lg:block">
            <span className="block font-medium">{actor.name || actor.email}</span>
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">
              {t(roleLabels[actor.role])} · {actor.email}
            </span>
          </span>
          <Link href="/account/security" className={buttonClass('ghost', 'sm')}>
            {t('shell.security')}
          </Link>
          <LocaleSwitcher />
          <ThemeToggle />
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
