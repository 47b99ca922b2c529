import 'server-only';
import { z } from 'zod';
import { issueJobMachine } from '@/lib/jobs/issue-states';
import { defineJobType } from '@/server/jobs/core/define';
import { ISSUE_JOB_TYPE } from './job-type-name';
import { runIssueStep } from './polling';

/**
 * Issue tokens from a CSV file. The browser holds the rows (and any values it generated) and
 * sends each chunk for its dry run and its submission; everything else (asking Authlete how each
 * batch request went, creating a 2.x service's rows one by one, finishing the job) is this type's
 * step on the queue. Its payload is empty: the job's details live in issue_jobs and issue_chunks.
 */
export const issueJobType = defineJobType({
  name: ISSUE_JOB_TYPE,
  payload: z.object({}),
  machine: issueJobMachine,
  initialState: 'draft',
  runStep: (context) => runIssueStep(context),
});
