'use client';

import { startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { AccountSecurity, Passkey } from '@/lib/schemas/security';

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

const passkeysKey = ['account', 'passkeys'] as const;

/** The signed-in person's passkeys. */
export function usePasskeys(enabled = true) {
  return useQuery({
    queryKey: passkeysKey,
    queryFn: ({ signal }) => api.request<{ passkeys: Passkey[] }>('GET', '/api/account/passkeys', { signal }),
    enabled,
  });
}

/**
 * Adds a passkey: registration options (behind a step-up, which the step-up dialog answers), the
 * browser's new credential, then Better Auth verifies and stores it under the given name. Null when
 * the browser prompt was cancelled.
 */
export function useAddPasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) => {
      const optionsJSON = await api.request<Parameters<typeof startRegistration>[0]['optionsJSON']>(
        'GET',
        '/api/account/passkeys/options',
      );
      let response;
      try {
        response = await startRegistration({ optionsJSON });
      } catch {
        return null;
      }
      return api.request<unknown>('POST', '/api/auth/passkey/verify-registration', {
        body: { response, name: name.trim() },
      });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['account'] }),
  });
}

/** Removes one of the person's passkeys (a step-up first when the window has closed). */
export function useRemovePasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.request<void>('DELETE', `/api/account/passkeys/${encodeURIComponent(id)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['account'] }),
  });
}
