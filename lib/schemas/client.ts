import { z } from 'zod';

/** An OAuth client registered on the Authlete service, as `GET /api/clients` returns it. */
export const clientSchema = z.object({
  /** Decimal string (64-bit on the Authlete wire). */
  clientId: z.string(),
  clientIdAlias: z.string().optional(),
  clientName: z.string().optional(),
  /** Locked with the kill switch: Authlete issues it no new tokens. */
  locked: z.boolean().optional(),
});
export type Client = z.infer<typeof clientSchema>;

export const clientListResponseSchema = z.object({ clients: z.array(clientSchema) });
export type ClientListResponse = z.infer<typeof clientListResponseSchema>;
