import 'server-only';
import type { Service } from '@/lib/schemas/service';
import { createAuthleteClient, type AuthleteClient } from '@/server/authlete';
import { config, type Config } from '@/server/config';
import type { ServiceTarget } from '@/server/config/services';
import { describeError, logEvent } from '@/server/core/log';
import { getDb } from '@/server/db';
import { loadStoredTargets } from './stored';

/**
 * The Authlete services this deployment manages, and the client for each: those of the
 * configuration (config.authlete.services: AUTHLETE_SERVICES, its file, the single-service
 * variables or the demo's), then, when ENCRYPTION_KEY is set, the enabled ones admins stored in the
 * app (server/services/stored.ts). On a slug both have, the configuration's wins. Everything above
 * this floor names a service by its slug and never knows its API version or credentials.
 *
 * The stored services are read from the database at most every STORED_TTL_MS, on the next
 * `refreshServices()`: every entry point (route(), the desk's pages, each job step, the readiness
 * check) awaits it before the synchronous look-ups below, so a service added or removed on another
 * instance is seen within seconds, without a restart. A change made here is seen at once
 * (`invalidateServices`).
 */

const STORED_TTL_MS = 5_000;

// Next bundles route handlers and pages separately, each with its own copy of this module: a change
// made through a route bumps this process-wide generation so the pages' copy reads again too.
const generationKey = Symbol.for('token-desk.stored-services-generation');
type GlobalWithGeneration = typeof globalThis & { [generationKey]?: number };
const generation = () => (globalThis as GlobalWithGeneration)[generationKey] ?? 0;

interface Registry {
  config: Readonly<Config>;
  targets: readonly ServiceTarget[];
  services: readonly Service[];
  clients: Map<string, AuthleteClient>;
  loadedAt: number;
  /** The process-wide generation the stored services were read at. */
  generation: number;
}

let registry: Registry | undefined;
let loading: Promise<void> | undefined;

function build(
  configured: Readonly<Config>,
  stored: readonly ServiceTarget[],
  loadedAt: number,
  readAt = generation(),
): Registry {
  const taken = new Set(configured.authlete.services.map((service) => service.slug));
  const targets = [...configured.authlete.services, ...stored.filter((service) => !taken.has(service.slug))];
  return {
    config: configured,
    targets,
    // Only what the browser may see: never the base URL or credentials.
    services: targets.map(({ slug, name, environment, apiVersion }) => ({ slug, name, environment, apiVersion })),
    clients: new Map(),
    loadedAt,
    generation: readAt,
  };
}

/** The configuration's services at once (tests swap the configuration); the stored ones as last read. */
function current(): Registry {
  if (registry?.config !== config) registry = build(config, [], 0);
  return registry;
}

/**
 * Reads the stored services again when the last read is older than STORED_TTL_MS (concurrent
 * callers share one read). Without ENCRYPTION_KEY there are none. A database failure keeps the last
 * list (logged): the configuration's services go on working.
 */
export async function refreshServices(): Promise<void> {
  const known = current();
  if (!config.encryption || (known.generation === generation() && Date.now() - known.loadedAt < STORED_TTL_MS)) return;
  loading ??= (async () => {
    const configured = config;
    const keys = configured.encryption!;
    const readAt = generation();
    try {
      const stored = await loadStoredTargets(await getDb(), keys);
      const next = build(configured, stored, Date.now(), readAt);
      // Clients of unchanged services are kept (their connection pools with them).
      const before = current();
      for (const target of next.targets) {
        const previous = before.targets.find((candidate) => candidate.slug === target.slug);
        const client = before.clients.get(target.slug);
        if (client && previous && JSON.stringify(previous) === JSON.stringify(target))
          next.clients.set(target.slug, client);
      }
      if (config === configured) registry = next;
    } catch (error) {
      logEvent('error', 'stored services could not be read; using the last list', { error: describeError(error) });
      if (registry) Object.assign(registry, { loadedAt: Date.now(), generation: readAt });
    }
  })().finally(() => {
    loading = undefined;
  });
  await loading;
}

/** After a change on this instance: the next `refreshServices()` reads the database again. */
export async function invalidateServices(): Promise<void> {
  // A read already under way may have started before the change.
  await loading;
  (globalThis as GlobalWithGeneration)[generationKey] = generation() + 1;
  await refreshServices();
}

export function listServices(): readonly Service[] {
  return current().services;
}

export function findService(slug: string): Service | undefined {
  return listServices().find((service) => service.slug === slug);
}

/** The Authlete host a service's calls go to (the services page shows it). */
export function serviceHost(slug: string): string | undefined {
  const target = current().targets.find((service) => service.slug === slug);
  return target ? new URL(target.baseUrl).host : undefined;
}

/** The service a request without one in its URL is about (the first configured). */
export function defaultService(): Service {
  const [first] = listServices();
  if (!first) throw new Error('No Authlete service is configured.');
  return first;
}

/** The Authlete client of one service (built on first use); callers check the slug with `findService` first. */
export function authleteFor(slug: string): AuthleteClient {
  const { config: configured, clients, targets } = current();
  const cached = clients.get(slug);
  if (cached) return cached;
  const target = targets.find((service) => service.slug === slug);
  if (!target) throw new Error(`Unknown service ${slug}.`);
  const client = createAuthleteClient({ ...target, timeoutMs: configured.authlete.timeoutMs });
  clients.set(slug, client);
  return client;
}
