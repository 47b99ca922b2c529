'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { serviceApiPath } from '@/lib/service-paths';
import type { StaffCreateInput, StaffGrantInput, StaffMember } from '@/lib/schemas/staff';
import { useServiceSlug } from './service';

// Each service has its own query cache (components/data/service.tsx), so the keys need not name it.
const staffKeys = { all: ['staff'] as const, list: ['staff', 'list'] as const };

const base = (service: string) => serviceApiPath(service, '/staff');
const personPath = (service: string, userId: string) => `${base(service)}/${encodeURIComponent(userId)}`;

/** The answer to creating a person: the initial password is here only, never in the query cache. */
export interface StaffCreated {
  member: StaffMember;
  initialPassword: string;
}

/** Everyone with an account, with their role and client scope in this service. */
export function useStaff() {
  const service = useServiceSlug();
  return useQuery({
    queryKey: staffKeys.list,
    queryFn: ({ signal }) => api.request<{ staff: StaffMember[] }>('GET', base(service), { signal }),
  });
}

function useStaffMutation<V, R>(send: (service: string, vars: V) => Promise<R>) {
  const service = useServiceSlug();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (vars: V) => send(service, vars),
    onSettled: () => queryClient.invalidateQueries({ queryKey: staffKeys.all }),
  });
}

/** A new password account with a grant in this service. */
export function useCreateStaff() {
  return useStaffMutation((service, input: StaffCreateInput) =>
    api.request<StaffCreated>('POST', base(service), { body: input }),
  );
}

/** Changes a person's role and client scope here. */
export function useChangeGrant() {
  return useStaffMutation((service, { userId, ...grant }: StaffGrantInput & { userId: string }) =>
    api.request<{ member: StaffMember }>('PATCH', personPath(service, userId), { body: grant }),
  );
}

/** Disables an account (its sessions end) or enables it again. */
export function useSetStaffDisabled() {
  return useStaffMutation((service, { userId, disabled }: { userId: string; disabled: boolean }) =>
    api.request<{ member: StaffMember }>('POST', `${personPath(service, userId)}/status`, { body: { disabled } }),
  );
}

/** Ends every session of a person. */
export function useEndStaffSessions() {
  return useStaffMutation((service, userId: string) =>
    api.request<{ count: number }>('DELETE', `${personPath(service, userId)}/sessions`),
  );
}

/** Removes a person's second factor (a lost phone): they enrol again at their next sign-in. */
export function useResetSecondFactor() {
  return useStaffMutation((service, userId: string) =>
    api.request<{ member: StaffMember }>('DELETE', `${personPath(service, userId)}/second-factor`),
  );
}
