import type { ServiceStatus } from '@/lib/schemas/overview';
import { isAllClients } from '@/server/auth/scope';
import { checkService } from '@/server/health';
import { json, route } from '@/server/http/route';
import { authleteFor, listServices, serviceHost } from '@/server/services';

/**
 * Every service (the configuration's and the enabled ones stored in the app) with its Authlete health (the readiness check, cached) and its token
 * total. A client-scoped person gets no totals: those would count other clients' tokens.
 */
export const GET = route({
  path: '/api/s/[service]/services',
  permission: 'tokens:read',
  clientScoped: true,
  handler: async ({ clientScope, signal }) => {
    const services = await Promise.all(
      listServices().map(async (service): Promise<ServiceStatus> => {
        const [health, totalTokens] = await Promise.all([
          checkService(service.slug),
          isAllClients(clientScope)
            ? authleteFor(service.slug)
                .listTokens({ status: 'all' }, 0, 1, signal)
                .then((page) => page.totalCount)
                // One service's outage must not hide the others: its health row says why.
                .catch(() => null)
            : null,
        ]);
        return {
          slug: service.slug,
          name: service.name,
          environment: service.environment,
          apiVersion: service.apiVersion,
          host: serviceHost(service.slug) ?? '',
          health: { ok: health.ok, latencyMs: health.latencyMs, ...(health.error ? { error: health.error } : {}) },
          totalTokens,
        };
      }),
    );
    return json({ services });
  },
});
