import 'server-only';
import type { AnyJobType } from './core/define';
import { exportJobType } from './export/job-type';
import { issueJobType } from './issue/job-type';
import { offboardJobType } from './offboard';
import { revokeJobType } from './revoke/job-type';

/** Every job type the workers run. A new type: define it in its own folder and add it here. */
export const jobTypes: readonly AnyJobType[] = [issueJobType, exportJobType, revokeJobType, offboardJobType];
