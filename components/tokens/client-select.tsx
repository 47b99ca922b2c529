'use client';

import { useTranslations } from 'next-intl';
import type { Client } from '@/lib/schemas';
import { inputClass } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { clientLabel } from '@/components/data/clients';

interface ClientSelectProps extends Omit<React.SelectHTMLAttributes<HTMLSelectElement>, 'children'> {
  clients: readonly Client[];
  /** Label of the empty choice ("All clients", "Choose a client"). */
  emptyLabel: string;
  loading?: boolean;
}

/** A native select of the service's clients by name and id: keyboard type-ahead for free. */
export function ClientSelect({ clients, emptyLabel, loading, className, ...props }: ClientSelectProps) {
  const t = useTranslations();
  const sorted = [...clients].sort((a, b) => clientLabel(a.clientId, a).localeCompare(clientLabel(b.clientId, b)));
  // A client id from a shared link may not be in the list (yet); still show it as chosen.
  const value = typeof props.value === 'string' ? props.value : '';
  if (value && !sorted.some((client) => client.clientId === value)) sorted.unshift({ clientId: value });
  return (
    <select {...props} className={cx(inputClass, className)}>
      <option value="">{loading ? t('tokens.filters.loadingClients') : emptyLabel}</option>
      {sorted.map((client) => (
        <option key={client.clientId} value={client.clientId}>
          {clientLabel(client.clientId, client)}
          {'locked' in client && client.locked ? ` (${t('tokens.cells.locked')})` : ''}
        </option>
      ))}
    </select>
  );
}
