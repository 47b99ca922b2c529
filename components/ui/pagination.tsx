'use client';

import { buttonClass, inputClass } from './button';

interface PaginationProps {
  /** 1-based. */
  page: number;
  pageSize: number;
  totalCount: number;
  pageSizes: readonly number[];
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
  /** What is counted, plural ("tokens"). */
  noun?: string;
  /** Singular, when not the plural without its final "s" ("entry" for "entries"). */
  nounOne?: string;
}

/** "21–40 of 137 tokens", page size, and first / previous / next / last. */
export function Pagination({
  page,
  pageSize,
  totalCount,
  pageSizes,
  onPageChange,
  onPageSizeChange,
  noun = 'rows',
  nounOne = noun.replace(/s$/, ''),
}: PaginationProps) {
  const lastPage = Math.max(1, Math.ceil(totalCount / pageSize));
  const from = totalCount === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(totalCount, page * pageSize);
  const button = buttonClass('secondary', 'sm', 'w-8 px-0');
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {totalCount === 0
          ? `No ${noun}`
          : `${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${totalCount.toLocaleString('en-US')} ${totalCount === 1 ? nounOne : noun}`}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-zinc-600 dark:text-zinc-400">
          Rows per page
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
        <span className="text-zinc-600 dark:text-zinc-400">
          Page {page.toLocaleString('en-US')} of {lastPage.toLocaleString('en-US')}
        </span>
        <div className="flex gap-1">
          <button
            type="button"
            className={button}
            onClick={() => onPageChange(1)}
            disabled={page <= 1}
            aria-label="First page"
          >
            «
          </button>
          <button
            type="button"
            className={button}
            onClick={() => onPageChange(page - 1)}
            disabled={page <= 1}
            aria-label="Previous page"
          >
            ‹
          </button>
          <button
            type="button"
            className={button}
            onClick={() => onPageChange(page + 1)}
            disabled={page >= lastPage}
            aria-label="Next page"
          >
            ›
          </button>
          <button
            type="button"
            className={button}
            onClick={() => onPageChange(lastPage)}
            disabled={page >= lastPage}
            aria-label="Last page"
          >
            »
          </button>
        </div>
      </div>
    </nav>
  );
}
