'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type TokenLookupHint } from '@/lib/api-client';
import { sha256Base64Url } from '@/lib/hash';
import { queryKeys } from '@/lib/query-keys';
import { shortHash } from '@/lib/format';
import type { Token } from '@/lib/schemas';
import { buttonClass, filterLabelClass, inputClass } from '@/components/ui/button';
import { ErrorState, RequestIdNote, summarizeError } from '@/components/ui/states';

/**
 * Find a token from its raw value (a user pasted it into a ticket). The value is hashed here with
 * Web Crypto and the input is emptied at once: only the hash is ever sent, cached or shown.
 */
export function TokenLookup({ hint, children }: { hint: TokenLookupHint; children: (token: Token, close: () => void) => React.ReactNode }) {
  const [value, setValue] = useState('');
  const [hash, setHash] = useState<string | null>(null);
  const lookup = useQuery({
    // The hint (the page's filters) narrows the server's scan, so it is part of the key.
    queryKey: [...queryKeys.tokens.detail(hash ?? ''), hint],
    queryFn: ({ signal }) => api.getToken(hash as string, hint, signal),
    enabled: hash !== null,
  });
  const failure = lookup.isError ? summarizeError(lookup.error) : null;
  const notFound = failure?.status === 404 && failure.code !== 'search_limit_reached';
  const tooBroad = failure?.code === 'search_limit_reached';
  const narrowedBy = [hint.subject && `subject ${hint.subject}`, hint.clientId && `client ${hint.clientId}`].filter(Boolean).join(' and ');

  return (
    <section aria-labelledby="token-lookup-title" className="space-y-2">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={async (event) => {
          event.preventDefault();
          const raw = value.trim();
          setValue('');
          if (raw) setHash(await sha256Base64Url(raw));
        }}
      >
        <label className={filterLabelClass}>
          <span id="token-lookup-title">Look up a token by its value</span>
          <input
            type="text"
            name="token-value"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder="Paste an access token"
            autoComplete="off"
            spellCheck={false}
            data-1p-ignore
            data-lpignore="true"
            className={`${inputClass} w-80 font-mono`}
            aria-describedby="token-lookup-help"
          />
        </label>
        <button type="submit" className={buttonClass('secondary')} disabled={!value.trim()}>
          Look up
        </button>
        <p id="token-lookup-help" className="w-full text-xs text-zinc-500 dark:text-zinc-400">
          The value is hashed in your browser and never leaves it; only its SHA-256 hash is sent.
          {narrowedBy ? ` Searching tokens of ${narrowedBy} (the filters).` : ' Set a subject or client filter to search faster.'}
        </p>
      </form>
      {hash !== null && (
        <div aria-live="polite" className="space-y-2">
          {lookup.isPending ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Looking up token {shortHash(hash)}…</p>
          ) : notFound ? (
            <div className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
              <p className="font-medium">No token has this value.</p>
              <p className="mt-1 text-zinc-600 dark:text-zinc-400">
                It may have expired, been revoked or deleted, or been swept by Authlete after 90 days unused. Check that the
                whole value was pasted. Hash searched: <code className="font-mono text-xs">{hash}</code>
              </p>
              <button type="button" className={buttonClass('ghost', 'sm', 'mt-2')} onClick={() => setHash(null)}>
                Dismiss
              </button>
            </div>
          ) : tooBroad ? (
            <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-50">
              <p className="font-medium">Not found among the tokens searched.</p>
              <p className="mt-1">
                {failure?.message} Choose the user’s subject or the client in the filters above, then look up the value again.
              </p>
              {failure?.requestId && <RequestIdNote requestId={failure.requestId} className="mt-1 opacity-80" />}
            </div>
          ) : lookup.isError ? (
            <ErrorState error={lookup.error} onRetry={() => void lookup.refetch()} title="The lookup failed" />
          ) : (
            lookup.data && children(lookup.data.token, () => setHash(null))
          )}
        </div>
      )}
    </section>
  );
}
