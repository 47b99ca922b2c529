'use client';

import { buttonClass } from './button';

/** What the UI can say about a failed request: the API's envelope fields when there are any. */
export interface ErrorSummary {
  message: string;
  code?: string;
  requestId?: string;
  status?: number;
}

/** Reads the message, code and request id off whatever the API client threw. */
export function summarizeError(error: unknown): ErrorSummary {
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
    return {
      message: text('message') || 'Something went wrong.',
      code: text('code'),
      requestId: text('requestId'),
      status: typeof record.status === 'number' ? record.status : undefined,
    };
  }
  return { message: 'Something went wrong.' };
}

/**
 * "Request ID xyz" under an error, selectable with one click so a support agent can quote it; the
 * same id is in the response's `x-request-id` header and on the server's log line.
 */
export function RequestIdNote({ requestId, className = '' }: { requestId: string; className?: string }) {
  return (
    <span className={`block text-xs ${className}`}>
      Request ID{' '}
      <code className="font-mono select-all" data-request-id>
        {requestId}
      </code>
    </span>
  );
}

/** A toast description: the failure's message plus its request id when the server gave one. */
export function ErrorDescription({ error }: { error: unknown }) {
  const { message, requestId } = summarizeError(error);
  return (
    <>
      <span className="block">{message}</span>
      {requestId && <RequestIdNote requestId={requestId} className="mt-1 opacity-80" />}
    </>
  );
}

/** Error panel with the server's own message, its request id (for a bug report) and a retry. */
export function ErrorState({
  error,
  onRetry,
  title = 'Could not load this',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const { message, requestId } = summarizeError(error);
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
    >
      <p className="font-semibold">{title}</p>
      <p className="mt-1">{message}</p>
      {requestId && <RequestIdNote requestId={requestId} className="mt-1 text-red-800/80 dark:text-red-200/80" />}
      {onRetry && (
        <button type="button" className={buttonClass('secondary', 'sm', 'mt-3')} onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Nothing to show, plus what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-zinc-300 px-6 py-10 text-center text-sm dark:border-zinc-700">
      <p className="font-medium text-zinc-800 dark:text-zinc-100">{title}</p>
      {children && <div className="mt-2 text-zinc-600 dark:text-zinc-400">{children}</div>}
    </div>
  );
}

/** Grey bars in the shape of table rows while the first page loads. */
export function SkeletonRows({ rows, columns }: { rows: number; columns: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        <tr key={row} aria-hidden="true">
          {Array.from({ length: columns }, (_, column) => (
            <td key={column} className="px-2 py-2.5">
              <div
                className="h-3.5 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800"
                style={{ width: `${50 + ((row * 7 + column * 13) % 45)}%` }}
              />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
