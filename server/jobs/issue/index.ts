import 'server-only';

/** The issue-from-CSV job: what the routes under app/api/jobs call. */
export { startDryRun, narrowDryRun, excludeBadRows, MAX_NARROWING_DRY_RUNS } from './dry-run';
export { submitChunk, narrowChunk } from './submission';
export { findIssuingJob } from './issued-by';
export { createIssueJob } from './planning';
export { ensureIssueJobOf, getIssueJobDetail, issueJobForApproval, listIssueJobs, toRanges } from './store';
export { issueJobType } from './job-type';
