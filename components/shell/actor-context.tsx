'use client';

import { createContext, useContext } from 'react';
import { can, type Permission, type Role } from '@/lib/roles';

/** The signed-in person as the pages need them (same shape as `GET /api/session`'s `actor`). */
export interface SessionActor {
  id: string;
  email: string;
  name: string;
  role: Role;
  method: 'password' | 'oidc';
}

const ActorContext = createContext<SessionActor | null>(null);

/** Set once by the signed-in layout, which has already checked the session on the server. */
export function ActorProvider({ actor, children }: { actor: SessionActor; children: React.ReactNode }) {
  return <ActorContext.Provider value={actor}>{children}</ActorContext.Provider>;
}

export function useActor(): SessionActor {
  const actor = useContext(ActorContext);
  if (!actor) throw new Error('useActor() is only available inside the signed-in layout.');
  return actor;
}

/** Whether the signed-in person may do this; the UI hides what they may not (the server refuses it too). */
export function useCan(permission: Permission): boolean {
  return can(useActor().role, permission);
}
