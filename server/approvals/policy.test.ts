import { describe, expect, it } from 'vitest';
import { loadConfig } from '@/server/config/load';
import { needsApproval } from './policy';

const defaults = loadConfig({}).security.approvals;

describe('needsApproval', () => {
  it('has the documented defaults: bulk issue over 1,000, revoke-all for a whole client, offboarding over 100, 24 h', () => {
    expect(defaults).toEqual({ bulkIssueOver: 1000, revokeAllForClient: true, offboardingOver: 100, expiryHours: 24 });
  });

  it('asks for a second person for a bulk issue over the threshold only', () => {
    expect(needsApproval('bulk_issue', { tokenCount: 1000 }, defaults)).toBe(false);
    expect(needsApproval('bulk_issue', { tokenCount: 1001 }, defaults)).toBe(true);
    expect(needsApproval('bulk_issue', {}, defaults)).toBe(false);
  });

  it('asks for a revoke-all over a whole client, unless switched off', () => {
    expect(needsApproval('revoke_all_client', { wholeClient: true }, defaults)).toBe(true);
    expect(needsApproval('revoke_all_client', { wholeClient: false }, defaults)).toBe(false);
    expect(needsApproval('revoke_all_client', { wholeClient: true }, { ...defaults, revokeAllForClient: false })).toBe(
      false,
    );
  });

  it('asks for an offboarding over its threshold, read from the environment', () => {
    const policy = loadConfig({ APPROVAL_OFFBOARDING_OVER: '5', APPROVAL_BULK_ISSUE_OVER: '0' }).security.approvals;
    expect(needsApproval('offboarding', { tokenCount: 5 }, policy)).toBe(false);
    expect(needsApproval('offboarding', { tokenCount: 6 }, policy)).toBe(true);
    expect(needsApproval('bulk_issue', { tokenCount: 1 }, policy)).toBe(true);
  });
});
