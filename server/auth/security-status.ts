import 'server-only';
import type { AccountSecurity, StepUpProofKind } from '@/lib/schemas/security';
import { config } from '@/server/config';
import type { SessionActor } from './index';
import { mustEnrol, stepUpFresh } from './step-up';

/** The proof a step-up takes for this person. */
export function stepUpProofFor(person: Pick<SessionActor, 'method' | 'twoFactorEnabled'>): StepUpProofKind {
  if (person.method === 'oidc') return 'sign_in';
  return person.twoFactorEnabled ? 'second_factor' : 'password';
}

/** The person's second factor and step-up state, as the account page and the step-up dialog read it. */
export function accountSecurityOf(person: SessionActor, now = new Date()): AccountSecurity {
  const windowSeconds = config.security.stepUpWindowSeconds;
  return {
    twoFactorEnabled: person.twoFactorEnabled,
    enrolmentRequired: mustEnrol(person, config.security.mfaRequiredRoles),
    canEnrol: person.method === 'password',
    stepUpProof: stepUpProofFor(person),
    stepUpWindowSeconds: windowSeconds,
    stepUpValidUntil: stepUpFresh(person.verifiedAt, now, windowSeconds)
      ? new Date(person.verifiedAt.getTime() + windowSeconds * 1000).toISOString()
      : null,
  };
}
