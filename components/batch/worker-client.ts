'use client';

import type { CsvText } from '@/lib/csv/messages';
import type { WorkerMessage, WorkerRequest, WorkerResult } from '@/lib/csv/worker-protocol';

export interface PreflightProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

/** A failure reported by the worker: a problem with the file (`code`), or an internal error. */
export class WorkerError extends Error {
  override name = 'WorkerError';
  constructor(
    readonly code: string,
    message: string,
    /** The problem in any language (a file problem's sentences), when the worker gave them. */
    readonly texts: CsvText[] = [],
  ) {
    super(message);
  }
}

type ResultOf<T extends WorkerRequest['type']> = Extract<WorkerResult, { type: T }>;

/** Request/response over the preflight worker, one promise per request. */
export class PreflightWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    {
      resolve: (result: WorkerResult) => void;
      reject: (error: Error) => void;
      onProgress?: (progress: PreflightProgress) => void;
    }
  >();

  constructor() {
    this.worker = new Worker(new URL('../../lib/csv/preflight.worker.ts', import.meta.url), {
      type: 'module',
      name: 'csv-preflight',
    });
    this.worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      const entry = this.pending.get(message.id);
      if (!entry) return;
      if ('progress' in message) {
        entry.onProgress?.(message.progress);
        return;
      }
      this.pending.delete(message.id);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new WorkerError(message.code, message.message, message.texts));
    };
    this.worker.onerror = (event) => {
      for (const entry of this.pending.values())
        entry.reject(new WorkerError('internal', event.message || 'The file checker stopped unexpectedly.'));
      this.pending.clear();
    };
  }

  call<T extends WorkerRequest['type']>(
    request: Extract<WorkerRequest, { type: T }>,
    onProgress?: (progress: PreflightProgress) => void,
  ): Promise<ResultOf<T>> {
    const id = this.nextId++;
    return new Promise<ResultOf<T>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: WorkerResult) => void, reject, onProgress });
      this.worker.postMessage({ id, request });
    });
  }

  terminate() {
    this.worker.terminate();
    for (const entry of this.pending.values()) entry.reject(new WorkerError('internal', 'Cancelled.'));
    this.pending.clear();
  }
}
