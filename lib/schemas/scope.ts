import { z } from 'zod';

/** A scope the Authlete service supports, as `GET /api/scopes` returns it. */
export const scopeSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
});
export type Scope = z.infer<typeof scopeSchema>;

export const scopeListResponseSchema = z.object({ scopes: z.array(scopeSchema) });
export type ScopeListResponse = z.infer<typeof scopeListResponseSchema>;
