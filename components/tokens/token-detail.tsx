'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { TokenLookupHint } from '@/lib/api-client';
import { shortHash } from '@/lib/format';
import type { Client, Token } from '@/lib/schemas';
import { servicePath } from '@/lib/service-paths';
import { AuditTimeline } from '@/components/audit/audit-timeline';
import { clientLabel, useClients } from '@/components/data/clients';
import { useCurrentService } from '@/components/data/service';
import { useToken, useTokenHistory, useTokenLookupByValue } from '@/components/data/tokens';
import { useCan } from '@/components/shell/actor-context';
import { ServiceLink } from '@/components/shell/service-link';
import { buttonClass, inputClass } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { DeleteTokenDialog, RevokeTokensDialog, RotateValueDialog } from './action-dialogs';
import { useGrantTypeLabel } from './grant-type';
import { LockedBadge, SubjectCell, tokenHref } from './token-cells';
import { accessExpiry, refreshExpiry, type Expiry } from './token-status';

type Action = 'revoke' | 'delete' | 'rotate' | null;

/**
 * /s/{service}/tokens/{hash}: every field Authlete keeps for one token, its properties (hidden ones
 * marked), its history from the audit log and its actions; and inspecting a pasted value. Authlete
 * has no read by hash, so the subject and/or client in the address narrow the server's search.
 */
export function TokenDetail({ hash, hint }: { hash: string; hint: TokenLookupHint }) {
  const t = useTranslations();
  const token = useToken(hash, hint);
  const clients = useClients();
  if (token.isPending)
    return (
      <div aria-busy="true" className="h-40 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900">
        <p className="sr-only">{t('tokens.detail.loading')}</p>
      </div>
    );
  // Once revoked or deleted, the token is gone upstream: the page keeps what it showed while the
  // action's dialog finishes and takes the person on (a fresh load shows the error and the history).
  if (token.isError && !token.data)
    return (
      <div className="space-y-4">
        <ErrorState error={token.error} onRetry={() => void token.refetch()} title={t('tokens.detail.loadFailed')} />
        <TokenHistory hash={hash} />
      </div>
    );
  return <Loaded token={token.data!.token} clients={clients.byId} />;
}

function Loaded({ token, clients }: { token: Token; clients: ReadonlyMap<string, Client> }) {
  const t = useTranslations();
  const router = useRouter();
  const service = useCurrentService();
  const grantTypeLabel = useGrantTypeLabel();
  const canRevoke = useCan('tokens:revoke');
  const canWrite = useCan('tokens:write');
  const [action, setAction] = useState<Action>(null);
  const client = clients.get(token.clientId);
  const listHref = token.subject ? `/subjects/${encodeURIComponent(token.subject)}` : '/tokens';
  const leave = () => router.push(service ? servicePath(service.slug, listHref as `/${string}`) : listHref);
  const editHref = `/tokens/${encodeURIComponent(token.accessTokenHash)}/edit?${new URLSearchParams({
    ...(token.subject ? { subject: token.subject } : {}),
    clientId: token.clientId,
  }).toString()}` as const;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-semibold break-all">
          {t('tokens.detail.title', { hash: shortHash(token.accessTokenHash) })}
        </h1>
        <div className="flex flex-wrap gap-2">
          {canWrite && (
            <ServiceLink href={editHref} className={buttonClass('secondary', 'sm')}>
              {t('tokens.detail.edit')}
            </ServiceLink>
          )}
          {canWrite && (
            <button type="button" className={buttonClass('secondary', 'sm')} onClick={() => setAction('rotate')}>
              {t('tokens.detail.rotate')}
            </button>
          )}
          {canRevoke && (
            <button type="button" className={buttonClass('danger', 'sm')} onClick={() => setAction('revoke')}>
              {t('tokens.detail.revoke')}
            </button>
          )}
          {canWrite && (
            <button type="button" className={buttonClass('danger', 'sm')} onClick={() => setAction('delete')}>
              {t('tokens.detail.delete')}
            </button>
          )}
        </div>
      </div>

      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
        <Field label={t('tokens.detail.hash')}>
          <span className="flex min-w-0 items-center gap-1">
            <code className="font-mono text-xs break-all" data-testid="token-hash">
              {token.accessTokenHash}
            </code>
            <CopyButton value={token.accessTokenHash} label={t('tokens.detail.hash')} />
          </span>
        </Field>
        <Field label={t('tokens.detail.subject')}>
          <SubjectCell subject={token.subject} />
        </Field>
        <Field label={t('tokens.detail.client')}>
          <span>
            {clientLabel(token.clientId, client)}{' '}
            <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{token.clientId}</span>
            {client?.locked && <LockedBadge />}
          </span>
        </Field>
        <Field label={t('tokens.detail.grantType')}>
          {grantTypeLabel(token.grantType)}{' '}
          <code className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{token.grantType}</code>
        </Field>
        <Field label={t('tokens.detail.created')}>
          <Time ms={token.createdAt} layout="inline" />
        </Field>
        <Field label={t('tokens.detail.accessExpiry')}>
          <ExpiryText expiry={accessExpiry(token)} />
        </Field>
        <Field label={t('tokens.detail.refreshToken')}>
          {token.refreshTokenHash ? (
            <span className="flex flex-wrap items-center gap-2">
              <code className="font-mono text-xs break-all">{shortHash(token.refreshTokenHash)}</code>
              <ExpiryText expiry={refreshExpiry(token) ?? { state: 'never' }} />
            </span>
          ) : (
            t('tokens.detail.noRefreshToken')
          )}
        </Field>
        <Field label={t('tokens.detail.lastRefreshed')}>
          {token.lastRefreshedAt ? <Time ms={token.lastRefreshedAt} layout="inline" /> : t('tokens.detail.never')}
        </Field>
        <Field label={t('tokens.detail.scopes', { count: token.scopes.length })}>
          <ScopeList scopes={token.scopes} empty={t('tokens.detail.noScopes')} />
        </Field>
        {token.refreshTokenScopes && (
          <Field label={t('tokens.detail.refreshScopes', { count: token.refreshTokenScopes.length })}>
            <ScopeList scopes={token.refreshTokenScopes} empty={t('tokens.detail.noScopes')} />
          </Field>
        )}
      </dl>

      <section aria-labelledby="token-properties" className="space-y-2">
        <h2 id="token-properties" className="text-lg font-semibold">
          {t('tokens.detail.properties')}
        </h2>
        {token.properties.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('tokens.detail.noProperties')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm">
              <thead className="text-left text-xs text-zinc-600 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="py-1 pr-4">
                    {t('tokens.detail.propertyKey')}
                  </th>
                  <th scope="col" className="py-1 pr-4">
                    {t('tokens.detail.propertyValue')}
                  </th>
                  <th scope="col" className="py-1">
                    {t('tokens.detail.propertyVisibility')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {token.properties.map((property) => (
                  <tr key={property.key}>
                    <th scope="row" className="py-1 pr-4 text-left font-mono text-xs font-normal break-all">
                      {property.key}
                    </th>
                    <td className="py-1 pr-4 font-mono text-xs break-all">{property.value}</td>
                    <td className="py-1 text-xs">
                      {property.hidden ? (
                        <span className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-100">
                          {t('tokens.detail.hidden')}
                        </span>
                      ) : (
                        t('tokens.detail.visible')
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <TokenHistory hash={token.accessTokenHash} />
      <InspectValue token={token} />

      {action === 'revoke' && (
        <RevokeTokensDialog tokens={[token]} clients={clients} onClose={() => setAction(null)} onDone={leave} />
      )}
      {action === 'delete' && (
        <DeleteTokenDialog token={token} clients={clients} onClose={() => setAction(null)} onDone={leave} />
      )}
      {action === 'rotate' && (
        <RotateValueDialog
          token={token}
          clients={clients}
          onClose={() => setAction(null)}
          onDone={(rotated) =>
            router.replace(
              servicePath(
                service?.slug ?? 'default',
                tokenHref({ ...token, accessTokenHash: rotated.accessTokenHash }),
              ),
            )
          }
        />
      )}
    </div>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="font-medium text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

function ScopeList({ scopes, empty }: { scopes: readonly string[]; empty: string }) {
  if (scopes.length === 0) return <span className="text-zinc-600 dark:text-zinc-400">{empty}</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {scopes.map((scope) => (
        <li key={scope} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
          {scope}
        </li>
      ))}
    </ul>
  );
}

function ExpiryText({ expiry }: { expiry: Expiry }) {
  const t = useTranslations();
  if (expiry.state === 'never') return <span>{t('tokens.detail.neverExpires')}</span>;
  return (
    <span className="inline-flex flex-wrap items-baseline gap-2">
      <Time ms={expiry.at} layout="inline" />
      {expiry.state === 'expired' && (
        <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
          {t('tokens.detail.expired')}
        </span>
      )}
    </span>
  );
}

/** Who created, changed, rotated, revoked or looked up this token, and why: its audit entries. */
function TokenHistory({ hash }: { hash: string }) {
  const t = useTranslations();
  const [page, setPage] = useState(1);
  const result = useTokenHistory(hash, page);
  return (
    <section aria-labelledby="token-history" className="space-y-3">
      <h2 id="token-history" className="text-lg font-semibold">
        {t('tokens.detail.history')}
      </h2>
      {result.data?.issuedBy && (
        <p className="text-sm" data-testid="issued-by">
          {result.data.issuedBy.line === null
            ? t('tokens.detail.issuedBy', {
                email: result.data.issuedBy.createdBy.email,
                file: result.data.issuedBy.fileName,
              })
            : t('tokens.detail.issuedByLine', {
                email: result.data.issuedBy.createdBy.email,
                file: result.data.issuedBy.fileName,
                line: result.data.issuedBy.line,
              })}{' '}
          <ServiceLink
            href={`/batches/${encodeURIComponent(result.data.issuedBy.jobId)}`}
            className="text-indigo-700 underline dark:text-indigo-300"
          >
            {t('tokens.detail.openJob')}
          </ServiceLink>
        </p>
      )}
      <AuditTimeline
        result={result}
        page={page}
        onPageChange={setPage}
        auditHref={(entry) => `/audit?from=${entry.occurredAt}&to=${entry.occurredAt + 1}`}
        labels={{
          loading: t('tokens.detail.historyLoading'),
          loadFailed: t('tokens.detail.historyFailed'),
          empty: t('tokens.detail.historyEmpty'),
        }}
        testId="token-history-entries"
      />
    </section>
  );
}

/**
 * Inspect a pasted value through Authlete's introspection: says first that introspecting an expired
 * token makes Authlete delete it, and sends nothing until the person confirms; then says whether
 * the value is this token's, and its state. The value is sent once, in a request body, and the
 * field is emptied at once.
 */
function InspectValue({ token }: { token: Token }) {
  const t = useTranslations();
  const [value, setValue] = useState('');
  const [understood, setUnderstood] = useState(false);
  const inspect = useTokenLookupByValue();
  const raw = value.trim();
  const result = inspect.data;
  return (
    <section aria-labelledby="token-inspect" className="space-y-3">
      <h2 id="token-inspect" className="text-lg font-semibold">
        {t('tokens.detail.inspectTitle')}
      </h2>
      <p
        id="token-inspect-warning"
        className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-50"
      >
        {t('tokens.detail.inspectWarning')}
      </p>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (!raw || !understood) return;
          setValue('');
          setUnderstood(false);
          inspect.mutate(raw);
        }}
      >
        <label className="flex min-w-0 max-w-full flex-col gap-1 text-sm font-medium">
          {t('tokens.detail.inspectLabel')}
          <input
            type="text"
            name="inspect-token-value"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            data-1p-ignore
            data-lpignore="true"
            aria-describedby="token-inspect-warning"
            className={`${inputClass} w-80 max-w-full font-mono`}
          />
        </label>
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={understood} onChange={(event) => setUnderstood(event.target.checked)} />
          {t('tokens.detail.inspectUnderstood')}
        </label>
        <button type="submit" className={buttonClass('secondary')} disabled={!raw || !understood || inspect.isPending}>
          {inspect.isPending ? t('tokens.detail.inspecting') : t('tokens.detail.inspect')}
        </button>
      </form>
      <div aria-live="polite">
        {inspect.isError && <ErrorState error={inspect.error} title={t('tokens.detail.inspectFailed')} />}
        {result && (
          <p role="status" className="rounded-md bg-zinc-50 p-3 text-sm dark:bg-zinc-900">
            {result.token.accessTokenHash !== token.accessTokenHash
              ? t('tokens.detail.inspectOther', { hash: shortHash(result.token.accessTokenHash) })
              : result.state === 'expired'
                ? t('tokens.detail.inspectExpired')
                : t('tokens.detail.inspectActive')}
          </p>
        )}
      </div>
    </section>
  );
}
