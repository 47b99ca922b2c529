'use client';

import { api, ApiError } from '@/lib/api-client';
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

const jobPath = (jobId: string) => `/api/jobs/${encodeURIComponent(jobId)}`;
const chunkPath = (jobId: string, seq: number, action: string) => `${jobPath(jobId)}/chunks/${seq}/${action}`;

/**
 * Sends a body that is already JSON text (built in the worker), so the page never parses or holds
 * the rows. Errors become the API client's `ApiError`, like every other call.
 */
async function postJsonText<T>(path: string, body: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body,
    });
  } catch {
    throw new ApiError(0, 'network', 'Token Desk could not be reached; check your connection and try again.');
  }
  if (!response.ok) {
    let envelope: {
      error?: { code?: string; message?: string; details?: Record<string, unknown>; requestId?: string };
    } = {};
    try {
      envelope = await response.json();
    } catch {
      // Not JSON: fall back to the status below.
    }
    throw new ApiError(
      response.status,
      envelope.error?.code ?? 'unexpected_response',
      envelope.error?.message ?? `The server answered HTTP ${response.status}; try again.`,
      envelope.error?.details,
      envelope.error?.requestId ?? response.headers.get('x-request-id') ?? undefined,
    );
  }
  return (await response.json()) as T;
}

export const jobsApi = {
  list: (page: number, pageSize: number, signal?: AbortSignal) =>
    api.request<JobListResponse>('GET', '/api/jobs', { query: { page, pageSize }, signal }),
  get: (jobId: string, signal?: AbortSignal) => api.request<JobDetailResponse>('GET', jobPath(jobId), { signal }),
  create: (input: JobCreateInput) => api.request<JobDetailResponse>('POST', '/api/jobs', { body: input }),
  resume: (jobId: string) => api.request<JobDetailResponse>('POST', `${jobPath(jobId)}/resume`),
  dryRun: (jobId: string, seq: number, tokensJson: string) =>
    postJsonText<{ chunk: JobChunk }>(chunkPath(jobId, seq, 'dry-run'), `{"tokens":${tokensJson}}`),
  submit: (jobId: string, seq: number, tokensJson: string) =>
    postJsonText<{ chunk: JobChunk }>(chunkPath(jobId, seq, 'submit'), `{"tokens":${tokensJson}}`),
  narrow: (jobId: string, seq: number, rowsJson: string) =>
    postJsonText<ChunkNarrowResult>(chunkPath(jobId, seq, 'narrow'), `{"rows":${rowsJson}}`),
  narrowDryRun: (jobId: string, seq: number, rowsJson: string) =>
    postJsonText<DryRunNarrowResult>(chunkPath(jobId, seq, 'narrow-dry-run'), `{"rows":${rowsJson}}`),
  exclude: (jobId: string, seq: number, input: ExcludeBadRowsInput) =>
    api.request<ExcludeBadRowsResult>('POST', chunkPath(jobId, seq, 'exclude'), { body: input }),
};

export const jobQueryKeys = {
  all: ['jobs'] as const,
  list: (page: number, pageSize: number) => ['jobs', 'list', page, pageSize] as const,
  detail: (jobId: string) => ['jobs', 'detail', jobId] as const,
};
