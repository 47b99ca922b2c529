'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { useRedeliverWebhook, useWebhookDeliveries } from '@/components/data/webhooks';
import { buttonClass, filterLabelClass, inputClass } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { Pagination } from '@/components/ui/pagination';
import { ErrorState, SkeletonRows, useErrorSummary } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { toast } from '@/components/ui/toast';
import {
  webhookDeliveryStates,
  type WebhookDeliveriesQuery,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '@/lib/schemas/webhook';
import { eventLabels } from './event-labels';

const PAGE_SIZES = [10, 20, 50] as const;
const cellClass = 'px-2 py-2 align-top';

const stateLabels = {
  pending: 'webhooks.log.state.pending',
  delivered: 'webhooks.log.state.delivered',
  failed: 'webhooks.log.state.failed',
} as const;

const stateClasses = {
  pending: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
  delivered: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
  failed: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200',
} as const;

/** One endpoint's deliveries, newest first: what was sent, each attempt's answer, and redelivery. */
export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const t = useTranslations();
  const [query, setQuery] = useState<WebhookDeliveriesQuery>({ page: 1, pageSize: 20 });
  const deliveries = useWebhookDeliveries(endpoint.id, query);
  const redeliver = useRedeliverWebhook();
  const summary = useErrorSummary();
  const captionId = useId();
  const stateId = useId();
  const rows = deliveries.data?.deliveries ?? [];

  return (
    <section className="mt-3 space-y-2" aria-labelledby={captionId}>
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h2 id={captionId} className="text-sm font-semibold">
          {t('webhooks.log.title')}
        </h2>
        <label htmlFor={stateId} className={filterLabelClass}>
          {t('webhooks.log.filter')}
          <select
            id={stateId}
            className={inputClass}
            value={query.state ?? ''}
            onChange={(event) => {
              const state = webhookDeliveryStates.find((known) => known === event.target.value);
              setQuery({ ...query, page: 1, state });
            }}
          >
            <option value="">{t('webhooks.log.state.all')}</option>
            {webhookDeliveryStates.map((state) => (
              <option key={state} value={state}>
                {t(stateLabels[state])}
              </option>
            ))}
          </select>
        </label>
      </div>
      {redeliver.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {summary(redeliver.error).message}
        </p>
      ) : null}
      {deliveries.error ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : !deliveries.isPending && rows.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('webhooks.log.empty')}</p>
      ) : (
        // Six columns do not fit a phone: the table scrolls inside its own box, never the page.
        <div
          role="region"
          aria-labelledby={captionId}
          tabIndex={0}
          className="max-w-full overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800"
        >
          <table className="w-full min-w-[44rem] text-left text-sm">
            <thead className="bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className={cellClass}>
                  {t('webhooks.log.event')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('webhooks.log.occurred')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('webhooks.log.stateHeader')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('webhooks.log.attempts')}
                </th>
                <th scope="col" className={cellClass}>
                  {t('webhooks.log.answers')}
                </th>
                <th scope="col" className={cellClass}>
                  <span className="sr-only">{t('webhooks.log.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {deliveries.isPending ? (
                <SkeletonRows rows={3} columns={6} />
              ) : (
                rows.map((delivery) => (
                  <DeliveryRow
                    key={delivery.id}
                    delivery={delivery}
                    busy={redeliver.isPending && redeliver.variables?.deliveryId === delivery.id}
                    onRedeliver={() =>
                      redeliver.mutate(
                        { endpointId: endpoint.id, deliveryId: delivery.id },
                        { onSuccess: () => toast.success(t('webhooks.toast.redelivered')) },
                      )
                    }
                  />
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      {deliveries.data && deliveries.data.totalCount > query.pageSize && (
        <Pagination
          page={query.page}
          pageSize={query.pageSize}
          totalCount={deliveries.data.totalCount}
          pageSizes={PAGE_SIZES}
          noun="entries"
          onPageChange={(page) => setQuery({ ...query, page })}
          onPageSizeChange={(pageSize) => setQuery({ ...query, page: 1, pageSize })}
        />
      )}
    </section>
  );
}

function DeliveryRow({
  delivery,
  busy,
  onRedeliver,
}: {
  delivery: WebhookDelivery;
  busy: boolean;
  onRedeliver: () => void;
}) {
  const t = useTranslations();
  return (
    <tr>
      <th scope="row" className={cx(cellClass, 'font-normal')}>
        <span className="block">{t(eventLabels[delivery.eventType])}</span>
        <span className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">{delivery.id}</span>
      </th>
      <td className={cellClass}>
        <Time ms={delivery.occurredAt} />
      </td>
      <td className={cellClass}>
        <span className={cx('inline-block rounded px-1.5 py-0.5 text-xs font-medium', stateClasses[delivery.state])}>
          {t(stateLabels[delivery.state])}
        </span>
        {delivery.state === 'pending' && delivery.attempts > 0 && (
          <span className="mt-1 block text-xs text-zinc-600 dark:text-zinc-400">
            {t('webhooks.log.nextAttempt')} <Time ms={delivery.nextAttemptAt} layout="inline" />
          </span>
        )}
      </td>
      <td className={cx(cellClass, 'tabular-nums')}>{delivery.attempts}</td>
      <td className={cellClass}>
        {delivery.history.length === 0 ? (
          <span className="text-xs text-zinc-600 dark:text-zinc-400">{t('webhooks.log.notYet')}</span>
        ) : (
          <ol className="space-y-0.5 text-xs">
            {delivery.history.map((attempt) => (
              <li key={attempt.attemptedAt} className="flex flex-wrap gap-x-2">
                <span className="font-mono tabular-nums">
                  {attempt.status === null ? t('webhooks.log.noAnswer') : attempt.status}
                </span>
                <span className="text-zinc-600 dark:text-zinc-400">
                  {t('webhooks.log.duration', { ms: attempt.durationMs })}
                </span>
                <Time ms={attempt.attemptedAt} layout="inline" />
                {attempt.error && (
                  <span className="w-full break-all text-zinc-600 dark:text-zinc-400">{attempt.error}</span>
                )}
              </li>
            ))}
          </ol>
        )}
      </td>
      <td className={cellClass}>
        {delivery.state !== 'pending' && (
          <button type="button" className={buttonClass('secondary', 'sm')} disabled={busy} onClick={onRedeliver}>
            {t('webhooks.log.redeliver')}
          </button>
        )}
      </td>
    </tr>
  );
}
