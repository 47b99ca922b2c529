import { z } from 'zod';

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
]);

/** What proof a step-up takes: a code (second factor enrolled), the password, or a fresh single sign-on. */
export const stepUpProofSchema = z.enum(['second_factor', 'password', 'sign_in']);
export type StepUpProofKind = z.infer<typeof stepUpProofSchema>;

/** `GET /api/account/security`: the signed-in person's second factor and step-up state. */
export const accountSecuritySchema = z.object({
  twoFactorEnabled: z.boolean(),
  /** Their role needs a second factor and they have none yet: nothing else works until they enrol. */
  enrolmentRequired: z.boolean(),
  /** Password accounts enrol here; single sign-on accounts use their provider's second factor. */
  canEnrol: z.boolean(),
  stepUpProof: stepUpProofSchema,
  stepUpWindowSeconds: z.number().int(),
  /** Until when dangerous actions go through without asking again (ISO), or null when they ask now. */
  stepUpValidUntil: z.string().nullable(),
});
export type AccountSecurity = z.infer<typeof accountSecuritySchema>;
