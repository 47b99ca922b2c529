'use client';

import {
  createColumnHelper,
  createSortedRowModel,
  rowSelectionFeature,
  rowSortingFeature,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table';
import { ServiceLink } from '@/components/shell/service-link';
import { useTranslations } from 'next-intl';
import { useId, useMemo, useState } from 'react';
import { shortHash } from '@/lib/format';
import type { Client, Token } from '@/lib/schemas';
import { buttonClass } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { SkeletonRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import {
  AccessExpiryCell,
  ClientCell,
  HashCell,
  LastRefreshedCell,
  RefreshExpiryCell,
  ScopesCell,
  SubjectCell,
} from './token-cells';
import { GrantTypeCell } from './grant-type';
import { defaultTokenSort, tokenSortKey, type TokenSort, type TokenSortColumn } from './list-params';

/** The subject and client ride along so the server can find the token quickly (Authlete has no get-by-hash). */
function editHref(token: Token): `/${string}` {
  const hint = new URLSearchParams();
  if (token.subject) hint.set('subject', token.subject);
  hint.set('clientId', token.clientId);
  return `/tokens/${token.accessTokenHash}/edit?${hint}`;
}

const features = tableFeatures({
  rowSelectionFeature,
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic, text: sortFn_text },
});
const column = createColumnHelper<typeof features, Token>();

export interface TokenTableProps {
  tokens: readonly Token[];
  clients: ReadonlyMap<string, Client>;
  /** True only before the first page arrives (later pages keep showing the previous one). */
  loading: boolean;
  skeletonRows: number;
  /** Show the subject column (the subject view already knows the subject). */
  showSubject?: boolean;
  /** Show the client column (the subject view groups by client). */
  showClient?: boolean;
  canRevoke: boolean;
  canWrite: boolean;
  /** The chosen rows for a bulk revoke; without it (or without `canRevoke`) the table has no checkboxes. */
  selection?: { rows: RowSelectionState; onChange: (rows: RowSelectionState) => void };
  onRevoke: (token: Token) => void;
  onDelete: (token: Token) => void;
  caption: string;
  /**
   * What a column sort reorders, said next to the order (this page, or one client's tokens): sorting
   * is only ever over the rows loaded here, never the whole list. Without it the table does not sort.
   */
  sortScope?: keyof typeof sortScopeKeys;
  /** A sort held by the caller (the URL); without it the table keeps its own, newest first. */
  sort?: TokenSort;
  onSortChange?: (sort: TokenSort) => void;
}

const sortScopeKeys = { page: 'tokens.sort.scopePage', client: 'tokens.sort.scopeClient' } as const;

/** Never-expiring tokens sort after every date (0 means "never" on the wire). */
const neverLast = (ms: number) => (ms === 0 ? Number.POSITIVE_INFINITY : ms);

const noRowsSelected: RowSelectionState = {};

/** A dense token table: one row per access token, identified by its hash. */
export function TokenTable(props: TokenTableProps) {
  const {
    tokens,
    clients,
    loading,
    skeletonRows,
    showSubject = true,
    showClient = true,
    canRevoke,
    canWrite,
    selection,
    onRevoke,
    onDelete,
    caption,
    sortScope,
  } = props;
  const selectable = canRevoke && selection !== undefined;
  const rowSelection = selection?.rows ?? noRowsSelected;
  const [ownSort, setOwnSort] = useState<TokenSort>(defaultTokenSort);
  const sort = props.sort ?? ownSort;
  const setSort = props.onSortChange ?? setOwnSort;
  const sortable = sortScope !== undefined;
  const noteId = useId();
  const t = useTranslations();

  const columns = useMemo(() => {
    const label = (token: Token) =>
      token.subject
        ? t('tokens.table.tokenOf', { hash: shortHash(token.accessTokenHash), subject: token.subject })
        : t('tokens.table.token', { hash: shortHash(token.accessTokenHash) });
    return column.columns([
      ...(selectable
        ? [
            column.display({
              id: 'select',
              header: ({ table }) => (
                <input
                  type="checkbox"
                  aria-label={t('tokens.table.selectAll')}
                  className="size-4 align-middle"
                  checked={table.getIsAllPageRowsSelected()}
                  ref={(input) => {
                    if (input) input.indeterminate = table.getIsSomePageRowsSelected();
                  }}
                  onChange={table.getToggleAllPageRowsSelectedHandler()}
                />
              ),
              cell: ({ row }) => (
                <input
                  type="checkbox"
                  aria-label={t('tokens.table.select', { token: label(row.original) })}
                  className="size-4 align-middle"
                  checked={row.getIsSelected()}
                  onChange={row.getToggleSelectedHandler()}
                />
              ),
            }),
          ]
        : []),
      ...(showSubject
        ? [
            column.accessor((token) => token.subject ?? '', {
              id: 'subject',
              header: t('tokens.table.subject'),
              sortFn: 'text',
              cell: ({ row }) => <SubjectCell subject={row.original.subject} />,
            }),
          ]
        : []),
      ...(showClient
        ? [
            column.accessor('clientId', {
              header: t('tokens.table.client'),
              enableSorting: false,
              cell: (info) => <ClientCell clientId={info.getValue()} client={clients.get(info.getValue())} />,
            }),
          ]
        : []),
      column.accessor('grantType', {
        header: t('tokens.table.grantType'),
        sortFn: 'text',
        cell: (info) => <GrantTypeCell grantType={info.getValue()} />,
      }),
      column.accessor('scopes', {
        header: t('tokens.table.scopes'),
        enableSorting: false,
        cell: (info) => <ScopesCell scopes={info.getValue()} />,
      }),
      column.accessor('createdAt', {
        header: t('tokens.table.created'),
        sortFn: 'basic',
        cell: (info) => <Time ms={info.getValue()} />,
      }),
      column.accessor((token) => neverLast(token.accessTokenExpiresAt), {
        id: 'expires',
        header: t('tokens.table.expires'),
        sortFn: 'basic',
        cell: ({ row }) => <AccessExpiryCell token={row.original} />,
      }),
      column.accessor('lastRefreshedAt', {
        id: 'lastRefreshed',
        header: t('tokens.table.lastRefreshed'),
        sortFn: 'basic',
        cell: ({ row }) => <LastRefreshedCell token={row.original} />,
      }),
      column.accessor((token) => neverLast(token.refreshTokenExpiresAt), {
        id: 'refreshExpires',
        header: t('tokens.table.refreshExpires'),
        sortFn: 'basic',
        cell: ({ row }) => <RefreshExpiryCell token={row.original} />,
      }),
      column.accessor('accessTokenHash', {
        header: t('tokens.table.hash'),
        enableSorting: false,
        cell: (info) => <HashCell token={info.row.original} />,
      }),
      ...(canRevoke || canWrite
        ? [
            column.display({
              id: 'actions',
              header: () => <span className="sr-only">{t('tokens.table.actions')}</span>,
              cell: ({ row }) => (
                <span className="flex justify-end gap-0.5">
                  {canRevoke && (
                    <button
                      type="button"
                      className={buttonClass('secondary', 'sm')}
                      onClick={() => onRevoke(row.original)}
                      aria-label={t('tokens.table.revokeOne', { token: label(row.original) })}
                    >
                      {t('tokens.actions.revoke')}
                    </button>
                  )}
                  {canWrite && (
                    <>
                      <ServiceLink
                        href={editHref(row.original)}
                        className={buttonClass('secondary', 'sm')}
                        aria-label={t('tokens.table.editOne', { token: label(row.original) })}
                      >
                        {t('tokens.actions.edit')}
                      </ServiceLink>
                      <button
                        type="button"
                        className={buttonClass('ghost', 'sm', 'text-red-700 dark:text-red-300')}
                        onClick={() => onDelete(row.original)}
                        aria-label={t('tokens.table.deleteOne', { token: label(row.original) })}
                      >
                        {t('tokens.actions.delete')}
                      </button>
                    </>
                  )}
                </span>
              ),
            }),
          ]
        : []),
    ]);
  }, [selectable, canRevoke, canWrite, showSubject, showClient, clients, onRevoke, onDelete, t]);

  const sorting: SortingState = useMemo(
    () => (sortable ? [{ id: sort.column, desc: sort.desc }] : []),
    [sortable, sort],
  );
  const table = useTable({
    features,
    columns,
    data: tokens as Token[],
    getRowId: (token) => token.accessTokenHash,
    state: { rowSelection, sorting },
    onRowSelectionChange: (updater) =>
      selection?.onChange(typeof updater === 'function' ? updater(rowSelection) : updater),
    enableRowSelection: selectable,
    enableSorting: sortable,
    enableSortingRemoval: false,
    onSortingChange: (updater) => {
      const [next] = typeof updater === 'function' ? updater(sorting) : updater;
      if (next) setSort({ column: next.id as TokenSortColumn, desc: next.desc });
    },
  });

  return (
    <div className="space-y-1">
      {sortable && (
        <p id={noteId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {t(tokenSortKey(sort))} {t(sortScopeKeys[sortScope])}
        </p>
      )}
      <div className="relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table
          className="w-full border-collapse text-left text-[13px]"
          aria-describedby={sortable ? noteId : undefined}
        >
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-zinc-50 text-xs font-semibold text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={
                        canSort
                          ? sorted === 'asc'
                            ? 'ascending'
                            : sorted === 'desc'
                              ? 'descending'
                              : 'none'
                          : undefined
                      }
                      className={cx(
                        'border-b border-zinc-200 px-1.5 py-2 whitespace-nowrap dark:border-zinc-800',
                        header.column.id === 'select' && 'w-8',
                      )}
                    >
                      {header.isPlaceholder ? null : canSort ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="-mx-1 inline-flex items-center gap-1 rounded px-1 hover:bg-zinc-200/70 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-white"
                        >
                          <table.FlexRender header={header} />
                          <span
                            aria-hidden="true"
                            className={cx('text-[10px]', !sorted && 'text-zinc-500 dark:text-zinc-400')}
                          >
                            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            {loading ? (
              <SkeletonRows rows={skeletonRows} columns={columns.length} />
            ) : (
              table.getRowModel().rows.map((row) => (
                <tr
                  key={row.id}
                  className={cx(
                    'align-top hover:bg-zinc-50 dark:hover:bg-zinc-900/60',
                    row.getIsSelected() && 'bg-indigo-50 dark:bg-indigo-950/40',
                  )}
                >
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id} className="px-1.5 py-1.5">
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
