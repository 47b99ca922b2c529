'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { serviceApiPath } from '@/lib/service-paths';
import type { WebhookDeliveriesQuery, WebhookDelivery, WebhookEndpoint, WebhookEventType } from '@/lib/schemas/webhook';
import { useServiceSlug } from './service';

// Each service has its own query cache (components/data/service.tsx), so the keys need not name it.
const webhookKeys = {
  all: ['webhooks'] as const,
  list: ['webhooks', 'list'] as const,
  deliveries: (endpointId: string, query: WebhookDeliveriesQuery) =>
    ['webhooks', 'deliveries', endpointId, query] as const,
};

const base = (service: string) => serviceApiPath(service, '/webhooks');
const endpointPath = (service: string, endpointId: string) => `${base(service)}/${encodeURIComponent(endpointId)}`;

/** What an admin types for an endpoint: its address, a note, and the events it wants (none = all). */
export interface EndpointFields {
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
}

/** This service's endpoints, with their pending and failed deliveries (refreshed while some are pending). */
export function useWebhookEndpoints() {
  const service = useServiceSlug();
  return useQuery({
    queryKey: webhookKeys.list,
    queryFn: ({ signal }) => api.request<{ endpoints: WebhookEndpoint[] }>('GET', base(service), { signal }),
    refetchInterval: (query) => (query.state.data?.endpoints.some((endpoint) => endpoint.pending > 0) ? 3_000 : false),
  });
}

/** One endpoint's delivery log, a page at a time; polled while a delivery on the page is still pending. */
export function useWebhookDeliveries(endpointId: string, query: WebhookDeliveriesQuery) {
  const service = useServiceSlug();
  return useQuery({
    queryKey: webhookKeys.deliveries(endpointId, query),
    queryFn: ({ signal }) =>
      api.request<{ deliveries: WebhookDelivery[]; totalCount: number }>(
        'GET',
        `${endpointPath(service, endpointId)}/deliveries`,
        { query: { ...query }, signal },
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data?.deliveries.some((delivery) => delivery.state === 'pending') ? 3_000 : false,
  });
}

function useWebhookMutation<V, R>(send: (service: string, vars: V) => Promise<R>) {
  const service = useServiceSlug();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (vars: V) => send(service, vars),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

/** Registers an endpoint; the answer holds its secret, once (never kept in the query cache). */
export function useCreateWebhookEndpoint() {
  return useWebhookMutation((service, fields: EndpointFields) =>
    api.request<{ id: string; secret: string }>('POST', base(service), { body: fields }),
  );
}

/** Changes an endpoint's fields, or turns it on or off. */
export function useUpdateWebhookEndpoint() {
  return useWebhookMutation(
    (service, { endpointId, ...change }: Partial<EndpointFields> & { enabled?: boolean; endpointId: string }) =>
      api.request<{ endpoint: WebhookEndpoint }>('PATCH', endpointPath(service, endpointId), { body: change }),
  );
}

/** Removes an endpoint and its deliveries. */
export function useDeleteWebhookEndpoint() {
  return useWebhookMutation((service, endpointId: string) =>
    api.request<{ endpoint: WebhookEndpoint }>('DELETE', endpointPath(service, endpointId)),
  );
}

/** A new signing secret, in the answer only. */
export function useRotateWebhookSecret() {
  return useWebhookMutation((service, endpointId: string) =>
    api.request<{ secret: string }>('POST', `${endpointPath(service, endpointId)}/rotate`),
  );
}

/** Queues a signed test event to the endpoint. */
export function useSendWebhookTest() {
  return useWebhookMutation((service, endpointId: string) =>
    api.request<{ deliveryId: string }>('POST', `${endpointPath(service, endpointId)}/test`),
  );
}

/** Sends a delivery again under the same `webhook-id`. */
export function useRedeliverWebhook() {
  return useWebhookMutation((service, { endpointId, deliveryId }: { endpointId: string; deliveryId: string }) =>
    api.request<{ deliveryId: string }>(
      'POST',
      `${endpointPath(service, endpointId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
    ),
  );
}
