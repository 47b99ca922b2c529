'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useId } from 'react';
import { useCurrentService, useServices } from '@/components/data/service';
import { cx } from '@/components/ui/cx';
import { useDisclosure } from './disclosure';
import type { Service } from '@/lib/schemas/service';
import { servicePath } from '@/lib/service-paths';

const environmentLabels = {
  production: 'shell.service.environment.production',
  staging: 'shell.service.environment.staging',
  development: 'shell.service.environment.development',
} as const;

/** Production red, staging amber, development neutral: each with text, so colour is never the only sign. */
const environmentClass: Record<Service['environment'], string> = {
  production: 'bg-red-700 text-white dark:bg-red-800',
  staging: 'bg-amber-300 text-amber-950 dark:bg-amber-400',
  development: 'bg-zinc-200 text-zinc-900 dark:bg-zinc-700 dark:text-white',
};

/**
 * The section a page belongs to, kept when switching service; a page of one record (a token, a job, a
 * subject) is not the other service's, so it gives way to its section's list (subjects: the token list).
 */
export function sectionOf(pathname: string): `/${string}` {
  const section = pathname.split('/')[3];
  if (!section || section === 'subjects') return '/tokens';
  return `/${section}`;
}

/** A band across every page of a service: its environment and name, in the environment's colour. */
export function EnvironmentBand() {
  const t = useTranslations();
  const service = useCurrentService();
  if (!service) return null;
  return (
    <p
      data-environment={service.environment}
      className={cx('px-4 py-1 text-center text-xs font-semibold', environmentClass[service.environment])}
    >
      {t('shell.service.band', { environment: t(environmentLabels[service.environment]), name: service.name })}
    </p>
  );
}

/** The header's service switcher: a button naming the current service and a list of the others, as links. */
export function ServiceSwitcher() {
  const t = useTranslations();
  const services = useServices();
  const current = useCurrentService();
  const pathname = usePathname();
  const listId = useId();
  const { open, close, onKeyDown, buttonProps } = useDisclosure(listId);
  if (!current || services.length < 2) return null;
  const section = sectionOf(pathname);
  return (
    <div className="relative" onKeyDown={onKeyDown}>
      <button
        {...buttonProps}
        className="inline-flex max-w-40 items-center gap-1 rounded-md border border-zinc-300 px-2 py-1 text-sm font-medium hover:bg-zinc-50 sm:max-w-56 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        <span className="sr-only">{t('shell.service.switch')}: </span>
        <span className="truncate">{current.name}</span>
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 shrink-0" fill="currentColor">
          <path d="M5.3 7.3a1 1 0 011.4 0L10 10.6l3.3-3.3a1 1 0 111.4 1.4l-4 4a1 1 0 01-1.4 0l-4-4a1 1 0 010-1.4z" />
        </svg>
      </button>
      <ul
        id={listId}
        aria-label={t('shell.service.list')}
        className={cx(
          open ? 'block' : 'hidden',
          'absolute left-0 top-full z-50 mt-1 w-64 max-w-[calc(100vw-1.5rem)] rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900',
        )}
      >
        {services.map((service) => (
          <li key={service.slug}>
            <Link
              href={servicePath(service.slug, section)}
              aria-current={service.slug === current.slug ? 'true' : undefined}
              onClick={close}
              className={cx(
                'flex items-center justify-between gap-2 rounded px-2 py-1.5 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800',
                service.slug === current.slug && 'font-semibold',
              )}
            >
              <span className="truncate">{service.name}</span>
              <span
                className={cx(
                  'shrink-0 rounded px-1.5 py-0.5 text-xs font-semibold',
                  environmentClass[service.environment],
                )}
              >
                {t(environmentLabels[service.environment])}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
