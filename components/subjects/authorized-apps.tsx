'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { AuthorizedApp } from '@/lib/schemas';
import { useAppAction, useAuthorizedApps } from '@/components/data/apps';
import { useCan } from '@/components/shell/actor-context';
import { buttonClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { CancelAndConfirm, ReasonField } from '@/components/tokens/action-dialogs';
import { LockedBadge } from '@/components/tokens/token-cells';
import { useClients } from '@/components/data/clients';

type Kind = 'revoke' | 'narrow' | 'forget';

const appLabel = (app: AuthorizedApp) => app.clientName ?? app.clientIdAlias ?? app.clientId;

/**
 * "Authorized apps": one card per client the person authorized, with its granted scopes (remembered
 * consent where there is a record, else the tokens'), token counts and last activity, and the
 * actions their role allows. Cards, not a table: they fit a phone.
 */
export function AuthorizedApps({ service, subject }: { service: string; subject: string }) {
  const t = useTranslations();
  const canRevoke = useCan('tokens:revoke');
  const canWrite = useCan('tokens:write');
  const result = useAuthorizedApps(service, subject);
  const clients = useClients();
  const [pending, setPending] = useState<{ kind: Kind; app: AuthorizedApp } | null>(null);

  return (
    <section aria-labelledby="apps-heading" className="space-y-3">
      <h2 id="apps-heading" className="text-lg font-semibold">
        {t('subjects.apps.title')}
      </h2>
      {result.isPending ? (
        <div aria-busy="true" className="h-20 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900">
          <p className="sr-only">{t('subjects.apps.loading')}</p>
        </div>
      ) : result.isError ? (
        <ErrorState error={result.error} onRetry={() => void result.refetch()} title={t('subjects.apps.loadFailed')} />
      ) : result.data.apps.length === 0 ? (
        <EmptyState title={t('subjects.apps.empty', { subject })} />
      ) : (
        <ul className="grid gap-3 md:grid-cols-2">
          {result.data.apps.map((app) => (
            <li
              key={app.clientId}
              data-testid={`app-${app.clientId}`}
              className="min-w-0 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
            >
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <h3 className="font-medium break-words">
                  {appLabel(app)}
                  {clients.byId.get(app.clientId)?.locked && <LockedBadge />}
                </h3>
                <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{app.clientId}</span>
              </div>
              <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
                {t('subjects.apps.counts', { valid: app.tokens.valid, expired: app.tokens.expired })}
              </p>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">
                {app.scopesFrom === 'consent'
                  ? t('subjects.apps.scopesFromConsent')
                  : t('subjects.apps.scopesFromTokens')}
              </p>
              <ul className="mt-1 flex flex-wrap gap-1" aria-label={t('subjects.apps.scopes')}>
                {app.scopes.length === 0 ? (
                  <li className="text-xs text-zinc-600 dark:text-zinc-400">{t('subjects.apps.noScopes')}</li>
                ) : (
                  app.scopes.map((scope) => (
                    <li
                      key={scope}
                      className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs break-all dark:bg-zinc-800"
                    >
                      {scope}
                    </li>
                  ))
                )}
              </ul>
              {app.lastActivityAt > 0 && (
                <p className="mt-1 flex flex-wrap gap-1 text-xs text-zinc-600 dark:text-zinc-400">
                  <span>{t('subjects.apps.lastActivity')}</span>
                  <Time ms={app.lastActivityAt} layout="inline" />
                </p>
              )}
              <div className="mt-2 flex flex-wrap gap-2">
                {canRevoke && (
                  <button
                    type="button"
                    className={buttonClass('danger', 'sm')}
                    onClick={() => setPending({ kind: 'revoke', app })}
                  >
                    {t('subjects.apps.revoke')}
                  </button>
                )}
                {canWrite && app.scopes.length > 0 && (
                  <button
                    type="button"
                    className={buttonClass('secondary', 'sm')}
                    onClick={() => setPending({ kind: 'narrow', app })}
                  >
                    {t('subjects.apps.narrow')}
                  </button>
                )}
                {canWrite && app.consent.latestGrantedScopes !== null && (
                  <button
                    type="button"
                    className={buttonClass('secondary', 'sm')}
                    onClick={() => setPending({ kind: 'forget', app })}
                  >
                    {t('subjects.apps.forget')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {pending && (
        <AppActionDialog
          service={service}
          subject={subject}
          kind={pending.kind}
          app={pending.app}
          onClose={() => setPending(null)}
        />
      )}
    </section>
  );
}

function AppActionDialog({
  service,
  subject,
  kind,
  app,
  onClose,
}: {
  service: string;
  subject: string;
  kind: Kind;
  app: AuthorizedApp;
  onClose: () => void;
}) {
  const t = useTranslations();
  const action = useAppAction(service, subject);
  const [reason, setReason] = useState('');
  const [keep, setKeep] = useState<string[]>(app.scopes);
  const busy = action.isPending;
  const client = appLabel(app);
  const tokens = app.tokens.valid + app.tokens.expired;
  const ready = reason.trim().length > 0 && (kind !== 'narrow' || keep.length < app.scopes.length);

  const title =
    kind === 'revoke'
      ? t('subjects.apps.revokeTitle', { client, subject })
      : kind === 'narrow'
        ? t('subjects.apps.narrowTitle', { client, subject })
        : t('subjects.apps.forgetTitle', { client, subject });

  if (action.isSuccess) {
    const { count, resultMessage } = action.data;
    return (
      <Dialog
        title={t('subjects.apps.doneTitle')}
        onClose={onClose}
        footer={
          <button type="button" className={buttonClass('primary')} onClick={onClose} data-autofocus>
            {t('tokens.dialogs.done')}
          </button>
        }
      >
        <p role="status">
          {kind === 'forget'
            ? t('subjects.apps.forgetDone', { client })
            : count === null
              ? t('subjects.apps.countUnknown', { message: resultMessage ?? '' })
              : kind === 'revoke'
                ? t('subjects.apps.revokeDone', { count, client })
                : t('subjects.apps.narrowDone', { count, client })}
        </p>
      </Dialog>
    );
  }

  return (
    <Dialog
      title={title}
      onClose={onClose}
      busy={busy}
      footer={
        <CancelAndConfirm onCancel={onClose} busy={busy} type="submit" form="app-action-form" disabled={!ready || busy}>
          {kind === 'revoke'
            ? t('subjects.apps.revoke')
            : kind === 'narrow'
              ? t('subjects.apps.narrow')
              : t('subjects.apps.forget')}
        </CancelAndConfirm>
      }
    >
      <form
        id="app-action-form"
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (!ready || busy) return;
          action.mutate(
            kind === 'narrow'
              ? { kind, clientId: app.clientId, reason, scopes: keep }
              : { kind, clientId: app.clientId, reason },
          );
        }}
      >
        <p className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100">
          {kind === 'revoke'
            ? t('subjects.apps.revokeWhat', { count: tokens, client, subject })
            : kind === 'narrow'
              ? t('subjects.apps.narrowWhat', { count: tokens, client, subject })
              : t('subjects.apps.forgetWhat', { client, subject })}
        </p>
        {kind === 'narrow' && (
          <fieldset className="space-y-1">
            <legend className="text-xs font-medium text-zinc-700 dark:text-zinc-300">{t('subjects.apps.keep')}</legend>
            {app.scopes.map((scope) => (
              <label key={scope} className="flex items-center gap-2 font-mono text-sm break-all">
                <input
                  type="checkbox"
                  checked={keep.includes(scope)}
                  disabled={busy}
                  onChange={(event) =>
                    setKeep((current) =>
                      event.target.checked
                        ? app.scopes.filter((s) => s === scope || current.includes(s))
                        : current.filter((s) => s !== scope),
                    )
                  }
                />
                {scope}
              </label>
            ))}
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-2 text-xs">
              <dt className="font-medium">{t('subjects.apps.before')}</dt>
              <dd className="font-mono break-all">{app.scopes.join(' ')}</dd>
              <dt className="font-medium">{t('subjects.apps.after')}</dt>
              <dd className="font-mono break-all">{keep.length > 0 ? keep.join(' ') : t('subjects.apps.noScopes')}</dd>
            </dl>
          </fieldset>
        )}
        {action.isError && <ErrorState error={action.error} title={t('subjects.apps.failed')} />}
        <ReasonField
          required
          value={reason}
          onChange={setReason}
          disabled={busy}
          placeholder={t('subjects.revokeAll.reasonPlaceholder')}
        />
      </form>
    </Dialog>
  );
}
