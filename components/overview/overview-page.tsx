'use client';

import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import { clientLabel } from '@/components/data/clients';
import { useOverview } from '@/components/data/overview';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { ServiceLink } from '@/components/shell/service-link';
import { TrendsSection } from './trends-section';

// The chart library loads only here, so no other page's bundle carries it.
const ClientChart = dynamic(() => import('./client-chart'), { ssr: false });

/** Token counts per client with a chart and, for screen readers and exact numbers, a table. */
export function OverviewPage() {
  const t = useTranslations();
  const query = useOverview();
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data)
    return (
      <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
        {t('overview.loading')}
      </p>
    );
  const { clients, totals, countedAt } = query.data;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-lg font-semibold">{t('overview.heading')}</h1>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          {t('overview.countedAt')} <Time ms={countedAt} layout="inline" />
        </p>
        <ServiceLink href="/services" className="text-sm text-sky-700 underline dark:text-sky-300">
          {t('services.allServices')}
        </ServiceLink>
      </div>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:max-w-sm">
        <div className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <dt className="text-zinc-600 dark:text-zinc-400">{t('overview.valid')}</dt>
          <dd className="text-xl font-semibold tabular-nums">{totals.valid}</dd>
        </div>
        <div className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <dt className="text-zinc-600 dark:text-zinc-400">{t('overview.expired')}</dt>
          <dd className="text-xl font-semibold tabular-nums">{totals.expired}</dd>
        </div>
      </dl>
      {clients.length === 0 ? (
        <EmptyState title={t('overview.empty')} />
      ) : (
        <section aria-labelledby="overview-chart" className="space-y-2">
          <h2 id="overview-chart" className="text-sm font-medium">
            {t('overview.chartLabel')}
          </h2>
          <figure
            aria-labelledby="overview-chart"
            className="text-zinc-700 dark:text-zinc-300"
            data-testid="overview-chart"
          >
            <ClientChart clients={clients} />
          </figure>
          <details className="text-sm">
            <summary className="cursor-pointer rounded focus-visible:outline-2 focus-visible:outline-offset-2">
              {t('overview.table')}
            </summary>
            <div className="mt-2 overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">{t('overview.chartLabel')}</caption>
                <thead>
                  <tr className="border-b border-zinc-200 dark:border-zinc-800">
                    <th scope="col" className="px-2 py-1 font-medium">
                      {t('overview.client')}
                    </th>
                    <th scope="col" className="px-2 py-1 text-right font-medium">
                      {t('overview.valid')}
                    </th>
                    <th scope="col" className="px-2 py-1 text-right font-medium">
                      {t('overview.expired')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {clients.map((row) => (
                    <tr key={row.clientId} className="border-b border-zinc-100 dark:border-zinc-900">
                      <th scope="row" className="px-2 py-1 font-normal break-all">
                        {clientLabel(row.clientId, row)}
                      </th>
                      <td className="px-2 py-1 text-right tabular-nums">{row.valid}</td>
                      <td className="px-2 py-1 text-right tabular-nums">{row.expired}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" className="px-2 py-1 font-medium">
                      {t('overview.total')}
                    </th>
                    <td className="px-2 py-1 text-right font-medium tabular-nums">{totals.valid}</td>
                    <td className="px-2 py-1 text-right font-medium tabular-nums">{totals.expired}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </details>
        </section>
      )}
      <TrendsSection />
      <p className="text-xs text-zinc-600 dark:text-zinc-400">{t('overview.limits')}</p>
    </div>
  );
}
