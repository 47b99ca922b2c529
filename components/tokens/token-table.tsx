'use client';

import { ServiceLink } from '@/components/shell/service-link';
import { useTranslations } from 'next-intl';
import { useId, useMemo, useState, type ReactNode } from 'react';
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
import {
  defaultTokenSort,
  nextTokenSort,
  sortTokens,
  tokenSortKey,
  type TokenSort,
  type TokenSortColumn,
} from './list-params';

/** The chosen rows, by access token hash. */
export type TokenSelection = Readonly<Record<string, boolean>>;

/** The subject and client ride along so the server can find the token quickly (Authlete has no get-by-hash). */
function editHref(token: Token): `/${string}` {
  const hint = new URLSearchParams();
  if (token.subject) hint.set('subject', token.subject);
  hint.set('clientId', token.clientId);
  return `/tokens/${token.accessTokenHash}/edit?${hint}`;
}

/**
 * One column: its header, how a row's cell renders and, for a sortable column, what it sorts by.
 * Plain columns rather than a table library: the table only sorts the rows already loaded and
 * selects by hash, and a library cost the token page's first load 13 KiB (gzip) for that.
 */
interface TokenColumn {
  id: string;
  header: ReactNode;
  sort?: TokenSortColumn;
  cell: (token: Token) => ReactNode;
}

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
  selection?: { rows: TokenSelection; onChange: (rows: TokenSelection) => void };
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

const noRowsSelected: TokenSelection = {};

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

  const rows = useMemo(() => (sortable ? sortTokens(tokens, sort) : tokens), [sortable, tokens, sort]);
  const selectedCount = rows.filter((token) => rowSelection[token.accessTokenHash]).length;
  const allSelected = rows.length > 0 && selectedCount === rows.length;
  const setSelected = (token: Token, selected: boolean) => {
    const next: Record<string, boolean> = { ...rowSelection };
    if (selected) next[token.accessTokenHash] = true;
    else delete next[token.accessTokenHash];
    selection?.onChange(next);
  };
  const setAllSelected = (selected: boolean) =>
    selection?.onChange(
      selected ? Object.fromEntries(rows.map((token) => [token.accessTokenHash, true])) : noRowsSelected,
    );

  const label = (token: Token) =>
    token.subject
      ? t('tokens.table.tokenOf', { hash: shortHash(token.accessTokenHash), subject: token.subject })
      : t('tokens.table.token', { hash: shortHash(token.accessTokenHash) });
  const columns: TokenColumn[] = [
    ...(selectable
      ? [
          {
            id: 'select',
            header: (
              <input
                type="checkbox"
                aria-label={t('tokens.table.selectAll')}
                className="size-4 align-middle"
                checked={allSelected}
                ref={(input) => {
                  if (input) input.indeterminate = selectedCount > 0 && !allSelected;
                }}
                onChange={(event) => setAllSelected(event.target.checked)}
              />
            ),
            cell: (token: Token) => (
              <input
                type="checkbox"
                aria-label={t('tokens.table.select', { token: label(token) })}
                className="size-4 align-middle"
                checked={rowSelection[token.accessTokenHash] === true}
                onChange={(event) => setSelected(token, event.target.checked)}
              />
            ),
          },
        ]
      : []),
    ...(showSubject
      ? [
          {
            id: 'subject',
            header: t('tokens.table.subject'),
            sort: 'subject' as const,
            cell: (token: Token) => <SubjectCell subject={token.subject} />,
          },
        ]
      : []),
    ...(showClient
      ? [
          {
            id: 'clientId',
            header: t('tokens.table.client'),
            cell: (token: Token) => <ClientCell clientId={token.clientId} client={clients.get(token.clientId)} />,
          },
        ]
      : []),
    {
      id: 'grantType',
      header: t('tokens.table.grantType'),
      sort: 'grantType',
      cell: (token) => <GrantTypeCell grantType={token.grantType} />,
    },
    { id: 'scopes', header: t('tokens.table.scopes'), cell: (token) => <ScopesCell scopes={token.scopes} /> },
    {
      id: 'createdAt',
      header: t('tokens.table.created'),
      sort: 'createdAt',
      cell: (token) => <Time ms={token.createdAt} />,
    },
    {
      id: 'expires',
      header: t('tokens.table.expires'),
      sort: 'expires',
      cell: (token) => <AccessExpiryCell token={token} />,
    },
    {
      id: 'lastRefreshed',
      header: t('tokens.table.lastRefreshed'),
      sort: 'lastRefreshed',
      cell: (token) => <LastRefreshedCell token={token} />,
    },
    {
      id: 'refreshExpires',
      header: t('tokens.table.refreshExpires'),
      sort: 'refreshExpires',
      cell: (token) => <RefreshExpiryCell token={token} />,
    },
    { id: 'accessTokenHash', header: t('tokens.table.hash'), cell: (token) => <HashCell token={token} /> },
    ...(canRevoke || canWrite
      ? [
          {
            id: 'actions',
            header: <span className="sr-only">{t('tokens.table.actions')}</span>,
            cell: (token: Token) => (
              <span className="flex justify-end gap-0.5">
                {canRevoke && (
                  <button
                    type="button"
                    className={buttonClass('secondary', 'sm')}
                    onClick={() => onRevoke(token)}
                    aria-label={t('tokens.table.revokeOne', { token: label(token) })}
                  >
                    {t('tokens.actions.revoke')}
                  </button>
                )}
                {canWrite && (
                  <>
                    <ServiceLink
                      href={editHref(token)}
                      className={buttonClass('secondary', 'sm')}
                      aria-label={t('tokens.table.editOne', { token: label(token) })}
                    >
                      {t('tokens.actions.edit')}
                    </ServiceLink>
                    <button
                      type="button"
                      className={buttonClass('ghost', 'sm', 'text-red-700 dark:text-red-300')}
                      onClick={() => onDelete(token)}
                      aria-label={t('tokens.table.deleteOne', { token: label(token) })}
                    >
                      {t('tokens.actions.delete')}
                    </button>
                  </>
                )}
              </span>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="space-y-1">
      {sortable && (
        <p id={noteId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {t('common.twoSentences', { first: t(tokenSortKey(sort)), second: t(sortScopeKeys[sortScope]) })}
        </p>
      )}
      <div className="relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table
          className="w-full border-collapse text-left text-[13px]"
          aria-describedby={sortable ? noteId : undefined}
        >
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-zinc-50 text-xs font-semibold text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              {columns.map((column) => {
                const sortColumn = sortable ? column.sort : undefined;
                const sorted = sortColumn !== undefined && sort.column === sortColumn;
                return (
                  <th
                    key={column.id}
                    scope="col"
                    aria-sort={
                      sortColumn === undefined ? undefined : !sorted ? 'none' : sort.desc ? 'descending' : 'ascending'
                    }
                    className={cx(
                      'border-b border-zinc-200 px-1.5 py-2 whitespace-nowrap dark:border-zinc-800',
                      column.id === 'select' && 'w-8',
                    )}
                  >
                    {sortColumn === undefined ? (
                      column.header
                    ) : (
                      <button
                        type="button"
                        onClick={() => setSort(nextTokenSort(sort, sortColumn))}
                        className="-mx-1 inline-flex items-center gap-1 rounded px-1 hover:bg-zinc-200/70 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-white"
                      >
                        {column.header}
                        <span
                          aria-hidden="true"
                          className={cx('text-[10px]', !sorted && 'text-zinc-500 dark:text-zinc-400')}
                        >
                          {!sorted ? '↕' : sort.desc ? '▼' : '▲'}
                        </span>
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            {loading ? (
              <SkeletonRows rows={skeletonRows} columns={columns.length} />
            ) : (
              rows.map((token) => (
                <tr
                  key={token.accessTokenHash}
                  className={cx(
                    'align-top hover:bg-zinc-50 dark:hover:bg-zinc-900/60',
                    rowSelection[token.accessTokenHash] && 'bg-indigo-50 dark:bg-indigo-950/40',
                  )}
                >
                  {columns.map((column) => (
                    <td key={column.id} className="px-1.5 py-1.5">
                      {column.cell(token)}
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
