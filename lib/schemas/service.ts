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
