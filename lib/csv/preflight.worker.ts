/// <reference lib="webworker" />
import { createTranslator, type Messages } from 'next-intl';
import { CsvFileError } from './decode';
import type { CsvTranslate } from './messages';
import { errorReportFileName, buildErrorReportCsv } from './error-report';
import {
  CsvPreflight,
  defaultCsvLimits,
  NEEDS_ACCESS_TOKEN,
  NEEDS_REFRESH_TOKEN,
  type PreflightSummary,
} from './preflight';
import {
  buildValuesFileParts,
  generateValuesForRows,
  issuedRowsOf,
  requestsJson,
  restoreValues,
  rowRequestJson,
  type GeneratedValues,
} from './token-values';
import { ISSUES_SHOWN, type WorkerMessage, type WorkerRequest, type WorkerResult } from './worker-protocol';

/**
 * The bulk-issuing worker: parses and checks the file off the main thread, then holds its rows
 * and generated token values (in this worker's memory only) for the dry run, the submission and
 * narrowing. Values are never written anywhere but the one-time download; the page ends the worker
 * (and with it the values) once the job is final.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const READ_BYTES = 1024 * 1024;
const PROGRESS_EVERY_MS = 100;

interface Loaded {
  file: File;
  engine: CsvPreflight;
  summary: PreflightSummary;
  values?: GeneratedValues;
  sha256?: string;
}
let loaded: Loaded | undefined;

function post(message: WorkerMessage) {
  scope.postMessage(message);
}

async function preflight(id: number, request: Extract<WorkerRequest, { type: 'preflight' }>): Promise<WorkerResult> {
  loaded = undefined;
  const started = performance.now();
  const engine = new CsvPreflight(request.facts, { ...defaultCsvLimits, ...request.limits });
  const { file } = request;
  let lastProgress = 0;
  for (let offset = 0; offset < file.size; offset += READ_BYTES) {
    const bytes = new Uint8Array(await file.slice(offset, offset + READ_BYTES).arrayBuffer());
    engine.push(bytes);
    const now = performance.now();
    if (now - lastProgress > PROGRESS_EVERY_MS) {
      lastProgress = now;
      post({
        id,
        progress: {
          bytes: Math.min(offset + READ_BYTES, file.size),
          totalBytes: file.size,
          rows: engine.summary().totalRows,
        },
      });
    }
  }
  const summary = engine.finish();
  loaded = { file, engine, summary };
  return {
    type: 'preflight',
    summary,
    issues: engine.issues.slice(0, ISSUES_SHOWN),
    elapsedMs: performance.now() - started,
  };
}

function requireLoaded(): Loaded {
  if (!loaded) throw new CsvFileError('unreadable', 'No checked file in this tab any more; choose the file again.');
  return loaded;
}

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function plan(chunkSize: number): Promise<WorkerResult> {
  const state = requireLoaded();
  const { rows } = state.engine;
  state.values ??= generateValuesForRows(rows);
  state.sha256 ??= await sha256Hex(state.file);
  const chunks = [];
  for (let from = 0; from < rows.size; from += chunkSize) {
    const to = Math.min(from + chunkSize, rows.size);
    chunks.push({ rowFrom: from, rowTo: to, firstLine: rows.line(from), lastLine: rows.line(to - 1) });
  }
  let generatedRows = 0;
  for (let index = 0; index < rows.size; index++)
    if (rows.needs(index) & (NEEDS_ACCESS_TOKEN | NEEDS_REFRESH_TOKEN)) generatedRows++;
  return {
    type: 'plan',
    lines: rows.lines(),
    job: {
      fileName: state.file.name,
      fileSha256: state.sha256,
      fileBytes: state.file.size,
      fileRows: state.summary.totalRows,
      rowCount: rows.size,
      excludedRows: state.summary.invalidRows,
      generatedRows,
      chunkSize,
      chunks,
    },
  };
}

function* indexesOf(ranges: [number, number][], limit: number) {
  for (const [from, to] of ranges) for (let i = Math.max(0, from); i < Math.min(to, limit); i++) yield i;
}

async function handle(id: number, request: WorkerRequest): Promise<WorkerResult> {
  switch (request.type) {
    case 'preflight':
      return preflight(id, request);
    case 'error-report': {
      const state = requireLoaded();
      const issues = request.extra?.length
        ? [...state.engine.issues, ...request.extra].sort((a, b) => a.line - b.line)
        : state.engine.issues;
      const t = createTranslator({ locale: request.locale, messages: request.messages as Messages }) as CsvTranslate;
      const csv = buildErrorReportCsv(issues, { truncated: state.summary.issuesTruncated, t });
      return {
        type: 'error-report',
        blob: new Blob([csv], { type: 'text/csv;charset=utf-8' }),
        fileName: errorReportFileName(state.file.name),
      };
    }
    case 'plan':
      return plan(request.chunkSize);
    case 'values-file': {
      const state = requireLoaded();
      if (!state.values) throw new CsvFileError('unreadable', 'Values are generated when the job is planned.');
      const issued = issuedRowsOf(state.engine.rows.size, request.ranges);
      return {
        type: 'values-file',
        blob: new Blob(buildValuesFileParts(state.engine.rows, state.values, issued), {
          type: 'text/csv;charset=utf-8',
        }),
      };
    }
    case 'requests': {
      const state = requireLoaded();
      return {
        type: 'requests',
        json: requestsJson(state.engine.rows, state.values, indexesOf(request.ranges, state.engine.rows.size)),
      };
    }
    case 'narrow-rows': {
      const state = requireLoaded();
      const parts: string[] = [];
      for (const index of indexesOf(request.ranges, state.engine.rows.size)) {
        parts.push(
          `{"index":${index},"line":${state.engine.rows.line(index)},"token":${rowRequestJson(state.engine.rows, state.values, index)}}`,
        );
      }
      return { type: 'narrow-rows', json: `[${parts.join(',')}]` };
    }
    case 'restore-values': {
      const state = requireLoaded();
      state.values = restoreValues(
        state.engine.rows,
        await request.file.text(),
        issuedRowsOf(state.engine.rows.size, request.ranges),
      );
      return { type: 'restore-values', restored: state.values.accessTokens.filter(Boolean).length };
    }
  }
}

scope.onmessage = (event: MessageEvent<{ id: number; request: WorkerRequest }>) => {
  const { id, request } = event.data;
  handle(id, request).then(
    (result) => post({ id, ok: true, result }),
    (error: unknown) => {
      if (error instanceof CsvFileError)
        post({ id, ok: false, code: error.code, message: error.message, texts: error.texts });
      else post({ id, ok: false, code: 'internal', message: error instanceof Error ? error.message : String(error) });
    },
  );
};
