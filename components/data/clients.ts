'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useServiceApi } from './service';
import type { Client } from '@/lib/schemas';

const clientKeys = { all: ['clients'] as const };

const noClients: ReadonlyMap<string, Client> = new Map();

/** The service's clients (names for ids); they change rarely, so they are cached for minutes. */
export function useClients() {
  const api = useServiceApi();
  const query = useQuery({
    queryKey: clientKeys.all,
    queryFn: ({ signal }) => api.listClients(signal),
    staleTime: 5 * 60_000,
  });
  const byId = useMemo(
    () => (query.data ? new Map(query.data.clients.map((client) => [client.clientId, client])) : noClients),
    [query.data],
  );
  return { ...query, byId };
}

/** "Support App (26888344961664)" for pickers and dialogs. */
export function clientLabel(clientId: string, client?: Client): string {
  const name = client?.clientName || client?.clientIdAlias;
  return name ? `${name} (${clientId})` : clientId;
}

/** After a client is locked or unlocked: every client list and badge is read again. */
export function useInvalidateClients(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: clientKeys.all }), [queryClient]);
}
