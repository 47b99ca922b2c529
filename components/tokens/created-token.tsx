'use client';

import { ServiceLink } from '@/components/shell/service-link';
import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import type { TokenCreated } from '@/lib/schemas';
import { buttonClass } from '@/components/ui/button';
import { SecretValue } from '@/components/ui/secret-value';
import { Time } from '@/components/ui/time';
import { clientLabel, useClients } from '@/components/data/clients';
import { subjectHref } from './token-cells';

/**
 * The one and only time token values are visible. They live in the create form's mutation state
 * (useCreateToken, dropped when the form unmounts) and nowhere else (no query cache, no storage, no
 * logs); leaving the page forgets them.
 */
export function CreatedToken({ created, onCreateAnother }: { created: TokenCreated; onCreateAnother: () => void }) {
  const t = useTranslations();
  // Closing the tab by accident would lose the values for good: ask first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const clients = useClients();
  const { token } = created;
  return (
    <section
      aria-labelledby="created-title"
      className="max-w-3xl space-y-4 rounded-md border border-emerald-300 bg-emerald-50/60 p-5 dark:border-emerald-800 dark:bg-emerald-950/30"
    >
      <h2 id="created-title" className="text-lg font-semibold">
        {t('tokens.created.title')}
      </h2>
      <p
        role="alert"
        className="rounded-md bg-amber-100 p-3 text-sm font-medium text-amber-950 dark:bg-amber-900/60 dark:text-amber-50"
      >
        {t('tokens.created.copyNow')}
      </p>
      <SecretValue id="created-access-token" label={t('tokens.created.accessToken')} value={created.accessToken} />
      {created.refreshToken && (
        <SecretValue id="created-refresh-token" label={t('tokens.created.refreshToken')} value={created.refreshToken} />
      )}
      <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
        <dt className="text-zinc-500 dark:text-zinc-400">{t('tokens.created.accessTokenHash')}</dt>
        <dd className="font-mono text-xs break-all">{token.accessTokenHash}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">{t('tokens.table.client')}</dt>
        <dd>{clientLabel(token.clientId, clients.byId.get(token.clientId))}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">{t('tokens.table.subject')}</dt>
        <dd>{token.subject ?? t('tokens.cells.none')}</dd>
        <dt className="text-zinc-500 dark:text-zinc-400">{t('tokens.created.accessTokenExpires')}</dt>
        <dd>
          {token.accessTokenExpiresAt === 0 ? (
            t('tokens.cells.never')
          ) : (
            <Time ms={token.accessTokenExpiresAt} layout="inline" />
          )}
        </dd>
        <dt className="text-zinc-500 dark:text-zinc-400">{t('tokens.table.scopes')}</dt>
        <dd className="font-mono text-xs">{token.scopes.join(' ') || t('tokens.cells.none')}</dd>
      </dl>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonClass('primary')} onClick={onCreateAnother}>
          {t('tokens.created.another')}
        </button>
        {token.subject && (
          <ServiceLink href={subjectHref(token.subject)} className={buttonClass('secondary')}>
            {t('tokens.created.viewSubject', { subject: token.subject })}
          </ServiceLink>
        )}
        <ServiceLink href="/tokens" className={buttonClass('ghost')}>
          {t('common.notAllowed.backToTokens')}
        </ServiceLink>
      </div>
    </section>
  );
}
