import 'server-only';
import { DEFAULT_SERVICE_SLUG, type Service } from '@/lib/schemas/service';
import { getAuthleteClient, type AuthleteClient } from '@/server/authlete';

/**
 * The Authlete services this deployment manages, and the client for each. Everything above this
 * floor names a service by its slug and never knows its API version or credentials.
 */

/** Built once: every request looks its service up here. */
const services: readonly Service[] = [
  { slug: DEFAULT_SERVICE_SLUG, name: 'Authlete', environment: 'production', apiVersion: 3 },
];

export function listServices(): readonly Service[] {
  return services;
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

/** The Authlete client of one service; callers check the slug with `findService` first. */
export function authleteFor(slug: string): AuthleteClient {
  if (!findService(slug)) throw new Error(`Unknown service ${slug}.`);
  // One service for now: the process-wide client of `config.authlete`.
  return getAuthleteClient();
}
