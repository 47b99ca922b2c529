'use client';

import { useTranslations } from 'next-intl';
import { buttonClass, inputClass } from './button';

/** What a pagination counts, and its ICU message (plural rules per language). */
const rangeKeys = {
  tokens: 'common.pagination.rangeTokens',
  entries: 'common.pagination.rangeEntries',
  jobs: 'common.pagination.rangeJobs',
} as const;

interface PaginationProps {
  /** 1-based. */
  page: number;
  pageSize: number;
  totalCount: number;
  pageSizes: readonly number[];
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
  /** What is counted. */
  noun: keyof typeof rangeKeys;
}

/** "21–40 of 137 tokens", page size, and first / previous / next / last. */
export function Pagination({
  page,
  pageSize,
  totalCount,
  pageSizes,
  onPageChange,
  onPageSizeChange,
  noun,
}: PaginationProps) {
  const t = useTranslations();
  const lastPage = Math.max(1, Math.ceil(totalCount / pageSize));
  const from = totalCount === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(totalCount, page * pageSize);
  const button = buttonClass('secondary', 'sm', 'w-8 px-0');
  return (
    <nav
      aria-label={t('common.pagination.label')}
      className="flex flex-wrap items-center justify-between gap-3 text-sm"
    >
      <p className="text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {t(rangeKeys[noun], { from, to, total: totalCount })}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-zinc-600 dark:text-zinc-400">
          {t('common.pagination.rowsPerPage')}
          <select
            className={inputClass}
            value={pageSize}
            onChange={(event) => onPageSizeChange(Number(event.target.value))}
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <span className="text-zinc-600 dark:text-zinc-400">{t('common.pagination.pageOf', { page, lastPage })}</span>
        <div className="flex gap-1">
          <button
            type="button"
            className={button}
            onClick={() => onPageChange(1)}
            disabled={page <= 1}
            aria-label={t('common.pagination.first')}
          >
            «
          </button>
          <button
            type="button"
            className={button}
            onClick={() => onPageChange(page - 1)}
            disabled={page <= 1}
            aria-label={t('common.pagination.previous')}
          >
            ‹
          </button>
          <button
            type="button"
            className={button}
            onClick={() => onPageChange(page + 1)}
            disabled={page >= lastPage}
            aria-label={t('common.pagination.next')}
          >
            ›
          </button>
          <button
            type="button"
            className={button}
            onClick={() => onPageChange(lastPage)}
            disabled={page >= lastPage}
            aria-label={t('common.pagination.last')}
          >
            »
          </button>
        </div>
      </div>
    </nav>
  );
}
