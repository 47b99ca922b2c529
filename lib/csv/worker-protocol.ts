import type { Locale } from '@/lib/i18n/locales';
import type { JobCreateInput } from '@/lib/schemas/issue-job';
import type { FileProblemCode } from './decode';
import type { CsvText } from './messages';
import type { CsvLimits, PreflightSummary, RowIssue, ServiceFacts } from './preflight';

/**
 * Messages between the upload page and the preflight worker. The worker keeps the parsed rows and
 * their token values; the page only ever receives counts, the first issues, JSON strings ready to
 * send, and Blobs to download, so the main thread never holds 100,000 row objects.
 */
export type WorkerRequest =
  | { type: 'preflight'; file: File; facts: ServiceFacts; limits?: Partial<CsvLimits> }
  /**
   * `extra`: rows Authlete refused in the dry run, listed after the file's own problems. The report
   * is written in `locale`, with the catalogue namespaces it needs (`reportNamespaces`).
   */
  | { type: 'error-report'; extra?: RowIssue[]; locale: Locale; messages: Record<string, unknown> }
  /** Generates the missing token values (once) and splits the rows into chunks. */
  | { type: 'plan'; chunkSize: number }
  /** `ranges`: the rows the job issues (half-open row indexes); the others are left out of the file. */
  | { type: 'values-file'; ranges: [number, number][] }
  /** JSON array of the token create requests of these row ranges (half-open, row indexes). */
  | { type: 'requests'; ranges: [number, number][] }
  /** JSON array of {index, line, token} for these row ranges (narrowing a failed chunk). */
  | { type: 'narrow-rows'; ranges: [number, number][] }
  /** Resuming after the tab was closed: takes the generated values of the issued rows (`ranges`) back from the downloaded values file. */
  | { type: 'restore-values'; file: File; ranges: [number, number][] };

export type PlannedJob = Omit<JobCreateInput, 'fileName'> & { fileName: string };

export type WorkerResult =
  | { type: 'preflight'; summary: PreflightSummary; issues: RowIssue[]; elapsedMs: number }
  | { type: 'error-report'; blob: Blob; fileName: string }
  /** `lines[i]`: the file line of row i, to name lines in Authlete's element errors. */
  | { type: 'plan'; job: PlannedJob; lines: Int32Array }
  | { type: 'values-file'; blob: Blob }
  | { type: 'requests'; json: string }
  | { type: 'narrow-rows'; json: string }
  | { type: 'restore-values'; restored: number };

export type WorkerMessage =
  | { id: number; ok: true; result: WorkerResult }
  | { id: number; ok: false; code: FileProblemCode | 'no_data' | 'internal'; message: string; texts?: CsvText[] }
  | { id: number; progress: { bytes: number; totalBytes: number; rows: number } };

/** Issues sent to the page for the table; the full list goes into the error report file. */
export const ISSUES_SHOWN = 1000;
