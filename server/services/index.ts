import 'server-only';
import type { Service } from '@/lib/schemas/service';
import { createAuthleteClient, type AuthleteClient } from '@/server/authlete';
import { config, type Config } from '@/server/config';

/**
 * The Authlete services this deployment manages (config.authlete.services: AUTHLETE_SERVICES, its
 * file, the single-service variables or the demo's), and the client for each. Everything above this
 * floor names a service by its slug and never knows its API version or credentials.
 *
 * Seam for per-service grants (issue 15): a person's role and client scope will be looked up by
 * (person, service slug) where route() resolves `ctx.service`; nothing here needs to change.
 */

interface Registry {
  config: Readonly<Config>;
  services: readonly Service[];
  clients: Map<string, AuthleteClient>;
}

let registry: Registry | undefined;

/** Built once per configuration (tests swap the configuration): every request looks its service up here. */
function current(): Registry {
  if (registry?.config !== config) {
    registry = {
      config,
      // Only what the browser may see: never the base URL or credentials.
      services: config.authlete.services.map(({ slug, name, environment, apiVersion }) => ({
        slug,
        name,
        environment,
        apiVersion,
      })),
      clients: new Map(),
    };
  }
  return registry;
}

export function listServices(): readonly Service[] {
  return current().services;
}

export function findService(slug: string): Service | undefined {
  return listServices().find((service) => service.slug === slug);
}

/** The service a request without one in its URL is about (the first configured). */
export function defaultService(): Service {
  const [first] = listServices();
  if (!first) throw new Error('No Authlete service is configured.');
  return first;
}

/** The Authlete client of one service (built on first use); callers check the slug with `findService` first. */
export function authleteFor(slug: string): AuthleteClient {
  const { config: configured, clients } = current();
  const cached = clients.get(slug);
  if (cached) return cached;
  const target = configured.authlete.services.find((service) => service.slug === slug);
  if (!target) throw new Error(`Unknown service ${slug}.`);
  const client = createAuthleteClient({ ...target, timeoutMs: configured.authlete.timeoutMs });
  clients.set(slug, client);
  return client;
}
