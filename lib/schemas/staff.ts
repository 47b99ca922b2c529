import { z } from 'zod';
import { roleSchema } from '@/lib/roles';

/** A client id as Authlete numbers them (decimal string). */
const grantClientIdSchema = z.string().regex(/^[1-9][0-9]{0,18}$/, 'Client ID must be a number, e.g. 1234.');

/**
 * Which clients of a service a person's grant covers: all of them, or a named set. Enforced in one
 * place on the server (server/auth/scope.ts); pages only ever see what it lets through.
 */
export const clientScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z
    .object({
      kind: z.literal('clients'),
      clientIds: z
        .array(grantClientIdSchema)
        .min(1, 'Name at least one client, or choose all clients.')
        .max(200, 'A grant names at most 200 clients; use all clients instead.'),
    })
    .strict(),
]);
export type ClientScope = z.infer<typeof clientScopeSchema>;

export const ALL_CLIENTS: ClientScope = { kind: 'all' };

/** One person on the staff page. */
export const staffMemberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  scope: clientScopeSchema,
  disabled: z.boolean(),
  demo: z.boolean(),
  /** Newest session start (ms), null when they never signed in or their sessions were deleted. */
  lastSignInAt: z.number().nullable(),
  activeSessions: z.number().int(),
  /** How they sign in: a password account, the identity provider, or both. */
  methods: z.array(z.enum(['password', 'oidc'])),
  /** A verified TOTP factor is enrolled (password accounts; SSO people use their provider's). */
  secondFactor: z.boolean(),
  /** How many passkeys they have (each a second factor too). */
  passkeys: z.number().int(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

/** `POST /api/s/[service]/staff`: a new password account; its initial password is answered once. */
export const staffCreateInputSchema = z
  .object({
    email: z.email('Email must be an email address.').max(320),
    name: z.string().trim().min(1, 'Name cannot be empty.').max(200, 'Name is at most 200 characters.'),
    role: roleSchema,
    scope: clientScopeSchema,
  })
  .strict();
export type StaffCreateInput = z.infer<typeof staffCreateInputSchema>;

/** `PATCH /api/s/[service]/staff/[userId]`: role and scope together (a grant is both). */
export const staffGrantInputSchema = z.object({ role: roleSchema, scope: clientScopeSchema }).strict();
export type StaffGrantInput = z.infer<typeof staffGrantInputSchema>;

/** The person a staff route is about (account ids are UUIDs). */
export const staffParamsSchema = z.object({ userId: z.uuid('The staff id is not valid.') });

/** `POST /api/s/[service]/staff/[userId]/status`. */
export const staffStatusInputSchema = z.object({ disabled: z.boolean() }).strict();
