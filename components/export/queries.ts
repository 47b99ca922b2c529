'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { ExportJob, ExportKind, ExportListResponse } from '@/lib/schemas/export';
import { nextPollDelay } from '@/components/batch/polling';

const exportPath = (id: string) => `/api/exports/${encodeURIComponent(id)}`;

/** Where the finished file is downloaded from (a plain link: the browser saves it as it streams). */
export const exportDownloadHref = (id: string) => `${exportPath(id)}/download`;

const unfinished = (job: ExportJob) => job.state === 'queued' || job.state === 'running';

/** One export, asked again (1 s growing to 10 s) until it has finished. */
export function useExport(id: string | null) {
  return useQuery({
    queryKey: queryKeys.exports.detail(id ?? 'none'),
    queryFn: ({ signal }) => api.request<{ export: ExportJob }>('GET', exportPath(id!), { signal }),
    enabled: id !== null,
    select: (data) => data.export,
    refetchInterval: (query) => {
      const job = query.state.data?.export;
      return !job || unfinished(job) ? nextPollDelay(query.state.dataUpdateCount) : false;
    },
  });
}

/** The person's exports (an admin's: everyone's), asked again while one is running. */
export function useExports() {
  return useQuery({
    queryKey: queryKeys.exports.list(),
    queryFn: ({ signal }) => api.request<ExportListResponse>('GET', '/api/exports', { signal }),
    refetchInterval: (query) =>
      query.state.data?.exports.some(unfinished) ? nextPollDelay(query.state.dataUpdateCount) : false,
  });
}

/** Starts an export job of `kind` for the list page's filters (the server validates them); the list of exports is refreshed. */
export function useStartExport(kind: ExportKind) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (filter: Record<string, string | number | undefined>) =>
      api.request<{ export: ExportJob }>('POST', `/api/exports/${kind}`, { body: filter }).then((data) => data.export),
    onSuccess: (job) => {
      queryClient.setQueryData(queryKeys.exports.detail(job.id), { export: job });
      void queryClient.invalidateQueries({ queryKey: queryKeys.exports.list() });
    },
  });
}
