'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '@/lib/api-client';
import type {
  OffboardStartRequest,
  AppActionResult,
  AuditListResponse,
  AuthorizedAppList,
  OffboardJob,
  OffboardPreview,
} from '@/lib/schemas';
import { JOB_PROGRESS_INTERVAL_MS } from './jobs';
import { tokenKeys } from './tokens';

/** One person's authorized apps and activity, per service. */
export const appKeys = {
  all: ['apps'] as const,
  list: (service: string, subject: string) => ['apps', service, subject] as const,
  activity: (service: string, subject: string, page: number) => ['apps', service, subject, 'activity', page] as const,
};

/** One person's offboarding: its preview, their jobs, one job. */
const offboardKeys = {
  preview: (service: string, subject: string) => ['offboard', service, subject, 'preview'] as const,
  list: (service: string, subject: string) => ['offboard', service, subject, 'jobs'] as const,
  job: (service: string, subject: string, jobId: string) => ['offboard', service, subject, 'job', jobId] as const,
  /** Every person's, for the Jobs page. */
  recent: (service: string, page: number) => ['offboard', service, 'recent', page] as const,
};

const subjectPath = (service: string, subject: string) =>
  `/api/s/${encodeURIComponent(service)}/subjects/${encodeURIComponent(subject)}`;
const appPath = (service: string, subject: string, clientId: string) =>
  `${subjectPath(service, subject)}/apps/${encodeURIComponent(clientId)}`;

export function useAuthorizedApps(service: string, subject: string) {
  return useQuery({
    queryKey: appKeys.list(service, subject),
    queryFn: ({ signal }) => api.request<AuthorizedAppList>('GET', `${subjectPath(service, subject)}/apps`, { signal }),
  });
}

/** The person's audit entries (tokens, apps, consent), newest first. */
export function useSubjectActivity(service: string, subject: string, page: number) {
  return useQuery({
    queryKey: appKeys.activity(service, subject, page),
    queryFn: ({ signal }) =>
      api.request<AuditListResponse>('GET', `${subjectPath(service, subject)}/activity`, {
        query: { page: String(page), pageSize: '20' },
        signal,
      }),
  });
}

/** After an app action: the apps, the person's tokens and their timeline are all refetched. */
function useInvalidateApps(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: appKeys.all }),
      queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
    ]);
  }, [queryClient]);
}

export type AppAction =
  | { kind: 'revoke'; clientId: string; reason: string }
  | { kind: 'forget'; clientId: string; reason: string }
  | { kind: 'narrow'; clientId: string; reason: string; scopes: string[] };

/** Revoke an app, forget its consent, or narrow its scopes; answers what Authlete reported. */
export function useAppAction(service: string, subject: string) {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: (action: AppAction): Promise<AppActionResult> => {
      const path = appPath(service, subject, action.clientId);
      const reason = action.reason.trim();
      switch (action.kind) {
        case 'revoke':
          return api.request('POST', `${path}/revoke`, { body: { reason } });
        case 'forget':
          return api.request('POST', `${path}/forget-consent`, { body: { reason } });
        case 'narrow':
          return api.request('POST', `${path}/narrow`, { body: { reason, scopes: action.scopes } });
      }
    },
    onSuccess: () => void invalidate(),
  });
}

const offboardPath = (service: string, subject: string) => `${subjectPath(service, subject)}/offboard`;
const offboardJobPath = (service: string, subject: string, jobId: string) =>
  `${offboardPath(service, subject)}/${encodeURIComponent(jobId)}`;

/** An offboarding still moving (queued or running): its queries are read again every second. */
export const offboardMoving = (job: OffboardJob | undefined) => job?.state === 'queued' || job?.state === 'running';

/** What offboarding would remove (tokens per client, consent records) and the digest to start it with. */
export function useOffboardPreview(service: string, subject: string) {
  return useQuery({
    queryKey: offboardKeys.preview(service, subject),
    queryFn: ({ signal }) => api.request<OffboardPreview>('GET', offboardPath(service, subject), { signal }),
    staleTime: 0,
  });
}

/** The person's newest offboardings (a running one found again after a reload), read again while one moves. */
export function useOffboardings(service: string, subject: string) {
  return useQuery({
    queryKey: offboardKeys.list(service, subject),
    queryFn: ({ signal }) =>
      api.request<{ jobs: OffboardJob[] }>('GET', `${subjectPath(service, subject)}/offboardings`, { signal }),
    refetchInterval: (query) => (query.state.data?.jobs.some(offboardMoving) ? JOB_PROGRESS_INTERVAL_MS : false),
  });
}

/** The service's offboardings, newest first (the Jobs page), read again while one moves. */
export function useRecentOffboardings(service: string, page: number) {
  return useQuery({
    queryKey: offboardKeys.recent(service, page),
    queryFn: ({ signal }) =>
      api.request<{ jobs: OffboardJob[]; totalCount: number }>(
        'GET',
        `/api/s/${encodeURIComponent(service)}/offboardings`,
        { query: { page: String(page), pageSize: '10' }, signal },
      ),
    refetchInterval: (query) => (query.state.data?.jobs.some(offboardMoving) ? JOB_PROGRESS_INTERVAL_MS : false),
  });
}

/** One offboarding job, read again every second while it is queued or running. */
export function useOffboardJob(service: string, subject: string, jobId: string | null) {
  return useQuery({
    queryKey: offboardKeys.job(service, subject, jobId ?? 'none'),
    queryFn: ({ signal }) =>
      api
        .request<{ job: OffboardJob }>('GET', offboardJobPath(service, subject, jobId!), { signal })
        .then((answer) => answer.job),
    enabled: jobId !== null,
    refetchInterval: (query) =>
      !query.state.data || offboardMoving(query.state.data) ? JOB_PROGRESS_INTERVAL_MS : false,
  });
}

/** When an offboarding has ended: the person's apps, tokens, timeline and offboardings are read again. */
export function useOffboardEnded(service: string, subject: string): () => Promise<void> {
  const queryClient = useQueryClient();
  const invalidateApps = useInvalidateApps();
  return useCallback(async () => {
    await Promise.all([
      invalidateApps(),
      queryClient.invalidateQueries({ queryKey: offboardKeys.list(service, subject) }),
    ]);
  }, [invalidateApps, queryClient, service, subject]);
}

function useOffboardMutation<V>(service: string, subject: string, send: (vars: V) => Promise<{ job: OffboardJob }>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (vars: V) => send(vars).then((answer) => answer.job),
    onSuccess: (job) => {
      queryClient.setQueryData(offboardKeys.job(service, subject, job.id), job);
      void queryClient.invalidateQueries({ queryKey: offboardKeys.list(service, subject) });
    },
    // A changed preview (409) is shown again: the person confirms what is there now.
    onError: () => void queryClient.invalidateQueries({ queryKey: offboardKeys.preview(service, subject) }),
  });
}

/** Starts offboarding: the subject typed back, a reason (with the ticket), the digest of the preview shown. */
export function useStartOffboarding(service: string, subject: string) {
  return useOffboardMutation(service, subject, (input: OffboardStartRequest) =>
    api.request<{ job: OffboardJob }>('POST', offboardPath(service, subject), { body: input }),
  );
}

/** Runs the failed parts of an offboarding again. */
export function useRetryOffboarding(service: string, subject: string) {
  return useOffboardMutation(service, subject, (jobId: string) =>
    api.request<{ job: OffboardJob }>('POST', `${offboardJobPath(service, subject, jobId)}/retry`),
  );
}
