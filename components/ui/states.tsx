'use client';

import { useLocale, useTranslations } from 'next-intl';
import type { MessageKey } from '@/lib/i18n/keys';
import { buttonClass } from './button';
import { isApprovalRequested } from '@/lib/api-client';

/** What the UI can say about a failed request: the API's envelope fields when there are any. */
export interface ErrorSummary {
  message: string;
  code?: string;
  requestId?: string;
  status?: number;
}

const fallbackMessage = 'Something went wrong.';

/** Reads the message, code and request id off whatever the API client threw (the API's English message). */
export function summarizeError(error: unknown): ErrorSummary {
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
    return {
      message: text('message') || fallbackMessage,
      code: text('code'),
      requestId: text('requestId'),
      status: typeof record.status === 'number' ? record.status : undefined,
    };
  }
  return { message: fallbackMessage };
}

/** The API's error codes (lib/schemas/error.ts) a person may see, and what they say in the person's language. */
const apiErrorKeys = {
  validation_failed: 'errors.api.validation_failed',
  unauthenticated: 'errors.api.unauthenticated',
  forbidden: 'errors.api.forbidden',
  cross_site_request: 'errors.api.cross_site_request',
  not_found: 'errors.api.not_found',
  foreign_resource: 'errors.api.foreign_resource',
  service_not_found: 'errors.api.service_not_found',
  client_locked: 'errors.api.client_locked',
  client_not_permitted: 'errors.api.client_not_permitted',
  all_clients_required: 'errors.api.all_clients_required',
  self_change: 'errors.api.self_change',
  last_admin: 'errors.api.last_admin',
  conflict: 'errors.api.conflict',
  not_supported: 'errors.api.not_supported',
  unsupported_media_type: 'errors.api.unsupported_media_type',
  unprocessable: 'errors.api.unprocessable',
  rate_limited: 'errors.api.rate_limited',
  upstream_error: 'errors.api.upstream_error',
  upstream_unauthorized: 'errors.api.upstream_unauthorized',
  upstream_timeout: 'errors.api.upstream_timeout',
  upstream_unavailable: 'errors.api.upstream_unavailable',
  search_limit_reached: 'errors.api.search_limit_reached',
  narrowing_required: 'errors.api.narrowing_required',
  request_aborted: 'errors.api.request_aborted',
  payload_too_large: 'errors.api.payload_too_large',
  audit_failed: 'errors.api.audit_failed',
  internal_error: 'errors.api.internal_error',
  mfa_enrolment_required: 'errors.api.mfa_enrolment_required',
  step_up_required: 'errors.api.step_up_required',
  step_up_failed: 'errors.api.step_up_failed',
  approval_required: 'errors.api.approval_required',
  approval_own_request: 'errors.api.approval_own_request',
  approval_not_usable: 'errors.api.approval_not_usable',
  approval_requested: 'errors.api.approval_requested',
  network: 'errors.api.network',
} as const satisfies Record<string, MessageKey>;

/**
 * A failure as a person reads it. The API answers in English with a stable code: in English its own
 * (most specific) message is shown; in another language the code's translation, the English message
 * staying in the API answer and the server log for whoever runs Token Desk.
 */
export function useErrorSummary(): (error: unknown) => ErrorSummary {
  const t = useTranslations();
  const locale = useLocale();
  return (error) => {
    const summary = summarizeError(error);
    const key =
      summary.code && Object.hasOwn(apiErrorKeys, summary.code)
        ? apiErrorKeys[summary.code as keyof typeof apiErrorKeys]
        : undefined;
    if (locale !== 'en' && key) return { ...summary, message: t(key) };
    if (summary.message === fallbackMessage) return { ...summary, message: t('common.somethingWentWrong') };
    return summary;
  };
}

/**
 * "Request ID xyz" under an error, selectable with one click so a support agent can quote it; the
 * same id is in the response's `x-request-id` header and on the server's log line.
 */
export function RequestIdNote({ requestId, className = '' }: { requestId: string; className?: string }) {
  const t = useTranslations();
  return (
    <span className={`block text-xs ${className}`}>
      {t.rich('common.requestId', {
        id: requestId,
        code: (chunks) => (
          <code className="font-mono select-all" data-request-id>
            {chunks}
          </code>
        ),
      })}
    </span>
  );
}

/** A toast description: the failure's message plus its request id when the server gave one. */
export function ErrorDescription({ error }: { error: unknown }) {
  const { message, requestId } = useErrorSummary()(error);
  return (
    <>
      <span className="block">{message}</span>
      {requestId && <RequestIdNote requestId={requestId} className="mt-1 opacity-80" />}
    </>
  );
}

/** Error panel with the server's own message, its request id (for a bug report) and a retry. */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const t = useTranslations();
  const { message, requestId } = useErrorSummary()(error);
  if (isApprovalRequested(error))
    return (
      <p
        role="status"
        className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-50"
      >
        {t('shell.approval.sent')}
      </p>
    );
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
    >
      <p className="font-semibold">{title ?? t('common.couldNotLoad')}</p>
      <p className="mt-1">{message}</p>
      {requestId && <RequestIdNote requestId={requestId} className="mt-1 text-red-800/80 dark:text-red-200/80" />}
      {onRetry && (
        <button type="button" className={buttonClass('secondary', 'sm', 'mt-3')} onClick={onRetry}>
          {t('common.tryAgain')}
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

/** Why a change was refused, inside the dialog or form that made it (nothing when there is no error). */
export function Refusal({ error }: { error: unknown }) {
  const summary = useErrorSummary();
  if (!error) return null;
  return (
    <p
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
    >
      {summary(error).message}
    </p>
  );
}
