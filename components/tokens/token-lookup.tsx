'use client';

import { useState } from 'react';
import type { TokenLookupHint } from '@/lib/api-client';
import { shortHash } from '@/lib/format';
import type { Token } from '@/lib/schemas';
import { buttonClass, filterLabelClass, inputClass } from '@/components/ui/button';
import { ErrorState, summarizeError } from '@/components/ui/states';
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
  const [value, setValue] = useState('');
  const [byHash, setByHash] = useState(false);
  const [hash, setHash] = useState<string | null>(null);
  const byValue = useTokenLookupByValue();
  const hashLookup = useTokenByHash(hash, hint);
  const narrowedBy = [hint.subject && `subject ${hint.subject}`, hint.clientId && `client ${hint.clientId}`]
    .filter(Boolean)
    .join(' and ');
  const canSearchHash = narrowedBy !== '';
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
          <span id="token-lookup-title">{hashMode ? 'Find a token by its hash' : 'Look up a token by its value'}</span>
          <input
            type="text"
            name="token-value"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder={hashMode ? 'Paste a 43-character token hash' : 'Paste an access token'}
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
          {hashMode ? 'Find' : 'Look up'}
        </button>
        <label className="flex items-center gap-1.5 text-xs text-zinc-700 dark:text-zinc-300">
          <input
            type="checkbox"
            checked={hashMode}
            disabled={!canSearchHash}
            onChange={(event) => setByHash(event.target.checked)}
          />
          It is a hash{canSearchHash ? '' : ' (set a subject or client filter first)'}
        </label>
        <p id="token-lookup-help" className="w-full text-xs text-zinc-600 dark:text-zinc-400">
          {hashMode
            ? `Searches the tokens of ${narrowedBy} (the filters) for this hash.`
            : 'The value is sent once to Token Desk’s server for Authlete’s introspection, and is never logged or stored (the audit log keeps its hash). Note: if the token has expired, Authlete deletes it when it is looked up.'}
        </p>
      </form>

      {hash !== null && (
        <div aria-live="polite" className="space-y-2">
          {hashLookup.isPending ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Searching for token {shortHash(hash)}…</p>
          ) : hashLookup.isError ? (
            <LookupFailure error={hashLookup.error} onDismiss={close} onRetry={() => void hashLookup.refetch()} />
          ) : (
            <>
              {hashLookup.data.searched && (
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  Found after searching {hashLookup.data.searched}.
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
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Asking Authlete about this token…</p>
          ) : byValue.isError ? (
            <LookupFailure error={byValue.error} onDismiss={close} />
          ) : byValue.data?.state === 'expired' ? (
            <div
              role="status"
              className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-50"
            >
              <p className="font-medium">
                This token had expired
                {byValue.data.token.accessTokenExpiresAt ? (
                  <>
                    {' '}
                    (<Time ms={byValue.data.token.accessTokenExpiresAt} layout="inline" />)
                  </>
                ) : null}
                .
              </p>
              <p className="mt-1">
                Authlete removed it when it was looked up. It belonged to{' '}
                {byValue.data.token.subject ?? 'no user (client credentials)'}, client {byValue.data.token.clientId};
                hash <code className="break-all font-mono text-xs">{byValue.data.token.accessTokenHash}</code>.
              </p>
              <button type="button" className={buttonClass('ghost', 'sm', 'mt-2')} onClick={close}>
                Dismiss
              </button>
            </div>
          ) : byValue.data ? (
            <>
              {!byValue.data.complete && (
                <p className="text-xs text-amber-800 dark:text-amber-200">
                  Authlete knows this token, but its full record was not among the tokens searched (
                  {byValue.data.searched}); the details shown come from introspection.
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
  const failure = summarizeError(error);
  if (failure.status === 404 || failure.code === 'narrowing_required') {
    return (
      <div className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
        <p className="font-medium">
          {failure.code === 'search_limit_reached'
            ? 'Not found among the tokens searched.'
            : failure.code === 'narrowing_required'
              ? 'Say whose token it is.'
              : 'No token found.'}
        </p>
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          {failure.message} Expired tokens are swept by Authlete, and unused ones after 90 days; check that the whole
          value was pasted.
        </p>
        <button type="button" className={buttonClass('ghost', 'sm', 'mt-2')} onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  return <ErrorState error={error} onRetry={onRetry} title="The lookup failed" />;
}
