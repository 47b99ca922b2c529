'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { Client, TokenStatusFilter } from '@/lib/schemas';
import { buttonClass, filterLabelClass, inputClass } from '@/components/ui/button';
import { ClientSelect } from './client-select';
import { defaultTokenListParams, withFilters, type TokenListParams } from './list-params';

interface TokenFiltersProps {
  params: TokenListParams;
  onChange: (next: TokenListParams) => void;
  clients: readonly Client[];
  clientsLoading: boolean;
}

const statusLabels = {
  valid: 'tokens.status.valid',
  expired: 'tokens.status.expired',
  all: 'tokens.status.all',
} as const satisfies Record<TokenStatusFilter, string>;

/**
 * Subject (applied on Enter or "Apply", so typing does not flood history), client and status
 * (applied at once). Every change becomes a URL, so a filtered view can be shared.
 */
export function TokenFilters({ params, onChange, clients, clientsLoading }: TokenFiltersProps) {
  const t = useTranslations();
  const [subject, setSubject] = useState(params.subject);
  // Back/forward changes the URL under us: follow it (React's "adjust state on prop change" pattern).
  const [shownSubject, setShownSubject] = useState(params.subject);
  if (shownSubject !== params.subject) {
    setShownSubject(params.subject);
    setSubject(params.subject);
  }
  const filtered = params.subject !== '' || params.clientId !== '' || params.status !== defaultTokenListParams.status;

  return (
    <form
      role="search"
      aria-label={t('tokens.filters.label')}
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        onChange(withFilters(params, { subject: subject.trim() }));
      }}
    >
      <label className={filterLabelClass}>
        {t('tokens.filters.subject')}
        <input
          type="search"
          name="subject"
          value={subject}
          onChange={(event) => setSubject(event.target.value)}
          placeholder={t('tokens.filters.subjectPlaceholder')}
          maxLength={100}
          autoComplete="off"
          spellCheck={false}
          className={`${inputClass} w-56`}
        />
      </label>
      <label className={filterLabelClass}>
        {t('tokens.filters.client')}
        <ClientSelect
          name="clientId"
          clients={clients}
          loading={clientsLoading}
          emptyLabel={t('tokens.filters.allClients')}
          value={params.clientId}
          onChange={(event) => onChange(withFilters(params, { subject: subject.trim(), clientId: event.target.value }))}
          className="w-64"
        />
      </label>
      <label className={filterLabelClass}>
        {t('tokens.filters.status')}
        <select
          name="status"
          value={params.status}
          onChange={(event) =>
            onChange(withFilters(params, { subject: subject.trim(), status: event.target.value as TokenStatusFilter }))
          }
          className={inputClass}
        >
          {Object.entries(statusLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {t(label)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={buttonClass('primary')}>
        {t('tokens.filters.apply')}
      </button>
      {filtered && (
        <button
          type="button"
          className={buttonClass('ghost')}
          onClick={() => onChange({ ...defaultTokenListParams, pageSize: params.pageSize })}
        >
          {t('tokens.filters.clear')}
        </button>
      )}
    </form>
  );
}
