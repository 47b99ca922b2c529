import { z } from 'zod';

/** A service's URL segment and stable id in audit records, jobs and grants. */
export const serviceSlugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'a service id: lowercase letters, digits and hyphens');

export const serviceEnvironmentSchema = z.enum(['production', 'staging', 'development']);

/** One Authlete service this deployment manages, as the browser may see it (no credentials). */
export const serviceSchema = z.object({
  slug: serviceSlugSchema,
  name: z.string().min(1),
  environment: serviceEnvironmentSchema,
  apiVersion: z.union([z.literal(2), z.literal(3)]),
});

export type Service = z.infer<typeof serviceSchema>;

/**
 * An Authlete cluster's base URL, whether configured in the environment or stored by an admin:
 * http(s), no credentials, query or fragment (every call is pinned to this origin and path).
 */
export const serviceBaseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://us.authlete.com' })
  .refine((value) => {
    // zod runs this even when the URL check above failed; that failure already says why.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return !url.username && !url.password && !url.search && !url.hash;
  }, 'an http(s) URL without credentials, query or fragment, such as https://us.authlete.com')
  .transform((value) => value.replace(/\/+$/, ''));

const numericIdSchema = z
  .string()
  .trim()
  .regex(/^\d{1,20}$/, 'the numeric id shown in the Authlete console');
const serviceNameSchema = z.string().trim().min(1, 'a display name').max(80, 'at most 80 characters');

/** The credential of a stored service: write-only (never in any answer). */
const credentialsSchema = z.discriminatedUnion('apiVersion', [
  z.strictObject({
    apiVersion: z.literal(3),
    accessToken: z.string().trim().min(16, "the service's access token (at least 16 characters)"),
  }),
  z.strictObject({
    apiVersion: z.literal(2),
    apiSecret: z.string().trim().min(16, 'the service API secret (at least 16 characters)'),
  }),
]);

/** Adding a service in the app (and "Test connection" before saving it). */
export const storedServiceInputSchema = z.strictObject({
  slug: serviceSlugSchema,
  name: serviceNameSchema,
  environment: serviceEnvironmentSchema,
  baseUrl: serviceBaseUrlSchema,
  /** 3.x: the service id; 2.x: the API key (which is its id). */
  serviceId: numericIdSchema,
  credentials: credentialsSchema,
});
export type StoredServiceInput = z.infer<typeof storedServiceInputSchema>;

/** Editing one: every field optional; no credentials = keep the stored ones. */
export const storedServiceUpdateSchema = z.strictObject({
  name: serviceNameSchema.optional(),
  environment: serviceEnvironmentSchema.optional(),
  baseUrl: serviceBaseUrlSchema.optional(),
  serviceId: numericIdSchema.optional(),
  credentials: credentialsSchema.optional(),
  disabled: z.boolean().optional(),
});
export type StoredServiceUpdate = z.infer<typeof storedServiceUpdateSchema>;

export const storedServiceParamsSchema = z.object({ slug: serviceSlugSchema });

/** One row of the services admin list: from the environment (read-only) or stored in the app. */
export const managedServiceSchema = serviceSchema.extend({
  source: z.enum(['configuration', 'stored']),
  baseUrl: z.string(),
  serviceId: z.string(),
  disabled: z.boolean(),
  /** Stored only: who last changed it and when (ISO). */
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type ManagedService = z.infer<typeof managedServiceSchema>;

/** Discovery: a 3.x organization token (used for this one call, never stored) and its cluster. */
export const serviceDiscoveryInputSchema = z.strictObject({
  baseUrl: serviceBaseUrlSchema,
  organizationToken: z.string().trim().min(16, 'an organization access token (at least 16 characters)'),
});

/** A service the organization token can see, offered for adding (prefilled name and id). */
export interface DiscoveredService {
  serviceId: string;
  name: string;
  /** The slug of the service already using this id on that cluster, if any. */
  alreadyAdded: string | null;
}
