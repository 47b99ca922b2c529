import 'server-only';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { ManagedService, StoredServiceInput, StoredServiceUpdate } from '@/lib/schemas/service';
import type { ServiceTarget } from '@/server/config/services';
import { envelopeKeyId, openEnvelope, rewrapEnvelope, sealEnvelope, type EnvelopeKeys } from '@/server/core/seal';
import { logEvent, describeError } from '@/server/core/log';
import type { Database } from '@/server/db';
import { jobs, storedServices } from '@/server/db/schema';

/**
 * Services admins add in the app (stored_services), beside those in the environment. Their
 * credential is an envelope under ENCRYPTION_KEY (server/core/seal.ts), bound to the slug; it is
 * opened only to build a service's Authlete client, and no function here returns it.
 */

type StoredServiceErrorCode = 'not_found' | 'conflict' | 'not_supported';

export class StoredServiceError extends Error {
  override name = 'StoredServiceError';
  constructor(
    readonly code: StoredServiceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type Row = typeof storedServices.$inferSelect;

const bound = (slug: string) => `stored-service:${slug}`;

function sealCredentials(keys: EnvelopeKeys, slug: string, credentials: StoredServiceInput['credentials']) {
  const secret = credentials.apiVersion === 3 ? credentials.accessToken : credentials.apiSecret;
  return { credentialsSealed: sealEnvelope(keys, bound(slug), secret), keyId: envelopeKeyId(keys.current) };
}

/** The row as the admin list shows it: never its credential. */
function toManagedService(row: Row): ManagedService {
  return {
    slug: row.slug,
    name: row.name,
    environment: row.environment as ManagedService['environment'],
    apiVersion: row.apiVersion as 2 | 3,
    source: 'stored',
    baseUrl: row.baseUrl,
    serviceId: row.serviceId,
    disabled: row.disabled,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listStoredServices(db: Database): Promise<ManagedService[]> {
  const rows = await db.select().from(storedServices).orderBy(storedServices.createdAt, storedServices.slug);
  return rows.map(toManagedService);
}

/** The enabled stored services with their credentials opened; one that does not open is logged and left out. */
export async function loadStoredTargets(db: Database, keys: EnvelopeKeys): Promise<ServiceTarget[]> {
  const rows = await db.select().from(storedServices).where(eq(storedServices.disabled, false));
  return rows.flatMap((row): ServiceTarget[] => {
    try {
      return [toTarget(row, openEnvelope(keys, bound(row.slug), row.credentialsSealed))];
    } catch (error) {
      logEvent('error', 'stored service credential does not open; the service is left out', {
        service: row.slug,
        error: describeError(error),
      });
      return [];
    }
  });
}

function toTarget(row: Row, secret: string): ServiceTarget {
  const common = {
    slug: row.slug,
    name: row.name,
    environment: row.environment as ServiceTarget['environment'],
    baseUrl: row.baseUrl,
    serviceId: row.serviceId,
  };
  return row.apiVersion === 3
    ? { ...common, apiVersion: 3, accessToken: secret }
    : { ...common, apiVersion: 2, apiKey: row.serviceId, apiSecret: secret };
}

/** The target a form describes (for "Test connection"), credentials as typed. */
export function targetOf(input: StoredServiceInput): ServiceTarget {
  const { credentials, ...rest } = input;
  return credentials.apiVersion === 3
    ? { ...rest, apiVersion: 3, accessToken: credentials.accessToken }
    : { ...rest, apiVersion: 2, apiKey: input.serviceId, apiSecret: credentials.apiSecret };
}

/** The target an edit would leave: the stored row with the edit on top (its credential opened when not replaced). */
export async function targetAfterUpdate(
  db: Database,
  keys: EnvelopeKeys,
  slug: string,
  update: StoredServiceUpdate,
): Promise<ServiceTarget> {
  const row = await findRow(db, slug);
  const secret =
    update.credentials === undefined
      ? openEnvelope(keys, bound(slug), row.credentialsSealed)
      : update.credentials.apiVersion === 3
        ? update.credentials.accessToken
        : update.credentials.apiSecret;
  return toTarget(
    {
      ...row,
      ...definedOnly({ name: update.name, environment: update.environment, baseUrl: update.baseUrl }),
      serviceId: update.serviceId ?? row.serviceId,
      apiVersion: update.credentials?.apiVersion ?? row.apiVersion,
    },
    secret,
  );
}

async function findRow(db: Database, slug: string): Promise<Row> {
  const [row] = await db.select().from(storedServices).where(eq(storedServices.slug, slug));
  if (!row) throw new StoredServiceError('not_found', `There is no service ${slug} stored in the app.`);
  return row;
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Adds a service; `configuredSlugs` (the environment's) and stored slugs are taken. */
export async function createStoredService(
  db: Database,
  keys: EnvelopeKeys,
  input: StoredServiceInput,
  configuredSlugs: readonly string[],
  actorEmail: string,
): Promise<ManagedService> {
  if (configuredSlugs.includes(input.slug))
    throw new StoredServiceError('conflict', `The id ${input.slug} is taken by a service from the configuration.`);
  const [row] = await db
    .insert(storedServices)
    .values({
      slug: input.slug,
      name: input.name,
      environment: input.environment,
      apiVersion: input.credentials.apiVersion,
      baseUrl: input.baseUrl,
      serviceId: input.serviceId,
      ...sealCredentials(keys, input.slug, input.credentials),
      createdBy: actorEmail,
      updatedBy: actorEmail,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new StoredServiceError('conflict', `A service with the id ${input.slug} is already stored.`);
  return toManagedService(row);
}

/** Changes a stored service; no credentials keeps the stored ones (a new API version needs new ones). */
export async function updateStoredService(
  db: Database,
  keys: EnvelopeKeys,
  slug: string,
  update: StoredServiceUpdate,
  actorEmail: string,
): Promise<{ before: ManagedService; after: ManagedService }> {
  const before = await findRow(db, slug);
  if (update.disabled === true) await refuseWhileJobsRun(db, slug, 'disable');
  const [row] = await db
    .update(storedServices)
    .set({
      ...definedOnly({
        name: update.name,
        environment: update.environment,
        baseUrl: update.baseUrl,
        serviceId: update.serviceId,
        disabled: update.disabled,
      }),
      ...(update.credentials
        ? { apiVersion: update.credentials.apiVersion, ...sealCredentials(keys, slug, update.credentials) }
        : {}),
      updatedBy: actorEmail,
      updatedAt: new Date(),
    })
    .where(eq(storedServices.slug, slug))
    .returning();
  if (!row) throw new StoredServiceError('not_found', `There is no service ${slug} stored in the app.`);
  return { before: toManagedService(before), after: toManagedService(row) };
}

export async function deleteStoredService(db: Database, slug: string): Promise<ManagedService> {
  await findRow(db, slug);
  await refuseWhileJobsRun(db, slug, 'delete');
  const [row] = await db.delete(storedServices).where(eq(storedServices.slug, slug)).returning();
  if (!row) throw new StoredServiceError('not_found', `There is no service ${slug} stored in the app.`);
  return toManagedService(row);
}

/** A job that has not finished would lose its service mid-way. */
async function refuseWhileJobsRun(db: Database, slug: string, what: 'disable' | 'delete'): Promise<void> {
  const [open] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(jobs)
    .where(and(eq(jobs.service, slug), isNull(jobs.finishedAt)));
  const count = Number(open?.count ?? 0);
  if (count > 0)
    throw new StoredServiceError(
      'conflict',
      `${count} job${count === 1 ? ' has' : 's have'} not finished on ${slug}: finish or cancel ${count === 1 ? 'it' : 'them'} (Jobs page) before you ${what} the service.`,
    );
}

/**
 * Re-wraps every data key not yet under the current ENCRYPTION_KEY (after a rotation, while the
 * old key is ENCRYPTION_KEY_PREVIOUS). Returns how many rows moved; the credentials themselves are
 * not re-encrypted. Fails on the first row neither key opens, naming it.
 */
export async function rewrapStoredServices(db: Database, keys: EnvelopeKeys): Promise<number> {
  const currentId = envelopeKeyId(keys.current);
  const rows = await db.select().from(storedServices).where(ne(storedServices.keyId, currentId));
  for (const row of rows) {
    let credentialsSealed: string;
    try {
      credentialsSealed = rewrapEnvelope(keys, bound(row.slug), row.credentialsSealed);
    } catch (error) {
      throw new Error(`Service ${row.slug}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    await db
      .update(storedServices)
      .set({ credentialsSealed, keyId: currentId })
      .where(and(eq(storedServices.slug, row.slug), eq(storedServices.keyId, row.keyId)));
  }
  return rows.length;
}
