'use client';

import { useTranslations } from 'next-intl';
import { lazy, Suspense, useEffect, useState } from 'react';
import { setChallengeHandler } from '@/lib/api-client';
import { toast } from '@/components/ui/toast';
import type { Challenge } from './challenge-dialogs';

// Loaded at the first challenge (React.lazy: next/dynamic's loader would add to every page's first load).
const StepUpDialog = lazy(() => import('./challenge-dialogs').then((module) => ({ default: module.StepUpDialog })));
const ApprovalDialog = lazy(() => import('./challenge-dialogs').then((module) => ({ default: module.ApprovalDialog })));

/**
 * Installs the API client's challenge handler for every page of the desk: a request refused with
 * `step_up_required` asks for a code (or the password, or to sign in again) and is resent once after
 * the step-up; `approval_required` asks for a justification and an optional ticket and is resent with
 * them (the server then answers 202: sent for approval).
 */
export function ChallengeHost() {
  const t = useTranslations();
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  useEffect(() => {
    setChallengeHandler({
      answer: (error) =>
        new Promise((resolve) =>
          setChallenge({
            error,
            resolve: (headers) => {
              setChallenge(null);
              resolve(headers);
            },
          }),
        ),
      sentForApproval: () => toast.success(t('shell.approval.sent')),
    });
    return () => setChallengeHandler();
  }, [t]);
  if (!challenge) return null;
  return (
    <Suspense fallback={null}>
      {challenge.error.code === 'approval_required' ? (
        <ApprovalDialog {...challenge} />
      ) : (
        <StepUpDialog {...challenge} />
      )}
    </Suspense>
  );
}
