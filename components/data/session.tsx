'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import type { Locale } from '@/lib/i18n/locales';
import type { LocaleUpdate, TimeZoneUpdate } from '@/lib/schemas/session';
import { api, ApiError } from '@/lib/api-client';
import { ErrorDescription } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';

/** Ends the session, then leaves with a full navigation so no signed-in data stays in memory. */
export function useSignOut() {
  const t = useTranslations();
  return useMutation({
    mutationFn: () => api.request<unknown>('POST', '/api/auth/sign-out', { body: {} }),
    // A full load on purpose: it drops the query cache and every other in-memory trace of the session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    onSuccess: () => window.location.assign('/sign-in'),
    onError: (error) =>
      toast.error(t('shell.signOutFailed'), {
        description: (
          <ErrorDescription
            error={{
              message: t('shell.checkConnection'),
              requestId: error instanceof ApiError ? error.requestId : undefined,
            }}
          />
        ),
      }),
  });
}

/** A preference that could not be saved: a toast saying so (nothing changed on the page). */
function usePreferenceFailed() {
  const t = useTranslations();
  return (error: unknown) =>
    toast.error(t('shell.preferenceFailed'), {
      description: (
        <ErrorDescription
          error={{
            message: error instanceof ApiError ? error.message : t('shell.checkConnection'),
            requestId: error instanceof ApiError ? error.requestId : undefined,
          }}
        />
      ),
    });
}

/**
 * Saves the person's language on their account (`PUT /api/session/locale`, which also sets this
 * browser's cookie), then renders the page again on the server in it.
 */
export function useSaveLocale() {
  const router = useRouter();
  const failed = usePreferenceFailed();
  return useMutation({
    mutationFn: (locale: Locale) =>
      api.request<LocaleUpdate>('PUT', '/api/session/locale', { body: { locale } satisfies LocaleUpdate }),
    onSuccess: () => router.refresh(),
    onError: failed,
  });
}

/** Saves the time zone dates and times are shown in (null: the browser's own), then renders the page again. */
export function useSaveTimeZone() {
  const router = useRouter();
  const failed = usePreferenceFailed();
  return useMutation({
    mutationFn: (timeZone: string | null) =>
      api.request<TimeZoneUpdate>('PUT', '/api/session/time-zone', { body: { timeZone } satisfies TimeZoneUpdate }),
    onSuccess: () => router.refresh(),
    onError: failed,
  });
}
