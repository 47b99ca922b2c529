'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '@/lib/api-client';
import { SUBJECT_CHUNK_SIZE, type RevokeJob, type RevokeQueryInput } from '@/lib/schemas/incident';
import { useInvalidateClients } from './clients';
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
export function useRevokeJobs(service: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: incidentKeys.list(service),
    queryFn: ({ signal }) => api.request<{ jobs: RevokeJob[] }>('GET', base(service), { signal }),
    refetchInterval: (query) => (query.state.data?.jobs.some(moving) ? JOB_PROGRESS_INTERVAL_MS : false),
  });
}

function useJobMutation<V>(service: string, send: (vars: V) => Promise<RevokeJob>, after?: (job: RevokeJob) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (job) => {
      queryClient.setQueryData(incidentKeys.detail(service, job.id), job);
      void queryClient.invalidateQueries({ queryKey: incidentKeys.list(service) });
      after?.(job);
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

/**
 * Drafts a job for a subject list (and optional clients), sends the subjects in chunks with
 * progress (`uploaded`), then starts its preview. A chunk sent twice is stored once.
 */
export function useSubjectListRevocation(service: string) {
  const [uploaded, setUploaded] = useState(0);
  const mutation = useJobMutation(
    service,
    async ({ subjects, clientIds }: { subjects: string[]; clientIds: string[] }) => {
      setUploaded(0);
      const draft = await api.request<RevokeJob>('POST', base(service), {
        body: { query: { subjectList: true, clientIds } },
      });
      for (let seq = 0; seq * SUBJECT_CHUNK_SIZE < subjects.length; seq++) {
        const chunk = subjects.slice(seq * SUBJECT_CHUNK_SIZE, (seq + 1) * SUBJECT_CHUNK_SIZE);
        await api.request('POST', `${jobPath(service, draft.id)}/subjects`, { body: { seq, subjects: chunk } });
        setUploaded((done) => done + chunk.length);
      }
      return api.request<RevokeJob>('POST', `${jobPath(service, draft.id)}/preview`, { body: {} });
    },
  );
  return { ...mutation, uploaded };
}

/** Starts a previewed job with its digest, the count typed back, a reason and a ticket. */
export function useStartRevocation(service: string) {
  const invalidateClients = useInvalidateClients();
  return useJobMutation(
    service,
    ({ job, ...input }: { job: RevokeJob; confirmation: string; reason: string; ticket: string }) =>
      api.request<RevokeJob>('POST', `${jobPath(service, job.id)}/start`, {
        body: { query: job.query, digest: job.preview?.digest ?? '', ...input },
      }),
    // The kill switch locks its clients first: their badges change.
    (job) => {
      if (job.query.lockClients) void invalidateClients();
    },
  );
}

/** Unlocks a client the kill switch locked (with a reason): it may get tokens again. */
export function useUnlockClient(service: string) {
  const invalidateClients = useInvalidateClients();
  return useMutation({
    // `name` is only for saying what was unlocked once it is done.
    mutationFn: ({ clientId, reason }: { clientId: string; reason: string; name: string }) =>
      api.request(
        'DELETE',
        `/api/s/${encodeURIComponent(service)}/incidents/clients/${encodeURIComponent(clientId)}/lock`,
        {
          body: { reason },
        },
      ),
    onSuccess: () => invalidateClients(),
  });
}

/** Pause, resume or cancel. */
export function useControlRevocation(service: string) {
  return useJobMutation(service, ({ id, action }: { id: string; action: 'pause' | 'resume' | 'cancel' }) =>
    api.request<RevokeJob>('POST', `${jobPath(service, id)}/control`, { body: { action } }),
  );
}
