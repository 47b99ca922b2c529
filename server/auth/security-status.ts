import 'server-only';
import type { AccountSecurity, StepUpProofKind } from '@/lib/schemas/security';
import { config } from '@/server/config';
import type { SessionActor } from './index';
import { mustEnrol, stepUpFresh } from './step-up';

/** The proof a step-up takes for this person. */
export function stepUpProofFor(
  person: Pick<SessionActor, 'method' | 'twoFactorEnabled' | 'hasPasskey'>,
): StepUpProofKind {
  if (person.method === 'oidc') return 'sign_in';
  return person.twoFactorEnabled ? 'second_factor' : person.hasPasskey ? 'passkey' : 'password';
}

/** What the step_up_required refusal tells the person to do, by the proof it takes. */
export const STEP_UP_HINTS: Record<StepUpProofKind, string> = {
  sign_in: 'This action needs a fresh sign-in: sign in again with single sign-on, then retry.',
  second_factor: 'This action needs your second factor again: enter a code from your authenticator, then retry.',
  passkey: 'This action needs your passkey again: use it, then retry.',
  password: 'This action needs your password again: enter it, then retry.',
};

/** The person's second factor and step-up state, as the account page and the step-up dialog read it. */
export function accountSecurityOf(person: SessionActor, now = new Date()): AccountSecurity {
  const windowSeconds = config.security.stepUpWindowSeconds;
  return {
    twoFactorEnabled: person.twoFactorEnabled,
    hasPasskey: person.hasPasskey,
    enrolmentRequired: mustEnrol(person, config.security.mfaRequiredRoles),
    canEnrol: person.method === 'password',
    stepUpProof: stepUpProofFor(person),
    stepUpWindowSeconds: windowSeconds,
    stepUpValidUntil: stepUpFresh(person.verifiedAt, now, windowSeconds)
      ? new Date(person.verifiedAt.getTime() + windowSeconds * 1000).toISOString()
      : null,
  };
}
