'use client';

import { ServiceLink } from '@/components/shell/service-link';
import { useTranslations } from 'next-intl';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import type { Token, TokenStatusFilter } from '@/lib/schemas';
import { useCan } from '@/components/shell/actor-context';
import { buttonClass } from '@/components/ui/button';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Pagination } from '@/components/ui/pagination';
import { TimeZoneNote } from '@/components/shell/time-zone-note';
import { useFetchTokenPage, useTokenList } from '@/components/data/tokens';
import { ExportButton } from '@/components/export/export-button';
import { useStartExport } from '@/components/data/exports';
import { defaultTokenListParams, serializeTokenListParams, tokenListQuery, tokenPageSizes } from './list-params';
import { useClients } from '@/components/data/clients';
import { TokenFilters } from './token-filters';
import { TokenLookup } from './token-lookup';
import { subjectHref } from './token-cells';
import { TokenTable, type TokenSelection } from './token-table';
import { useTokenListParams } from './use-token-list-params';

// The action dialogs and the CSV export load when first used: most visits only look. React.lazy, not
// next/dynamic: they only render after a click, and next/dynamic's loader adds 1.5 KiB to the first load.
const RevokeTokensDialog = lazy(() =>
  import('./action-dialogs').then((module) => ({ default: module.RevokeTokensDialog })),
);
const DeleteTokenDialog = lazy(() =>
  import('./action-dialogs').then((module) => ({ default: module.DeleteTokenDialog })),
);

const noSelection: TokenSelection = {};

/** The count beside the title, by the status filter ("12 valid tokens"). */
const countKeys = {
  valid: 'tokens.list.countValid',
  expired: 'tokens.list.countExpired',
  all: 'tokens.list.countAll',
} as const satisfies Record<TokenStatusFilter, string>;

type PendingAction = { kind: 'revoke'; tokens: Token[] } | { kind: 'delete'; token: Token } | null;

/** The home page after sign-in: filters and page in the URL, one server page at a time. */
export function TokensPage() {
  const t = useTranslations();
  const [params, navigate] = useTokenListParams();
  const list = useTokenList(tokenListQuery(params));
  const fetchTokenPage = useFetchTokenPage();
  const clients = useClients();
  const canRevoke = useCan('tokens:revoke');
  const canWrite = useCan('tokens:write');
  const [action, setAction] = useState<PendingAction>(null);
  const startExport = useStartExport('tokens');
  const exportFilter = {
    subject: params.subject || undefined,
    clientId: params.clientId || undefined,
    status: params.status,
  };

  // Selection belongs to the page on screen: a new page or filter starts with nothing selected.
  const listKey = serializeTokenListParams(params);
  const [selection, setSelection] = useState<{ key: string; rows: TokenSelection }>({ key: listKey, rows: {} });
  const rows = selection.key === listKey ? selection.rows : noSelection;
  const setRows = useCallback((next: TokenSelection) => setSelection({ key: listKey, rows: next }), [listKey]);

  const onRevoke = useCallback((token: Token) => setAction({ kind: 'revoke', tokens: [token] }), []);
  const onDelete = useCallback((token: Token) => setAction({ kind: 'delete', token }), []);

  const tokens = list.data?.tokens;
  const selectedTokens = useMemo(() => (tokens ?? []).filter((token) => rows[token.accessTokenHash]), [tokens, rows]);
  const totalCount = list.data?.totalCount ?? 0;
  const lastPage = Math.max(1, Math.ceil(totalCount / params.pageSize));
  const filtered = params.subject !== '' || params.clientId !== '' || params.status !== defaultTokenListParams.status;
  const clientList = clients.data?.clients ?? [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-semibold">
          {t('tokens.list.title')}
          {list.data && (
            <span className="ml-2 align-middle text-sm font-normal text-zinc-500 dark:text-zinc-400">
              {t(countKeys[params.status], { count: totalCount })}
            </span>
          )}
        </h1>
        <div className="flex flex-wrap items-center gap-2">
          <ExportButton
            filePrefix="tokens"
            noun="token"
            totalCount={list.data?.totalCount}
            startJob={() => startExport.mutateAsync(exportFilter)}
            run={async (onProgress, signal) =>
              (await import('./token-export')).exportTokens(
                exportFilter,
                clients.byId,
                fetchTokenPage,
                onProgress,
                signal,
              )
            }
          />
          {canWrite && (
            <ServiceLink href="/tokens/new" className={buttonClass('primary')}>
              {t('tokens.create.title')}
            </ServiceLink>
          )}
        </div>
      </div>

      <div className="flex flex-wrap items-start justify-between gap-x-8 gap-y-4 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
        <TokenFilters params={params} onChange={navigate} clients={clientList} clientsLoading={clients.isPending} />
        <TokenLookup hint={{ subject: params.subject || undefined, clientId: params.clientId || undefined }}>
          {(token, close) => (
            <div className="space-y-2">
              <TokenTable
                tokens={[token]}
                clients={clients.byId}
                loading={false}
                skeletonRows={1}
                canRevoke={canRevoke}
                canWrite={canWrite}
                onRevoke={onRevoke}
                onDelete={onDelete}
                caption={t('tokens.lookup.foundCaption')}
              />
              <button type="button" className={buttonClass('ghost', 'sm')} onClick={close}>
                {t('tokens.lookup.close')}
              </button>
            </div>
          )}
        </TokenLookup>
      </div>

      {params.subject && (
        <p className="text-sm">
          <ServiceLink
            href={subjectHref(params.subject)}
            className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          >
            {t('tokens.list.openSubject', { subject: params.subject })}
          </ServiceLink>{' '}
          <span className="text-zinc-500 dark:text-zinc-400">{t('tokens.list.openSubjectHint')}</span>
        </p>
      )}

      {canRevoke && selectedTokens.length > 0 && (
        <div
          role="region"
          aria-label={t('tokens.list.selectedRegion')}
          className="flex items-center gap-3 rounded-md bg-indigo-50 px-3 py-2 text-sm dark:bg-indigo-950/50"
        >
          <span className="font-medium">{t('tokens.list.selected', { count: selectedTokens.length })}</span>
          <button
            type="button"
            className={buttonClass('danger', 'sm')}
            onClick={() => setAction({ kind: 'revoke', tokens: selectedTokens })}
          >
            {t('tokens.list.revokeSelected')}
          </button>
          <button type="button" className={buttonClass('ghost', 'sm')} onClick={() => setRows({})}>
            {t('tokens.list.clearSelection')}
          </button>
        </div>
      )}

      {list.isError && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t('tokens.list.loadFailed')} />
      ) : list.data && list.data.tokens.length === 0 ? (
        params.page > lastPage && totalCount > 0 ? (
          <EmptyState title={t('tokens.list.pastEnd', { page: params.page })}>
            <button
              type="button"
              className={buttonClass('secondary', 'sm')}
              onClick={() => navigate({ ...params, page: lastPage })}
            >
              {t('tokens.list.goToLast', { lastPage })}
            </button>
          </EmptyState>
        ) : filtered ? (
          <EmptyState title={t('tokens.list.noMatch')}>
            {t.rich('tokens.list.noMatchHint', {
              clear: (chunks) => (
                <button
                  type="button"
                  className="font-medium text-indigo-700 underline dark:text-indigo-300"
                  onClick={() => navigate({ ...defaultTokenListParams, pageSize: params.pageSize })}
                >
                  {chunks}
                </button>
              ),
            })}
          </EmptyState>
        ) : (
          <EmptyState title={t('tokens.list.empty')}>
            {canWrite
              ? t.rich('tokens.list.emptyAdmin', {
                  create: (chunks) => (
                    <ServiceLink
                      href="/tokens/new"
                      className="font-medium text-indigo-700 underline dark:text-indigo-300"
                    >
                      {chunks}
                    </ServiceLink>
                  ),
                  bulk: (chunks) => (
                    <ServiceLink
                      href="/batches/new"
                      className="font-medium text-indigo-700 underline dark:text-indigo-300"
                    >
                      {chunks}
                    </ServiceLink>
                  ),
                })
              : t('tokens.list.emptyReader')}
          </EmptyState>
        )
      ) : (
        <>
          {list.isError && (
            <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t('tokens.list.refreshFailed')} />
          )}
          <TimeZoneNote />
          <div
            aria-busy={list.isFetching}
            className={list.isPlaceholderData ? 'opacity-60 transition-opacity' : undefined}
          >
            <TokenTable
              tokens={tokens ?? []}
              clients={clients.byId}
              loading={list.isPending}
              skeletonRows={Math.min(params.pageSize, 10)}
              canRevoke={canRevoke}
              canWrite={canWrite}
              selection={{ rows, onChange: setRows }}
              onRevoke={onRevoke}
              onDelete={onDelete}
              caption={t('tokens.list.caption', { page: params.page, lastPage })}
              sortScope="page"
              sort={params.sort}
              onSortChange={(sort) => navigate({ ...params, sort })}
            />
          </div>
          <Pagination
            page={params.page}
            pageSize={params.pageSize}
            totalCount={totalCount}
            pageSizes={tokenPageSizes}
            noun="tokens"
            onPageChange={(page) => navigate({ ...params, page })}
            onPageSizeChange={(pageSize) =>
              navigate({ ...params, pageSize: pageSize as typeof params.pageSize, page: 1 })
            }
          />
        </>
      )}

      <Suspense fallback={null}>
        {action?.kind === 'revoke' && (
          <RevokeTokensDialog
            tokens={action.tokens}
            clients={clients.byId}
            onClose={() => setAction(null)}
            onDone={() => setRows({})}
          />
        )}
        {action?.kind === 'delete' && (
          <DeleteTokenDialog token={action.token} clients={clients.byId} onClose={() => setAction(null)} />
        )}
      </Suspense>
    </div>
  );
}
