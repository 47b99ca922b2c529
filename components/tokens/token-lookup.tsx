'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { TokenLookupHint } from '@/lib/api-client';
import { shortHash } from '@/lib/format';
import type { Token } from '@/lib/schemas';
import { buttonClass, filterLabelClass, inputClass } from '@/components/ui/button';
import { ErrorState, useErrorSummary } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { useTokenByHash, useTokenLookupByValue } from '@/components/data/tokens';

const HASH_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Find a token from its raw value (a user pasted it into a ticket): the value goes to Token Desk's
 * server once, in a request body, for Authlete's introspection (one call, whatever the size of the
 * service), and the input is emptied at once. Or, with a subject or client filter set, find it by
 * its hash (a scan of that subject's or client's tokens).
 */
export function TokenLookup({
  hint,
  children,
}: {
  hint: TokenLookupHint;
  children: (token: Token, close: () => void) => React.ReactNode;
}) {
  const t = useTranslations();
  const [value, setValue] = useState('');
  const [byHash, setByHash] = useState(false);
  const [hash, setHash] = useState<string | null>(null);
  const byValue = useTokenLookupByValue();
  const hashLookup = useTokenByHash(hash, hint);
  const canSearchHash = Boolean(hint.subject || hint.clientId);
  // Whose tokens a hash search reads, as a whole sentence per case.
  const hashHelp =
    hint.subject && hint.clientId
      ? t('tokens.lookup.hashHelpBoth', { subject: hint.subject, clientId: hint.clientId })
      : hint.subject
        ? t('tokens.lookup.hashHelpSubject', { subject: hint.subject })
        : t('tokens.lookup.hashHelpClient', { clientId: hint.clientId ?? '' });
  const hashMode = byHash && canSearchHash;
  const raw = value.trim();

  const close = () => {
    byValue.reset();
    setHash(null);
  };

  return (
    <section aria-labelledby="token-lookup-title" className="min-w-0 max-w-full space-y-2">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          setValue('');
          if (!raw) return;
          if (hashMode) {
            byValue.reset();
            setHash(raw);
          } else {
            setHash(null);
            byValue.mutate(raw);
          }
        }}
      >
        <label className={`${filterLabelClass} min-w-0 max-w-full`}>
          <span id="token-lookup-title">
            {hashMode ? t('tokens.lookup.byHashTitle') : t('tokens.lookup.byValueTitle')}
          </span>
          <input
            type="text"
            name="token-value"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder={hashMode ? t('tokens.lookup.hashPlaceholder') : t('tokens.lookup.valuePlaceholder')}
            autoComplete="off"
            spellCheck={false}
            data-1p-ignore
            data-lpignore="true"
            className={`${inputClass} w-80 max-w-full font-mono`}
            aria-describedby="token-lookup-help"
          />
        </label>
        <button
          type="submit"
          className={buttonClass('secondary')}
          disabled={!raw || (hashMode && !HASH_PATTERN.test(raw)) || byValue.isPending}
        >
          {hashMode ? t('tokens.lookup.find') : t('tokens.lookup.lookUp')}
        </button>
        <label className="flex items-center gap-1.5 text-xs text-zinc-700 dark:text-zinc-300">
          <input
            type="checkbox"
            checked={hashMode}
            disabled={!canSearchHash}
            onChange={(event) => setByHash(event.target.checked)}
          />
          {canSearchHash ? t('tokens.lookup.isHash') : t('tokens.lookup.isHashDisabled')}
        </label>
        <p id="token-lookup-help" className="w-full text-xs text-zinc-600 dark:text-zinc-400">
          {hashMode ? hashHelp : t('tokens.lookup.valueHelp')}
        </p>
      </form>

      {hash !== null && (
        <div aria-live="polite" className="space-y-2">
          {hashLookup.isPending ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {t('tokens.lookup.searching', { hash: shortHash(hash) })}
            </p>
          ) : hashLookup.isError ? (
            <LookupFailure error={hashLookup.error} onDismiss={close} onRetry={() => void hashLookup.refetch()} />
          ) : (
            <>
              {hashLookup.data.searched && (
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  {t('tokens.lookup.foundAfter', { searched: hashLookup.data.searched })}
                </p>
              )}
              {children(hashLookup.data.token, close)}
            </>
          )}
        </div>
      )}

      {hash === null && !byValue.isIdle && (
        <div aria-live="polite" className="space-y-2">
          {byValue.isPending ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('tokens.lookup.asking')}</p>
          ) : byValue.isError ? (
            <LookupFailure error={byValue.error} onDismiss={close} />
          ) : byValue.data?.state === 'expired' ? (
            <div
              role="status"
              className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-50"
            >
              <p className="font-medium">
                {byValue.data.token.accessTokenExpiresAt
                  ? t.rich('tokens.lookup.expiredAt', {
                      time: () => <Time ms={byValue.data.token.accessTokenExpiresAt} layout="inline" />,
                    })
                  : t('tokens.lookup.expired')}
              </p>
              <p className="mt-1">
                {t.rich(byValue.data.token.subject ? 'tokens.lookup.removedUser' : 'tokens.lookup.removedClient', {
                  subject: byValue.data.token.subject ?? '',
                  clientId: byValue.data.token.clientId,
                  hash: byValue.data.token.accessTokenHash,
                  code: (chunks) => <code className="break-all font-mono text-xs">{chunks}</code>,
                })}
              </p>
              <button type="button" className={buttonClass('ghost', 'sm', 'mt-2')} onClick={close}>
                {t('tokens.lookup.dismiss')}
              </button>
            </div>
          ) : byValue.data ? (
            <>
              {!byValue.data.complete && (
                <p className="text-xs text-amber-800 dark:text-amber-200">
                  {t('tokens.lookup.incomplete', { searched: byValue.data.searched ?? '' })}
                </p>
              )}
              {children(byValue.data.token, close)}
            </>
          ) : null}
        </div>
      )}
    </section>
  );
}

function LookupFailure({ error, onDismiss, onRetry }: { error: unknown; onDismiss: () => void; onRetry?: () => void }) {
  const t = useTranslations();
  const failure = useErrorSummary()(error);
  if (failure.status === 404 || failure.code === 'narrowing_required') {
    return (
      <div className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
        <p className="font-medium">
          {failure.code === 'search_limit_reached'
            ? t('tokens.lookup.notAmongSearched')
            : failure.code === 'narrowing_required'
              ? t('tokens.lookup.sayWhose')
              : t('tokens.lookup.notFound')}
        </p>
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          {failure.message} {t('tokens.lookup.notFoundHint')}
        </p>
        <button type="button" className={buttonClass('ghost', 'sm', 'mt-2')} onClick={onDismiss}>
          {t('tokens.lookup.dismiss')}
        </button>
      </div>
    );
  }
  return <ErrorState error={error} onRetry={onRetry} title={t('tokens.lookup.failed')} />;
}
