import { storedServiceInputSchema } from '@/lib/schemas/service';
import { config } from '@/server/config';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';
import { invalidateServices } from '@/server/services';
import { envelopeKeys, listManagedServices } from '@/server/services/manage';
import { createStoredService } from '@/server/services/stored';

/**
 * Every service an admin manages: the configuration's (read-only) and those stored in the app,
 * never a credential. `storable` says whether ENCRYPTION_KEY is set (else the page explains how).
 */
export const GET = route({
  path: '/api/s/[service]/services/stored',
  permission: 'services:manage',
  handler: async () => json({ storable: config.encryption !== undefined, services: await listManagedServices() }),
});

/** Adds a service; its credential is sealed under ENCRYPTION_KEY and never shown again. */
export const POST = route({
  path: '/api/s/[service]/services/stored',
  permission: 'services:manage',
  audit: 'service.create',
  stepUp: true,
  body: storedServiceInputSchema,
  handler: async ({ body, audit, actor }) => {
    const { credentials, ...described } = body;
    audit.details = { ...described, apiVersion: credentials.apiVersion };
    const created = await createStoredService(
      await getDb(),
      envelopeKeys(),
      body,
      config.authlete.services.map((service) => service.slug),
      actor.email,
    );
    await invalidateServices();
    return json({ service: created }, 201);
  },
});
