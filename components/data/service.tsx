'use client';

import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useParams } from 'next/navigation';
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import { apiFor } from '@/lib/api-client';
import type { Service } from '@/lib/schemas/service';
import { servicePath } from '@/lib/service-paths';
import { createQueryClient } from './query-client';

interface ServiceContextValue {
  /** Every service of this deployment (no credentials), in configured order. */
  services: readonly Service[];
  /** The service of the page's address, when the page is under `/s/{service}`. */
  current: Service | undefined;
}

const ServiceContext = createContext<ServiceContextValue>({ services: [], current: undefined });

/** Set by the signed-in layout (components/shell/service-scope.tsx) and by the data hooks' tests. */
export function ServiceProvider({
  services,
  slug,
  children,
}: {
  services: readonly Service[];
  slug: string | undefined;
  children: React.ReactNode;
}) {
  const current = services.find((service) => service.slug === slug);
  return <ServiceContext.Provider value={{ services, current }}>{children}</ServiceContext.Provider>;
}

export function useServices(): readonly Service[] {
  return useContext(ServiceContext).services;
}

/** The page's service, or undefined outside `/s/{service}` (sign-in, not found). */
export function useCurrentService(): Service | undefined {
  return useContext(ServiceContext).current;
}

/** The slug of the page's service: every data hook builds its API address with it. */
export function useServiceSlug(): string {
  const current = useCurrentService();
  if (!current) throw new Error('A service is only known on a page under /s/{service}.');
  return current.slug;
}

/** `href('/tokens')` → `/s/{service}/tokens`: links stay in the page's service. */
export function useServiceHref(): (path: `/${string}`) => string {
  const slug = useServiceSlug();
  return useCallback((path: `/${string}`) => servicePath(slug, path), [slug]);
}

/** The page's service's API (`/api/s/{service}/…`), for the data hooks. */
export function useServiceApi(): ReturnType<typeof apiFor> {
  const slug = useServiceSlug();
  return useMemo(() => apiFor(slug), [slug]);
}

/**
 * The signed-in pages' service: the `[service]` segment of the address, among the deployment's
 * services. Each service has its own query cache, so nothing read from one service is ever shown
 * under another's address (the query keys need not name the service).
 */
export function ServiceScope({ services, children }: { services: readonly Service[]; children: React.ReactNode }) {
  const params = useParams<{ service?: string }>();
  const slug = typeof params?.service === 'string' ? params.service : undefined;
  const [caches] = useState(() => new Map<string, QueryClient>());
  const known = slug !== undefined && services.some((service) => service.slug === slug);
  const content = (
    <ServiceProvider services={services} slug={slug}>
      {children}
    </ServiceProvider>
  );
  if (!known) return content;
  let cache = caches.get(slug);
  if (!cache) {
    cache = createQueryClient();
    caches.set(slug, cache);
  }
  return <QueryClientProvider client={cache}>{content}</QueryClientProvider>;
}
