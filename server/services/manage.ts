import 'server-only';
import type { DiscoveredService, ManagedService } from '@/lib/schemas/service';
import { createAuthleteClient, listOrganizationServices } from '@/server/authlete';
import { AuthleteError } from '@/server/authlete/errors';
import { config } from '@/server/config';
import type { ServiceTarget } from '@/server/config/services';
import { getDb } from '@/server/db';
import { listStoredServices, StoredServiceError } from './stored';

/**
 * What the services admin routes share: the keys (or why there are none), the merged list an admin
 * sees, the connection test and discovery. Credentials go in, never out.
 */

/** ENCRYPTION_KEY and its previous one; refused with `not_supported` when unset. */
export function envelopeKeys() {
  if (!config.encryption)
    throw new StoredServiceError(
      'not_supported',
      'Services are configured by the environment only: set ENCRYPTION_KEY (openssl rand -base64 32) to add them in the app.',
    );
  return config.encryption;
}

/** The configuration's services (read-only) and the stored ones (a clash: the configuration's wins, so it is left out). */
export async function listManagedServices(): Promise<ManagedService[]> {
  const configured = config.authlete.services.map((target): ManagedService => ({
    slug: target.slug,
    name: target.name,
    environment: target.environment,
    apiVersion: target.apiVersion,
    source: 'configuration',
    baseUrl: target.baseUrl,
    serviceId: target.serviceId,
    disabled: false,
    updatedBy: null,
    updatedAt: null,
  }));
  if (!config.encryption) return configured;
  const taken = new Set(configured.map((service) => service.slug));
  const stored = await listStoredServices(await getDb());
  return [...configured, ...stored.filter((service) => !taken.has(service.slug))];
}

type ConnectionTest = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };

/** One call (the service's scopes) with the credentials as given: no retry, the configured timeout. */
export async function testConnection(target: ServiceTarget): Promise<ConnectionTest> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const client = createAuthleteClient({ ...target, timeoutMs: config.authlete.timeoutMs, retry: { retries: 0 } });
    await client.listSupportedScopes();
    return { ok: true, latencyMs: latency() };
  } catch (error) {
    if (!(error instanceof AuthleteError)) throw error;
    return { ok: false, latencyMs: latency(), error: error.message };
  }
}

/** The services an organization token sees on a cluster, each marked when a service here already uses its id there. */
export async function discoverServices(
  input: { baseUrl: string; organizationToken: string },
  signal?: AbortSignal,
): Promise<DiscoveredService[]> {
  const found = await listOrganizationServices({ ...input, timeoutMs: config.authlete.timeoutMs, signal });
  const known = await listManagedServices();
  return found.map((service) => ({
    ...service,
    alreadyAdded:
      known.find((candidate) => candidate.baseUrl === input.baseUrl && candidate.serviceId === service.serviceId)
        ?.slug ?? null,
  }));
}
