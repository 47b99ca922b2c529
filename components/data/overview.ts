'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useServiceApi } from './service';

const overviewKeys = {
  counts: ['overview', 'counts'] as const,
  services: ['overview', 'services'] as const,
  trends: (days: number) => ['overview', 'trends', days] as const,
};

/** Per-client token counts (two Authlete calls per client), kept for a minute between visits. */
export function useOverview() {
  const api = useServiceApi();
  return useQuery({
    queryKey: overviewKeys.counts,
    queryFn: ({ signal }) => api.overview(signal),
    staleTime: 60_000,
  });
}

/** Every configured service's health and token total (one count call per service). */
export function useServiceStatuses() {
  const api = useServiceApi();
  return useQuery({
    queryKey: overviewKeys.services,
    queryFn: ({ signal }) => api.services(signal),
    staleTime: 30_000,
  });
}

/** The daily snapshots over the last `days` days (from the database: no Authlete call). */
export function useOverviewTrends(days: number) {
  const api = useServiceApi();
  return useQuery({
    queryKey: overviewKeys.trends(days),
    queryFn: ({ signal }) => api.overviewTrends(days, signal),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
    // Before the first snapshot of a fresh install (taken minutes after the start): look again.
    refetchInterval: (query) => (query.state.data?.latestCountedAt === null ? 10_000 : false),
  });
}
