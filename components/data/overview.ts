'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { api } from '@/lib/api-client';
import type { DiscoveredService, ManagedService, StoredServiceInput, StoredServiceUpdate } from '@/lib/schemas/service';
import { serviceApiPath } from '@/lib/service-paths';
import { useServiceApi, useServiceSlug } from './service';

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

const managedKeys = { all: ['managed-services'] as const };

interface ManagedServicesResponse {
  /** ENCRYPTION_KEY is set: services can be added in the app. */
  storable: boolean;
  services: ManagedService[];
}

export type ConnectionTestResult = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };

/** Every service an admin manages: the configuration's (read-only) and those stored in the app. */
export function useManagedServices() {
  const service = useServiceSlug();
  return useQuery({
    queryKey: managedKeys.all,
    queryFn: ({ signal }) =>
      api.request<ManagedServicesResponse>('GET', serviceApiPath(service, '/services/stored'), { signal }),
  });
}

/**
 * A change to the stored services: the lists refetch, and the server-rendered service switcher
 * is rendered again (router.refresh) so the new set shows at once.
 */
function useStoredServiceMutation<V, R>(send: (service: string, vars: V) => Promise<R>) {
  const service = useServiceSlug();
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: (vars: V) => send(service, vars),
    onSuccess: () => router.refresh(),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: managedKeys.all });
      await queryClient.invalidateQueries({ queryKey: overviewKeys.services });
    },
  });
}

const storedPath = (service: string, slug?: string) =>
  serviceApiPath(service, slug === undefined ? '/services/stored' : `/services/stored/${encodeURIComponent(slug)}`);

export function useCreateStoredService() {
  return useStoredServiceMutation((service, input: StoredServiceInput) =>
    api.request<{ service: ManagedService }>('POST', storedPath(service), { body: input }),
  );
}

export function useUpdateStoredService() {
  return useStoredServiceMutation((service, { slug, update }: { slug: string; update: StoredServiceUpdate }) =>
    api.request<{ service: ManagedService }>('PATCH', storedPath(service, slug), { body: update }),
  );
}

export function useDeleteStoredService() {
  return useStoredServiceMutation((service, slug: string) =>
    api.request<{ service: ManagedService }>('DELETE', storedPath(service, slug)),
  );
}

/** "Test connection": a new service as typed, or a stored one with an edit on top (blank credentials: the stored ones). */
export function useTestConnection() {
  const service = useServiceSlug();
  return useMutation({
    mutationFn: (vars: { input: StoredServiceInput } | { slug: string; update: StoredServiceUpdate }) =>
      'input' in vars
        ? api.request<ConnectionTestResult>('POST', serviceApiPath(service, '/services/connection-test'), {
            body: vars.input,
          })
        : api.request<ConnectionTestResult>('POST', `${storedPath(service, vars.slug)}/connection-test`, {
            body: vars.update,
          }),
  });
}

/** The services a 3.x organization token sees on a cluster (the token is used for this call only). */
export function useDiscoverServices() {
  const service = useServiceSlug();
  return useMutation({
    mutationFn: (body: { baseUrl: string; organizationToken: string }) =>
      api.request<{ services: DiscoveredService[] }>('POST', serviceApiPath(service, '/services/discover'), { body }),
  });
}
