/**
 * Verifies the audit log's hash chain (server/audit/chain.ts):
 *
 *   npm run audit:verify            one line per problem, exit code 1 when the chain is broken
 *   npm run audit:verify -- --json  the report as JSON (the same as GET /api/s/{service}/audit/chain)
 *
 * Uses the same database as the app: DATABASE_URL (PostgreSQL, also while the app runs), or the
 * embedded one in DATA_DIR/app, which only one process may open: stop the dashboard first, or use
 * the "Verify chain" button on the audit page (the same check, run inside the app).
 * Runs with `--conditions=react-server` so server-only modules load outside Next.
 */
import { parseArgs } from 'node:util';
import type { AuditChainReport } from '@/lib/schemas/audit';
import { verifyAuditChain } from '@/server/audit';
import { closeDb, getDb } from '@/server/db';

const describeProblem: Record<AuditChainReport['problems'][number]['kind'], string> = {
  altered: 'changed after it was written (its fields no longer give its hash)',
  broken_link: 'does not link to the record before it (that one was replaced)',
  missing: 'is missing (deleted)',
  unchained: 'was written straight into the table, around the app',
};

function formatReport(report: AuditChainReport): string[] {
  const lines = report.problems.map((problem) => {
    const where = [problem.seq === null ? null : `#${problem.seq}`, problem.id === null ? null : `(id ${problem.id})`]
      .filter(Boolean)
      .join(' ');
    return `BROKEN  record ${where} ${describeProblem[problem.kind]}`;
  });
  if (report.problemCount > report.problems.length) {
    lines.push(`… and ${report.problemCount - report.problems.length} more problems.`);
  }
  lines.push(
    report.ok
      ? `OK  ${report.records} records, chain head #${report.headSeq ?? 0} ${report.headHash ?? '(empty log)'}`
      : `FAILED  ${report.problemCount} problems in ${report.records} chained records.`,
  );
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } }, strict: true });
  try {
    const report = await verifyAuditChain(await getDb());
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else for (const line of formatReport(report)) console.log(line);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await closeDb();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
