'use client';

import dynamic from 'next/dynamic';
import { useFormatter, useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { clientLabel } from '@/components/data/clients';
import { useOverviewTrends } from '@/components/data/overview';
import { filterLabelClass, inputClass } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { trendRangeDays, type ClientSnapshot } from '@/lib/schemas/overview';

// Loaded only on the overview, like the per-client chart.
const TrendChart = dynamic(() => import('./trend-chart'), { ssr: false });

const cellClass = 'px-2 py-1';

/**
 * What the daily snapshot knows that a live count cannot: tokens expiring soon and tokens heading
 * for Authlete's 90-day sweep (estimated from a sample unless it covered every token), and the
 * valid and expired totals over time.
 */
export function TrendsSection() {
  const t = useTranslations();
  const format = useFormatter();
  const [days, setDays] = useState<number>(30);
  const trends = useOverviewTrends(days);
  const rangeId = useId();
  if (trends.isError) return <ErrorState error={trends.error} onRetry={() => void trends.refetch()} />;
  if (!trends.data)
    return (
      <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
        {t('overview.trends.loading')}
      </p>
    );
  const { latest, latestCountedAt } = trends.data;
  if (latestCountedAt === null)
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('overview.trends.none')}</p>;
  const sum = (pick: (row: ClientSnapshot) => number) => latest.reduce((total, row) => total + pick(row), 0);
  const exact = latest.every((row) => row.sampled >= row.valid);
  const cards = [
    { label: t('overview.trends.expiring7'), value: sum((row) => row.expiring7) },
    { label: t('overview.trends.expiring30'), value: sum((row) => row.expiring30) },
    { label: t('overview.trends.stale'), value: sum((row) => row.stale) },
  ];
  return (
    <section aria-labelledby="overview-trends" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="space-y-0.5">
          <h2 id="overview-trends" className="text-sm font-medium">
            {t('overview.trends.heading')}
          </h2>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {t('overview.trends.takenAt')} <Time ms={latestCountedAt} layout="inline" />
          </p>
        </div>
        <label htmlFor={rangeId} className={filterLabelClass}>
          {t('overview.trends.range')}
          <select
            id={rangeId}
            className={inputClass}
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
          >
            {trendRangeDays.map((range) => (
              <option key={range} value={range}>
                {t('overview.trends.lastDays', { days: range })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-3">
        {cards.map((card) => (
          <div key={card.label} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
            <dt className="text-zinc-600 dark:text-zinc-400">{card.label}</dt>
            <dd className="text-xl font-semibold tabular-nums">{format.number(card.value)}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        {exact ? t('overview.trends.exact') : t('overview.trends.estimated')}
      </p>
      <figure aria-labelledby="overview-trends" className="text-zinc-700 dark:text-zinc-300" data-testid="trend-chart">
        <TrendChart days={trends.data.days} />
      </figure>
      <details className="text-sm">
        <summary className="cursor-pointer rounded focus-visible:outline-2 focus-visible:outline-offset-2">
          {t('overview.trends.table')}
        </summary>
        <div
          className="mt-2 max-w-full overflow-x-auto"
          role="region"
          aria-label={t('overview.trends.perClient')}
          tabIndex={0}
        >
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">{t('overview.trends.perClient')}</caption>
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className={cellClass}>
                  {t('overview.client')}
                </th>
                <th scope="col" className={`${cellClass} text-right`}>
                  {t('overview.valid')}
                </th>
                <th scope="col" className={`${cellClass} text-right`}>
                  {t('overview.trends.expiring7')}
                </th>
                <th scope="col" className={`${cellClass} text-right`}>
                  {t('overview.trends.expiring30')}
                </th>
                <th scope="col" className={`${cellClass} text-right`}>
                  {t('overview.trends.stale')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('overview.trends.basis')}
                </th>
              </tr>
            </thead>
            <tbody>
              {latest.map((row) => (
                <tr key={row.clientId} className="border-b border-zinc-100 dark:border-zinc-900">
                  <th scope="row" className={`${cellClass} font-normal break-all`}>
                    {clientLabel(row.clientId, { clientId: row.clientId, clientName: row.clientName ?? undefined })}
                  </th>
                  <td className={`${cellClass} text-right tabular-nums`}>{format.number(row.valid)}</td>
                  <td className={`${cellClass} text-right tabular-nums`}>{format.number(row.expiring7)}</td>
                  <td className={`${cellClass} text-right tabular-nums`}>{format.number(row.expiring30)}</td>
                  <td className={`${cellClass} text-right tabular-nums`}>{format.number(row.stale)}</td>
                  <td className={`${cellClass} text-xs text-zinc-600 dark:text-zinc-400`}>
                    {row.sampled >= row.valid
                      ? t('overview.trends.basisExact')
                      : t('overview.trends.basisSample', { sampled: row.sampled, total: row.valid })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="mt-3 w-full text-left text-sm">
            <caption className="text-left text-xs font-medium">{t('overview.trends.daily')}</caption>
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className={cellClass}>
                  {t('overview.trends.day')}
                </th>
                <th scope="col" className={`${cellClass} text-right`}>
                  {t('overview.valid')}
                </th>
                <th scope="col" className={`${cellClass} text-right`}>
                  {t('overview.expired')}
                </th>
              </tr>
            </thead>
            <tbody>
              {trends.data.days.map((day) => (
                <tr key={day.day} className="border-b border-zinc-100 dark:border-zinc-900">
                  <th scope="row" className={`${cellClass} font-normal tabular-nums`}>
                    {day.day}
                  </th>
                  <td className={`${cellClass} text-right tabular-nums`}>{format.number(day.valid)}</td>
                  <td className={`${cellClass} text-right tabular-nums`}>{format.number(day.expired)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
