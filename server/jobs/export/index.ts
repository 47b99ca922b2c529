import 'server-only';
import { UTF8_BOM } from '@/lib/csv/csv-writer';
import { can, type Permission } from '@/lib/roles';
import type { ExportKind } from '@/lib/schemas/export';
import type { Actor } from '@/lib/schemas/session';
import type { ClientScope } from '@/lib/schemas/staff';
import { isAllClients } from '@/server/auth/scope';
import { enqueueStep, insertJob } from '@/server/jobs';
import { exportJobType } from './job-type';
import { firstCursor } from './run';
import { createExport, findExport, readParts, toExportJob } from './store';

export { runExport } from './run';
export { listExports, toExportJob } from './store';

/** What reading each kind of list needs: an export gives no one more than its list route does. */
export const exportPermission: Record<ExportKind, Permission> = { tokens: 'tokens:read', audit: 'audit:read' };

/**
 * The export if this person may have it: their own, or anyone's for an admin, and only while
 * their role can still read that list. Null otherwise (the route answers 404: whether someone
 * else's export exists is not told).
 */
export async function findExportFor(id: string, actor: Actor, service: string, scope: ClientScope) {
  const row = await findExport(id);
  // Another service's export is not found under this one's address.
  if (!row || row.service !== service) return null;
  // Anyone's for an admin of every client; a client-scoped admin has only their own.
  if (row.createdById !== actor.id && !(actor.role === 'admin' && isAllClients(scope))) return null;
  if (!can(actor.role, exportPermission[row.kind as ExportKind])) return null;
  return row;
}

/**
 * Records a new export of `kind` for `owner` and queues it (server/jobs): it runs on the server's
 * workers, so the person may leave the page.
 */
export async function startExport(
  actor: Actor,
  service: string,
  scope: ClientScope,
  kind: ExportKind,
  filter: Record<string, unknown>,
) {
  const owner = { id: actor.id, email: actor.email, service, scope };
  const job = await insertJob(exportJobType, owner, {});
  const row = await createExport(job.id, owner, kind, filter, firstCursor(kind));
  await enqueueStep(exportJobType.name, job.id);
  return toExportJob(row);
}

/** Parts read per database round trip while a file is streamed back. */
const PARTS_PER_READ = 8;

const encoder = new TextEncoder();
const byteOrderMark = encoder.encode(UTF8_BOM);

/** Bytes of the finished file: its parts and the byte order mark before them. */
export const exportFileBytes = (row: { bytes: number }) => byteOrderMark.byteLength + row.bytes;

/**
 * The finished file as a stream: the byte order mark (as the browser export writes it), then its
 * parts, read a few at a time (never the whole file in memory).
 */
export function exportFileStream(id: string): ReadableStream<Uint8Array> {
  let nextSeq = 0;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(byteOrderMark);
    },
    async pull(controller) {
      const parts = await readParts(id, nextSeq, PARTS_PER_READ);
      for (const part of parts) controller.enqueue(encoder.encode(part.body));
      if (parts.length < PARTS_PER_READ) controller.close();
      else nextSeq = parts.at(-1)!.seq + 1;
    },
  });
}
