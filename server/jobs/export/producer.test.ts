import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditColumnsLine, tokenColumnsLine } from '@/lib/csv/export-lines';
import type { Token } from '@/lib/schemas';
import type { AuditFilter, AuditRecord } from '@/lib/schemas/audit';
import type { TokenExportFilter } from '@/lib/schemas/export';
import {
  auditExportStep,
  firstAuditCursor,
  firstTokenCursor,
  TOKEN_RESYNC_OVERLAP,
  tokenExportStep,
  type AuditCursor,
  type AuditSource,
  type TokenCursor,
  type TokenSource,
} from './producer';

const filter: TokenExportFilter = { status: 'all' };

function token(index: number): Token {
  return {
    accessTokenHash: `h${String(index).padStart(42, '0')}`,
    clientId: '917364',
    subject: index % 7 === 0 ? `=cmd|${index}` : `user-${index}`,
    grantType: 'PASSWORD',
    scopes: ['openid'],
    createdAt: Date.UTC(2026, 0, 1) + index * 1000,
    accessTokenExpiresAt: 0,
    refreshTokenExpiresAt: 0,
    lastRefreshedAt: 0,
    properties: [],
  };
}

/** An in-memory Authlete list (offset based, oldest first) the test can change between steps. */
function tokenList(count: number) {
  const tokens = Array.from({ length: count }, (_, i) => token(i));
  const calls: Array<[number, number]> = [];
  const source: TokenSource = {
    listTokens: async (_filter, start, end) => {
      calls.push([start, end]);
      return { tokens: tokens.slice(start, end), totalCount: tokens.length };
    },
    clients: new Map([['917364', { clientName: '@Evil, "Corp"' }]]),
  };
  return { tokens, source, calls };
}

/** Runs steps to the end; `between` runs after each step with the cursor as stored (JSON). */
async function runTokens(
  source: TokenSource,
  rows: number,
  between: (cursor: TokenCursor, step: number) => void = () => {},
) {
  let cursor: TokenCursor | null = firstTokenCursor;
  let csv = '';
  const progress: number[] = [];
  for (let step = 0; cursor; step++) {
    const result = await tokenExportStep(source, filter, cursor, { rows });
    csv += result.chunk;
    progress.push(result.progress.done);
    cursor = result.next && (JSON.parse(JSON.stringify(result.next)) as TokenCursor);
    if (cursor) between(cursor, step);
  }
  return { csv, progress };
}

const hashesIn = (csv: string) =>
  csv
    .split('\r\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(',')[0]!);

describe('tokenExportStep', () => {
  it('writes the header once, then every token once, escaping cells as the browser export does', async () => {
    const { tokens, source } = tokenList(25);
    const { csv, progress } = await runTokens(source, 10);
    expect(csv.startsWith(tokenColumnsLine)).toBe(true);
    expect(csv.split(tokenColumnsLine)).toHaveLength(2);
    expect(hashesIn(csv)).toEqual(tokens.map((t) => t.accessTokenHash));
    expect(csv).toContain(`,'=cmd|0,917364,"'@Evil, ""Corp""",PASSWORD,`);
    expect(progress).toEqual([10, 20, 25]);
  });

  it('writes only the header for an empty list', async () => {
    const { source } = tokenList(0);
    expect((await runTokens(source, 10)).csv).toBe(tokenColumnsLine);
  });

  it('reads on from where it stopped: one range per step, re-reading a little to find its place', async () => {
    const { source, calls } = tokenList(45);
    await runTokens(source, 20);
    expect(calls).toEqual([
      [0, 20],
      [20 - TOKEN_RESYNC_OVERLAP, 40],
      [40 - TOKEN_RESYNC_OVERLAP, 60],
    ]);
  });

  it('resumed from its stored cursor after any step, in a fresh run, gives the bytes of one pass', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 130 }), fc.integer({ min: 1, max: 40 }), async (count, rows) => {
        const { source } = tokenList(count);
        const single = (await runTokens(source, rows)).csv;
        // Each step starts from a cursor that went through JSON, as from the database after a restart.
        const pieces: string[] = [];
        let cursor: TokenCursor | null = firstTokenCursor;
        while (cursor) {
          const result = await tokenExportStep(tokenList(count).source, filter, cursor, { rows });
          pieces.push(result.chunk);
          cursor = result.next && (JSON.parse(JSON.stringify(result.next)) as TokenCursor);
        }
        expect(pieces.join('')).toBe(single);
      }),
      { numRuns: 60 },
    );
  });

  it('neither repeats nor skips a token when tokens before its place go away between steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 30, max: 120 }),
        fc.integer({ min: 5, max: 30 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (count, rows, removals) => {
          const { tokens, source } = tokenList(count);
          const { csv } = await runTokens(source, rows, (cursor, step) => {
            // Up to the overlap's worth of already-written tokens expire or are revoked.
            const gone = Math.min(removals[step] ?? 0, TOKEN_RESYNC_OVERLAP - 1, cursor.offset - 1);
            for (let i = 0; i < gone; i++) {
              const at = cursor.offset - 2 - i;
              if (at < 0) break;
              tokens.splice(at, 1);
            }
          });
          const written = hashesIn(csv);
          expect(new Set(written).size).toBe(written.length);
          const all = Array.from({ length: count }, (_, i) => token(i).accessTokenHash);
          // The tokens that went had been written already: every token appears once, in order.
          expect(written).toEqual(all);
        },
      ),
      { numRuns: 60 },
    );
  });
});

// ── audit ────────────────────────────────────────────────────────────────────

function auditRecord(id: number): AuditRecord {
  return {
    id: String(id),
    occurredAt: Date.UTC(2026, 0, 1) + id,
    service: 'default',
    action: 'token.revoke',
    outcome: 'success',
    actor: { id: 'u1', email: 'ana@example.com', role: 'admin', method: 'password' },
    ip: '127.0.0.1',
    userAgent: null,
    requestId: `r${id}`,
    target: { tokenHash: null, clientId: null, subject: id % 5 === 0 ? '+1 evil' : `s${id}`, batchRequestId: null },
    upstream: { status: null, resultCode: null },
    errorCode: null,
    count: 1,
    reason: null,
    details: {},
  };
}

function auditLog(count: number) {
  const records = Array.from({ length: count }, (_, i) => auditRecord(i + 1));
  const matches = (record: AuditRecord, f: AuditFilter) => !f.subject || record.target.subject === f.subject;
  const source: AuditSource = {
    newestId: async () => records.length,
    count: async (f, beforeId) => records.filter((r) => Number(r.id) < beforeId && matches(r, f)).length,
    listBefore: async (f, beforeId, limit) =>
      records
        .filter((r) => Number(r.id) < beforeId && matches(r, f))
        .sort((a, b) => Number(b.id) - Number(a.id))
        .slice(0, limit),
  };
  return { records, source };
}

async function runAudit(source: AuditSource, rows: number, between: () => void = () => {}) {
  let cursor: AuditCursor | null = firstAuditCursor;
  let csv = '';
  let total = 0;
  while (cursor) {
    const result = await auditExportStep(source, {}, cursor, { rows });
    csv += result.chunk;
    total = result.progress.total;
    cursor = result.next && (JSON.parse(JSON.stringify(result.next)) as AuditCursor);
    between();
  }
  return { csv, total };
}

describe('auditExportStep', () => {
  it('writes the log newest first, keyset-paged, escaped, with the count of the snapshot', async () => {
    const { source } = auditLog(23);
    const { csv, total } = await runAudit(source, 5);
    expect(csv.startsWith(auditColumnsLine)).toBe(true);
    const ids = csv
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(',')[12]);
    expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => `r${23 - i}`));
    expect(csv).toContain(",'+1 evil,");
    expect(total).toBe(23);
  });

  it('leaves out records written while it runs, and resumed gives the bytes of one pass', async () => {
    const single = (await runAudit(auditLog(40).source, 7)).csv;
    const growing = auditLog(40);
    const resumed = await runAudit(growing.source, 7, () =>
      growing.records.push(auditRecord(growing.records.length + 1)),
    );
    expect(resumed.csv).toBe(single);
    expect(resumed.total).toBe(40);
  });
});
