/**
 * The export routes through the real wrapper, sessions, audit log and an emulator: a large list
 * exported as a job gives the browser export's bytes, resumes from its stored cursor, is only
 * ever shown to its creator (and admins), and is audited with its filter and rows.
 */
import { authleteFor } from '@/server/services';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokenCsvLine, tokenExportHeader } from '@/lib/csv/export-lines';
import type { Role } from '@/lib/roles';
import { ALL_CLIENTS } from '@/lib/schemas/staff';
import type { TokenListResponse } from '@/lib/schemas';
import type { ExportJob } from '@/lib/schemas/export';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';

let emulator: TestEmulator;
let cookies: Record<Role | 'otherSupport' | 'scopedSupport' | 'scopedAdmin', string>;
let routes: {
  list: { GET: RouteHandler };
  tokens: { POST: RouteHandler };
  audit: { POST: RouteHandler };
  one: { GET: RouteHandler };
  download: { GET: RouteHandler };
  tokenList: { GET: RouteHandler };
};
/** The one client the scoped people's grant covers. */
const WEB = '26888344961664';

/** A session of a person whose grant in the default service covers the client WEB only. */
async function scopedCookie(role: Role, email: string): Promise<string> {
  const { sessionCookieFor } = await import('@/server/testing/session');
  const { findUser } = await import('@/server/auth/users');
  const { getDb } = await import('@/server/db');
  const { staffGrant } = await import('@/server/db/schema');
  const cookie = await sessionCookieFor(role, email);
  const user = await findUser(await getDb(), email);
  await (await getDb()).insert(staffGrant).values({ userId: user!.id, service: 'default', role, clientIds: [WEB] });
  return cookie;
}

let server: {
  audit: typeof import('@/server/audit');
  exports: typeof import('@/server/jobs/export');
  store: typeof import('@/server/jobs/export/store');
  run: typeof import('@/server/jobs/export/run');
};

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator);
  routes = {
    list: (await import('./route')) as never,
    tokens: (await import('./tokens/route')) as never,
    audit: (await import('./audit/route')) as never,
    one: (await import('./[exportId]/route')) as never,
    download: (await import('./[exportId]/download/route')) as never,
    tokenList: (await import('../tokens/route')) as never,
  };
  // Imported here: it reads the configuration set just above.
  const { sessionCookieFor } = await import('@/server/testing/session');
  cookies = {
    viewer: await sessionCookieFor('viewer'),
    support: await sessionCookieFor('support'),
    lead: await sessionCookieFor('lead'),
    admin: await sessionCookieFor('admin'),
    otherSupport: await sessionCookieFor('support'),
    scopedSupport: await scopedCookie('support', 'scoped-support@desk.test'),
    scopedAdmin: await scopedCookie('admin', 'scoped-admin@desk.test'),
  };
  server = {
    audit: await import('@/server/audit'),
    exports: await import('@/server/jobs/export'),
    store: await import('@/server/jobs/export/store'),
    run: await import('@/server/jobs/export/run'),
  };
  await (await import('@/server/jobs')).startJobWorkers();
  // Starting an emulator, the job queue and four sessions takes a while on a busy machine.
}, 180_000);
afterAll(async () => {
  await (await import('@/server/jobs')).stopJobWorkers();
  await emulator?.close();
});

async function call(
  handler: RouteHandler,
  {
    method = 'GET',
    path,
    as,
    params = {},
    body,
  }: { method?: string; path: string; as?: keyof typeof cookies; params?: Record<string, string>; body?: unknown },
) {
  const response = await handler(
    new Request(`${TEST_APP_URL}${path}`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        ...(as ? { cookie: cookies[as] } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  return response;
}

async function start(kind: 'tokens' | 'audit', body: unknown, as: keyof typeof cookies = 'admin') {
  const response = await call(routes[kind].POST, { method: 'POST', path: `/api/exports/${kind}`, as, body });
  expect(response.status).toBe(201);
  return ((await response.json()) as { export: ExportJob }).export;
}

async function finished(id: string, as: keyof typeof cookies = 'admin'): Promise<ExportJob> {
  return vi.waitFor(
    async () => {
      const response = await call(routes.one.GET, { path: `/api/exports/${id}`, as, params: { exportId: id } });
      const { export: job } = (await response.json()) as { export: ExportJob };
      expect(['succeeded', 'failed']).toContain(job.state);
      return job;
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** The file's text with its byte order mark (Response.text() would drop it). */
async function textOf(response: Response): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
}

async function download(id: string, as?: keyof typeof cookies) {
  return call(routes.download.GET, { path: `/api/exports/${id}/download`, as, params: { exportId: id } });
}

/** The browser path's file: every page of `GET /api/tokens`, 100 at a time, through the same lines. */
async function browserTokenCsv(query: string): Promise<string> {
  const clients = new Map((await authleteFor('default').listClients()).map((c) => [c.clientId, c]));
  let csv = tokenExportHeader;
  for (let page = 1; ; page++) {
    const response = await call(routes.tokenList.GET, {
      path: `/api/tokens?${query}&page=${page}&pageSize=100`,
      as: 'viewer',
    });
    const { tokens, totalCount } = (await response.json()) as TokenListResponse;
    csv += tokens.map((token) => tokenCsvLine(token, clients)).join('');
    if (page * 100 >= totalCount || tokens.length === 0) return csv;
  }
}

describe('a client-scoped person', () => {
  it("exports only their clients' tokens and audit records; their exports are theirs alone", async () => {
    const tokens = await start('tokens', { status: 'all' }, 'scopedSupport');
    expect((await finished(tokens.id, 'scopedSupport')).state).toBe('succeeded');
    const file = await textOf(await download(tokens.id, 'scopedSupport'));
    expect(file).toBe(await browserTokenCsv(`clientId=${WEB}&status=all`));
    expect(file.split('\r\n').filter(Boolean).length).toBeGreaterThan(1);

    await server.audit.recordAudit({
      action: 'token.revoke',
      outcome: 'success',
      target: { clientId: WEB, subject: 'mine' },
    });
    await server.audit.recordAudit({
      action: 'token.revoke',
      outcome: 'success',
      target: { clientId: '917364', subject: 'not-mine' },
    });
    const audit = await start('audit', {}, 'scopedAdmin');
    expect((await finished(audit.id, 'scopedAdmin')).state).toBe('succeeded');
    const log = await textOf(await download(audit.id, 'scopedAdmin'));
    expect(log).toContain('mine');
    expect(log).not.toContain('not-mine');
    expect(log).not.toContain('917364');

    // A scoped admin sees no one else's export; an admin of every client sees theirs.
    expect((await download(tokens.id, 'scopedAdmin')).status).toBe(404);
    const listed = async (as: keyof typeof cookies) =>
      (
        (await (await call(routes.list.GET, { path: '/api/exports', as })).json()) as { exports: ExportJob[] }
      ).exports.map((job) => job.id);
    expect(await listed('scopedAdmin')).not.toContain(tokens.id);
    expect(await listed('admin')).toEqual(expect.arrayContaining([tokens.id, audit.id]));
  });
});

describe('token export job', () => {
  it('runs on the server and downloads as the same CSV the browser export writes, with a file name', async () => {
    const started = await start('tokens', { status: 'all' }, 'viewer');
    expect(started).toMatchObject({ kind: 'tokens', filter: { status: 'all' }, rowsDone: 0 });
    const job = await finished(started.id, 'viewer');
    expect(job.state).toBe('succeeded');
    expect(job.rowsDone).toBeGreaterThanOrEqual(120);
    const response = await download(started.id, 'viewer');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="tokens-\d{4}-\d\d-\d\dT\d{4}Z\.csv"$/,
    );
    const body = await textOf(response);
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    expect(body).toBe(await browserTokenCsv('status=all'));
    expect(body.split('\r\n').filter(Boolean)).toHaveLength(job.rowsDone + 1);
    // It ran as a job of the jobs module: its record (same id) is completed with the rows as progress.
    const { findJob } = await import('@/server/jobs');
    const { exportJobType } = await import('@/server/jobs/export/job-type');
    await vi.waitFor(async () =>
      expect(await findJob(exportJobType, started.id)).toMatchObject({ state: 'completed' }),
    );
  });

  it('keeps the filters, and is audited as started (filter) and finished (rows) by the person', async () => {
    const clientId = (await authleteFor('default').listClients())[0]!.clientId;
    const started = await start('tokens', { clientId, status: 'valid' }, 'support');
    const job = await finished(started.id, 'support');
    const body = await textOf(await download(started.id, 'support'));
    expect(body).toBe(await browserTokenCsv(`clientId=${clientId}&status=valid`));
    const { entries } = await server.audit.listAudit({ page: 1, pageSize: 100 } as never);
    const mine = entries.filter((entry) => entry.details.exportId === started.id);
    expect(mine.map((entry) => entry.action).sort()).toEqual(['export.create', 'export.finish']);
    const create = mine.find((entry) => entry.action === 'export.create')!;
    expect(create).toMatchObject({ outcome: 'success', actor: { role: 'support' }, target: { clientId } });
    expect(create.details.filter).toEqual({ clientId, status: 'valid' });
    const finish = mine.find((entry) => entry.action === 'export.finish')!;
    expect(finish).toMatchObject({ outcome: 'success', count: job.rowsDone });
    expect(finish.actor?.email).toBe(create.actor?.email);
  });

  it('refuses a bad filter with 400 naming the field, and starts nothing', async () => {
    const response = await call(routes.tokens.POST, {
      method: 'POST',
      path: '/api/s/[service]/exports/tokens',
      as: 'viewer',
      body: { clientId: 'abc', status: 'gone' },
    });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(Object.keys(error.details.fieldErrors).sort()).toEqual(['clientId', 'status']);
  });

  it('answers a hostile export id with a 4xx, never a 500', async () => {
    for (const id of [
      '../../etc/passwd',
      'x'.repeat(5000),
      '%00',
      "1' OR '1'='1",
      '00000000-0000-0000-0000-000000000000',
    ]) {
      const one = await call(routes.one.GET, {
        path: `/api/exports/${encodeURIComponent(id)}`,
        as: 'admin',
        params: { exportId: id },
      });
      const file = await download(id, 'admin');
      for (const response of [one, file]) {
        expect(response.status, id).toBeGreaterThanOrEqual(400);
        expect(response.status, id).toBeLessThan(500);
      }
    }
  });

  it('resumed step by step from its stored cursor (as after a restart) gives the bytes of one pass', async () => {
    const owner = {
      id: 'resume-test',
      email: 'resume@desk.test',
      role: 'admin' as const,
      method: 'password' as const,
      service: 'default',
      scope: ALL_CLIENTS,
    };
    const single = await server.store.createExport(
      crypto.randomUUID(),
      owner,
      'tokens',
      { status: 'all' },
      server.run.firstCursor('tokens'),
    );
    await server.exports.runExport(single.id);
    const stepwise = await server.store.createExport(
      crypto.randomUUID(),
      owner,
      'tokens',
      { status: 'all' },
      server.run.firstCursor('tokens'),
    );
    // One 25-token step per run, each claiming the export afresh from the database.
    let runs = 1;
    while (await server.exports.runExport(stepwise.id, { budgetMs: 0, stepRows: 25 })) runs++;
    const read = async (id: string) => (await server.store.readParts(id, 0, 1000)).map((part) => part.body).join('');
    expect(await read(stepwise.id)).toBe(await read(single.id));
    expect((await server.store.findExport(stepwise.id))?.state).toBe('succeeded');
    expect(runs).toBeGreaterThanOrEqual(5);
    expect(await server.store.readParts(stepwise.id, 0, 1000)).toHaveLength(runs);
  });

  it('stores a step once when two workers run it (compare-and-set on the step)', async () => {
    const owner = { id: 'twice-test', email: 'twice@desk.test', service: 'default', scope: ALL_CLIENTS };
    const row = await server.store.createExport(
      crypto.randomUUID(),
      owner,
      'tokens',
      { status: 'all' },
      server.run.firstCursor('tokens'),
    );
    await server.store.claimExport(row.id);
    const step = { chunk: 'a\r\n', rows: 1, next: { offset: 1, lastHash: 'x', done: 1 }, total: 2 };
    const [first, second] = await Promise.all([
      server.store.storeStep(row.id, 0, step),
      server.store.storeStep(row.id, 0, step),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await server.store.readParts(row.id, 0, 10)).toHaveLength(1);
  });

  it('answers 409 for a download before the export is done', async () => {
    const owner = { id: 'pending-test', email: 'pending@desk.test', service: 'default', scope: ALL_CLIENTS };
    const row = await server.store.createExport(
      crypto.randomUUID(),
      owner,
      'tokens',
      { status: 'all' },
      server.run.firstCursor('tokens'),
    );
    // Held by a (pretend) worker so nobody takes it on here.
    await server.store.claimExport(row.id);
    const response = await download(row.id, 'admin');
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe('conflict');
  });
});

describe('who sees an export', () => {
  it("answers 404 for another person's export, its progress and its file; an admin sees every one", async () => {
    const started = await start('tokens', { subject: 'nobody-at-all', status: 'all' }, 'support');
    await finished(started.id, 'support');
    for (const as of ['otherSupport', 'viewer'] as const) {
      const one = await call(routes.one.GET, {
        path: `/api/exports/${started.id}`,
        as,
        params: { exportId: started.id },
      });
      expect(one.status).toBe(404);
      expect((await one.json()).error.code).toBe('not_found');
      expect((await download(started.id, as)).status).toBe(404);
      const list = await (await call(routes.list.GET, { path: '/api/s/[service]/exports', as })).json();
      expect(list.exports.map((job: ExportJob) => job.id)).not.toContain(started.id);
    }
    expect((await download(started.id, 'admin')).status).toBe(200);
    const list = await (await call(routes.list.GET, { path: '/api/s/[service]/exports', as: 'support' })).json();
    expect(list.exports.map((job: ExportJob) => job.id)).toContain(started.id);
  });

  it('answers 401 signed out, and 404 for an export that has expired', async () => {
    const started = await start('tokens', { subject: 'nobody-at-all', status: 'all' }, 'viewer');
    await finished(started.id, 'viewer');
    expect((await download(started.id)).status).toBe(401);
    const db = await (await import('@/server/db')).getDb();
    const { exportJobs } = await import('@/server/db/schema');
    const { eq } = await import('drizzle-orm');
    await db
      .update(exportJobs)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(exportJobs.id, started.id));
    expect((await download(started.id, 'viewer')).status).toBe(404);
  });
});

describe('audit log export job', () => {
  it('exports the log for the filters, newest first, as the admin could read it', async () => {
    const started = await start('audit', { action: 'export.create' });
    const job = await finished(started.id);
    const body = await textOf(await download(started.id, 'admin'));
    const lines = body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      '\uFEFFoccurredAt,action,outcome,actorEmail,actorRole,subject,clientId,tokenHash,batchRequestId,count,reason,errorCode,requestId,ip,details',
    );
    expect(lines.length - 1).toBe(job.rowsDone);
    expect(job.rowsDone).toBeGreaterThan(0);
    expect(lines.slice(1).every((line) => line.split(',')[1] === 'export.create')).toBe(true);
    const { totalCount } = await server.audit.listAudit({ action: 'export.create', page: 1, pageSize: 20 } as never);
    // Its own create record was written after the snapshot was fixed... or before: never more than the log had.
    expect(job.rowsDone).toBeLessThanOrEqual(totalCount);
  });
});
