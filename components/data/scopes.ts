'use client';

import { useQuery } from '@tanstack/react-query';
import { useServiceApi } from './service';

const scopeKeys = { all: ['scopes'] as const };

/** The service's supported scopes, for pickers; they change rarely. */
export function useScopes() {
  const api = useServiceApi();
  return useQuery({
    queryKey: scopeKeys.all,
    queryFn: ({ signal }) => api.listScopes(signal),
    staleTime: 5 * 60_000,
  });
}
