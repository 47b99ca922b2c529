'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '@/lib/api-client';
import type { AppActionResult, AuditListResponse, AuthorizedAppList } from '@/lib/schemas';
import { tokenKeys } from './tokens';

/** One person's authorized apps and activity, per service. */
export const appKeys = {
  all: ['apps'] as const,
  list: (service: string, subject: string) => ['apps', service, subject] as const,
  activity: (service: string, subject: string, page: number) => ['apps', service, subject, 'activity', page] as const,
};

const subjectPath = (service: string, subject: string) =>
  `/api/s/${encodeURIComponent(service)}/subjects/${encodeURIComponent(subject)}`;
const appPath = (service: string, subject: string, clientId: string) =>
  `${subjectPath(service, subject)}/apps/${encodeURIComponent(clientId)}`;

export function useAuthorizedApps(service: string, subject: string) {
  return useQuery({
    queryKey: appKeys.list(service, subject),
    queryFn: ({ signal }) => api.request<AuthorizedAppList>('GET', `${subjectPath(service, subject)}/apps`, { signal }),
  });
}

/** The person's audit entries (tokens, apps, consent), newest first. */
export function useSubjectActivity(service: string, subject: string, page: number) {
  return useQuery({
    queryKey: appKeys.activity(service, subject, page),
    queryFn: ({ signal }) =>
      api.request<AuditListResponse>('GET', `${subjectPath(service, subject)}/activity`, {
        query: { page: String(page), pageSize: '20' },
        signal,
      }),
  });
}

/** After an app action: the apps, the person's tokens and their timeline are all refetched. */
function useInvalidateApps(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: appKeys.all }),
      queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
    ]);
  }, [queryClient]);
}

export type AppAction =
  | { kind: 'revoke'; clientId: string; reason: string }
  | { kind: 'forget'; clientId: string; reason: string }
  | { kind: 'narrow'; clientId: string; reason: string; scopes: string[] };

/** Revoke an app, forget its consent, or narrow its scopes; answers what Authlete reported. */
export function useAppAction(service: string, subject: string) {
  const invalidate = useInvalidateApps();
  return useMutation({
    mutationFn: (action: AppAction): Promise<AppActionResult> => {
      const path = appPath(service, subject, action.clientId);
      const reason = action.reason.trim();
      switch (action.kind) {
        case 'revoke':
          return api.request('POST', `${path}/revoke`, { body: { reason } });
        case 'forget':
          return api.request('POST', `${path}/forget-consent`, { body: { reason } });
        case 'narrow':
          return api.request('POST', `${path}/narrow`, { body: { reason, scopes: action.scopes } });
      }
    },
    onSuccess: () => void invalidate(),
  });
}
