'use client';

import { createContext, useContext } from 'react';
import type { Permission, Role } from '@/lib/roles';

/** The signed-in person as the pages need them (same shape as `GET /api/session`'s `actor`). */
export interface SessionActor {
  id: string;
  email: string;
  name: string;
  role: Role;
  method: 'password' | 'oidc';
}

interface ActorContextValue {
  /** Computed on the server with `can()`; lib/roles is not shipped to the browser (it pulls in zod). */
  permissions: readonly Permission[];
}

const ActorContext = createContext<ActorContextValue | null>(null);

/** Set once by the signed-in layout, which has already checked the session on the server. */
export function ActorProvider({ children, ...value }: ActorContextValue & { children: React.ReactNode }) {
  return <ActorContext.Provider value={value}>{children}</ActorContext.Provider>;
}

function useActorContext(): ActorContextValue {
  const value = useContext(ActorContext);
  if (!value) throw new Error('The signed-in actor is only available inside the signed-in layout.');
  return value;
}

/** Whether the signed-in person may do this; the UI hides what they may not (the server refuses it too). */
export function useCan(permission: Permission): boolean {
  return useActorContext().permissions.includes(permission);
}
