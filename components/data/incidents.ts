'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { RevokeJob, RevokeQueryInput } from '@/lib/schemas/incident';
import { JOB_PROGRESS_INTERVAL_MS } from './jobs';

const incidentKeys = {
  list: (service: string) => ['incidents', service, 'list'] as const,
  detail: (service: string, id: string) => ['incidents', service, 'detail', id] as const,
};

const base = (service: string) => `/api/s/${encodeURIComponent(service)}/incidents/revocations`;
const jobPath = (service: string, id: string) => `${base(service)}/${encodeURIComponent(id)}`;

/** The per-item report of a job (a plain link: the browser saves it as it streams). */
export const revokeReportHref = (service: string, id: string) => `${jobPath(service, id)}/report`;

const moving = (job: RevokeJob) => job.state === 'scanning' || job.state === 'running';

/** One revocation job, read again every second while it scans or runs. */
export function useRevokeJob(service: string, id: string | null) {
  return useQuery({
    queryKey: incidentKeys.detail(service, id ?? 'none'),
    queryFn: ({ signal }) => api.request<RevokeJob>('GET', jobPath(service, id!), { signal }),
    enabled: id !== null,
    refetchInterval: (query) => (!query.state.data || moving(query.state.data) ? JOB_PROGRESS_INTERVAL_MS : false),
  });
}

/** The service's revocation jobs (history), asked again while one moves. */
export function useRevokeJobs(service: string) {
  return useQuery({
    queryKey: incidentKeys.list(service),
    queryFn: ({ signal }) => api.request<{ jobs: RevokeJob[] }>('GET', base(service), { signal }),
    refetchInterval: (query) => (query.state.data?.jobs.some(moving) ? JOB_PROGRESS_INTERVAL_MS : false),
  });
}

function useJobMutation<V>(service: string, send: (vars: V) => Promise<RevokeJob>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (job) => {
      queryClient.setQueryData(incidentKeys.detail(service, job.id), job);
      void queryClient.invalidateQueries({ queryKey: incidentKeys.list(service) });
    },
  });
}

/** Drafts a job for the query and starts its preview. */
export function usePreviewRevocation(service: string) {
  return useJobMutation(service, async (query: RevokeQueryInput) => {
    const draft = await api.request<RevokeJob>('POST', base(service), { body: { query } });
    return api.request<RevokeJob>('POST', `${jobPath(service, draft.id)}/preview`, { body: {} });
  });
}

/** Starts a previewed job with its digest, the count typed back, a reason and a ticket. */
export function useStartRevocation(service: string) {
  return useJobMutation(
    service,
    ({ job, ...input }: { job: RevokeJob; confirmation: string; reason: string; ticket: string }) =>
      api.request<RevokeJob>('POST', `${jobPath(service, job.id)}/start`, {
        body: { query: job.query, digest: job.preview?.digest ?? '', ...input },
      }),
  );
}

/** Pause, resume or cancel. */
export function useControlRevocation(service: string) {
  return useJobMutation(service, ({ id, action }: { id: string; action: 'pause' | 'resume' | 'cancel' }) =>
    api.request<RevokeJob>('POST', `${jobPath(service, id)}/control`, { body: { action } }),
  );
}
