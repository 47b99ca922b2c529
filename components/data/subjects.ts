'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useServiceApi } from './service';
import { toast } from '@/components/ui/toast';
import { fetchSubjectTokens } from './subject-tokens';
import { tokenKeys, useInvalidateTokens } from './tokens';

/** Every token of one user (up to SUBJECT_TOKEN_LIMIT), for the support-desk view. */
export function useSubjectTokens(subject: string) {
  const api = useServiceApi();
  return useQuery({
    queryKey: tokenKeys.subject(subject),
    queryFn: ({ signal }) => fetchSubjectTokens(subject, api.listTokens, signal),
  });
}

/**
 * "Revoke all for this user / client" in one request; the answer is Authlete's count. The token
 * views are refetched in the background: the count is shown without waiting for them.
 */
export function useRevokeAll(subject: string) {
  const api = useServiceApi();
  const t = useTranslations();
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: ({ clientId, reason }: { clientId?: string; reason: string }) =>
      api.revokeAll({ subject, clientId, reason: reason.trim() }),
    onSuccess: ({ count }) => {
      toast.success(t('subjects.revokeAll.toast', { count, subject }));
      void invalidate();
    },
  });
}
