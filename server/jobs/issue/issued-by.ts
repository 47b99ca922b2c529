import 'server-only';
import { and, eq } from 'drizzle-orm';
import { sha256Base64Url } from '@/lib/hash';
import type { TokenCreateInput } from '@/lib/schemas';
import type { IssuingJob } from '@/lib/schemas/audit';
import { getDb } from '@/server/db';
import { issueJobs, issueRowTokens, jobs } from '@/server/db/schema';

/**
 * Keeps the hash of each row's access token as a chunk is sent, by the row's place in the file, so
 * a token's page can name the job that issued it. Sent again (a retry), nothing changes.
 */
export async function recordIssuedHashes(
  jobId: string,
  rowRanges: readonly [number, number][],
  tokens: readonly TokenCreateInput[],
  lines?: readonly number[],
): Promise<void> {
  const rowIndexes = rowRanges.flatMap(([from, to]) => Array.from({ length: to - from }, (_, i) => from + i));
  const rows = await Promise.all(
    tokens.map(async (token, position) =>
      token.accessToken && rowIndexes[position] !== undefined
        ? {
            jobId,
            rowIndex: rowIndexes[position],
            line: lines?.[position] ?? null,
            tokenHash: await sha256Base64Url(token.accessToken),
          }
        : null,
    ),
  );
  const values = rows.filter((row) => row !== null);
  if (values.length === 0) return;
  await (await getDb()).insert(issueRowTokens).values(values).onConflictDoNothing();
}

/** The bulk-issue job of `service` that sent the token with this hash, or null (issued another way). */
export async function findIssuingJob(tokenHash: string, service: string): Promise<IssuingJob | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      jobId: issueRowTokens.jobId,
      line: issueRowTokens.line,
      fileName: issueJobs.fileName,
      createdById: jobs.createdById,
      createdByEmail: jobs.createdByEmail,
      createdAt: jobs.createdAt,
    })
    .from(issueRowTokens)
    .innerJoin(issueJobs, eq(issueJobs.id, issueRowTokens.jobId))
    .innerJoin(jobs, eq(jobs.id, issueRowTokens.jobId))
    .where(and(eq(issueRowTokens.tokenHash, tokenHash), eq(jobs.service, service)))
    .limit(1);
  if (!row) return null;
  return {
    jobId: row.jobId,
    fileName: row.fileName,
    line: row.line,
    createdBy: { id: row.createdById, email: row.createdByEmail },
    createdAt: row.createdAt.getTime(),
  };
}
