/**
 * The app database schema, one file per concept. Add a table by adding a file here and
 * re-exporting it below, then `npm run db:generate` to write the next migration.
 */
export * from './auth';
export * from './app-state';
export * from './audit';
export * from './jobs';
export * from './issue-jobs';
export * from './rate-limit';
export * from './exports';
export * from './approvals';
export * from './revoke-jobs';
export * from './staff-grants';
export * from './webhooks';
export * from './snapshots';
export * from './stored-services';
