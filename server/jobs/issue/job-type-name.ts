/** The issue job's type name (its queue is `job-issue`); apart so storage and steps can name it without a cycle. */
export const ISSUE_JOB_TYPE = 'issue';
