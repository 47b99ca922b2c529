import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Bulk issuing from CSV against the emulator: bad rows found before anything is sent, dry run,
 * chunked submission, a reload while Authlete works, a job the server finishes after the browser
 * is closed, a failing chunk narrowed and resumed
 * without creating any token twice, and a migration file run again whose existing rows are all
 * found by the dry run and left out.
 */
const emulatorUrl = `http://127.0.0.1:${process.env.E2E_EMULATOR_PORT ?? 4110}`;
const HEADER = 'grantType,clientId,subject,scopes,accessTokenDuration';

async function setFaults(faults: Record<string, unknown>) {
  const response = await fetch(`${emulatorUrl}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.ok).toBe(true);
}

async function signInAs(page: Page, role: 'viewer' | 'support' | 'admin') {
  const base = test.info().project.use.baseURL!;
  const response = await page.request.post('/api/auth/sign-in/email', {
    data: { email: `${role}@demo.local`, password: 'token-desk-demo' },
    headers: { origin: base },
  });
  expect(response.ok()).toBe(true);
}

const signInAsAdmin = (page: Page) => signInAs(page, 'admin');

/** The file's rows and values live in a worker; once the job is final it ends, and the values with it. */
async function expectValuesForgotten(page: Page) {
  await expect(page.getByText('The job is finished, so this tab no longer holds them.')).toBeVisible();
  await expect(page.getByRole('button', { name: /Download again/ })).toHaveCount(0);
  await expect.poll(() => page.workers().length).toBe(0);
}

async function serviceFacts(page: Page) {
  const clients = (await (await page.request.get('/api/s/production/clients')).json()) as {
    clients: { clientId: string; clientIdAlias?: string }[];
  };
  const withAlias = clients.clients.find((client) => client.clientIdAlias)!;
  return { clientId: clients.clients[0]!.clientId, alias: withAlias.clientIdAlias! };
}

function writeCsv(name: string, content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'td-batch-')), name);
  fs.writeFileSync(file, content);
  return file;
}

function goodRows(prefix: string, clientId: string, alias: string, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `AUTHORIZATION_CODE,${i % 2 ? alias : clientId},${prefix}-${i},openid profile,3600`,
  );
}

async function chooseFile(page: Page, file: string) {
  await page.locator('input[type=file]:enabled').first().setInputFiles(file);
}

async function expectNoSeriousA11yViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id),
  ).toEqual([]);
}

async function tokenCount(page: Page, subject: string): Promise<number> {
  const response = await page.request.get(`/api/s/production/tokens?subject=${encodeURIComponent(subject)}&status=all`);
  return ((await response.json()) as { totalCount: number }).totalCount;
}

test.afterEach(async () => {
  await setFaults({});
});

test('finds bad rows, then dry-runs, submits in chunks and finishes across a reload', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  const { clientId, alias } = await serviceFacts(page);
  const run = `e2e-${Date.now()}`;
  await page.goto('/batches/new');

  // A file in the wrong format is refused with a sentence that says how to fix it.
  await chooseFile(page, writeCsv('semicolons.csv', `grantType;clientId;subject\nPASSWORD;${clientId};x\n`));
  await expect(page.getByRole('alert').filter({ hasText: 'semicolons.csv cannot be used' })).toContainText(
    'separates columns with semicolons',
  );

  // Bad rows are listed by line and column; nothing can be sent yet.
  const bad = [
    HEADER,
    ...goodRows(run, clientId, alias, 2),
    `PASSWORD,${clientId},${run}-x,=cmd|calc,60`,
    `PASSWORD,999,${run}-y,openid,60`,
    `PASSWORD,${clientId},,openid,60`,
  ];
  await chooseFile(page, writeCsv('tokens.csv', `${bad.join('\r\n')}\r\n`));
  const table = page.getByRole('table', { name: 'Invalid rows' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.getByRole('row').nth(1)).toContainText(
    '4scopes=cmd|calcScope "=cmd|calc" is not supported by the service.',
  );
  await expect(table.getByRole('row').nth(2)).toContainText('No client with ID 999 exists on this service.');
  await expect(table.getByRole('row').nth(3)).toContainText(
    'Subject is required unless the grant type is client credentials (no subject) or jwt bearer (optional).',
  );
  await expect(page.getByRole('button', { name: /Dry run/ })).toBeDisabled();
  await expectNoSeriousA11yViolations(page);

  // The error report neutralises formulas from the file.
  const reportDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the error report (CSV)' }).click();
  const report = fs.readFileSync((await (await reportDownload).path())!, 'utf8');
  expect(report).toContain("4,scopes,'=cmd|calc,");
  expect(report).not.toMatch(/(^|,)=cmd/m);

  // Fixed file: 12 rows in chunks of 5.
  await chooseFile(page, writeCsv('tokens.csv', `${[HEADER, ...goodRows(run, clientId, alias, 12)].join('\r\n')}\r\n`));
  await expect(page.getByRole('definition').filter({ hasText: /^12$/ }).first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Invalid rows' })).toHaveCount(0);
  await page.getByLabel('Rows per Authlete batch').fill('5');
  await page.getByRole('button', { name: 'Dry run 12 rows' }).click();
  // The server's job workers ask Authlete for the dry runs' results; the page reads them.
  await expect(page.getByText('Dry run passed: Authlete accepts all 12 rows.')).toBeVisible({ timeout: 20_000 });
  expect(await tokenCount(page, `${run}-0`)).toBe(0);

  // Authlete answers status questions slowly, so the job is still processing when we reload.
  await setFaults({ latencyMs: 1500, operations: ['auth_token_create_batch_status_api'] });
  const valuesDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the values and submit 12 tokens' }).click();
  const values = fs
    .readFileSync((await (await valuesDownload).path())!, 'utf8')
    .replace(/\r\n$/, '')
    .split(/\r\n/);
  expect(values[0]).toBe('\uFEFFline,subject,clientId,accessToken,refreshToken');
  expect(values).toHaveLength(13);
  expect(values[1]).toMatch(
    new RegExp(`^2,${run}-0,${clientId},[A-Za-z0-9_][A-Za-z0-9_-]{42},[A-Za-z0-9_][A-Za-z0-9_-]{42}$`),
  );

  await expect(page).toHaveURL(/\/batches\/[0-9a-f-]{36}$/);
  await expect(page.getByText(/Authlete is processing|Still processing/)).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'tokens.csv' })).toBeVisible();
  await setFaults({});
  await expect(page.getByText('Finished: 12 tokens created.')).toBeVisible({ timeout: 45_000 });
  await expect(page.locator('[data-job-state="completed"]')).toBeVisible();
  await expect(page.locator('tr[data-state="succeeded"]')).toHaveCount(3);
  await expectNoSeriousA11yViolations(page);
  for (const i of [0, 5, 11]) expect(await tokenCount(page, `${run}-${i}`)).toBe(1);

  await page.goto('/batches');
  await expect(page.getByRole('table', { name: 'Jobs' }).getByRole('row').nth(1)).toContainText('admin@demo.local');

  // The audit log names each job step and links it to its job.
  await page.getByRole('table', { name: 'Jobs' }).getByRole('link', { name: 'tokens.csv' }).first().click();
  await expect(page).toHaveURL(/\/batches\/[0-9a-f-]{36}$/);
  const jobPath = new URL(page.url()).pathname;
  const jobId = jobPath.split('/batches/')[1]!;
  await page.goto('/audit?action=job.submit');
  const submission = page.getByRole('row').filter({ hasText: 'job.submit' }).first();
  await expect(submission).toBeVisible();
  await submission.getByRole('link', { name: `job ${jobId.slice(0, 8)}…` }).click();
  await expect(page).toHaveURL(new RegExp(`${jobPath}$`));
  await expect(page.getByRole('heading', { name: 'tokens.csv' })).toBeVisible();
});

test('a job finishes on the server after the browser is closed mid-job', async ({ browser, playwright }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAsAdmin(page);
  const { clientId, alias } = await serviceFacts(page);
  const run = `e2e-closed-${Date.now()}`;
  await page.goto('/batches/new');
  await chooseFile(page, writeCsv('closed.csv', `${[HEADER, ...goodRows(run, clientId, alias, 6)].join('\n')}\n`));
  await page.getByLabel('Rows per Authlete batch').fill('3');
  await page.getByRole('button', { name: 'Dry run 6 rows' }).click();
  await expect(page.getByText('Dry run passed')).toBeVisible();

  // Authlete answers status questions with 429 for now: every batch is sent, none is known finished.
  await setFaults({ rateLimitRate: 1, retryAfterSeconds: 2, operations: ['auth_token_create_batch_status_api'] });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /submit 6 tokens/ }).click();
  await download;
  await expect(page).toHaveURL(/\/batches\/[0-9a-f-]{36}$/);
  const jobId = new URL(page.url()).pathname.split('/').pop()!;
  await expect(page.locator('tr[data-state="running"]')).toHaveCount(2);
  await context.close();
  await setFaults({});

  // No browser has the job open: reading it (which never asks Authlete) shows the server finishing it.
  const base = test.info().project.use.baseURL!;
  const api = await playwright.request.newContext({ baseURL: base, extraHTTPHeaders: { origin: base } });
  await api.post('/api/auth/sign-in/email', { data: { email: 'viewer@demo.local', password: 'token-desk-demo' } });
  await expect
    .poll(
      async () =>
        ((await (await api.get(`/api/s/production/jobs/${jobId}`)).json()) as { job: { state: string } }).job.state,
      {
        timeout: 45_000,
      },
    )
    .toBe('completed');
  for (let i = 0; i < 6; i++) {
    const list = await api.get(`/api/s/production/tokens?subject=${run}-${i}&status=all`);
    expect(((await list.json()) as { totalCount: number }).totalCount).toBe(1);
  }
  await api.dispose();
});

test('a chunk that fails halfway is narrowed and the rest resubmitted without duplicates', async ({ page }) => {
  await signInAsAdmin(page);
  const { clientId, alias } = await serviceFacts(page);
  const run = `e2e-fail-${Date.now()}`;
  await page.goto('/batches/new');
  await chooseFile(page, writeCsv('migrate.csv', `${[HEADER, ...goodRows(run, clientId, alias, 8)].join('\n')}\n`));
  await page.getByLabel('Rows per Authlete batch').fill('4');
  await page.getByRole('button', { name: 'Dry run 8 rows' }).click();
  await expect(page.getByText('Dry run passed')).toBeVisible();

  // Every batch now fails at its third element, after creating the first two tokens.
  await setFaults({ failBatchElement: 2 });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /submit 8 tokens/ }).click();
  await download;
  await expect(page.locator('[data-job-state="attention"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('tr[data-state="failed"]')).toHaveCount(2);
  await expect(page.locator('tr[data-chunk="0"]')).toContainText('Element [2]');
  await setFaults({});

  for (const seq of [0, 1]) {
    await page
      .locator(`tr[data-chunk="${seq}"]`)
      .getByRole('button', { name: 'Find bad rows and resubmit the rest' })
      .click();
    await expect(
      page.getByText(new RegExp(`Batch ${seq} narrowed: 0 already present, 0 rejected, 2 rows resubmitted`)),
    ).toBeVisible({ timeout: 30_000 });
  }
  await expect(page.getByText('Finished: 8 tokens created.')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('tr[data-state="narrowed"]')).toHaveCount(2);
  for (let i = 0; i < 8; i++) expect(await tokenCount(page, `${run}-${i}`)).toBe(1);
});

test('an interrupted submission resumes from the original file and the values file', async ({ page }) => {
  await signInAsAdmin(page);
  const { clientId, alias } = await serviceFacts(page);
  const run = `e2e-resume-${Date.now()}`;
  const original = writeCsv('resume.csv', `${[HEADER, ...goodRows(run, clientId, alias, 6)].join('\n')}\n`);
  await page.goto('/batches/new');
  await chooseFile(page, original);
  await page.getByLabel('Rows per Authlete batch').fill('2');
  await page.getByRole('button', { name: 'Dry run 6 rows' }).click();
  await expect(page.getByText('Dry run passed')).toBeVisible();

  // Authlete takes 3 s to accept each batch: the tab is closed (reloaded) while sending.
  await setFaults({ latencyMs: 3000, operations: ['auth_token_create_batch_api'] });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /submit 6 tokens/ }).click();
  const valuesFile = path.join(path.dirname(original), 'values.csv');
  await (await download).saveAs(valuesFile);
  await expect(page.getByText(/Sending batches from this tab: 0 of 3/)).toBeVisible();
  page.on('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await setFaults({});

  // Batches already with Authlete go on; the rest (at least the third) waits for the files.
  const panel = page.getByRole('region', { name: /Interrupted: [246] rows not sent yet/ });
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await panel.getByLabel('Original file').setInputFiles(original);
  await panel.getByLabel('Values file').setInputFiles(valuesFile);
  await panel.getByRole('button', { name: 'Check and resume' }).click();
  await expect(page.getByText('The generated token values are in values.csv.')).toBeVisible();
  await expect(page.getByText('Finished: 6 tokens created.')).toBeVisible({ timeout: 30_000 });
  await expectValuesForgotten(page);
  for (let i = 0; i < 6; i++) expect(await tokenCount(page, `${run}-${i}`)).toBe(1);

  // The tokens carry the values from the downloaded file.
  const [, first] = fs.readFileSync(valuesFile, 'utf8').split('\r\n');
  const accessToken = first!.split(',')[3]!;
  const hash = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))).toString(
    'base64url',
  );
  const lookup = await page.request.get(`/api/s/production/tokens/${hash}?subject=${encodeURIComponent(`${run}-0`)}`);
  expect(lookup.status()).toBe(200);
});

test('a migration file run again: every row already in Authlete is listed after the dry run, excluded, and the rest goes in', async ({
  page,
}) => {
  // Dry runs with slow status answers, narrowing, exclusion and submission: more than a minute on a busy machine.
  test.slow();
  await signInAsAdmin(page);
  const { clientId } = await serviceFacts(page);
  const run = `e2e-mig-${Date.now()}`;
  const rows = Array.from({ length: 12 }, (_, i) => ({
    subject: `${run}-${i}`,
    accessToken: randomBytes(32).toString('base64url'),
  }));
  // An earlier run created rows 1, 3 and 4 (first batch of 5) and 10 (third batch).
  const existing = [1, 3, 4, 10];
  for (const i of existing) {
    const response = await page.request.post('/api/s/production/tokens', {
      data: {
        grantType: 'AUTHORIZATION_CODE',
        clientId,
        subject: rows[i]!.subject,
        scopes: ['openid'],
        accessToken: rows[i]!.accessToken,
      },
      headers: { origin: test.info().project.use.baseURL! },
    });
    expect(response.status()).toBe(201);
  }
  const csv = [
    `${HEADER},accessToken`,
    ...rows.map((row) => `AUTHORIZATION_CODE,${clientId},${row.subject},openid profile,3600,${row.accessToken}`),
  ];
  await page.goto('/batches/new');
  await chooseFile(page, writeCsv('migration.csv', `${csv.join('\n')}\n`));
  await page.getByLabel('Rows per Authlete batch').fill('5');
  // Slow dry-run answers, so the narrowing is seen while it works.
  await setFaults({ latencyMs: 400, operations: ['auth_token_create_batch_status_api'] });
  await page.getByRole('button', { name: 'Dry run 12 rows' }).click();

  // Authlete stops each dry run at its first bad row; Token Desk finds all of them, showing its progress.
  await expect(page.getByRole('status').filter({ hasText: 'Token Desk is finding every bad row' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole('progressbar', { name: 'Finding bad rows' })).toBeVisible();
  const refused = page.getByRole('table', { name: 'Rows Authlete refused' });
  await expect(refused.getByRole('row')).toHaveCount(1 + existing.length, { timeout: 30_000 });
  for (const [k, i] of existing.entries()) {
    const row = refused.getByRole('row').nth(k + 1);
    await expect(row.getByRole('cell').first()).toHaveText(String(i + 2));
    await expect(row).toContainText('Already present in Authlete');
    await expect(row).toContainText(/A\d+The access token value cannot be used/);
  }
  await expect(
    page.getByRole('alert').filter({ hasText: 'Authlete refused 4 rows in the dry run; nothing was created.' }),
  ).toBeVisible();
  await setFaults({});
  await expect(page.getByRole('button', { name: /submit/i })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  const reportDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the error report (CSV)' }).click();
  const report = fs.readFileSync((await (await reportDownload).path())!, 'utf8');
  for (const i of existing)
    expect(report).toMatch(new RegExp(`^${i + 2},accessToken,,Already present in Authlete`, 'm'));
  expect(report).not.toContain(rows[1]!.accessToken);

  await page.getByRole('button', { name: 'Exclude these 4 rows and dry-run the rest' }).click();
  await expect(
    page.getByText('Dry run passed: Authlete accepts the other 8 rows (4 refused rows excluded).'),
  ).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousA11yViolations(page);
  const valuesDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: /submit 8 tokens/ }).click();
  // The values file holds the 8 rows issued, not the 4 excluded after the dry run (never created).
  const valueLines = fs
    .readFileSync((await (await valuesDownload).path())!, 'utf8')
    .replace(/\r\n$/, '')
    .split(/\r\n/)
    .slice(1);
  expect(valueLines.map((line) => Number(line.split(',')[0]))).toEqual(
    rows.map((_, i) => i + 2).filter((line) => !existing.includes(line - 2)),
  );
  await expect(page.getByText('Finished: 8 tokens created, 4 already present.')).toBeVisible({ timeout: 45_000 });
  await expectValuesForgotten(page);
  // The job keeps the record: two batches had their bad rows excluded after the dry run, four rows were already there.
  await expect(page.locator('tr[data-state="narrowed"]')).toHaveCount(2);
  await expect(page.locator('tr[data-chunk="0"]')).toContainText('bad rows excluded after the dry run');
  await expect(
    page
      .getByRole('table', { name: 'Rows not created' })
      .getByRole('row')
      .filter({ hasText: 'Already present in Authlete' }),
  ).toHaveCount(4);
  await expectNoSeriousA11yViolations(page);
  for (let i = 0; i < rows.length; i++) expect(await tokenCount(page, rows[i]!.subject)).toBe(1);
});

test('every role sees Jobs in the navigation; only admins see or may use any job action', async ({ page }) => {
  // A job set up through the API, then three sign-ins each with two pages and four API calls.
  test.slow();
  await signInAsAdmin(page);
  const { clientId } = await serviceFacts(page);
  const base = test.info().project.use.baseURL!;
  const post = (request: APIRequestContext, url: string, data?: unknown) =>
    request.post(url, { data, headers: { origin: base } });
  // An interrupted job: two chunks dry-run, only the first submitted.
  const run = `e2e-roles-${Date.now()}`;
  const tokens = [0, 1].map((i) => ({ grantType: 'PASSWORD', clientId, subject: `${run}-${i}`, scopes: ['openid'] }));
  const created = await post(page.request, '/api/s/production/jobs', {
    fileName: 'roles.csv',
    fileSha256: 'c'.repeat(64),
    fileBytes: 100,
    fileRows: 2,
    rowCount: 2,
    excludedRows: 0,
    generatedRows: 0,
    chunkSize: 1,
    chunks: [
      { rowFrom: 0, rowTo: 1, firstLine: 2, lastLine: 2 },
      { rowFrom: 1, rowTo: 2, firstLine: 3, lastLine: 3 },
    ],
  });
  expect(created.status()).toBe(201);
  const jobId = ((await created.json()) as { job: { id: string } }).job.id;
  for (const seq of [0, 1])
    expect(
      (
        await post(page.request, `/api/s/production/jobs/${jobId}/chunks/${seq}/dry-run`, { tokens: [tokens[seq]] })
      ).status(),
    ).toBe(202);
  await expect
    .poll(async () =>
      (
        (await (await page.request.get(`/api/s/production/jobs/${jobId}`)).json()) as {
          chunks: { dryRunState: string }[];
        }
      ).chunks
        .map((c) => c.dryRunState)
        .join(),
    )
    .toBe('succeeded,succeeded');
  expect(
    (await post(page.request, `/api/s/production/jobs/${jobId}/chunks/0/submit`, { tokens: [tokens[0]] })).status(),
  ).toBe(202);

  for (const role of ['viewer', 'support', 'admin'] as const) {
    await page.context().clearCookies();
    await signInAs(page, role);
    await page.goto('/tokens');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Jobs' }).click();
    await expect(page).toHaveURL(/\/batches$/);
    await expect(page.getByRole('heading', { name: 'Bulk-issuing jobs' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Bulk issue' })).toHaveCount(role === 'admin' ? 1 : 0);
    await expect(page.getByRole('link', { name: 'Bulk issue', exact: true })).toHaveCount(role === 'admin' ? 2 : 0);

    await page.getByRole('table', { name: 'Jobs' }).getByRole('link', { name: 'roles.csv' }).first().click();
    await expect(page.getByRole('heading', { name: 'roles.csv' })).toBeVisible();
    await expect(page.locator('tr[data-chunk="1"]')).toHaveAttribute('data-state', 'pending');
    await expect(page.getByRole('region', { name: /Interrupted: 1 row not sent yet/ })).toHaveCount(
      role === 'admin' ? 1 : 0,
    );
    await expect(page.getByRole('button', { name: /resume|Check the files|Find bad rows/i })).toHaveCount(
      role === 'admin' ? 1 : 0,
    );

    const resume = await post(page.request, `/api/s/production/jobs/${jobId}/resume`);
    expect(resume.status(), role).toBe(role === 'admin' ? 200 : 403);
    const submit = await post(page.request, `/api/s/production/jobs/${jobId}/chunks/1/submit`, { tokens: [tokens[1]] });
    expect(submit.status(), role).toBe(role === 'admin' ? 202 : 403);
  }
  // The refusals were audited as denials, naming who and which route.
  const audit = (await (await page.request.get('/api/s/production/audit?action=auth.denied&pageSize=100')).json()) as {
    entries: { actor: { role: string } | null; details: { route?: string } }[];
  };
  for (const role of ['viewer', 'support']) {
    const routes = audit.entries.filter((entry) => entry.actor?.role === role).map((entry) => entry.details.route);
    expect(routes).toContain('POST /api/s/[service]/jobs/[jobId]/resume');
    expect(routes).toContain('POST /api/s/[service]/jobs/[jobId]/chunks/[seq]/submit');
  }
});
