'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Approval, ApprovalList } from '@/lib/schemas/approval';
import { serviceApiPath } from '@/lib/service-paths';
import { useServiceSlug } from './service';

const approvalKeys = { list: (service: string) => ['approvals', service] as const };

/** The service's four-eyes requests and how many wait for this person's decision (the nav badge). */
export function useApprovals() {
  const service = useServiceSlug();
  return useQuery({
    queryKey: approvalKeys.list(service),
    queryFn: ({ signal }) => api.request<ApprovalList>('GET', serviceApiPath(service, '/approvals'), { signal }),
    // New requests from other people show up in the badge without a reload.
    refetchInterval: 60_000,
  });
}

/** Approves or rejects another person's request (step-up may be asked first, by the API client). */
export function useDecideApproval() {
  const service = useServiceSlug();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: string; decision: 'approve' | 'reject'; note?: string }) =>
      api.request<{ approval: Approval }>(
        'POST',
        serviceApiPath(service, `/approvals/${encodeURIComponent(id)}/${decision}`),
        { body: note ? { note } : {} },
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: approvalKeys.list(service) }),
  });
}
