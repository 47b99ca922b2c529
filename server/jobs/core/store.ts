import 'server-only';
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { sourcesOf, terminalStates, type StateMachine } from '@/lib/jobs/state-machine';
import { getDb, type Database } from '@/server/db';
import { jobs } from '@/server/db/schema';
import type { JobType } from './define';
import { JobError, TransitionRefusedError } from './errors';

type JobRow = typeof jobs.$inferSelect;
/** A database or an open transaction on it. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0] | Database;

/** The record every job has, whatever its type; `state` is one of its type's states. */
export interface JobRecord<S extends string> {
  id: string;
  type: string;
  state: S;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  createdBy: { id: string; email: string };
  /** The slug of the Authlete service the job works on. */
  service: string;
  progress: { done: number; total: number | null };
  payload: unknown;
  result: unknown;
  error: string | null;
}

/** Who started a job, and on which Authlete service (its slug): the job's steps use `authleteFor(service)`. */
export interface JobOwner {
  id: string;
  email: string;
  service: string;
}

/** The stored state read back through the type's own enum: a state the type does not know is an error, not a cast. */
function parseState<S extends string>(machine: StateMachine<S>, value: string): S {
  const parsed = z.enum(machine.states).safeParse(value);
  if (!parsed.success) throw new Error(`Stored ${machine.name} state "${value}" is not one of its states.`);
  return parsed.data;
}

function toRecord<S extends string>(type: JobType<unknown, S>, row: JobRow): JobRecord<S> {
  return {
    id: row.id,
    type: row.type,
    state: parseState(type.machine, row.state),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
    createdBy: { id: row.createdById, email: row.createdByEmail },
    service: row.service,
    progress: { done: row.progressDone, total: row.progressTotal },
    payload: row.payload,
    result: row.result,
    error: row.error,
  };
}

function jobNotFound(jobId: string): JobError {
  return new JobError('not_found', `No job with ID ${jobId} exists.`);
}

/** Records a new job in its type's initial state (inside the caller's transaction when given). Queue it with `enqueueStep`. */
export async function insertJob<P, S extends string>(
  type: JobType<P, S>,
  owner: JobOwner,
  payload: P,
  { tx, progressTotal = null }: { tx?: Tx; progressTotal?: number | null } = {},
): Promise<JobRecord<S>> {
  const db = tx ?? (await getDb());
  const [row] = await db
    .insert(jobs)
    .values({
      id: crypto.randomUUID(),
      type: type.name,
      state: type.initialState,
      createdById: owner.id,
      createdByEmail: owner.email,
      service: owner.service,
      payload: type.payload.parse(payload),
      progressTotal,
    })
    .returning();
  return toRecord(type, row!);
}

export async function findJob<S extends string>(type: JobType<unknown, S>, jobId: string, tx?: Tx) {
  const db = tx ?? (await getDb());
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.type, type.name)));
  return row ? toRecord(type, row) : null;
}

export async function getJob<S extends string>(type: JobType<unknown, S>, jobId: string, tx?: Tx) {
  const job = await findJob(type, jobId, tx);
  if (!job) throw jobNotFound(jobId);
  return job;
}

/** One service's jobs of `type`, newest first. */
export async function listJobRecords<S extends string>(
  type: JobType<unknown, S>,
  service: string,
  page: number,
  pageSize: number,
  /** Only this person's jobs (a client-scoped person's view). */
  createdById?: string,
) {
  const db = await getDb();
  const ofType = and(
    eq(jobs.type, type.name),
    eq(jobs.service, service),
    createdById === undefined ? undefined : eq(jobs.createdById, createdById),
  );
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(jobs)
      .where(ofType)
      .orderBy(desc(jobs.createdAt), desc(jobs.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(jobs).where(ofType),
  ]);
  return { jobs: rows.map((row) => toRecord(type, row)), totalCount: totals[0]?.total ?? 0 };
}

/** One service's newest jobs of `type` whose payload has `key` equal to `value` (e.g. one person's). */
export async function listJobRecordsByPayload<S extends string>(
  type: JobType<unknown, S>,
  service: string,
  match: { key: string; value: string },
  limit: number,
) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(jobs)
    .where(
      and(eq(jobs.type, type.name), eq(jobs.service, service), sql`${jobs.payload} ->> ${match.key} = ${match.value}`),
    )
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit);
  return rows.map((row) => toRecord(type, row));
}

/** Ids of the type's jobs not yet in a terminal state (the queue gives each a step at start-up). */
export async function openJobIds(type: JobType<unknown, string>): Promise<string[]> {
  const db = await getDb();
  const terminal = terminalStates(type.machine);
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.type, type.name), terminal.length ? sql`${jobs.state} not in ${terminal}` : undefined));
  return rows.map((row) => row.id);
}

type JobChanges = Partial<Pick<JobRow, 'progressDone' | 'progressTotal' | 'result' | 'error'>>;

/**
 * Moves a job to `to`, atomically: the UPDATE only matches while the job is in a state its type's
 * machine allows `to` from (and, with `from`, in one of those). Anything else is a
 * `TransitionRefusedError`: an impossible move, or another writer got there first.
 */
export async function transitionJob<S extends string>(
  type: JobType<unknown, S>,
  jobId: string,
  to: S,
  { from, set = {}, tx }: { from?: readonly S[]; set?: JobChanges; tx?: Tx } = {},
): Promise<JobRecord<S>> {
  const db = tx ?? (await getDb());
  const allowed = sourcesOf(type.machine, to).filter((state) => !from || from.includes(state));
  const terminal = terminalStates(type.machine).includes(to);
  const [row] = allowed.length
    ? await db
        .update(jobs)
        .set({ ...set, state: to, updatedAt: new Date(), finishedAt: terminal ? new Date() : null })
        .where(and(eq(jobs.id, jobId), eq(jobs.type, type.name), inArray(jobs.state, allowed)))
        .returning()
    : [];
  if (row) return toRecord(type, row);
  const current = await findJob(type, jobId, tx);
  if (!current) throw jobNotFound(jobId);
  throw new TransitionRefusedError(
    type.machine,
    current.state,
    to,
    `This ${type.machine.name} is ${current.state} and cannot become ${to}; reload to see where it stands.`,
  );
}

/** Records progress (and optionally the total, once known). Never moves the state. */
export async function setProgress(jobId: string, done: number, total?: number | null, tx?: Tx): Promise<void> {
  const db = tx ?? (await getDb());
  await db
    .update(jobs)
    .set({ progressDone: done, ...(total === undefined ? {} : { progressTotal: total }), updatedAt: new Date() })
    .where(eq(jobs.id, jobId));
}

/** Records a job's result so far (a report built step by step). Never moves the state. */
export async function setResult(jobId: string, result: unknown, tx?: Tx): Promise<void> {
  const db = tx ?? (await getDb());
  await db.update(jobs).set({ result, updatedAt: new Date() }).where(eq(jobs.id, jobId));
}
