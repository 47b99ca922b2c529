/**
 * The cron route that advances jobs where no worker process lives (Vercel): closed without the
 * CRON_SECRET bearer, and with it a pass that finishes what is due (here: a chunk's dry run) and
 * sends the audit sinks what they have not had yet.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { authleteFor } from '@/server/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTokenValues } from '@/lib/csv/token-values';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { TEST_APP_URL, useTestEmulatorUpstream } from '@/server/testing/routes';

const CRON_SECRET = 'test-cron-secret-0123456789';
let emulator: TestEmulator;
let GET: (request: Request) => Promise<Response>;
/** The `seq` of every audit record the test sink acknowledged. */
const received: number[] = [];
const sinkReceiver = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    for (const line of body.split('\n').filter(Boolean)) received.push((JSON.parse(line) as { seq: number }).seq);
    response.writeHead(204).end();
  });
});

beforeAll(async () => {
  emulator = await startTestEmulator();
  await new Promise<void>((resolve) => sinkReceiver.listen(0, '127.0.0.1', resolve));
  const { port } = sinkReceiver.address() as AddressInfo;
  process.env.AUDIT_SINKS = JSON.stringify([{ name: 'cron-http', type: 'http', url: `http://127.0.0.1:${port}/` }]);
  // Config is read from the environment when set up for the test (useTestEmulatorUpstream), not on import.
  process.env.CRON_SECRET = CRON_SECRET;
  useTestEmulatorUpstream(emulator);
  ({ GET } = await import('./route'));
}, 120_000);
afterAll(async () => {
  await (await import('@/server/jobs')).stopJobWorkers();
  await emulator?.close();
  await new Promise<void>((resolve) => sinkReceiver.close(() => resolve()));
  delete process.env.AUDIT_SINKS;
});

const call = (authorization?: string) =>
  GET(new Request(`${TEST_APP_URL}/api/cron/jobs`, authorization ? { headers: { authorization } } : {}));

describe('GET /api/cron/jobs', () => {
  it('refuses callers without the CRON_SECRET bearer', async () => {
    for (const authorization of [undefined, 'Bearer wrong-secret-0123456789', CRON_SECRET, `Basic ${CRON_SECRET}`]) {
      const response = await call(authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it("advances due job steps within its budget: a chunk's dry run is asked about and recorded", async () => {
    const { createIssueJob, startDryRun, getIssueJobDetail } = await import('@/server/jobs/issue');
    const client = authleteFor('default');
    const clientId = (await client.listClients())[0]!.clientId;
    const { job } = await createIssueJob(
      { id: 'admin-1', email: 'admin@demo.local', service: 'default' },
      {
        fileName: 'cron.csv',
        fileSha256: 'c'.repeat(64),
        fileBytes: 100,
        fileRows: 1,
        rowCount: 1,
        excludedRows: 0,
        generatedRows: 1,
        chunkSize: 1,
        chunks: [{ rowFrom: 0, rowTo: 1, firstLine: 2, lastLine: 2 }],
      },
      { client },
    );
    const [accessToken] = generateTokenValues(1);
    await startDryRun(
      job.id,
      0,
      [{ grantType: 'PASSWORD', clientId, subject: 'cron-1', scopes: [], accessToken }],
      client,
    );
    expect((await getIssueJobDetail(job.id)).chunks[0]!.dryRunState).toBe('running');
    const response = await call(`Bearer ${CRON_SECRET}`);
    expect(response.status).toBe(200);
    expect((await response.json()).steps).toBeGreaterThanOrEqual(1);
    expect((await getIssueJobDetail(job.id)).chunks[0]!.dryRunState).toBe('succeeded');
  }, 90_000);

  it('sends each audit sink every record it has not had, in order', async () => {
    const { recordAudit } = await import('@/server/audit');
    for (const subject of ['cron-a', 'cron-b']) {
      await recordAudit({ action: 'token.revoke_all', outcome: 'success', target: { subject }, count: 1 });
    }
    const response = await call(`Bearer ${CRON_SECRET}`);
    expect(response.status).toBe(200);
    const { sinks } = (await response.json()) as { sinks: Record<string, { outcome: string; sent: number }> };
    expect(sinks['cron-http']?.outcome).toBe('caught_up');
    const { getDb } = await import('@/server/db');
    const { auditLog } = await import('@/server/db/schema');
    const { asc } = await import('drizzle-orm');
    const rows = await (await getDb()).select({ seq: auditLog.seq }).from(auditLog).orderBy(asc(auditLog.seq));
    expect(received).toEqual(rows.map((row) => row.seq));
  });
});
