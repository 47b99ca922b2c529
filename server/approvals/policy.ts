import type { ApprovalAction } from '@/lib/schemas/approval';
import type { SecurityConfig } from '@/server/config';

/** What the policy looks at: how many tokens the action touches, and whether it covers a whole client. */
export interface ApprovalFacts {
  tokenCount?: number;
  wholeClient?: boolean;
}

/**
 * Whether an action needs a second person (APPROVAL_* variables): a bulk issue of more than
 * APPROVAL_BULK_ISSUE_OVER tokens, a revoke-all for a whole client when APPROVAL_REVOKE_ALL_CLIENT,
 * an offboarding of more than APPROVAL_OFFBOARDING_OVER tokens.
 */
export function needsApproval(
  action: ApprovalAction,
  facts: ApprovalFacts,
  policy: SecurityConfig['approvals'],
): boolean {
  switch (action) {
    case 'bulk_issue':
      return (facts.tokenCount ?? 0) > policy.bulkIssueOver;
    case 'revoke_all_client':
      return policy.revokeAllForClient && facts.wholeClient === true;
    case 'offboarding':
      return (facts.tokenCount ?? 0) > policy.offboardingOver;
  }
}
