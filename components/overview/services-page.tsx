'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useServiceStatuses } from '@/components/data/overview';
import { useCan } from '@/components/shell/actor-context';
import { AdminLinks } from '@/components/shell/admin-links';
import { ErrorState } from '@/components/ui/states';
import { servicePath } from '@/lib/service-paths';
import { ServicesAdmin } from './services-admin';

/** Every service (configured or stored in the app): environment, API version, host, health and token total, each linking to its overview. */
export function ServicesPage() {
  const t = useTranslations();
  const query = useServiceStatuses();
  const manages = useCan('services:manage');
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <div className="space-y-4">
      <AdminLinks />
      <h1 className="text-lg font-semibold">{t('services.heading')}</h1>
      {!query.data ? (
        <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
          {t('services.loading')}
        </p>
      ) : (
        <div className="overflow-x-auto" role="region" aria-label={t('services.tableLabel')} tabIndex={0}>
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('services.tableLabel')}</caption>
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                {(
                  [
                    'services.service',
                    'services.environment',
                    'services.apiVersion',
                    'services.host',
                    'services.health',
                  ] as const
                ).map((column) => (
                  <th key={column} scope="col" className="px-2 py-1 font-medium">
                    {t(column)}
                  </th>
                ))}
                <th scope="col" className="px-2 py-1 text-right font-medium">
                  {t('services.tokens')}
                </th>
              </tr>
            </thead>
            <tbody>
              {query.data.services.map((service) => (
                <tr key={service.slug} className="border-b border-zinc-100 dark:border-zinc-900">
                  <th scope="row" className="px-2 py-1 font-normal">
                    <Link
                      href={servicePath(service.slug, '/overview')}
                      aria-label={t('services.overviewLink', { name: service.name })}
                      className="text-sky-700 underline dark:text-sky-300"
                    >
                      {service.name}
                    </Link>
                  </th>
                  <td className="px-2 py-1">{service.environment}</td>
                  <td className="px-2 py-1">{service.apiVersion}.x</td>
                  <td className="px-2 py-1 font-mono text-xs break-all">{service.host}</td>
                  <td className="px-2 py-1">
                    {service.health.ok
                      ? t('services.healthy', { latency: service.health.latencyMs })
                      : t('services.unhealthy', { error: service.health.error ?? '' })}
                  </td>
                  <td className="px-2 py-1 text-right tabular-nums">{service.totalTokens ?? t('services.hidden')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {manages && <ServicesAdmin />}
    </div>
  );
}
