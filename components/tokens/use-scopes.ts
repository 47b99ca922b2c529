'use client';

import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** The service's supported scopes, for pickers; they change rarely. */
export function useScopes() {
  return useQuery({
    queryKey: queryKeys.scopes.all,
    queryFn: ({ signal }) => api.listScopes(signal),
    staleTime: 5 * 60_000,
  });
}
