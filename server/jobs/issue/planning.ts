import 'server-only';
import type { JobCreateInput, JobDetailResponse } from '@/lib/schemas/issue-job';
import type { AuthleteClient } from '@/server/authlete';
import { getDb } from '@/server/db';
import { issueChunks, issueJobs } from '@/server/db/schema';
import { insertJob, type JobOwner } from '@/server/jobs/core/store';
import { issueJobType } from './job-type';
import { getIssueJobDetail } from './store';

/** Chunks inserted per statement: a 1M-row job has 1000+ chunks and Postgres caps bind parameters. */
const CHUNK_INSERT_SLICE = 500;

/**
 * Records a job from the file's facts and chunk plan (no rows, no values): it starts as a draft,
 * waiting for its dry runs. It belongs to the owner's service (the queue's Authlete calls go there);
 * a service without the batch API has its rows created one by one (`issueMode: 'single'`).
 */
export async function createIssueJob(
  owner: JobOwner,
  input: JobCreateInput,
  { client }: { client: Pick<AuthleteClient, 'capabilities'> },
): Promise<JobDetailResponse> {
  const db = await getDb();
  const id = await db.transaction(async (tx) => {
    const job = await insertJob(issueJobType, owner, {}, { tx, progressTotal: input.rowCount });
    await tx.insert(issueJobs).values({
      id: job.id,
      fileName: input.fileName,
      fileSha256: input.fileSha256,
      fileBytes: input.fileBytes,
      fileRows: input.fileRows,
      rowCount: input.rowCount,
      excludedRows: input.excludedRows,
      generatedRows: input.generatedRows,
      chunkSize: input.chunkSize,
      issueMode: client.capabilities.batch ? 'batch' : 'single',
    });
    for (let start = 0; start < input.chunks.length; start += CHUNK_INSERT_SLICE) {
      await tx.insert(issueChunks).values(
        input.chunks.slice(start, start + CHUNK_INSERT_SLICE).map((chunk, i) => ({
          jobId: job.id,
          seq: start + i,
          rowRanges: [[chunk.rowFrom, chunk.rowTo] satisfies [number, number]],
          rowCount: chunk.rowTo - chunk.rowFrom,
          firstLine: chunk.firstLine,
          lastLine: chunk.lastLine,
        })),
      );
    }
    return job.id;
  });
  return getIssueJobDetail(id);
}
