export const dynamic = 'force-dynamic';

/** The same readiness check as /api/health, at the name orchestrators expect. */
export { GET } from '../route';
