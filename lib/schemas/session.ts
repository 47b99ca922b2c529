import { z } from 'zod';
import { roleSchema } from '@/lib/roles';
import { signInMethodSchema } from './audit';

/** The signed-in staff member, as the server resolves it on every request. */
export const actorSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  method: signInMethodSchema,
});
export type Actor = z.infer<typeof actorSchema>;

/** `GET /api/session`. */
export const sessionResponseSchema = z.object({ actor: actorSchema, demo: z.boolean() });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;
