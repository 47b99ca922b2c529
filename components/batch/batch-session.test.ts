import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Job, JobChunk, JobDetailResponse } from '@/lib/schemas/issue-job';
import type { WorkerRequest } from '@/lib/csv/worker-protocol';

/** The preflight worker, replaced: these tests are about what the session keeps and when it lets go. */
const workers = vi.hoisted(() => ({ created: [] as { requests: WorkerRequest[]; terminated: boolean }[] }));
vi.mock('./worker-client', () => {
  class WorkerError extends Error {
    constructor(
      readonly code: string,
      message: string,
    ) {
      super(message);
    }
  }
  class PreflightWorkerClient {
    readonly record = { requests: [] as WorkerRequest[], terminated: false };
    constructor() {
      workers.created.push(this.record);
    }
    async call(request: WorkerRequest) {
      this.record.requests.push(request);
      if (request.type === 'preflight') {
        return {
          type: 'preflight',
          summary: { totalRows: 2, validRows: 2, invalidRows: 0, issuesTruncated: false },
          issues: [],
          elapsedMs: 1,
        };
      }
      if (request.type === 'plan') {
        return {
          type: 'plan',
          lines: new Int32Array([2, 3]),
          job: { fileName: 'tokens.csv', fileSha256: 'f'.repeat(64), rowCount: 2, generatedRows: 2 },
        };
      }
      if (request.type === 'restore-values') return { type: 'restore-values', restored: 1 };
      throw new Error(`unexpected worker request ${request.type}`);
    }
    terminate() {
      this.record.terminated = true;
    }
  }
  return { PreflightWorkerClient, WorkerError };
});

const {
  forgetValues,
  getBatchSession,
  holdsJob,
  reloadForJob,
  ResumeFileError,
  resetSession,
  downloadValuesFile,
  valuesNoLongerNeeded,
} = await import('./batch-session');

const jobId = '5d0c9a52-6d0e-4f57-9a57-3c1f4f1f2b10';
const chunk = (
  seq: number,
  state: JobChunk['state'],
  dryRunState: JobChunk['dryRunState'],
  rowRanges: [number, number][],
) => ({ seq, state, dryRunState, rowRanges }) as JobChunk;

function detail(state: Job['state']): JobDetailResponse {
  return {
    job: {
      id: jobId,
      fileName: 'tokens.csv',
      fileSha256: 'f'.repeat(64),
      rowCount: 2,
      generatedRows: 2,
      chunkSize: 2,
      state,
    } as Job,
    // Row 0 was refused by the dry run and excluded; row 1 went on as chunk 1.
    chunks: [chunk(0, 'narrowed', 'failed', [[0, 2]]), chunk(1, 'pending', 'succeeded', [[1, 2]])],
    outcomes: [],
    outcomesTruncated: false,
  };
}

const facts = { clients: [{ clientId: '7' }], supportedScopes: ['openid'] };
const original = new File(['grantType,clientId,subject\n'], 'tokens.csv');
const valuesFile = new File(['line,subject,clientId,accessToken,refreshToken\n'], 'tokens-token-values-5d0c9a52.csv');

beforeEach(() => {
  resetSession();
  workers.created.length = 0;
});

describe('resuming a job in a new tab', () => {
  it('names the values file the admin chose, and takes back only the values of the rows the job issues', async () => {
    await reloadForJob(detail('submitting'), original, valuesFile, facts);
    expect(holdsJob(jobId)).toBe(true);
    expect(getBatchSession()).toMatchObject({
      valuesDownloaded: true,
      valuesFileName: 'tokens-token-values-5d0c9a52.csv',
    });
    const restore = workers.created.at(-1)!.requests.find((request) => request.type === 'restore-values');
    expect(restore).toMatchObject({ ranges: [[1, 2]] });
  });

  it('refuses another file, or a job with generated values without its values file, in words any language can say', async () => {
    const otherFile = { ...detail('submitting'), job: { ...detail('submitting').job, fileSha256: 'e'.repeat(64) } };
    const refusal = reloadForJob(otherFile, original, valuesFile, facts);
    await expect(refusal).rejects.toBeInstanceOf(ResumeFileError);
    await expect(refusal).rejects.toMatchObject({
      texts: [{ key: 'batches.resume.notThisFile', values: { file: 'tokens.csv' } }],
    });
    expect(holdsJob(jobId)).toBe(false);

    await expect(reloadForJob(detail('submitting'), original, undefined, facts)).rejects.toMatchObject({
      texts: [{ key: 'batches.resume.valuesFileNeeded' }],
    });
    expect(holdsJob(jobId)).toBe(false);
  });
});

describe('when the job is final', () => {
  it('lets go of the values only once the job is completed and its values file was offered', async () => {
    expect(valuesNoLongerNeeded(detail('completed').job)).toBe(false);
    await reloadForJob(detail('submitting'), original, valuesFile, facts);
    expect(valuesNoLongerNeeded(detail('processing').job)).toBe(false);
    expect(valuesNoLongerNeeded(detail('attention').job)).toBe(false);
    expect(valuesNoLongerNeeded(detail('completed').job)).toBe(true);
    expect(valuesNoLongerNeeded({ ...detail('completed').job, id: crypto.randomUUID() })).toBe(false);
    expect(valuesNoLongerNeeded(detail('completed').job, { ...getBatchSession(), valuesDownloaded: false })).toBe(
      false,
    );
    expect(
      valuesNoLongerNeeded(
        { ...detail('completed').job, generatedRows: 0 },
        { ...getBatchSession(), valuesDownloaded: false },
      ),
    ).toBe(true);
  });

  it('ends the worker that holds the rows and values, keeping what the page shows about the job', async () => {
    await reloadForJob(detail('submitting'), original, valuesFile, facts);
    const worker = workers.created.at(-1)!;
    forgetValues();
    expect(worker.terminated).toBe(true);
    expect(holdsJob(jobId)).toBe(false);
    expect(getBatchSession()).toMatchObject({
      jobId,
      plan: undefined,
      lines: undefined,
      valuesForgotten: true,
      valuesFileName: 'tokens-token-values-5d0c9a52.csv',
    });
    expect(valuesNoLongerNeeded(detail('completed').job)).toBe(false);
    // Nothing can bring them back in this tab: no new worker is asked for the values.
    await downloadValuesFile(detail('completed'));
    expect(workers.created).toHaveLength(1);
  });
});
