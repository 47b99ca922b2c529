'use client';

import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

const scopeKeys = { all: ['scopes'] as const };

/** The service's supported scopes, for pickers; they change rarely. */
export function useScopes() {
  return useQuery({
    queryKey: scopeKeys.all,
    queryFn: ({ signal }) => api.listScopes(signal),
    staleTime: 5 * 60_000,
  });
}
