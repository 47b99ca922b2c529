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

/** One row of `GET /api/s/{service}/services`. */
export const serviceStatusSchema = z.object({
  slug: z.string(),
  name: z.string(),
  environment: z.string(),
  apiVersion: z.union([z.literal(2), z.literal(3)]),
  /** The Authlete host only (a cluster such as us.authlete.com): never the path or credentials. */
  host: z.string(),
  health: z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
  /** Every token of the service (Authlete's totalCount); null when it failed or for client-scoped staff. */
  totalTokens: z.number().int().nullable(),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;
export const servicesResponseSchema = z.object({ services: z.array(serviceStatusSchema) });
export type ServicesResponse = z.infer<typeof servicesResponseSchema>;

/** One client's row of a daily snapshot: exact counts, and estimates from a sample of its valid tokens. */
export const clientSnapshotSchema = z.object({
  clientId: z.string(),
  clientName: z.string().nullable(),
  valid: z.number().int().nonnegative(),
  expired: z.number().int().nonnegative(),
  expiring7: z.number().int().nonnegative(),
  expiring30: z.number().int().nonnegative(),
  stale: z.number().int().nonnegative(),
  /** Valid tokens read for the estimates: equal to `valid` means they are exact. */
  sampled: z.number().int().nonnegative(),
});
export type ClientSnapshot = z.infer<typeof clientSnapshotSchema>;

export const trendRangeDays = [30, 90, 365] as const;

/** `GET /api/s/{service}/overview/trends?days=`. */
export const trendsQuerySchema = z.object({
  days: z.coerce
    .number()
    .int()
    .refine((days) => (trendRangeDays as readonly number[]).includes(days), { error: 'days must be 30, 90 or 365' })
    .default(30),
});

export const trendsResponseSchema = z.object({
  /** Per UTC day with a snapshot, oldest first: the permitted clients' totals. */
  days: z.array(z.object({ day: z.string(), valid: z.number().int(), expired: z.number().int() })),
  /** The newest snapshot's rows (the permitted clients), most valid tokens first. */
  latest: z.array(clientSnapshotSchema),
  latestCountedAt: z.number().int().nullable(),
});
export type TrendsResponse = z.infer<typeof trendsResponseSchema>;
