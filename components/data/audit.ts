'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { serviceApiPath } from '@/lib/service-paths';
import type { AuditChainStatus, AuditListResponse } from '@/lib/schemas/audit';
import type { AuditQuery } from '@/components/audit/audit-params';
import { withoutEmptyFilters } from './filters';
import { useServiceSlug } from './service';

const auditKeys = {
  list: (query: AuditQuery) => ['audit', 'list', withoutEmptyFilters(query)] as const,
};

/** One page of one service's audit log (`GET /api/s/{service}/audit`), outside the cache (the export reads each page once). */
export function fetchAuditPage(service: string, query: AuditQuery, signal?: AbortSignal): Promise<AuditListResponse> {
  return api.request<AuditListResponse>('GET', serviceApiPath(service, '/audit'), { query: { ...query }, signal });
}

/** One page of the audit log; the previous page stays on screen while the next one loads. */
export function useAuditList(query: AuditQuery) {
  const service = useServiceSlug();
  return useQuery({
    queryKey: auditKeys.list(query),
    queryFn: ({ signal }) => fetchAuditPage(service, query, signal),
    placeholderData: keepPreviousData,
  });
}

/** The audit chain's verification and the audit sinks' state (`GET /api/s/{service}/audit/chain`): run on demand, never from the cache. */
export function useAuditChain() {
  const service = useServiceSlug();
  return useQuery({
    queryKey: ['audit', 'chain', service] as const,
    queryFn: ({ signal }) => api.request<AuditChainStatus>('GET', serviceApiPath(service, '/audit/chain'), { signal }),
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}
