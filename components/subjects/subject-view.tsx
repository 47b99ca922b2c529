'use client';

import { ServiceLink } from '@/components/shell/service-link';
import { useServiceSlug } from '@/components/data/service';
import { useTranslations } from 'next-intl';
import { useCallback, useMemo, useState } from 'react';
import type { Token } from '@/lib/schemas';
import { useCan } from '@/components/shell/actor-context';
import { buttonClass } from '@/components/ui/button';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { TimeZoneNote } from '@/components/shell/time-zone-note';
import { DeleteTokenDialog, RevokeTokensDialog } from '@/components/tokens/action-dialogs';
import { clientLabel, useClients } from '@/components/data/clients';
import { groupByClient, SUBJECT_TOKEN_LIMIT } from '@/components/data/subject-tokens';
import { useSubjectTokens } from '@/components/data/subjects';
import { TokenTable } from '@/components/tokens/token-table';
import { LockedBadge } from '@/components/tokens/token-cells';
import { Breadcrumb } from '@/components/ui/breadcrumb';
import { ActivityTimeline } from './activity-timeline';
import { AuthorizedApps } from './authorized-apps';
import { OffboardSection } from './offboard';
import { RevokeAllDialog } from './revoke-all-dialog';

type PendingAction =
  | { kind: 'revoke-all'; clientId?: string }
  | { kind: 'revoke'; token: Token }
  | { kind: 'delete'; token: Token }
  | null;

/** Support-desk view of one user: every token they hold, grouped by client, with bulk revokes. */
export function SubjectView({ subject }: { subject: string }) {
  const t = useTranslations();
  const service = useServiceSlug();
  const canRevoke = useCan('tokens:revoke');
  const canWrite = useCan('tokens:write');
  const clients = useClients();
  const [action, setAction] = useState<PendingAction>(null);
  const result = useSubjectTokens(subject);
  const groups = useMemo(() => (result.data ? groupByClient(result.data.tokens) : []), [result.data]);
  const onRevoke = useCallback((token: Token) => setAction({ kind: 'revoke', token }), []);
  const onDelete = useCallback((token: Token) => setAction({ kind: 'delete', token }), []);
  const total = result.data?.totalCount ?? 0;
  const revokeAllGroup =
    action?.kind === 'revoke-all' && action.clientId
      ? groups.find((group) => group.clientId === action.clientId)
      : undefined;

  return (
    <div className="space-y-5">
      <Breadcrumb parent={{ href: '/tokens', label: t('tokens.list.title') }} current={t('subjects.crumb')} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="font-mono text-xl font-semibold break-all">{subject}</h1>
          {result.data && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {total > result.data.tokens.length
                ? t('subjects.summaryTruncated', { total, clients: groups.length, limit: SUBJECT_TOKEN_LIMIT })
                : t('subjects.summary', { total, clients: groups.length })}
            </p>
          )}
          <TimeZoneNote />
        </div>
        {canRevoke && total > 0 && (
          <button type="button" className={buttonClass('danger')} onClick={() => setAction({ kind: 'revoke-all' })}>
            {t('subjects.revokeAllUser')}
          </button>
        )}
      </div>

      <AuthorizedApps service={service} subject={subject} />
      <OffboardSection service={service} subject={subject} />

      {result.isPending ? (
        <div aria-busy="true" className="space-y-3">
          <p className="sr-only">{t('subjects.loading')}</p>
          {[0, 1].map((key) => (
            <div key={key} className="h-24 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" />
          ))}
        </div>
      ) : result.isError ? (
        <ErrorState error={result.error} onRetry={() => void result.refetch()} title={t('subjects.loadFailed')} />
      ) : groups.length === 0 ? (
        <EmptyState title={t('subjects.empty', { subject })}>
          {t('subjects.emptyHint')}{' '}
          <ServiceLink href="/tokens" className="font-medium text-indigo-700 underline dark:text-indigo-300">
            {t('subjects.backToAll')}
          </ServiceLink>
        </EmptyState>
      ) : (
        groups.map((group) => {
          const label = clientLabel(group.clientId, clients.byId.get(group.clientId));
          return (
            <section key={group.clientId} aria-labelledby={`client-${group.clientId}`} className="space-y-2">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h2 id={`client-${group.clientId}`} className="text-sm font-semibold">
                  {label}
                  {clients.byId.get(group.clientId)?.locked && <LockedBadge />}
                  <span className="ml-2 font-normal text-zinc-500 dark:text-zinc-400">
                    {t('subjects.groupCounts', {
                      count: group.tokens.length,
                      valid: group.valid,
                      expired: group.expired,
                    })}
                  </span>
                </h2>
                {canRevoke && (
                  <button
                    type="button"
                    className={buttonClass('secondary', 'sm', 'text-red-700 dark:text-red-300')}
                    onClick={() => setAction({ kind: 'revoke-all', clientId: group.clientId })}
                  >
                    {t('subjects.revokeAllClient')}
                  </button>
                )}
              </div>
              <TokenTable
                tokens={group.tokens}
                clients={clients.byId}
                loading={false}
                skeletonRows={0}
                showSubject={false}
                showClient={false}
                canRevoke={canRevoke}
                canWrite={canWrite}
                onRevoke={onRevoke}
                onDelete={onDelete}
                caption={t('subjects.tableCaption', { subject, client: label })}
                sortScope="client"
              />
            </section>
          );
        })
      )}

      <ActivityTimeline service={service} subject={subject} />

      {action?.kind === 'revoke-all' && (
        <RevokeAllDialog
          subject={subject}
          client={
            revokeAllGroup
              ? {
                  clientId: revokeAllGroup.clientId,
                  label: clientLabel(revokeAllGroup.clientId, clients.byId.get(revokeAllGroup.clientId)),
                }
              : undefined
          }
          tokenCount={revokeAllGroup ? revokeAllGroup.tokens.length : total}
          clientCount={revokeAllGroup ? 1 : groups.length}
          onClose={() => setAction(null)}
        />
      )}
      {action?.kind === 'revoke' && (
        <RevokeTokensDialog tokens={[action.token]} clients={clients.byId} onClose={() => setAction(null)} />
      )}
      {action?.kind === 'delete' && (
        <DeleteTokenDialog token={action.token} clients={clients.byId} onClose={() => setAction(null)} />
      )}
    </div>
  );
}
