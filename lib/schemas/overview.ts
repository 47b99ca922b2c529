import { z } from 'zod';

/** One client's token counts, each Authlete's `totalCount` for a one-token list call. */
export const clientTokenCountSchema = z.object({
  clientId: z.string(),
  clientName: z.string().optional(),
  valid: z.number().int().nonnegative(),
  expired: z.number().int().nonnegative(),
});
export type ClientTokenCount = z.infer<typeof clientTokenCountSchema>;

/**
 * `GET /api/s/{service}/overview`. Only what Authlete's list filters (`clientIdentifier`,
 * `tokenStatus`) can count exactly: the list has no expiry-date or last-use filter, so tokens
 * expiring within N days, or unused long enough for the 90-day sweep, cannot be counted without
 * reading every token, which the overview never does.
 */
export const overviewResponseSchema = z.object({
  clients: z.array(clientTokenCountSchema),
  totals: z.object({ valid: z.number().int(), expired: z.number().int() }),
  /** When the counts were taken (ms); counts shift while tokens are issued and swept. */
  countedAt: z.number().int(),
});
export type OverviewResponse = z.infer<typeof overviewResponseSchema>;
