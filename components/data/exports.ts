'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { serviceApiPath } from '@/lib/service-paths';
import type { ExportJob, ExportKind, ExportListResponse } from '@/lib/schemas/export';
import { JOB_PROGRESS_INTERVAL_MS } from './jobs';
import { useServiceSlug } from './service';

const exportKeys = {
  list: () => ['exports', 'list'] as const,
  detail: (id: string) => ['exports', 'detail', id] as const,
};

const exportPath = (service: string, id: string) => serviceApiPath(service, `/exports/${encodeURIComponent(id)}`);

/** Where the finished file is downloaded from (a plain link: the browser saves it as it streams). */
export function useExportDownloadHref(): (id: string) => string {
  const service = useServiceSlug();
  return (id) => `${exportPath(service, id)}/download`;
}

const unfinished = (job: ExportJob) => job.state === 'queued' || job.state === 'running';

/** One export, read again every second until it has finished (the one polling mechanism of job pages). */
export function useExport(id: string | null) {
  const service = useServiceSlug();
  return useQuery({
    queryKey: exportKeys.detail(id ?? 'none'),
    queryFn: ({ signal }) => api.request<{ export: ExportJob }>('GET', exportPath(service, id!), { signal }),
    enabled: id !== null,
    select: (data) => data.export,
    refetchInterval: (query) => {
      const job = query.state.data?.export;
      return !job || unfinished(job) ? JOB_PROGRESS_INTERVAL_MS : false;
    },
  });
}

/** The person's exports (an admin's: everyone's), asked again while one is running. */
export function useExports() {
  const service = useServiceSlug();
  return useQuery({
    queryKey: exportKeys.list(),
    queryFn: ({ signal }) => api.request<ExportListResponse>('GET', serviceApiPath(service, '/exports'), { signal }),
    refetchInterval: (query) => (query.state.data?.exports.some(unfinished) ? JOB_PROGRESS_INTERVAL_MS : false),
  });
}

/** Starts an export job of `kind` for the list page's filters (the server validates them); the list of exports is refreshed. */
export function useStartExport(kind: ExportKind) {
  const queryClient = useQueryClient();
  const service = useServiceSlug();
  return useMutation({
    mutationFn: (filter: Record<string, string | number | undefined>) =>
      api
        .request<{ export: ExportJob }>('POST', serviceApiPath(service, `/exports/${kind}`), { body: filter })
        .then((data) => data.export),
    onSuccess: (job) => {
      queryClient.setQueryData(exportKeys.detail(job.id), { export: job });
      void queryClient.invalidateQueries({ queryKey: exportKeys.list() });
    },
  });
}
