import { z } from 'zod';

const base64url = z
  .string()
  .max(4096)
  .regex(/^[A-Za-z0-9_-]*$/, 'base64url');

/** A WebAuthn assertion as the browser gives it (AuthenticationResponseJSON), answering a step-up challenge. */
const passkeyAssertionSchema = z.object({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
});

/** `POST /api/account/step-up`: one proof, whichever the person has (the server says which in step_up_required). */
export const stepUpRequestSchema = z.union([
  z.strictObject({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'the 6-digit code from your authenticator app'),
  }),
  z.strictObject({ recoveryCode: z.string().trim().min(1, 'a recovery code').max(64, 'at most 64 characters') }),
  z.strictObject({ password: z.string().min(1, 'your password').max(128, 'at most 128 characters') }),
  z.strictObject({ passkey: passkeyAssertionSchema }),
]);

/**
 * What proof a step-up takes: a code (TOTP enrolled; a passkey also does when the person has one), a
 * passkey (their only second factor), the password, or a fresh single sign-on.
 */
export const stepUpProofSchema = z.enum(['second_factor', 'passkey', 'password', 'sign_in']);
export type StepUpProofKind = z.infer<typeof stepUpProofSchema>;

/** `GET /api/account/security`: the signed-in person's second factor and step-up state. */
export const accountSecuritySchema = z.object({
  twoFactorEnabled: z.boolean(),
  /** Their role needs a second factor and they have none yet: nothing else works until they enrol. */
  enrolmentRequired: z.boolean(),
  /** Password accounts enrol here; single sign-on accounts use their provider's second factor. */
  canEnrol: z.boolean(),
  /** The person has a passkey: it signs them in and answers a step-up. */
  hasPasskey: z.boolean(),
  stepUpProof: stepUpProofSchema,
  stepUpWindowSeconds: z.number().int(),
  /** Until when dangerous actions go through without asking again (ISO), or null when they ask now. */
  stepUpValidUntil: z.string().nullable(),
});
export type AccountSecurity = z.infer<typeof accountSecuritySchema>;

/** One of the person's passkeys, as /account/security lists them. */
export const passkeySchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });
export type Passkey = z.infer<typeof passkeySchema>;

/** The name a person gives a passkey they add (checked before Better Auth stores it). */
export const passkeyNameSchema = z.string().trim().min(1, 'a name').max(64, 'at most 64 characters');

/** `DELETE /api/account/passkeys/{id}`. */
export const passkeyParamsSchema = z.object({ id: z.string().min(1).max(100) });
