'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { AccountSecurity } from '@/lib/schemas/security';

const securityKey = ['account', 'security'] as const;

/** The signed-in person's second factor and step-up state. */
export function useAccountSecurity() {
  return useQuery({
    queryKey: securityKey,
    queryFn: ({ signal }) => api.request<AccountSecurity>('GET', '/api/account/security', { signal }),
  });
}

/** Starts TOTP enrolment (Better Auth's two-factor plugin): the authenticator URI and recovery codes, shown once. */
export function useStartTotpEnrolment() {
  return useMutation({
    mutationFn: (password: string) =>
      api.request<{ totpURI: string; backupCodes: string[] }>('POST', '/api/auth/two-factor/enable', {
        body: { password },
      }),
    gcTime: 0,
  });
}

/**
 * Confirms enrolment with a first code from the authenticator app; the second factor is on from then.
 * The status is not refetched here: the page keeps showing the recovery codes until the person leaves
 * with a full load.
 */
export function useConfirmTotpEnrolment() {
  return useMutation({
    mutationFn: (code: string) =>
      api.request<unknown>('POST', '/api/auth/two-factor/verify-totp', { body: { code: code.trim() } }),
  });
}
