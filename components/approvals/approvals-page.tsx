'use client';

import { useTranslations } from 'next-intl';
import { useCan } from '@/components/shell/actor-context';
import { useApprovals, useDecideApproval } from '@/components/data/approvals';
import { buttonClass } from '@/components/ui/button';
import { EmptyState, ErrorDescription, ErrorState, SkeletonRows } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import type { Approval, ApprovalPolicy } from '@/lib/schemas/approval';

function Decide({ approval }: { approval: Approval }) {
  const t = useTranslations();
  const decide = useDecideApproval();
  const run = (decision: 'approve' | 'reject') =>
    decide.mutate(
      { id: approval.id, decision },
      {
        onSuccess: () => toast.success(decision === 'approve' ? t('approvals.approved') : t('approvals.rejected')),
        onError: (error) =>
          toast.error(t('approvals.decideFailed'), { description: <ErrorDescription error={error} /> }),
      },
    );
  return (
    <div className="flex gap-1">
      <button
        type="button"
        className={buttonClass('primary', 'sm')}
        disabled={decide.isPending}
        onClick={() => run('approve')}
        aria-label={t('approvals.approveFor', { email: approval.requestedByEmail })}
      >
        {t('approvals.approve')}
      </button>
      <button
        type="button"
        className={buttonClass('danger', 'sm')}
        disabled={decide.isPending}
        onClick={() => run('reject')}
        aria-label={t('approvals.rejectFor', { email: approval.requestedByEmail })}
      >
        {t('approvals.reject')}
      </button>
    </div>
  );
}

const actionKeys = {
  bulk_issue: 'approvals.action.bulk_issue',
  revoke_all_client: 'approvals.action.revoke_all_client',
  offboarding: 'approvals.action.offboarding',
} as const;
const stateKeys = {
  pending: 'approvals.state.pending',
  approved: 'approvals.state.approved',
  rejected: 'approvals.state.rejected',
  expired: 'approvals.state.expired',
  executed: 'approvals.state.executed',
} as const;

/** /s/[service]/approvals: four-eyes requests; another admin approves or rejects pending ones. */
export function ApprovalsPage({ policy }: { policy: ApprovalPolicy }) {
  const t = useTranslations();
  const canDecide = useCan('approvals:decide');
  const list = useApprovals();
  return (
    <div className="flex flex-col gap-4 text-sm">
      <h1 className="text-lg font-semibold">{t('approvals.title')}</h1>
      <section aria-labelledby="approval-policy" className="rounded-md bg-zinc-50 p-3 dark:bg-zinc-900">
        <h2 id="approval-policy" className="font-medium">
          {t('approvals.policy.title')}
        </h2>
        <ul className="mt-1 list-disc pl-5 text-zinc-700 dark:text-zinc-300">
          <li>{t('approvals.policy.bulkIssue', { count: policy.bulkIssueOver })}</li>
          <li>
            {policy.revokeAllForClient ? t('approvals.policy.wholeClient') : t('approvals.policy.wholeClientOff')}
          </li>
          <li>{t('approvals.policy.offboarding', { count: policy.offboardingOver })}</li>
          <li>{t('approvals.policy.expiry', { hours: policy.expiryHours })}</li>
        </ul>
      </section>
      {list.isPending ? (
        <SkeletonRows rows={3} columns={5} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.approvals.length === 0 ? (
        <EmptyState title={t('approvals.empty')} />
      ) : (
        <ul className="flex flex-col gap-2">
          {list.data.approvals.map((approval) => (
            <li
              key={approval.id}
              className="flex flex-col gap-1 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium">
                  {t(actionKeys[approval.action])}
                  {approval.tokenCount !== null && ` · ${t('approvals.tokens', { count: approval.tokenCount })}`}
                </span>
                <span className="text-xs text-zinc-600 dark:text-zinc-400">{t(stateKeys[approval.state])}</span>
              </div>
              <p className="break-words">
                {t('approvals.requestedBy', { email: approval.requestedByEmail })}
                {approval.ticket && ` · ${approval.ticket}`}
              </p>
              <p className="break-words text-zinc-700 dark:text-zinc-300">{approval.justification}</p>
              <p className="text-xs text-zinc-600 dark:text-zinc-400">
                {t('approvals.expires', { at: new Date(approval.expiresAt) })}
              </p>
              {canDecide && approval.state === 'pending' && <Decide approval={approval} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
