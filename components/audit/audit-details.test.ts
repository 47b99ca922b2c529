import { describe, expect, it } from 'vitest';
import { auditJobHref, auditJobId, changedFields } from './audit-details';

describe('changedFields', () => {
  const before = {
    scopes: ['openid', 'profile'],
    accessTokenExpiresAt: 1_764_000_000_000,
    refreshTokenExpiresAt: 1_765_000_000_000,
    properties: [{ key: 'tier', value: 'gold', hidden: false }],
  };

  it('lists only the fields that changed, with expiry as a moment', () => {
    const after = { ...before, accessTokenExpiresAt: 1_766_000_000_000 };
    expect(changedFields(before, after)).toEqual([
      {
        field: 'accessTokenExpiresAt',
        before: { kind: 'time', ms: 1_764_000_000_000 },
        after: { kind: 'time', ms: 1_766_000_000_000 },
      },
    ]);
  });

  it('shows a persistent token as never expiring, and scopes as words', () => {
    const after = { ...before, scopes: ['openid'], accessTokenExpiresAt: 0 };
    expect(changedFields(before, after)).toEqual([
      { field: 'scopes', before: { kind: 'text', text: 'openid profile' }, after: { kind: 'text', text: 'openid' } },
      { field: 'accessTokenExpiresAt', before: { kind: 'time', ms: 1_764_000_000_000 }, after: { kind: 'never' } },
    ]);
    expect(changedFields({ scopes: ['openid'] }, { scopes: [] })).toEqual([
      { field: 'scopes', before: { kind: 'text', text: 'openid' }, after: { kind: 'text', text: '(none)' } },
    ]);
  });

  it('compares nested values by content, not key order, and notices fields that appear or go', () => {
    const reordered = { ...before, properties: [{ hidden: false, value: 'gold', key: 'tier' }] };
    expect(changedFields(before, reordered)).toEqual([]);
    expect(changedFields({ a: 1 }, { a: 1, refreshTokenExpiresAt: 5 })).toEqual([
      { field: 'refreshTokenExpiresAt', before: { kind: 'absent' }, after: { kind: 'time', ms: 5 } },
    ]);
    expect(changedFields({ properties: [] }, { properties: [{ key: 'k', value: 'v', hidden: true }] })).toEqual([
      {
        field: 'properties',
        before: { kind: 'text', text: '(none)' },
        after: { kind: 'text', text: '[{"key":"k","value":"v","hidden":true}]' },
      },
    ]);
  });
});

describe('auditJobId', () => {
  it('names the job of a job step, and nothing for other entries or malformed ids', () => {
    const jobId = '0b7d4a4e-2a51-4b8e-9d54-0f4f7b0f6c11';
    expect(auditJobId({ details: { route: 'POST /api/jobs/[jobId]/chunks/[seq]/submit', jobId, chunk: 2 } })).toBe(
      jobId,
    );
    expect(auditJobId({ details: { route: 'POST /api/tokens' } })).toBeUndefined();
    expect(auditJobId({ details: { jobId: '../../audit' } })).toBeUndefined();
  });
});

describe('auditJobHref', () => {
  const jobId = '0b7d4a4e-2a51-4b8e-9d54-0f4f7b0f6c11';
  it('links a bulk-issuing step to its job page and an incident step to its revocation report', () => {
    expect(auditJobHref({ action: 'job.submit', service: 'staging' }, jobId)).toBe(`/s/staging/batches/${jobId}`);
    expect(auditJobHref({ action: 'incident.finish', service: 'eu-prod' }, jobId)).toBe(
      `/api/s/eu-prod/incidents/revocations/${jobId}/report`,
    );
    // A service name that is not a slug is not put into the address (nor is a missing one).
    expect(auditJobHref({ action: 'job.submit', service: null }, jobId)).toBe(`/s/default/batches/${jobId}`);
    expect(auditJobHref({ action: 'client.lock', service: '../x' }, jobId)).toBe(
      `/api/s/default/incidents/revocations/${jobId}/report`,
    );
  });
});
