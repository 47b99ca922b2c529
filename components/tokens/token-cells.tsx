'use client';

import { ServiceLink } from '@/components/shell/service-link';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { shortHash } from '@/lib/format';
import type { Client, Token } from '@/lib/schemas';
import { CopyButton } from '@/components/ui/copy-button';
import { Time } from '@/components/ui/time';
import { accessExpiry, daysBeforeSweep, refreshExpiry, staleDays, SWEEP_AFTER_DAYS, type Expiry } from './token-status';

export function subjectHref(subject: string): `/${string}` {
  return `/subjects/${encodeURIComponent(subject)}`;
}

export function SubjectCell({ subject }: { subject?: string }) {
  const t = useTranslations();
  if (!subject) return <span className="text-zinc-500 italic dark:text-zinc-400">{t('tokens.cells.noUser')}</span>;
  return (
    <ServiceLink
      href={subjectHref(subject)}
      className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
    >
      {subject}
    </ServiceLink>
  );
}

/** A client Authlete issues no new tokens to (the incident kill switch), wherever the client is named. */
export function LockedBadge() {
  const t = useTranslations();
  return (
    <span className="ml-1 inline-block rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
      {t('tokens.cells.locked')}
    </span>
  );
}

export function ClientCell({ clientId, client }: { clientId: string; client?: Client }) {
  const t = useTranslations();
  return (
    <span className="flex max-w-[11rem] flex-col leading-tight">
      <span>
        {client?.clientName || client?.clientIdAlias || t('tokens.cells.unnamedClient')}
        {client?.locked && <LockedBadge />}
      </span>
      <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{clientId}</span>
    </span>
  );
}

/** The first scopes, and a disclosure button for the rest (reachable by keyboard and touch, not only hover). */
export function ScopesCell({ scopes, max = 2 }: { scopes: readonly string[]; max?: number }) {
  const t = useTranslations();
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  if (scopes.length === 0) return <span className="text-zinc-500 dark:text-zinc-400">{t('tokens.cells.none')}</span>;
  const shown = expanded ? scopes : scopes.slice(0, max);
  return (
    <span id={listId} className="flex max-w-[10rem] flex-wrap gap-1">
      {shown.map((scope) => (
        <span
          key={scope}
          className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs break-all text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
        >
          {scope}
        </span>
      ))}
      {scopes.length > max && (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded(!expanded)}
          className="rounded px-1 text-xs font-medium whitespace-nowrap text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
        >
          {expanded
            ? t.rich('tokens.cells.fewerScopes', { sr: (chunks) => <span className="sr-only">{chunks}</span> })
            : t.rich('tokens.cells.moreScopes', {
                count: scopes.length - max,
                sr: (chunks) => <span className="sr-only">{chunks}</span>,
              })}
        </button>
      )}
    </span>
  );
}

const expiredBadge =
  'rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200';
const neutralBadge =
  'rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300';

/** An expiry as a table cell: a "never" badge, or the time, marked when it has passed. */
function ExpiryCell({ expiry }: { expiry: Expiry }) {
  const t = useTranslations();
  if (expiry.state === 'never') return <span className={neutralBadge}>{t('tokens.cells.never')}</span>;
  if (expiry.state === 'expired') {
    return (
      <span className="flex flex-col items-start gap-0.5">
        <span className={expiredBadge}>{t('tokens.cells.expired')}</span>
        <Time ms={expiry.at} />
      </span>
    );
  }
  return <Time ms={expiry.at} />;
}

export function AccessExpiryCell({ token }: { token: Pick<Token, 'accessTokenExpiresAt'> }) {
  return <ExpiryCell expiry={accessExpiry(token)} />;
}

export function RefreshExpiryCell({ token }: { token: Pick<Token, 'refreshTokenExpiresAt' | 'refreshTokenHash'> }) {
  const t = useTranslations();
  const expiry = refreshExpiry(token);
  if (!expiry) return <span className="text-zinc-500 dark:text-zinc-400">{t('tokens.cells.none')}</span>;
  return <ExpiryCell expiry={expiry} />;
}

/** Last refresh, with a stale marker when Authlete's 90-day sweep is getting close. */
export function LastRefreshedCell({ token }: { token: Pick<Token, 'createdAt' | 'lastRefreshedAt'> }) {
  const t = useTranslations();
  const days = staleDays(token);
  const left = days === null ? 0 : daysBeforeSweep(days);
  const explanation =
    days === null
      ? ''
      : left > 0
        ? t('tokens.cells.staleSoon', { days, sweep: SWEEP_AFTER_DAYS, left })
        : t('tokens.cells.staleAnyTime', { days, sweep: SWEEP_AFTER_DAYS });
  return (
    <span className="flex flex-col items-start gap-0.5">
      {token.lastRefreshedAt > 0 ? (
        <Time ms={token.lastRefreshedAt} />
      ) : (
        <span className="text-zinc-500 dark:text-zinc-400">{t('tokens.cells.notRefreshed')}</span>
      )}
      {days !== null && (
        <span
          title={explanation}
          className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium whitespace-nowrap text-amber-900 dark:bg-amber-900/50 dark:text-amber-100"
        >
          {t('tokens.cells.stale', { days })}
          <span className="sr-only">. {explanation}</span>
        </span>
      )}
    </span>
  );
}

/** The short hash, a link to the token's page, and a button that copies the whole hash. */
export function HashCell({ token }: { token: Pick<Token, 'accessTokenHash' | 'subject' | 'clientId'> }) {
  const t = useTranslations();
  const hash = token.accessTokenHash;
  return (
    <span className="flex items-center gap-1">
      <ServiceLink
        href={tokenHref(token)}
        title={hash}
        aria-label={t('tokens.cells.openToken', { hash: shortHash(hash) })}
        className="text-indigo-700 hover:underline dark:text-indigo-300"
      >
        <code className="font-mono text-xs">{shortHash(hash)}</code>
      </ServiceLink>
      <CopyButton value={hash} label={t('tokens.cells.hashOf', { hash: shortHash(hash) })} />
    </span>
  );
}

/** A token's page; its subject and client narrow the server's search (Authlete cannot read by hash). */
export function tokenHref(token: Pick<Token, 'accessTokenHash' | 'subject' | 'clientId'>): `/${string}` {
  const hint = new URLSearchParams({ ...(token.subject ? { subject: token.subject } : {}), clientId: token.clientId });
  return `/tokens/${encodeURIComponent(token.accessTokenHash)}?${hint.toString()}`;
}
