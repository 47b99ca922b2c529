import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  serviceBaseUrlSchema,
  serviceEnvironmentSchema,
  serviceSlugSchema,
  type Service,
} from '../../lib/schemas/service';
import {
  DEMO_EMULATOR_HOST,
  DEMO_SERVICE_ACCESS_TOKEN,
  DEMO_SERVICE_ID,
  LEGACY_SERVICE_API_KEY,
  LEGACY_SERVICE_API_SECRET,
  STAGING_SERVICE_ACCESS_TOKEN,
  STAGING_SERVICE_ID,
} from './demo';

/**
 * The Authlete services a deployment manages (AUTHLETE_SERVICES or AUTHLETE_SERVICES_FILE, else the
 * single-service AUTHLETE_* variables as the service `default`, else the demo emulator's three).
 * Server-only data: the credentials never leave server/services.
 */
export type ServiceTarget = Service & {
  /** The Authlete cluster; every call goes to this host only (no redirect is followed). */
  baseUrl: string;
  serviceId: string;
} & ({ apiVersion: 3; accessToken: string } | { apiVersion: 2; apiKey: string; apiSecret: string });

/** The slug of the service the single-service AUTHLETE_* variables describe. */
export const SINGLE_SERVICE_SLUG = 'default';

const numericId = (what: string) => z.string({ error: what }).regex(/^\d{1,20}$/, what);

const commonFields = {
  slug: serviceSlugSchema,
  name: z.string({ error: 'a display name' }).trim().min(1, 'a display name').max(80, 'at most 80 characters'),
  environment: z.enum(serviceEnvironmentSchema.options, { error: 'production, staging or development' }),
  baseUrl: serviceBaseUrlSchema,
};

const serviceEntrySchema = z.discriminatedUnion(
  'apiVersion',
  [
    z.strictObject({
      ...commonFields,
      apiVersion: z.literal(3),
      serviceId: numericId('the numeric service id shown in the Authlete console'),
      accessToken: z
        .string({ error: "the service's access token (a 3.x service needs accessToken)" })
        .min(16, "the service's access token (at least 16 characters)"),
    }),
    z.strictObject({
      ...commonFields,
      apiVersion: z.literal(2),
      // A 2.x service's id is its API key.
      serviceId: numericId('the numeric service id (the API key)').optional(),
      apiKey: numericId('the service API key (a 2.x service needs apiKey and apiSecret)'),
      apiSecret: z
        .string({ error: 'the service API secret (a 2.x service needs apiKey and apiSecret)' })
        .min(16, 'the service API secret (at least 16 characters)'),
    }),
  ],
  { error: 'the Authlete API version, 3 or 2' },
);

const servicesSchema = z
  .array(serviceEntrySchema, { error: 'a JSON array of services' })
  .min(1, 'at least one service')
  .superRefine((entries, context) => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      if (seen.has(entry.slug))
        context.addIssue({ code: 'custom', path: [index, 'slug'], message: `unique (${entry.slug} is listed twice)` });
      seen.add(entry.slug);
    });
  });

/** Thrown with one line naming the variable (and the entry) and what it expects. */
export class ServicesConfigError extends Error {
  override name = 'ServicesConfigError';
}

/** Parses AUTHLETE_SERVICES text (or the file's): `variable` names where it came from in errors. */
export function parseServices(text: string, variable: string): ServiceTarget[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ServicesConfigError(`Invalid configuration: ${variable} must be JSON (a JSON array of services).`);
  }
  const parsed = servicesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [index, ...field] = issue?.path ?? [];
    const where =
      typeof index === 'number'
        ? `${variable}[${index}]${describeEntry(json, index)}${field.length > 0 ? `.${field.join('.')}` : ''}`
        : variable;
    throw new ServicesConfigError(`Invalid configuration: ${where} must be ${issue?.message ?? 'valid'}.`);
  }
  return parsed.data.map((entry) =>
    entry.apiVersion === 3 ? entry : { ...entry, serviceId: entry.serviceId ?? entry.apiKey },
  );
}

/** ` (slug)` when the entry has a readable slug, so a long list's error points at its entry. */
function describeEntry(json: unknown, index: number): string {
  const slug = Array.isArray(json) ? (json[index] as { slug?: unknown } | undefined)?.slug : undefined;
  return typeof slug === 'string' && serviceSlugSchema.safeParse(slug).success ? ` (${slug})` : '';
}

/** Reads AUTHLETE_SERVICES_FILE, naming the variable when the file cannot be read. */
export function readServicesFile(file: string): ServiceTarget[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ServicesConfigError(
      `Invalid configuration: AUTHLETE_SERVICES_FILE must be a readable file (${typeof code === 'string' ? code : 'unreadable'}: ${file}).`,
    );
  }
  return parseServices(text, 'AUTHLETE_SERVICES_FILE');
}

/** The demo emulator's services: production (the demo service), staging, and an Authlete 2.x one. */
export function demoServices(emulatorPort: number): ServiceTarget[] {
  const baseUrl = `http://${DEMO_EMULATOR_HOST}:${emulatorPort}`;
  return [
    {
      slug: 'production',
      name: 'Demo production',
      environment: 'production',
      apiVersion: 3,
      baseUrl,
      serviceId: DEMO_SERVICE_ID,
      accessToken: DEMO_SERVICE_ACCESS_TOKEN,
    },
    {
      slug: 'staging',
      name: 'Demo staging',
      environment: 'staging',
      apiVersion: 3,
      baseUrl,
      serviceId: STAGING_SERVICE_ID,
      accessToken: STAGING_SERVICE_ACCESS_TOKEN,
    },
    {
      slug: 'legacy',
      name: 'Demo legacy (2.x)',
      environment: 'development',
      apiVersion: 2,
      baseUrl,
      serviceId: LEGACY_SERVICE_API_KEY,
      apiKey: LEGACY_SERVICE_API_KEY,
      apiSecret: LEGACY_SERVICE_API_SECRET,
    },
  ];
}

/** Every configured credential, so logs and audit records can be scrubbed of them. */
export function serviceSecrets(services: readonly ServiceTarget[]): string[] {
  return services.map((service) => (service.apiVersion === 3 ? service.accessToken : service.apiSecret));
}
