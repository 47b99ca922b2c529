'use client';

import { api } from '@/lib/api-client';
import { serviceApiPath } from '@/lib/service-paths';
import type {
  ChunkNarrowResult,
  DryRunNarrowResult,
  ExcludeBadRowsInput,
  ExcludeBadRowsResult,
  JobChunk,
  JobCreateInput,
  JobDetailResponse,
  JobListResponse,
} from '@/lib/schemas/issue-job';

/** The bulk-issuing jobs of one service (`/api/s/{service}/jobs`). */
export function jobsApiFor(service: string) {
  const jobsPath = serviceApiPath(service, '/jobs');
  const jobPath = (jobId: string) => `${jobsPath}/${encodeURIComponent(jobId)}`;
  const chunkPath = (jobId: string, seq: number, action: string) => `${jobPath(jobId)}/chunks/${seq}/${action}`;
  return {
    list: (page: number, pageSize: number, signal?: AbortSignal) =>
      api.request<JobListResponse>('GET', jobsPath, { query: { page, pageSize }, signal }),
    get: (jobId: string, signal?: AbortSignal) => api.request<JobDetailResponse>('GET', jobPath(jobId), { signal }),
    create: (input: JobCreateInput) => api.request<JobDetailResponse>('POST', jobsPath, { body: input }),
    resume: (jobId: string) => api.request<JobDetailResponse>('POST', `${jobPath(jobId)}/resume`),
    dryRun: (jobId: string, seq: number, tokensJson: string) =>
      api.request<{ chunk: JobChunk }>('POST', chunkPath(jobId, seq, 'dry-run'), {
        jsonText: `{"tokens":${tokensJson}}`,
      }),
    /** `lines`: each row's file line, which a service creating rows one by one (Authlete 2.x) needs. */
    submit: (jobId: string, seq: number, tokensJson: string, lines?: readonly number[]) =>
      api.request<{ chunk: JobChunk }>('POST', chunkPath(jobId, seq, 'submit'), {
        jsonText: `{"tokens":${tokensJson}${lines ? `,"lines":${JSON.stringify(lines)}` : ''}}`,
      }),
    narrow: (jobId: string, seq: number, rowsJson: string) =>
      api.request<ChunkNarrowResult>('POST', chunkPath(jobId, seq, 'narrow'), { jsonText: `{"rows":${rowsJson}}` }),
    narrowDryRun: (jobId: string, seq: number, rowsJson: string) =>
      api.request<DryRunNarrowResult>('POST', chunkPath(jobId, seq, 'narrow-dry-run'), {
        jsonText: `{"rows":${rowsJson}}`,
      }),
    exclude: (jobId: string, seq: number, input: ExcludeBadRowsInput) =>
      api.request<ExcludeBadRowsResult>('POST', chunkPath(jobId, seq, 'exclude'), { body: input }),
  };
}

export const jobQueryKeys = {
  all: ['jobs'] as const,
  list: (page: number, pageSize: number) => ['jobs', 'list', page, pageSize] as const,
  detail: (jobId: string) => ['jobs', 'detail', jobId] as const,
};
