'use client';

import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { JobDetailResponse } from '@/lib/schemas/issue-job';
import { jobQueryKeys, jobsApiFor } from './jobs-api';
import { useServiceSlug } from './service';

/**
 * The job pages' data. The server's job workers move a job along (they ask Authlete how each
 * batch request went); the page only reads the job again while something is moving: one polling
 * mechanism, TanStack Query's `refetchInterval`.
 */
export const JOB_PROGRESS_INTERVAL_MS = 1_000;

export function useJobList(page: number, pageSize: number) {
  const jobsApi = jobsApiFor(useServiceSlug());
  return useQuery({
    queryKey: jobQueryKeys.list(page, pageSize),
    queryFn: ({ signal }) => jobsApi.list(page, pageSize, signal),
    placeholderData: keepPreviousData,
  });
}

/**
 * One job, read again every second while `follow(detail)` says it is moving (or before the first
 * answer); `enabled: false` until there is a job to read.
 */
export function useJobDetail(
  jobId: string | undefined,
  { follow, enabled = true }: { follow: (detail: JobDetailResponse | undefined) => boolean; enabled?: boolean },
) {
  const jobsApi = jobsApiFor(useServiceSlug());
  return useQuery({
    queryKey: jobQueryKeys.detail(jobId ?? 'none'),
    queryFn: ({ signal }) => jobsApi.get(jobId!, signal),
    enabled: enabled && jobId !== undefined,
    refetchInterval: (query) => (follow(query.state.data) ? JOB_PROGRESS_INTERVAL_MS : false),
  });
}

/** Reads one job again now (after the page itself moved it along). */
export function useRefreshJob(jobId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: jobQueryKeys.detail(jobId) });
}
